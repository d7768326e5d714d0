package placement

import (
	"slices"
	"testing"
)

func TestChooseToStop(t *testing.T) {
	in := []Instance{
		host("a1", "us-east-1a", 1000, 1000), host("a2", "us-east-1a", 3000, 500),
		host("b1", "us-east-1b", 2000, 2000), host("c1", "us-east-1c", 0, 0),
	}
	// 3 tasks in us-east-1a (2 on a1, 1 on a2), 1 in b, 2 in c.
	tasks := []RunningTask{
		{Instance: 0, CPU: 100, Memory: 100}, {Instance: 0, CPU: 100, Memory: 100}, {Instance: 1, CPU: 100, Memory: 100},
		{Instance: 2, CPU: 100, Memory: 100}, {Instance: 3, CPU: 100, Memory: 100}, {Instance: 3, CPU: 100, Memory: 100},
	}
	// Default: AZ with the most tasks, then the instance with the most.
	got := ChooseToStop(StopRequest{Tasks: tasks, Count: 3, Rand: seeded(1)}, in)
	if len(got) != 3 || tasks[got[0]].Instance != 0 {
		t.Fatalf("default scale-in = %v, want a1 first", got)
	}
	// After that: 2 in a (1+1), 1 in b, 2 in c → an AZ with 2: a or c.
	stoppedIn := map[int]int{}
	for _, k := range got {
		stoppedIn[tasks[k].Instance]++
	}
	if stoppedIn[2] != 0 {
		t.Errorf("default scale-in stopped the only task in us-east-1b: %v", got)
	}

	// binpack(memory): the instance left with the most memory: b1 (2000+100).
	got = ChooseToStop(StopRequest{Tasks: tasks, Count: 1, Strategies: []Strategy{{StrategyBinpack, FieldMemory}}}, in)
	if !slices.Equal(got, []int{3}) {
		t.Errorf("binpack(memory) scale-in = %v, want [3]", got)
	}
	// binpack(cpu): a2 (3000+100).
	got = ChooseToStop(StopRequest{Tasks: tasks, Count: 1, Strategies: []Strategy{{StrategyBinpack, FieldCPU}}}, in)
	if !slices.Equal(got, []int{2}) {
		t.Errorf("binpack(cpu) scale-in = %v, want [2]", got)
	}
	// spread(instanceId) without a generator: the first of the fullest.
	got = ChooseToStop(StopRequest{Tasks: tasks, Count: 2, Strategies: []Strategy{{StrategySpread, FieldInstanceID}}}, in)
	if !slices.Equal(got, []int{0, 4}) {
		t.Errorf("spread(instanceId) scale-in = %v, want [0 4]", got)
	}
	// More than there are: all of them, each once.
	got = ChooseToStop(StopRequest{Tasks: tasks, Count: 10, Strategies: []Strategy{{Type: StrategyRandom}}, Rand: seeded(3)}, in)
	slices.Sort(got)
	if !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("stop all = %v", got)
	}
	// Deterministic for a seed.
	a := ChooseToStop(StopRequest{Tasks: tasks, Count: 4, Rand: seeded(9)}, in)
	b := ChooseToStop(StopRequest{Tasks: tasks, Count: 4, Rand: seeded(9)}, in)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different choice: %v %v", a, b)
	}
	if got := ChooseToStop(StopRequest{Count: 2}, in); len(got) != 0 {
		t.Errorf("no tasks: %v", got)
	}
}
