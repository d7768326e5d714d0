package placement

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchCluster is n instances of 4 vCPU / 7680 MiB spread over three AZs.
func benchCluster(n int) []Instance {
	azs := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	out := make([]Instance, n)
	for i := range out {
		out[i] = Instance{
			ARN:               fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/demo/%032x", i),
			ID:                fmt.Sprintf("%032x", i),
			EC2InstanceID:     fmt.Sprintf("i-%017x", i),
			Status:            "ACTIVE",
			AgentConnected:    true,
			AgentVersion:      "1.87.0",
			Attributes:        map[string]string{attrAZ: azs[i%3], "ecs.instance-type": "c5.xlarge"},
			RemainingCPU:      4096,
			RemainingMemory:   7680,
			UsedPorts:         map[Port]bool{{22, "tcp"}: true, {2375, "tcp"}: true, {2376, "tcp"}: true, {51678, "tcp"}: true, {51679, "tcp"}: true},
			ReservedPortCount: 5,
			FreeENIs:          3,
		}
	}
	return out
}

// BenchmarkPlace10kOn1k places 10,000 tasks on 1,000 instances in one call
// with [spread(attribute:ecs.availability-zone), binpack(memory)].
func BenchmarkPlace10kOn1k(b *testing.B) {
	instances := benchCluster(1000)
	req := Request{
		Task:  Task{CPU: 256, Memory: 512, Group: "service:web"},
		Count: 10000,
		Strategies: []Strategy{
			{Type: StrategySpread, Field: "attribute:ecs.availability-zone"},
			{Type: StrategyBinpack, Field: FieldMemory},
		},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req.Rand = rand.New(rand.NewPCG(uint64(i), 1))
		res, err := Place(req, instances)
		if err != nil || len(res.Placed) != req.Count {
			b.Fatalf("placed %d, err %v", len(res.Placed), err)
		}
	}
	b.ReportMetric(float64(req.Count)*float64(b.N)/b.Elapsed().Seconds(), "placements/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(req.Count), "ns/placement")
}
