package autoscaling

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Termination hooks: the lifecycle hooks other AWS services put on a group
// to hold an instance that the group terminates in Terminating:Wait until
// they are done with it. ECS's managed instance draining is one: the
// capacity provider adds the hook "ecs-managed-draining-termination-hook"
// to its group, drains the container instance when the group picks it for
// termination, and lets the termination continue once the service tasks
// have moved [DG-new:enable-managed-instance-draining].
//
// The member waits in Terminating:Wait until every hook has let it go or
// the hook's heartbeat timeout has passed, when the default result
// CONTINUE applies [ASG-UG:lifecycle-hooks]. Then it is
// Terminating:Proceed and EC2 terminates it. Instances that EC2 loses
// (a user's TerminateInstances, a Spot interruption) skip the hooks.

// TerminationHook is told that instanceID is leaving the group; it calls
// proceed (once; later calls do nothing) when the instance may go.
type TerminationHook func(instanceID string, proceed func())

type terminationHook struct {
	name      string
	heartbeat time.Duration
	fn        TerminationHook
}

// SetTerminationHook adds (or replaces) the termination hook name on the
// group, with its heartbeat timeout.
func (a *AutoScaling) SetTerminationHook(groupName, name string, heartbeat time.Duration, fn TerminationHook) error {
	g := a.groups[groupName]
	if g == nil || g.deleting {
		return groupNotFound(groupName)
	}
	g.hooks = slices.DeleteFunc(g.hooks, func(h terminationHook) bool { return h.name == name })
	g.hooks = append(g.hooks, terminationHook{name: name, heartbeat: heartbeat, fn: fn})
	return nil
}

// RemoveTerminationHook removes the termination hook name from the group.
func (a *AutoScaling) RemoveTerminationHook(groupName, name string) {
	if g := a.groups[groupName]; g != nil {
		g.hooks = slices.DeleteFunc(g.hooks, func(h terminationHook) bool { return h.name == name })
	}
}

// holdForHooks puts a member that the group terminates in Terminating:Wait
// and asks each hook; the instance is terminated when all have let it go.
// It reports false when the group has no hooks.
func (a *AutoScaling) holdForHooks(g *group, m *member) bool {
	if len(g.hooks) == 0 || g.deleting {
		return false
	}
	m.state = LifecycleStateTerminatingWait
	waiting := len(g.hooks)
	for _, h := range g.hooks {
		done := false
		var timer *sim.Timer
		proceed := func(why string) {
			if done {
				return
			}
			done = true
			if timer != nil {
				timer.Stop()
			}
			a.explain(g.name, fmt.Sprintf("%s: lifecycle hook %s: CONTINUE (%s)", m.id, h.name, why))
			if waiting--; waiting == 0 && m.state == LifecycleStateTerminatingWait {
				m.state = LifecycleStateTerminatingProceed
				a.terminateInstance(g, m)
			}
		}
		timer = a.sim.AfterFunc(h.heartbeat, "autoscaling lifecycle hook "+h.name, func() { proceed("heartbeat timeout, default result") })
		a.record("InstanceTerminatingWait", g.name, fmt.Sprintf("%s: %s waits in Terminating:Wait for lifecycle hook %s", g.name, m.id, h.name))
		h.fn(m.id, func() { proceed("the hook completed the lifecycle action") })
	}
	return true
}
