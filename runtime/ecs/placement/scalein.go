package placement

import (
	"math/rand/v2"
	"strings"
)

// RunningTask is a task a scale-in may stop: the instance it runs on (an
// index into the instances passed to ChooseToStop, which must be valid) and
// its reservation.
type RunningTask struct {
	Instance    int
	CPU, Memory int
}

// StopRequest asks which Count of Tasks (the tasks of one service) to stop.
type StopRequest struct {
	Tasks      []RunningTask
	Count      int
	Strategies []Strategy // the service's; none means DefaultServiceStrategies
	Rand       *rand.Rand
}

// ChooseToStop picks the tasks a service stops when it scales in, mirroring
// its placement strategies [DG:task-placement-strategies] (reference 3.2):
//
//   - binpack(field): stop the task whose instance will have the most of the
//     resource left afterwards;
//   - spread(attribute:x): stop in the value (AZ) with the most of the
//     service's tasks; spread(instanceId): on the instance with the most;
//   - random, and ties after the chain: at random.
//
// The default chain, spread AZ then instance, is "stop a task in the AZ with
// the most tasks, on the instance with the most tasks" [DG:ecs_services].
// Counts are over req.Tasks and are updated after each pick. It returns
// indices into req.Tasks in the order chosen, at most Count of them.
func ChooseToStop(req StopRequest, instances []Instance) []int {
	strategies := req.Strategies
	if len(strategies) == 0 {
		strategies = DefaultServiceStrategies
	}
	perInstance := make([]int64, len(instances))
	freedCPU := make([]int64, len(instances))
	freedMem := make([]int64, len(instances))
	for _, t := range req.Tasks {
		perInstance[t.Instance]++
	}
	// perValue[j] counts the tasks per attribute value for strategy j.
	perValue := make([]map[string]int64, len(strategies))
	for j, s := range strategies {
		if name, ok := strings.CutPrefix(s.Field, attrPrefix); ok && s.Type == StrategySpread {
			perValue[j] = map[string]int64{}
			for _, t := range req.Tasks {
				perValue[j][instances[t.Instance].Attributes[name]]++
			}
		}
	}
	// score is the key to maximise for task t under strategy j.
	score := func(j int, t RunningTask) int64 {
		in := &instances[t.Instance]
		s := strategies[j]
		switch {
		case s.Type == StrategyBinpack && strings.EqualFold(s.Field, FieldCPU):
			return int64(in.RemainingCPU) + freedCPU[t.Instance] + int64(t.CPU)
		case s.Type == StrategyBinpack:
			return int64(in.RemainingMemory) + freedMem[t.Instance] + int64(t.Memory)
		case perValue[j] != nil:
			return perValue[j][in.Attributes[strings.TrimPrefix(s.Field, attrPrefix)]]
		}
		return perInstance[t.Instance] // spread(instanceId|host)
	}
	ranked := len(strategies)
	for j, s := range strategies {
		if s.Type == StrategyRandom {
			ranked = j
			break
		}
	}

	stopped := make([]bool, len(req.Tasks))
	var out, ties []int
	var best, cur [MaxStrategies]int64
	for len(out) < req.Count && len(out) < len(req.Tasks) {
		ties = ties[:0]
		for k, t := range req.Tasks {
			if stopped[k] {
				continue
			}
			for j := 0; j < ranked; j++ {
				cur[j] = score(j, t)
			}
			c := 0
			if len(ties) > 0 {
				c = compareKeys(cur[:ranked], best[:ranked])
			}
			switch {
			case len(ties) == 0 || c > 0:
				best = cur
				ties = append(ties[:0], k)
			case c == 0:
				ties = append(ties, k)
			}
		}
		pick := ties[0]
		if len(ties) > 1 && req.Rand != nil {
			pick = ties[req.Rand.IntN(len(ties))]
		}
		t := req.Tasks[pick]
		stopped[pick] = true
		out = append(out, pick)
		perInstance[t.Instance]--
		freedCPU[t.Instance] += int64(t.CPU)
		freedMem[t.Instance] += int64(t.Memory)
		for j, s := range strategies {
			if perValue[j] != nil {
				perValue[j][instances[t.Instance].Attributes[strings.TrimPrefix(s.Field, attrPrefix)]]--
			}
		}
	}
	return out
}

// compareKeys orders two score tuples lexicographically.
func compareKeys(a, b []int64) int {
	for i := range a {
		switch {
		case a[i] > b[i]:
			return 1
		case a[i] < b[i]:
			return -1
		}
	}
	return 0
}
