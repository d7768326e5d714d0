package autoscaling

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// GroupInfo describes a group for ECS managed scaling. It is a copy.
type GroupInfo struct {
	Name, ARN         string
	Min, Max, Desired int
	Instances         []InstanceInfo
	// InstanceTypes are the types the group launches (from its launch
	// template: one type, or EC2's default when the template names none).
	InstanceTypes []string
	AZs           []string
}

// InstanceInfo describes an instance of a group.
type InstanceInfo struct {
	ID, AZ         string
	LifecycleState string
	Protected      bool
	LaunchTime     time.Time
}

// Group returns a group by name.
func (a *AutoScaling) Group(name string) (GroupInfo, bool) {
	g := a.groups[name]
	if g == nil {
		return GroupInfo{}, false
	}
	info := GroupInfo{Name: g.name, ARN: g.arn, Min: g.min, Max: g.max, Desired: g.desired, AZs: g.zones(), Instances: []InstanceInfo{}}
	for _, m := range g.members {
		info.Instances = append(info.Instances, InstanceInfo{ID: m.id, AZ: m.az, LifecycleState: m.state, Protected: m.protected, LaunchTime: m.launched})
	}
	src := g.launchSource()
	if spec, _, err := a.ec2.ResolveLaunchTemplate(src.id, src.version); err == nil {
		t := spec.InstanceType
		if t == "" {
			t = ec2.DefaultInstanceType
		}
		info.InstanceTypes = []string{t}
	}
	return info, true
}

// SetDesired sets a group's desired capacity on behalf of another service
// (ECS managed scaling), with the Cause it gives for the activity. The
// capacity must lie within [min, max], as for SetDesiredCapacity.
func (a *AutoScaling) SetDesired(name string, desired int, cause string) error {
	g, err := a.group(&name)
	if err != nil {
		return err
	}
	if err := checkSetDesired(g, desired); err != nil {
		return err
	}
	if desired != g.desired {
		a.changeDesired(g, desired, cause)
	}
	return nil
}

// SetProtection sets or clears scale-in protection of instances of a group
// (ECS managed termination protection).
func (a *AutoScaling) SetProtection(name string, instanceIDs []string, protected bool) error {
	g, err := a.group(&name)
	if err != nil {
		return err
	}
	return a.setProtection(g, instanceIDs, protected)
}

// decision is one line of a group's explanation.
type decision struct {
	at   time.Time
	text string
}

// maxDecisions bounds the explanation kept per group.
const maxDecisions = 100

func (a *AutoScaling) explain(group, text string) {
	d := append(a.decisions[group], decision{at: a.now(), text: text})
	if len(d) > maxDecisions {
		d = d[len(d)-maxDecisions:]
	}
	a.decisions[group] = d
}

// Explain returns the group's state and the decisions behind each capacity
// change, oldest first: the alarm, the metric and the formula of a policy,
// a cooldown or warm-up that held it back, the instance a scale-in chose
// and by which termination policy, a refresh's batches. For example:
//
//	2025-01-01T00:04:00.000Z  cpu: CPUUtilization 90 vs target 50 → AlarmHigh → ceil(2 × 90 / 50) = 4; desired 2 → 4
func (a *AutoScaling) Explain(name string) string {
	var b strings.Builder
	if g := a.groups[name]; g != nil {
		counts := map[string]int{}
		for _, m := range g.members {
			counts[m.state]++
		}
		var states []string
		for _, s := range sortedKeys(counts) {
			states = append(states, fmt.Sprintf("%d %s", counts[s], s))
		}
		fmt.Fprintf(&b, "Auto Scaling group %s: min %d, max %d, desired %d; instances: %s; AZs %s; launch template %s (%s)\n",
			g.name, g.min, g.max, g.desired, orNone(strings.Join(states, ", ")), strings.Join(g.zones(), ", "), g.lt.name, g.lt.version)
		for _, pn := range sortedKeys(g.policies) {
			fmt.Fprintf(&b, "  policy %s: %s\n", pn, g.policies[pn].describe())
		}
	} else {
		fmt.Fprintf(&b, "%s is not an Auto Scaling group\n", name)
	}
	ds := a.decisions[name]
	if len(ds) == 0 {
		b.WriteString("no scaling decisions yet\n")
	}
	for _, d := range ds {
		fmt.Fprintf(&b, "%s  %s\n", aws.NewTime(d.at).String(), d.text)
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
