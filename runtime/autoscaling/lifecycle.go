package autoscaling

import (
	"fmt"

	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// instanceChanged follows the EC2 state of group members (registered with
// ec2.OnStateChange):
//
//   - running: a Pending member is InService; its launch activity ends.
//   - terminated: a Terminating member leaves the group; its termination
//     activity ends.
//   - an instance that stops, or shuts down when the group did not ask for
//     it (a user's TerminateInstances, a Spot interruption), fails the EC2
//     health check: the group takes it out of service ("At <t> an instance
//     was taken out of service in response to an EC2 health check
//     indicating it has been terminated or stopped.", as users quote the
//     activity history), terminates it if it is only stopped, and launches
//     a replacement to hold the desired capacity (reference 9.4). ecsbox
//     notices at once; AWS's health checks take up to a few minutes.
//
// With the HealthCheck or ReplaceUnhealthy process suspended the member
// stays, marked Unhealthy or not at all.
func (a *AutoScaling) instanceChanged(info ec2.InstanceInfo, from, to string) {
	g := a.byInstance[info.ID]
	if g == nil {
		return
	}
	m := g.member(info.ID)
	if m == nil {
		return
	}
	now := a.now()
	switch {
	case to == ec2.StateRunning && m.state == LifecycleStatePending:
		m.state = LifecycleStateInService
		m.inService = now
		if m.launchAct != nil {
			m.launchAct.succeed(now)
		}
		a.record("InstanceInService", g.name, fmt.Sprintf("%s: %s is InService in %s", g.name, m.id, m.az))
		a.advanceRefresh(g)
	case to == ec2.StateTerminated && (m.state == LifecycleStateTerminating || m.state == LifecycleStateTerminatingWait || m.state == LifecycleStateTerminatingProceed):
		a.memberGone(g, m)
		a.advanceRefresh(g)
	case m.counts() && (to == ec2.StateShuttingDown || to == ec2.StateTerminated || to == ec2.StateStopping || to == ec2.StateStopped):
		if _, off := g.suspended["HealthCheck"]; off {
			a.explain(g.name, fmt.Sprintf("%s is %s, but the HealthCheck process is suspended", m.id, to))
			return
		}
		m.health = "Unhealthy"
		if _, off := g.suspended["ReplaceUnhealthy"]; off {
			a.explain(g.name, fmt.Sprintf("%s is %s and Unhealthy, but the ReplaceUnhealthy process is suspended", m.id, to))
			return
		}
		a.explain(g.name, fmt.Sprintf("%s is %s without the group asking: taken out of service and replaced", m.id, to))
		g.launchReason = launchForReplacement
		a.takeOutOfService(g, m, fmt.Sprintf("At %s an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", stamp(now)))
		// EC2 is in the middle of a state change (a stop schedules its end
		// after telling us): terminate once it is done.
		a.sim.AfterFunc(0, "autoscaling terminate "+m.id, func() { a.terminateInstance(g, m) })
	}
}
