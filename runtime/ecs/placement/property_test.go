package placement

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNeverOverCommits places random requests on random clusters and checks
// that no instance ever gets more CPU, memory, ports or ENIs than it has,
// that only ACTIVE connected instances get tasks, that distinctInstance
// holds, and that a short placement reports every ACTIVE instance.
func TestNeverOverCommits(t *testing.T) {
	gen := rand.New(rand.NewPCG(42, 7))
	pick := func(n int) int { return gen.IntN(n) }
	portPool := []Port{{80, "tcp"}, {443, "tcp"}, {53, "udp"}, {53, "tcp"}, {22, "tcp"}}
	strategyPool := []Strategy{
		{StrategyBinpack, FieldCPU}, {StrategyBinpack, FieldMemory}, {StrategySpread, FieldInstanceID},
		{StrategySpread, "attribute:ecs.availability-zone"}, {StrategySpread, "attribute:rack"}, {Type: StrategyRandom},
	}
	for round := range 500 {
		n := 1 + pick(12)
		in := make([]Instance, n)
		for i := range in {
			in[i] = host(fmt.Sprint(i), []string{"us-east-1a", "us-east-1b", "us-east-1c"}[pick(3)], pick(3000), pick(3000))
			in[i].FreeENIs = pick(4)
			in[i].ReservedPortCount = 5 + pick(2)*(90+pick(10))
			in[i].AgentConnected = pick(8) > 0
			if pick(8) == 0 {
				in[i].Status = "DRAINING"
			}
			if pick(2) == 0 {
				in[i].Attributes["rack"] = fmt.Sprint(pick(3))
			}
			if pick(3) == 0 {
				in[i].UsedPorts[portPool[pick(len(portPool))]] = true
			}
			if pick(3) == 0 {
				in[i].Groups["g"] = pick(3)
			}
		}
		task := Task{CPU: pick(700), Memory: pick(700), NeedsENI: pick(3) == 0, Group: "g"}
		for range pick(3) {
			task.HostPorts = append(task.HostPorts, portPool[pick(len(portPool))])
		}
		req := Request{Task: task, Count: 1 + pick(30), Rand: rand.New(rand.NewPCG(uint64(round), 0))}
		for range pick(4) {
			req.Strategies = append(req.Strategies, strategyPool[pick(len(strategyPool))])
		}
		distinct := pick(4) == 0
		if distinct {
			req.Constraints = []Constraint{{Type: ConstraintDistinctInstance}}
		}
		r, err := Place(req, in)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		again, _ := Place(Request{Task: task, Count: req.Count, Strategies: req.Strategies, Constraints: req.Constraints, Rand: rand.New(rand.NewPCG(uint64(round), 0))}, in)
		if !slices.Equal(r.Placed, again.Placed) {
			t.Fatalf("round %d: not deterministic", round)
		}

		per := make([]int, n)
		for _, i := range r.Placed {
			per[i]++
		}
		ports := hostPorts(task.HostPorts)
		for i, k := range per {
			if k == 0 {
				continue
			}
			x := &in[i]
			fail := func(what string) {
				t.Fatalf("round %d: instance %d got %d task(s): %s\n%s", round, i, k, what, r.Explanation)
			}
			switch {
			case x.Status != "ACTIVE" || !x.AgentConnected:
				fail("not ACTIVE and connected")
			case k*task.CPU > x.RemainingCPU:
				fail("CPU over-committed")
			case k*task.Memory > x.RemainingMemory:
				fail("memory over-committed")
			case task.NeedsENI && k > x.FreeENIs:
				fail("ENIs over-committed")
			case len(ports) > 0 && k > 1:
				fail("a static port bound twice")
			case len(ports) > 0 && x.ReservedPortCount+len(ports) > MaxReservedPorts:
				fail("more than 100 reserved ports")
			case distinct && (k > 1 || x.Groups["g"] > 0):
				fail("distinctInstance broken")
			}
			for _, p := range ports {
				if x.UsedPorts[p] {
					fail(fmt.Sprintf("port %v already in use", p))
				}
			}
		}
		if len(r.Placed) < req.Count {
			active := 0
			for i := range in {
				if in[i].Status == "ACTIVE" {
					active++
				}
			}
			if len(r.Failures) != active {
				t.Fatalf("round %d: %d failures for %d ACTIVE instances", round, len(r.Failures), active)
			}
		}
	}
}
