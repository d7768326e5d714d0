package placement

import (
	"fmt"
	"strings"
)

// Reasons an instance cannot take a task, as RunTask's failures[] spell them
// [DG:api_failures_messages] (reference section 3.5). The two constraint
// texts are AWS's, full stop included: [CR#1201] and
// https://github.com/aws/amazon-ecs-agent/pull/3044.
const (
	ReasonCPU              = "RESOURCE:CPU"
	ReasonMemory           = "RESOURCE:MEMORY"
	ReasonPorts            = "RESOURCE:PORTS"
	ReasonENI              = "RESOURCE:ENI"
	ReasonAgent            = "AGENT"
	ReasonAttribute        = "ATTRIBUTE"
	ReasonLocation         = "LOCATION"
	ReasonDistinctInstance = "DistinctInstance placement constraint unsatisfied."
	ReasonMemberOf         = "MemberOf placement constraint unsatisfied."
)

// MaxReservedPorts is the number of static host ports an instance can
// reserve, the agent's own reserved ports included; dynamic ports do not
// count [DG:task_definition_parameters], [DG:service-event-messages].
const MaxReservedPorts = 100

// Check is a failed check: the reason code and the numbers behind it.
type Check struct {
	Reason string
	// Need and Have are the task's need and the instance's supply, for the
	// resource reasons and the port limit (Have = ports already reserved).
	Need, Have int
	// Name is the subject of the check: the port ("80/tcp"), the attribute,
	// the task group, or the memberOf expression.
	Name string
	// Want is the value the task needs (ATTRIBUTE with a value) and Value
	// the instance's own (ATTRIBUTE, LOCATION).
	Want, Value string
}

// Detail says in words why the check failed, with the numbers.
func (c Check) Detail() string {
	switch c.Reason {
	case ReasonCPU:
		return fmt.Sprintf("needs %d CPU units, has %d", c.Need, c.Have)
	case ReasonMemory:
		return fmt.Sprintf("needs %d MiB, has %d", c.Need, c.Have)
	case ReasonPorts:
		if c.Name != "" {
			return fmt.Sprintf("host port %s is in use", c.Name)
		}
		return fmt.Sprintf("needs %d more reserved ports, has %d of %d", c.Need, c.Have, MaxReservedPorts)
	case ReasonENI:
		return fmt.Sprintf("needs %d free ENI slot, has %d", c.Need, c.Have)
	case ReasonAgent:
		return "agent disconnected"
	case ReasonAttribute:
		if c.Want != "" {
			return fmt.Sprintf("attribute %s is %q, needs %q", c.Name, c.Value, c.Want)
		}
		return "lacks attribute " + c.Name
	case ReasonLocation:
		return fmt.Sprintf("in %s, not an AZ of the task's subnets (%s)", orNone(c.Value), c.Name)
	case ReasonDistinctInstance:
		return fmt.Sprintf("already hosts %d task(s) of group %s", c.Have, c.Name)
	case ReasonMemberOf:
		return "does not match " + c.Name
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "no AZ"
	}
	return s
}

// String is "REASON (detail)".
func (c Check) String() string {
	if d := c.Detail(); d != "" {
		return c.Reason + " (" + d + ")"
	}
	return c.Reason
}

// constraint is a validated constraint, its expression parsed once.
type constraint struct {
	distinct bool
	expr     *Expr // memberOf
}

// tally accumulates the checks of one instance: the first failure (in
// check order) and how many failed.
type tally struct {
	first  Check
	failed int
}

func (t *tally) fail(c Check) {
	if t.failed == 0 {
		t.first = c
	}
	t.failed++
}

// check runs every check on instance i in the order of reference 3.5 (SIM):
// CPU, memory, ports, ENI, then agent, attributes, location, then the
// constraints in request order. It evaluates them all, so that the
// "closest matching" instance is the one failing the fewest.
func (p *planner) check(i int) tally {
	var t tally
	in := &p.inst[i]
	task := &p.req.Task
	if have := p.cpu[i]; int64(task.CPU) > have {
		t.fail(Check{Reason: ReasonCPU, Need: task.CPU, Have: int(have)})
	}
	if have := p.mem[i]; int64(task.Memory) > have {
		t.fail(Check{Reason: ReasonMemory, Need: task.Memory, Have: int(have)})
	}
	if c, ok := p.checkPorts(i); !ok {
		t.fail(c)
	}
	if task.NeedsENI && p.eni[i] < 1 {
		t.fail(Check{Reason: ReasonENI, Need: 1, Have: p.eni[i]})
	}
	if !in.AgentConnected {
		t.fail(Check{Reason: ReasonAgent})
	}
	for _, a := range task.RequiredAttributes {
		v, ok := in.Attributes[a.Name]
		if !ok {
			t.fail(Check{Reason: ReasonAttribute, Name: a.Name})
			break
		}
		if a.Value != "" && v != a.Value {
			t.fail(Check{Reason: ReasonAttribute, Name: a.Name, Want: a.Value, Value: v})
			break
		}
	}
	if task.NeedsENI && len(task.SubnetAZs) > 0 {
		az := in.Attributes[attrAZ]
		if !contains(task.SubnetAZs, az) {
			t.fail(Check{Reason: ReasonLocation, Name: strings.Join(task.SubnetAZs, ", "), Value: az})
		}
	}
	for k := range p.cons {
		c := &p.cons[k]
		if c.distinct {
			if n := p.grp[i]; n > 0 {
				t.fail(Check{Reason: ReasonDistinctInstance, Have: int(n), Name: task.Group})
			}
			continue
		}
		v := view{inst: in, running: p.running[i], group: task.Group, extra: p.placed[i]}
		if !c.expr.root.eval(&v) {
			t.fail(Check{Reason: ReasonMemberOf, Name: c.expr.String()})
		}
	}
	return t
}

// checkPorts checks the task's static host ports: each must be free (per
// protocol), and the instance must stay within MaxReservedPorts. All tasks of
// a request use the same ports, so an instance that got one of them cannot
// take another.
func (p *planner) checkPorts(i int) (Check, bool) {
	if len(p.ports) == 0 {
		return Check{}, true
	}
	in := &p.inst[i]
	for _, port := range p.ports {
		if in.UsedPorts[port] || p.placed[i] > 0 {
			return Check{Reason: ReasonPorts, Name: fmt.Sprintf("%d/%s", port.Number, port.Protocol)}, false
		}
	}
	if have := in.ReservedPortCount; have+len(p.ports) > MaxReservedPorts {
		return Check{Reason: ReasonPorts, Need: len(p.ports), Have: have}, false
	}
	return Check{}, true
}

// hostPorts normalises the task's static ports: protocol lower case, tcp by
// default [API:PortMapping], duplicates removed.
func hostPorts(ps []Port) []Port {
	var out []Port
	for _, p := range ps {
		p.Protocol = strings.ToLower(p.Protocol)
		if p.Protocol == "" {
			p.Protocol = "tcp"
		}
		if !containsPort(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func containsPort(ps []Port, p Port) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
