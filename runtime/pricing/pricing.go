// Package pricing holds the prices ecsbox charges simulated resources at,
// so that scenarios can compare what configurations cost (sim.cost()).
//
// Prices are On-Demand list prices in us-east-1 (Linux), taken from the AWS
// pricing pages in early 2025 (https://aws.amazon.com/fargate/pricing/,
// https://aws.amazon.com/ec2/pricing/on-demand/). Fargate Spot prices move
// with demand; the figures here are a snapshot of that date, about 70 %
// below Fargate. Other regions use the same table (a documented
// simplification).
package pricing

import (
	"math"
	"time"
)

// AsOf is the date of the price snapshot.
const AsOf = "2025-01"

// Fargate prices per vCPU-hour and per GB-hour of memory, Linux.
const (
	FargateVCPUHour     = 0.04048
	FargateGBHour       = 0.004445
	FargateARMVCPUHour  = 0.03238
	FargateARMGBHour    = 0.00356
	FargateSpotVCPUHour = 0.01212460
	FargateSpotGBHour   = 0.00133100
)

// EC2 On-Demand prices per instance-hour, Linux, us-east-1.
var EC2 = map[string]float64{
	"t2.micro": 0.0116, "t2.small": 0.023, "t2.medium": 0.0464, "t2.large": 0.0928, "t2.xlarge": 0.1856,
	"t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
	"m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768,
	"c5.large": 0.085, "c5.xlarge": 0.17, "c5.2xlarge": 0.34,
	"r5.large":  0.126,
	"t4g.small": 0.0168, "t4g.medium": 0.0336, "m6g.large": 0.077, "c6g.large": 0.068,
	"m1.small": 0.044, "m4.large": 0.10, "c4.large": 0.10,
}

// billed is d rounded up to the second, with the one-minute minimum both
// Fargate and EC2 (Linux) bill.
func billed(d time.Duration) float64 {
	if d < time.Minute {
		d = time.Minute
	}
	return math.Ceil(d.Seconds()) / 3600
}

// Fargate is the price of a task of vcpu vCPUs and gb GB that ran for d
// (billed from the start of its image pull until it stops, per second
// with a one-minute minimum [Fargate pricing]).
func Fargate(vcpu, gb float64, d time.Duration, spot, arm bool) float64 {
	hours := billed(d)
	switch {
	case spot:
		return hours * (vcpu*FargateSpotVCPUHour + gb*FargateSpotGBHour)
	case arm:
		return hours * (vcpu*FargateARMVCPUHour + gb*FargateARMGBHour)
	}
	return hours * (vcpu*FargateVCPUHour + gb*FargateGBHour)
}

// Instance is the price of an EC2 instance of the type that ran for d, and
// whether the type has a price in the table.
func Instance(instanceType string, d time.Duration) (float64, bool) {
	p, ok := EC2[instanceType]
	if !ok {
		return 0, false
	}
	return billed(d) * p, true
}
