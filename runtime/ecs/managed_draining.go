package ecs

import (
	"fmt"
	"time"
)

// Managed instance draining: with managedDraining ENABLED (the default for
// new capacity providers), ECS drains a container instance gracefully
// before its Auto Scaling group terminates it
// [DG-new:enable-managed-instance-draining]. ECS does this with a lifecycle
// hook on the group, ecs-managed-draining-termination-hook: the group holds
// the instance in Terminating:Wait, ECS sets the container instance to
// DRAINING (so its service tasks are replaced elsewhere within the
// deployment's minimumHealthyPercent and maximumPercent
// [DG:container-instance-draining]), and ECS lets the termination continue
// when no service task is left on it.
//
// SIM: standalone tasks are not waited for (draining leaves them alone,
// and they stop with the instance), and the hook's heartbeat timeout is
// the lifecycle hook default of one hour [ASG-UG:lifecycle-hooks]: a
// drain that cannot finish (a 100/100 service with no room elsewhere) lets
// the instance go after an hour.

const (
	managedDrainingHook = "ecs-managed-draining-termination-hook"
	// managedDrainingTimeout is the lifecycle hook's default heartbeat
	// timeout, 3600 s [ASG-UG:lifecycle-hooks].
	managedDrainingTimeout = time.Hour
	// drainPollInterval is how often ECS looks whether a draining
	// instance is empty of service tasks. SIM: ECS's own cadence is not
	// published.
	drainPollInterval = 10 * time.Second
)

// manageDraining puts the managed draining hook on the provider's group
// while the provider is in a cluster with managed draining on, and
// removes it otherwise.
func (e *ECS) manageDraining(cp *capacityProvider) {
	if e.asg == nil || cp.fargate || cp.asgName == "" {
		return
	}
	if cp.draining != ManagedDrainingENABLED || cp.cluster == nil || cp.status != providerActive {
		e.asg.RemoveTerminationHook(cp.asgName, managedDrainingHook)
		return
	}
	err := e.asg.SetTerminationHook(cp.asgName, managedDrainingHook, managedDrainingTimeout, func(instanceID string, proceed func()) {
		e.drainForTermination(instanceID, proceed)
	})
	if err != nil {
		e.sim.Recordf("ecs", "ManagedDrainingFailed", cp.arn, "managed draining of %s could not put its lifecycle hook on %s: %v", cp.name, cp.asgName, err)
	}
}

// drainForTermination drains the container instance on EC2 instance
// instanceID and calls proceed once no service task is left on it.
func (e *ECS) drainForTermination(instanceID string, proceed func()) {
	ci := e.containerInstanceOnEC2(instanceID)
	if ci == nil || (ci.status != instanceActive && ci.status != instanceDraining) {
		proceed() // not (or no longer) a container instance: nothing to drain
		return
	}
	if ci.status == instanceActive {
		ci.status = instanceDraining
		ci.touch()
		e.sim.Recordf("ecs", "ContainerInstanceDRAINING", ci.arn, "container instance %s (%s) is DRAINING: its Auto Scaling group is terminating it (managed draining)", ci.id, ci.ec2ID)
		e.reconcileCluster(ci.cluster)
	}
	var check func()
	check = func() {
		if n := serviceTasksOn(ci); n > 0 {
			e.sim.After(drainPollInterval, "ecs managed draining "+ci.ec2ID, check)
			return
		}
		e.sim.Recordf("ecs", "ContainerInstanceDrained", ci.arn, "container instance %s (%s) has no service tasks left; the Auto Scaling group may terminate it", ci.id, ci.ec2ID)
		proceed()
	}
	check()
}

// serviceTasksOn counts the service tasks not yet stopped on ci.
func serviceTasksOn(ci *containerInstance) int {
	n := 0
	for _, t := range ci.tasks {
		if t.service != nil && t.active() {
			n++
		}
	}
	return n
}

// containerInstanceOnEC2 finds the container instance registered from an
// EC2 instance, in any cluster.
func (e *ECS) containerInstanceOnEC2(instanceID string) *containerInstance {
	for _, name := range e.clusterNames() {
		for _, ci := range e.clusters[name].instances {
			if ci.ec2ID == instanceID && ci.status != instanceInactive {
				return ci
			}
		}
	}
	return nil
}

func (e *ECS) explainDraining(cp *capacityProvider) string {
	if cp.draining != ManagedDrainingENABLED {
		return "managed draining is off: the group terminates instances with their tasks on them"
	}
	return fmt.Sprintf("managed draining is on: lifecycle hook %s drains an instance before the group terminates it", managedDrainingHook)
}
