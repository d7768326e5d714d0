package autoscaling

import (
	"fmt"
	"slices"
)

// The processes of a group that SuspendProcesses can stop
// [ASG-UG:as-suspend-resume-processes]. ecsbox acts on Launch, Terminate,
// HealthCheck, ReplaceUnhealthy, AlarmNotification and InstanceRefresh
// (refreshes wait); the others are recorded only.
var processNames = []string{"Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification", "AZRebalance",
	"HealthCheck", "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions"}

// SuspendProcesses suspends processes of a group, all of them when none is
// named. The reason reads "User suspended at 2025-01-01T00:00:00Z", as AWS
// shows it [ASG-API:SuspendedProcess].
func (a *AutoScaling) SuspendProcesses(in *ScalingProcessQuery) (*struct{}, error) {
	return nil, a.setProcesses(in, true)
}

// ResumeProcesses resumes suspended processes, all of them when none is
// named, and lets the group catch up with its desired capacity.
func (a *AutoScaling) ResumeProcesses(in *ScalingProcessQuery) (*struct{}, error) {
	return nil, a.setProcesses(in, false)
}

func (a *AutoScaling) setProcesses(in *ScalingProcessQuery, suspend bool) error {
	if in == nil {
		in = &ScalingProcessQuery{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return err
	}
	names := in.ScalingProcesses
	if len(names) == 0 {
		names = processNames
	}
	for _, n := range names {
		if !slices.Contains(processNames, n) {
			// text not verified
			return validation("Invalid scaling process name: %s", n)
		}
	}
	for _, n := range names {
		if suspend {
			if _, ok := g.suspended[n]; !ok {
				g.suspended[n] = "User suspended at " + stamp(a.now())
			}
		} else {
			delete(g.suspended, n)
		}
	}
	verb := "resumed"
	if suspend {
		verb = "suspended"
	}
	a.record("Processes", g.name, fmt.Sprintf("%s: %s %v", g.name, verb, names))
	a.explain(g.name, fmt.Sprintf("processes %s: %v", verb, names))
	if !suspend {
		a.schedule(g, reconcileDelay)
	}
	return nil
}
