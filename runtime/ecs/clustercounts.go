package ecs

// clusterCounts are the numbers DescribeClusters reports, derived from the
// cluster's instances and tasks rather than kept as counters.
type clusterCounts struct {
	registeredInstances int            // ACTIVE and DRAINING [API:Cluster]
	running, pending    map[string]int // by launch type
	activeServices      int
	services            map[string]int // "active" or "draining" + launch type
}

func (c *cluster) counts() clusterCounts {
	n := clusterCounts{running: map[string]int{}, pending: map[string]int{}, services: map[string]int{}}
	for _, s := range c.services {
		switch s.status {
		case serviceActive:
			n.activeServices++
			n.services["active"+s.launchType]++
		case serviceDraining:
			n.services["draining"+s.launchType]++
		}
	}
	for _, ci := range c.instances {
		if ci.status != instanceInactive {
			n.registeredInstances++
		}
	}
	for _, t := range c.tasks {
		switch t.lastStatus {
		case taskRunning:
			n.running[t.launchType]++
		case taskStopped:
		case taskProvisioning, taskPending, taskActivating:
			// pendingTasksCount counts the tasks on their way to RUNNING
			// [API:Cluster]; stopping ones count in neither number.
			n.pending[t.launchType]++
		}
	}
	return n
}

// statistic returns one of the clusterStatistics keys.
func (n clusterCounts) statistic(key string) int {
	switch key {
	case "runningEC2TasksCount":
		return n.running[launchEC2]
	case "runningFargateTasksCount":
		return n.running[launchFargate]
	case "pendingEC2TasksCount":
		return n.pending[launchEC2]
	case "pendingFargateTasksCount":
		return n.pending[launchFargate]
	case "activeEC2ServiceCount":
		return n.services["active"+launchEC2]
	case "activeFargateServiceCount":
		return n.services["active"+launchFargate]
	case "drainingEC2ServiceCount":
		return n.services["draining"+launchEC2]
	case "drainingFargateServiceCount":
		return n.services["draining"+launchFargate]
	}
	return 0
}

// hasActiveTasks reports whether any task of the cluster has not stopped.
func (c *cluster) hasActiveTasks() bool {
	for _, t := range c.tasks {
		if t.active() {
			return true
		}
	}
	return false
}
