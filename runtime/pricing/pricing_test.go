package pricing

import (
	"math"
	"testing"
	"time"
)

func TestBilling(t *testing.T) {
	// One hour of a 0.25 vCPU / 0.5 GB task.
	if got, want := Fargate(0.25, 0.5, time.Hour, false, false), 0.25*FargateVCPUHour+0.5*FargateGBHour; math.Abs(got-want) > 1e-12 {
		t.Errorf("Fargate hour = %v, want %v", got, want)
	}
	// Ten seconds bill a minute.
	if got, want := Fargate(1, 2, 10*time.Second, true, false), (FargateSpotVCPUHour+2*FargateSpotGBHour)/60; math.Abs(got-want) > 1e-12 {
		t.Errorf("ten seconds of Spot = %v, want %v (one minute)", got, want)
	}
	if got, ok := Instance("t3.medium", 90*time.Minute); !ok || math.Abs(got-1.5*0.0416) > 1e-12 {
		t.Errorf("t3.medium 90 min = %v, %v", got, ok)
	}
	if _, ok := Instance("x9.huge", time.Hour); ok {
		t.Error("an unknown type has a price")
	}
}
