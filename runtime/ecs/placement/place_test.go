package placement

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// host is an ACTIVE, connected instance with the agent's reserved ports and
// two free ENI slots.
func host(id, az string, cpu, mem int) Instance {
	return Instance{
		ARN:            "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/" + id,
		ID:             id,
		EC2InstanceID:  "i-" + id,
		Status:         "ACTIVE",
		AgentConnected: true,
		AgentVersion:   "1.87.0",
		RegisteredAt:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Attributes: map[string]string{
			attrAZ:                    az,
			"ecs.instance-type":       "c5.large",
			"ecs.capability.task-eni": "",
		},
		RemainingCPU:      cpu,
		RemainingMemory:   mem,
		UsedPorts:         map[Port]bool{{22, "tcp"}: true, {2375, "tcp"}: true, {2376, "tcp"}: true, {51678, "tcp"}: true, {51679, "tcp"}: true},
		ReservedPortCount: 5,
		FreeENIs:          2,
		Groups:            map[string]int{},
	}
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func mustPlace(t *testing.T, req Request, in []Instance) Result {
	t.Helper()
	if req.Rand == nil {
		req.Rand = seeded(1)
	}
	r, err := Place(req, in)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	return r
}

// ids names the instances of the placements.
func ids(r Result, in []Instance) []string {
	var out []string
	for _, i := range r.Placed {
		out = append(out, in[i].ID)
	}
	return out
}

func TestFailureReasons(t *testing.T) {
	task := Task{CPU: 512, Memory: 512, Group: "family:web"}
	tests := []struct {
		name   string
		task   Task
		cons   []Constraint
		modify func(*Instance)
		want   Check
	}{
		{"cpu", task, nil, func(i *Instance) { i.RemainingCPU = 256 }, Check{Reason: ReasonCPU, Need: 512, Have: 256}},
		{"memory", task, nil, func(i *Instance) { i.RemainingMemory = 256 }, Check{Reason: ReasonMemory, Need: 512, Have: 256}},
		{"port in use", Task{HostPorts: []Port{{80, ""}}}, nil, func(i *Instance) { i.UsedPorts[Port{80, "tcp"}] = true }, Check{Reason: ReasonPorts, Name: "80/tcp"}},
		{"reserved port", Task{HostPorts: []Port{{22, "TCP"}}}, nil, func(*Instance) {}, Check{Reason: ReasonPorts, Name: "22/tcp"}},
		{"port limit", Task{HostPorts: []Port{{80, "tcp"}, {81, "tcp"}}}, nil, func(i *Instance) { i.ReservedPortCount = 99 }, Check{Reason: ReasonPorts, Need: 2, Have: 99}},
		{"eni", Task{NeedsENI: true}, nil, func(i *Instance) { i.FreeENIs = 0 }, Check{Reason: ReasonENI, Need: 1, Have: 0}},
		{"agent", task, nil, func(i *Instance) { i.AgentConnected = false }, Check{Reason: ReasonAgent}},
		{"attribute missing", Task{RequiredAttributes: []Attribute{{Name: "com.amazonaws.ecs.capability.logging-driver.awslogs"}}}, nil, func(*Instance) {},
			Check{Reason: ReasonAttribute, Name: "com.amazonaws.ecs.capability.logging-driver.awslogs"}},
		{"attribute value", Task{RequiredAttributes: []Attribute{{Name: "ecs.instance-type", Value: "g2.2xlarge"}}}, nil, func(*Instance) {},
			Check{Reason: ReasonAttribute, Name: "ecs.instance-type", Want: "g2.2xlarge", Value: "c5.large"}},
		{"location", Task{NeedsENI: true, SubnetAZs: []string{"us-east-1b", "us-east-1c"}}, nil, func(*Instance) {},
			Check{Reason: ReasonLocation, Name: "us-east-1b, us-east-1c", Value: "us-east-1a"}},
		{"distinctInstance", task, []Constraint{{Type: ConstraintDistinctInstance}}, func(i *Instance) { i.Groups["family:web"] = 1 },
			Check{Reason: ReasonDistinctInstance, Have: 1, Name: "family:web"}},
		{"memberOf", task, []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ t3.*"}}, func(*Instance) {},
			Check{Reason: ReasonMemberOf, Name: "attribute:ecs.instance-type =~ t3.*"}},
	}
	for _, tt := range tests {
		in := host("a", "us-east-1a", 1024, 1024)
		tt.modify(&in)
		r := mustPlace(t, Request{Task: tt.task, Count: 1, Constraints: tt.cons}, []Instance{in})
		if len(r.Placed) != 0 {
			t.Errorf("%s: placed on %v", tt.name, r.Placed)
			continue
		}
		want := []Failure{{ARN: in.ARN, Reason: tt.want.Reason}}
		if !reflect.DeepEqual(r.Failures, want) || r.Closest == nil || *r.Closest != want[0] {
			t.Errorf("%s: failures %v closest %v, want %v", tt.name, r.Failures, r.Closest, want)
		}
		if got := r.Explanation.Instances[0].Check; got != tt.want {
			t.Errorf("%s: check %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestCheckDetails(t *testing.T) {
	tests := []struct {
		c    Check
		want string
	}{
		{Check{Reason: ReasonCPU, Need: 512, Have: 256}, "RESOURCE:CPU (needs 512 CPU units, has 256)"},
		{Check{Reason: ReasonMemory, Need: 512, Have: 256}, "RESOURCE:MEMORY (needs 512 MiB, has 256)"},
		{Check{Reason: ReasonPorts, Name: "80/tcp"}, "RESOURCE:PORTS (host port 80/tcp is in use)"},
		{Check{Reason: ReasonPorts, Need: 2, Have: 99}, "RESOURCE:PORTS (needs 2 more reserved ports, has 99 of 100)"},
		{Check{Reason: ReasonENI, Need: 1}, "RESOURCE:ENI (needs 1 free ENI slot, has 0)"},
		{Check{Reason: ReasonAgent}, "AGENT (agent disconnected)"},
		{Check{Reason: ReasonAttribute, Name: "x"}, "ATTRIBUTE (lacks attribute x)"},
		{Check{Reason: ReasonAttribute, Name: "x", Want: "b", Value: ""}, `ATTRIBUTE (attribute x is "", needs "b")`},
		{Check{Reason: ReasonLocation, Name: "us-east-1b", Value: "us-east-1a"}, "LOCATION (in us-east-1a, not an AZ of the task's subnets (us-east-1b))"},
		{Check{Reason: ReasonDistinctInstance, Have: 1, Name: "service:web"}, "DistinctInstance placement constraint unsatisfied. (already hosts 1 task(s) of group service:web)"},
		{Check{Reason: ReasonMemberOf, Name: "runningTasksCount < 2"}, "MemberOf placement constraint unsatisfied. (does not match runningTasksCount < 2)"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// TestCheckOrder: the reason reported is the first failing check in the
// order CPU, memory, ports, ENI, agent, attribute, location, constraints.
func TestCheckOrder(t *testing.T) {
	in := host("a", "us-east-1a", 0, 0)
	in.AgentConnected = false
	in.FreeENIs = 0
	task := Task{CPU: 1, Memory: 1, HostPorts: []Port{{22, "tcp"}}, NeedsENI: true, SubnetAZs: []string{"us-east-1b"},
		RequiredAttributes: []Attribute{{Name: "missing"}}}
	cons := []Constraint{{Type: ConstraintMemberOf, Expression: "runningTasksCount > 5"}, {Type: ConstraintDistinctInstance}}
	order := []string{ReasonCPU, ReasonMemory, ReasonPorts, ReasonENI, ReasonAgent, ReasonAttribute, ReasonLocation, ReasonMemberOf}
	for k, want := range order {
		r := mustPlace(t, Request{Task: task, Count: 1, Constraints: cons}, []Instance{in})
		v := r.Explanation.Instances[0]
		if v.Check.Reason != want || v.Failed != len(order)-k {
			t.Fatalf("step %d: reason %s failed %d, want %s failed %d", k, v.Check.Reason, v.Failed, want, len(order)-k)
		}
		// Fix the check just seen.
		switch want {
		case ReasonCPU:
			in.RemainingCPU = 10
		case ReasonMemory:
			in.RemainingMemory = 10
		case ReasonPorts:
			task.HostPorts = nil
		case ReasonENI:
			in.FreeENIs = 1
		case ReasonAgent:
			in.AgentConnected = true
		case ReasonAttribute:
			task.RequiredAttributes = nil
		case ReasonLocation:
			task.SubnetAZs = nil
		case ReasonMemberOf:
			cons = cons[1:]
		}
	}
	if r := mustPlace(t, Request{Task: task, Count: 1, Constraints: cons}, []Instance{in}); len(r.Placed) != 1 {
		t.Fatalf("all checks fixed, still not placed: %s", r.Explanation)
	}
}

func TestFailuresAndClosest(t *testing.T) {
	a := host("a", "us-east-1a", 256, 256)  // CPU and memory short: 2 checks
	b := host("b", "us-east-1b", 1024, 256) // memory short: 1 check
	b.AgentConnected = false                // and agent: 2 checks
	c := host("c", "us-east-1c", 1024, 256) // memory short only: closest
	d := host("d", "us-east-1a", 4096, 4096)
	d.Status = "DRAINING" // never a candidate, never a failure
	in := []Instance{a, b, c, d}
	r := mustPlace(t, Request{Task: Task{CPU: 512, Memory: 512}, Count: 2}, in)
	want := []Failure{{a.ARN, ReasonCPU}, {b.ARN, ReasonMemory}, {c.ARN, ReasonMemory}}
	if !reflect.DeepEqual(r.Failures, want) {
		t.Errorf("failures = %v, want %v", r.Failures, want)
	}
	if r.Closest == nil || *r.Closest != (Failure{c.ARN, ReasonMemory}) {
		t.Errorf("closest = %v, want c", r.Closest)
	}
	if r.Explanation.Instances[3].Verdict != VerdictSkipped {
		t.Errorf("DRAINING instance: %v", r.Explanation.Instances[3].Verdict)
	}

	// Closest on a tie: the first in input order.
	r = mustPlace(t, Request{Task: Task{CPU: 512, Memory: 512}, Count: 1}, []Instance{b, a})
	if r.Closest == nil || r.Closest.ARN != b.ARN {
		t.Errorf("tie: closest = %v, want b (first)", r.Closest)
	}

	// Nothing ACTIVE: no failures, no closest; ECS words this case itself.
	r = mustPlace(t, Request{Task: Task{CPU: 1}, Count: 1}, []Instance{d})
	if len(r.Placed) != 0 || r.Failures != nil || r.Closest != nil || r.Explanation.Closest != -1 {
		t.Errorf("all DRAINING: %+v", r)
	}

	// Everything placed: no failures.
	r = mustPlace(t, Request{Task: Task{CPU: 1}, Count: 1}, []Instance{c})
	if len(r.Placed) != 1 || r.Failures != nil || r.Closest != nil {
		t.Errorf("placed: %+v", r)
	}
}

// TestFailuresAfterPlacements: when later tasks of a request do not fit,
// failures describe the instances as the earlier tasks left them.
func TestFailuresAfterPlacements(t *testing.T) {
	in := []Instance{host("a", "us-east-1a", 1024, 1024), host("b", "us-east-1b", 1024, 1024)}
	r := mustPlace(t, Request{Task: Task{CPU: 512, Memory: 768}, Count: 3}, in)
	if len(r.Placed) != 2 || r.Placed[0] == r.Placed[1] {
		t.Fatalf("placed %v, want one per instance", r.Placed)
	}
	for i, f := range r.Failures {
		if f.Reason != ReasonMemory {
			t.Errorf("failure %d: %v", i, f)
		}
		if v := r.Explanation.Instances[i]; v.After == 0 || v.Check.Have != 256 {
			t.Errorf("verdict %d: %+v", i, v)
		}
	}
}

func TestNoMutation(t *testing.T) {
	in := []Instance{host("a", "us-east-1a", 2048, 2048), host("b", "us-east-1b", 2048, 2048)}
	in[0].Groups["service:web"] = 1
	before := cloneInstances(in)
	req := Request{Task: Task{CPU: 256, Memory: 256, HostPorts: []Port{{80, "tcp"}}, NeedsENI: true, Group: "service:web"}, Count: 4,
		Strategies:  DefaultServiceStrategies,
		Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "runningTasksCount < 5"}}}
	strategies := slices.Clone(DefaultServiceStrategies)
	mustPlace(t, req, in)
	if !reflect.DeepEqual(in, before) {
		t.Error("Place changed its input")
	}
	if !reflect.DeepEqual(DefaultServiceStrategies, strategies) {
		t.Error("Place changed DefaultServiceStrategies")
	}
}

func cloneInstances(in []Instance) []Instance {
	out := slices.Clone(in)
	for i := range out {
		out[i].Attributes = mapsClone(in[i].Attributes)
		out[i].Groups = mapsClone(in[i].Groups)
		out[i].UsedPorts = mapsClone(in[i].UsedPorts)
	}
	return out
}

func mapsClone[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestOwnPlacements: with Count > 1, each placement takes resources, ports,
// ENIs and group slots from the instances for the next.
func TestOwnPlacements(t *testing.T) {
	tests := []struct {
		name string
		task Task
		cons []Constraint
		mod  func(*Instance)
		want int // tasks that fit on the one instance
	}{
		{"cpu", Task{CPU: 300}, nil, func(*Instance) {}, 3},
		{"memory", Task{Memory: 400}, nil, func(*Instance) {}, 2},
		{"static port", Task{HostPorts: []Port{{8080, "tcp"}}}, nil, func(*Instance) {}, 1},
		{"port limit", Task{HostPorts: []Port{{8080, "tcp"}}}, nil, func(i *Instance) { i.ReservedPortCount = 100 }, 0},
		{"eni", Task{NeedsENI: true}, nil, func(i *Instance) { i.FreeENIs = 3 }, 3},
		{"distinctInstance", Task{Group: "g"}, []Constraint{{Type: ConstraintDistinctInstance}}, func(*Instance) {}, 1},
		{"runningTasksCount", Task{Group: "g"}, []Constraint{{Type: ConstraintMemberOf, Expression: "runningTasksCount < 4"}}, func(i *Instance) { i.RunningTasks = 1 }, 3},
		{"task:group anti-affinity", Task{Group: "db"}, []Constraint{{Type: ConstraintMemberOf, Expression: "not(task:group == db)"}}, func(*Instance) {}, 1},
		{"dynamic ports are free", Task{CPU: 1}, nil, func(*Instance) {}, 10},
	}
	for _, tt := range tests {
		in := host("a", "us-east-1a", 1000, 1000)
		tt.mod(&in)
		r := mustPlace(t, Request{Task: tt.task, Count: 10, Constraints: tt.cons}, []Instance{in})
		if len(r.Placed) != tt.want {
			t.Errorf("%s: placed %d, want %d\n%s", tt.name, len(r.Placed), tt.want, r.Explanation)
		}
	}
}

func TestPortsPerProtocol(t *testing.T) {
	in := host("a", "us-east-1a", 1000, 1000)
	in.UsedPorts[Port{53, "tcp"}] = true
	if r := mustPlace(t, Request{Task: Task{HostPorts: []Port{{53, "udp"}}}, Count: 1}, []Instance{in}); len(r.Placed) != 1 {
		t.Error("53/udp conflicted with 53/tcp")
	}
	if r := mustPlace(t, Request{Task: Task{HostPorts: []Port{{53, "tcp"}}}, Count: 1}, []Instance{in}); len(r.Placed) != 0 {
		t.Error("53/tcp did not conflict with 53/tcp")
	}
	// A task listing a port twice needs it once.
	in.ReservedPortCount = 99
	if r := mustPlace(t, Request{Task: Task{HostPorts: []Port{{80, "tcp"}, {80, ""}}}, Count: 1}, []Instance{in}); len(r.Placed) != 1 {
		t.Errorf("duplicate port counted twice:\n%s", r.Explanation)
	}
}

func TestBinpack(t *testing.T) {
	in := []Instance{host("big", "us-east-1a", 4096, 8192), host("small", "us-east-1a", 1024, 2048), host("mid", "us-east-1a", 2048, 1024)}
	// memory: least remaining memory that fits: mid (1024), then small.
	r := mustPlace(t, Request{Task: Task{CPU: 128, Memory: 512}, Count: 3, Strategies: []Strategy{{StrategyBinpack, FieldMemory}}}, in)
	if got := ids(r, in); !slices.Equal(got, []string{"mid", "mid", "small"}) {
		t.Errorf("binpack(memory) = %v", got)
	}
	// cpu: small (1024) until it is full.
	r = mustPlace(t, Request{Task: Task{CPU: 512, Memory: 128}, Count: 3, Strategies: []Strategy{{StrategyBinpack, "CPU"}}}, in)
	if got := ids(r, in); !slices.Equal(got, []string{"small", "small", "mid"}) {
		t.Errorf("binpack(cpu) = %v", got)
	}
	// The explanation shows the remaining amount after the task.
	if d := r.Explanation.Tasks[0]; d.Scores[0] != 512 || d.Kept[0] != 1 || d.Candidates != 3 {
		t.Errorf("decision = %+v", d)
	}
}

func TestSpreadInstance(t *testing.T) {
	in := []Instance{host("a", "us-east-1a", 4096, 4096), host("b", "us-east-1a", 4096, 4096), host("c", "us-east-1a", 4096, 4096)}
	in[0].Groups["service:web"] = 2
	in[1].Groups["service:web"] = 1
	in[1].Groups["service:other"] = 5 // other groups do not count
	r := mustPlace(t, Request{Task: Task{CPU: 1, Group: "service:web"}, Count: 6, Strategies: []Strategy{{StrategySpread, FieldHost}}}, in)
	count := map[string]int{}
	for _, id := range ids(r, in) {
		count[id]++
	}
	// 3 existing + 6 new = 9: three each.
	if count["a"] != 1 || count["b"] != 2 || count["c"] != 3 {
		t.Errorf("spread(host) = %v", count)
	}
	if got := ids(r, in)[0]; got != "c" {
		t.Errorf("first task on %s, want c (empty)", got)
	}
}

func TestSpreadAttribute(t *testing.T) {
	var in []Instance
	for i, az := range []string{"us-east-1a", "us-east-1a", "us-east-1a", "us-east-1b", "us-east-1c"} {
		in = append(in, host(string(rune('a'+i)), az, 4096, 4096))
	}
	in[3].Groups["service:web"] = 1 // us-east-1b already has one
	r := mustPlace(t, Request{Task: Task{CPU: 1, Group: "service:web"}, Count: 5,
		Strategies: []Strategy{{StrategySpread, "attribute:ecs.availability-zone"}}}, in)
	perAZ := map[string]int{}
	for _, i := range r.Placed {
		perAZ[in[i].Attributes[attrAZ]]++
	}
	// 1 + 5 = 6 tasks: two per AZ.
	if perAZ["us-east-1a"] != 2 || perAZ["us-east-1b"] != 1 || perAZ["us-east-1c"] != 2 {
		t.Errorf("spread(az) = %v", perAZ)
	}
	// A missing attribute is a value of its own: with a task in every AZ,
	// the instance without an AZ is the emptiest value.
	in[0].Groups["service:web"] = 1
	in[4].Groups["service:web"] = 1
	bare := host("z", "", 4096, 4096)
	delete(bare.Attributes, attrAZ)
	in = append(in, bare)
	r = mustPlace(t, Request{Task: Task{CPU: 1, Group: "service:web"}, Count: 1,
		Strategies: []Strategy{{StrategySpread, "attribute:ecs.availability-zone"}}}, in)
	if got := ids(r, in); !slices.Equal(got, []string{"z"}) {
		t.Errorf("missing-attribute bucket: %v", got)
	}
}

// TestChain: [spread(az), binpack(memory)] balances AZs, then packs inside
// the AZ; [spread(az), spread(instanceId)] balances AZs then instances.
func TestChain(t *testing.T) {
	in := []Instance{
		host("a1", "us-east-1a", 4096, 4096), host("a2", "us-east-1a", 4096, 1024),
		host("b1", "us-east-1b", 4096, 2048), host("b2", "us-east-1b", 4096, 4096),
	}
	r := mustPlace(t, Request{Task: Task{CPU: 1, Memory: 512, Group: "g"}, Count: 4,
		Strategies: []Strategy{{StrategySpread, "attribute:ecs.availability-zone"}, {StrategyBinpack, FieldMemory}}}, in)
	got := ids(r, in)
	slices.Sort(got)
	if !slices.Equal(got, []string{"a2", "a2", "b1", "b1"}) {
		t.Errorf("spread(az)+binpack(memory) = %v", got)
	}
	r = mustPlace(t, Request{Task: Task{CPU: 1, Memory: 1, Group: "g"}, Count: 4, Strategies: DefaultServiceStrategies}, in)
	got = ids(r, in)
	slices.Sort(got)
	if !slices.Equal(got, []string{"a1", "a2", "b1", "b2"}) {
		t.Errorf("default service strategies = %v", got)
	}
	d := r.Explanation.Tasks[0]
	if d.Kept[0] != 4 || d.Kept[1] != 4 || d.Ties != 4 {
		t.Errorf("first decision on an empty cluster: %+v", d)
	}
	d = r.Explanation.Tasks[1] // one AZ holds a task: two candidates left after the AZ rule
	if d.Kept[0] != 2 || d.Kept[1] != 2 || d.Ties != 2 {
		t.Errorf("second decision: %+v", d)
	}
}

// TestRandom: random picks among all candidates, reproducibly for a seed,
// and rules after it never decide.
func TestRandom(t *testing.T) {
	var in []Instance
	for i := range 8 {
		in = append(in, host(string(rune('a'+i)), "us-east-1a", 100000, 100000))
	}
	req := Request{Task: Task{CPU: 1, Group: "g"}, Count: 200,
		Strategies: []Strategy{{Type: StrategyRandom}, {StrategyBinpack, FieldMemory}}}
	r := mustPlace(t, req, in)
	if len(r.Explanation.Ranking) != 0 {
		t.Errorf("ranking after random = %v", r.Explanation.Ranking)
	}
	hits := make([]int, len(in))
	for _, i := range r.Placed {
		hits[i]++
	}
	for i, h := range hits {
		if h < 10 {
			t.Errorf("instance %d got %d of 200 random placements", i, h)
		}
	}
	// No strategies: random too.
	req.Strategies = nil
	if r2 := mustPlace(t, req, in); len(r2.Placed) != 200 || !slices.Equal(r2.Placed, r.Placed) {
		t.Error("no strategy did not behave as random with the same seed")
	}
	// Without a generator, the first tie wins.
	req.Rand = nil
	r3, _ := Place(req, in)
	if r3.Placed[0] != 0 {
		t.Errorf("nil Rand: first placement on %d", r3.Placed[0])
	}
}

func TestDeterminism(t *testing.T) {
	in := benchCluster(60)
	req := Request{Task: Task{CPU: 256, Memory: 512, Group: "service:web"}, Count: 300, Strategies: DefaultServiceStrategies}
	for seed := uint64(0); seed < 5; seed++ {
		req.Rand = seeded(seed)
		a, _ := Place(req, in)
		req.Rand = seeded(seed)
		b, _ := Place(req, in)
		if !slices.Equal(a.Placed, b.Placed) || a.Explanation.String() != b.Explanation.String() {
			t.Fatalf("seed %d: two runs differ", seed)
		}
	}
	req.Rand = seeded(1)
	a, _ := Place(req, in)
	req.Rand = seeded(2)
	b, _ := Place(req, in)
	if slices.Equal(a.Placed, b.Placed) {
		t.Error("seeds 1 and 2 placed identically: ties are not random")
	}
}

func TestMemberOfAffinity(t *testing.T) {
	in := []Instance{host("a", "us-east-1a", 4096, 4096), host("b", "us-east-1b", 4096, 4096), host("c", "us-east-1c", 4096, 4096)}
	in[1].Groups["service:db"] = 1
	r := mustPlace(t, Request{Task: Task{CPU: 1, Group: "service:cache"}, Count: 3,
		Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "task:group == service:db"}}}, in)
	if got := ids(r, in); !slices.Equal(got, []string{"b", "b", "b"}) {
		t.Errorf("affinity = %v", got)
	}
	r = mustPlace(t, Request{Task: Task{CPU: 1, Group: "g"}, Count: 2,
		Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.availability-zone in [us-east-1a, us-east-1c]"}, {Type: ConstraintDistinctInstance}}}, in)
	got := ids(r, in)
	slices.Sort(got)
	if !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("memberOf + distinctInstance = %v", got)
	}
}

func TestExplanationString(t *testing.T) {
	in := []Instance{
		host("a", "us-east-1a", 2048, 2048), host("b", "us-east-1b", 2048, 1024),
		host("c", "us-east-1c", 2048, 256), host("d", "us-east-1a", 2048, 2048),
	}
	in[3].Status = "DRAINING"
	r := mustPlace(t, Request{Task: Task{CPU: 256, Memory: 512, Group: "service:web"}, Count: 7, ExplainAll: true,
		Strategies:  []Strategy{{StrategySpread, "attribute:ecs.availability-zone"}, {StrategyBinpack, FieldMemory}},
		Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ c5.*"}}}, in)
	want := `placed 6 of 7 task(s) of group service:web
constraints: memberOf(attribute:ecs.instance-type =~ c5.*)
ranking: spread(attribute:ecs.availability-zone), then binpack(memory), then random among ties

INSTANCE  AZ          PLACED  VERDICT
a         us-east-1a  4       rejected after task 6: RESOURCE:MEMORY (needs 512 MiB, has 0)
b         us-east-1b  2       rejected after task 3: RESOURCE:MEMORY (needs 512 MiB, has 0)
c         us-east-1c  0       rejected: RESOURCE:MEMORY (needs 512 MiB, has 256)
d         us-east-1a  0       skipped: status DRAINING

TASK  INSTANCE  AZ          WHY
1     b         us-east-1b  spread(attribute:ecs.availability-zone)=0 kept 2/2, binpack(memory)=512 kept 1/2, best
2     a         us-east-1a  spread(attribute:ecs.availability-zone)=0 kept 1/2, binpack(memory)=1536 kept 1/2, best
3     b         us-east-1b  spread(attribute:ecs.availability-zone)=1 kept 2/2, binpack(memory)=0 kept 1/2, best
4     a         us-east-1a  spread(attribute:ecs.availability-zone)=1 kept 1/1, binpack(memory)=1024 kept 1/1, best
5     a         us-east-1a  spread(attribute:ecs.availability-zone)=2 kept 1/1, binpack(memory)=512 kept 1/1, best
6     a         us-east-1a  spread(attribute:ecs.availability-zone)=3 kept 1/1, binpack(memory)=0 kept 1/1, best

task 1 candidates:
INSTANCE    spread(attribute:ecs.availability-zone)  binpack(memory)
a           0                                        1536
b (chosen)  0                                        512
`
	got := r.Explanation.String()
	for _, line := range strings.Split(got, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space: %q", line)
		}
	}
	if !strings.HasPrefix(got, want) {
		t.Errorf("explanation:\n%s\nwant it to start with:\n%s", got, want)
	}
	if !strings.HasSuffix(got, "1 task(s) not placed: no container instance met all of the task's requirements; closest matching a failed 1 check(s), first RESOURCE:MEMORY (needs 512 MiB, has 0)\n") {
		t.Errorf("explanation ends:\n%s", got)
	}
}
