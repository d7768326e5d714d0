package ecs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
)

// Managed scaling (ECS cluster auto scaling), reference 2. For each Auto
// Scaling group provider with managed scaling ENABLED, ECS publishes every
// minute
//
//	CapacityProviderReservation = M / N × 100     (AWS/ECS/ManagedScaling)
//
// where N is the number of instances in the group and M the number it
// should have: the instances running at least one non-daemon task, or,
// while tasks wait in PROVISIONING, N plus what a binpack estimate says
// they need (at least minimumScalingStepSize, at most
// maximumScalingStepSize). N = 0 gives 200 when M > 0 and 100 otherwise.
// ECS puts a target tracking policy on the group (ECSManagedAutoScalingPolicy-…)
// whose alarms scale out after 1 datapoint above the target capacity and in
// after 15 below it [DG:cluster-auto-scaling], [CR#638]; the new desired
// capacity is ceil(max(N, 1) × CPR / target), a scale-in removing at most
// half the group per step.

const (
	namespaceManagedScaling = "AWS/ECS/ManagedScaling"
	casHighDatapoints       = 1
	casLowDatapoints        = 15
	casInterval             = time.Minute
	// maxCASDecisions bounds the decisions kept for sim.explain.
	maxCASDecisions = 50
)

// casState is what managed scaling last measured and decided.
type casState struct {
	m, n      int
	cpr       float64
	estimate  string // how M was found
	decisions []string
}

// manageScaling puts (or removes) the ECS-managed target tracking policy
// on the provider's group, as managed scaling is on or off.
func (e *ECS) manageScaling(cp *capacityProvider) {
	e.manageDraining(cp)
	if !cp.managedScaling() || cp.cluster == nil {
		e.stopManagingScaling(cp)
		return
	}
	if e.asg == nil {
		return
	}
	name := "ECSManagedAutoScalingPolicy-" + e.sim.UUID()
	if cp.policyARN != "" {
		name = cp.policyARN[strings.LastIndex(cp.policyARN, "policyName/")+len("policyName/"):]
	}
	target := float64(aws.ToInt(cp.scaling.TargetCapacity))
	arn, _, err := e.asg.PutTargetTrackingPolicy(cp.asgName, name, autoscaling.TargetTrackingSpec{
		Namespace:      namespaceManagedScaling,
		MetricName:     "CapacityProviderReservation",
		Dimensions:     [][2]string{{"CapacityProviderName", cp.name}, {"ClusterName", cp.cluster.name}},
		Statistic:      "Average",
		Unit:           "Percent",
		TargetValue:    target,
		HighDatapoints: casHighDatapoints,
		LowDatapoints:  casLowDatapoints,
		Warmup:         time.Duration(aws.ToInt(cp.scaling.InstanceWarmupPeriod)) * time.Second,
		Compute:        func(metric float64, current int) int { return e.casDesired(cp, metric, current) },
	})
	if err != nil {
		e.sim.Recordf("ecs", "ManagedScalingFailed", cp.arn, "managed scaling of %s could not put its policy on %s: %v", cp.name, cp.asgName, err)
		return
	}
	cp.policyARN = arn
	e.startCAS()
}

// stopManagingScaling removes the ECS-managed policy from the group.
func (e *ECS) stopManagingScaling(cp *capacityProvider) {
	if cp.policyARN == "" || e.asg == nil {
		return
	}
	name := cp.policyARN[strings.LastIndex(cp.policyARN, "policyName/")+len("policyName/"):]
	_, _ = e.asg.DeletePolicy(&autoscaling.DeletePolicyType{AutoScalingGroupName: aws.String(cp.asgName), PolicyName: aws.String(name)})
	cp.policyARN = ""
}

// startCAS starts the minute tick of managed scaling.
func (e *ECS) startCAS() {
	if e.casRunning {
		return
	}
	e.casRunning = true
	next := e.sim.Now().Truncate(casInterval).Add(casInterval)
	e.sim.At(next, "ecs managed scaling", e.casTick)
}

// casTick places waiting tasks where capacity appeared, publishes each
// managed provider's CapacityProviderReservation for the minute that
// ended, and keeps managed termination protection current.
func (e *ECS) casTick() {
	now := e.sim.Now()
	for _, name := range e.clusterNames() {
		c := e.clusters[name]
		if c.status != clusterActive {
			continue
		}
		e.retryWaiting(c)
		for _, pname := range c.capacityProviders {
			cp := e.providers[pname]
			if cp == nil || !cp.managedScaling() || cp.cluster != c {
				continue
			}
			e.measureCAS(cp)
			if e.metrics != nil {
				dims := []cloudwatch.Dim{{Name: "CapacityProviderName", Value: cp.name}, {Name: "ClusterName", Value: c.name}}
				e.metrics.Publish(namespaceManagedScaling, "CapacityProviderReservation", dims, cp.cas.cpr, "Percent", now.Add(-casInterval))
			}
			if cp.terminationProtection == ManagedTerminationProtectionENABLED {
				e.protectBusyInstances(cp)
			}
		}
	}
	e.sim.At(now.Add(casInterval), "ecs managed scaling", e.casTick)
}

// measureCAS computes M, N and CPR for a provider.
func (e *ECS) measureCAS(cp *capacityProvider) {
	g, ok := e.asg.Group(cp.asgName)
	if !ok {
		return
	}
	n := 0
	member := map[string]bool{}
	for _, inst := range g.Instances {
		if strings.HasPrefix(inst.LifecycleState, "Pending") || inst.LifecycleState == "InService" {
			n++
			member[inst.ID] = true
		}
	}
	busy := 0
	for _, ci := range cp.cluster.instances {
		if member[ci.ec2ID] && ci.status != instanceInactive && hasNonDaemonTask(ci) {
			busy++
		}
	}
	add, how := e.provisioningEstimate(cp, g)
	m := busy
	estimate := fmt.Sprintf("%d instance(s) run non-daemon tasks", busy)
	if add > 0 {
		minStep, maxStep := aws.ToInt(cp.scaling.MinimumScalingStepSize), aws.ToInt(cp.scaling.MaximumScalingStepSize)
		steps := min(max(add, minStep), maxStep)
		m = n + steps
		estimate = fmt.Sprintf("tasks wait in PROVISIONING: %s, so %d more (steps %d–%d): M = N + %d", how, add, minStep, maxStep, steps)
	}
	cpr := 100.0
	switch {
	case n == 0 && m > 0:
		cpr = 200 // reference 2.2: the first scale-out from zero
	case n > 0:
		cpr = float64(m) / float64(n) * 100
	}
	cp.cas.m, cp.cas.n, cp.cas.cpr, cp.cas.estimate = m, n, cpr, estimate
}

// warmingUp reports whether an instance of the provider's group was
// launched less than instanceWarmupPeriod ago.
func (e *ECS) warmingUp(cp *capacityProvider) bool {
	g, ok := e.asg.Group(cp.asgName)
	if !ok {
		return false
	}
	warmup := time.Duration(aws.ToInt(cp.scaling.InstanceWarmupPeriod)) * time.Second
	for _, inst := range g.Instances {
		if e.sim.Now().Sub(inst.LaunchTime) < warmup {
			return true
		}
	}
	return false
}

func hasNonDaemonTask(ci *containerInstance) bool {
	for _, t := range ci.tasks {
		if t.service == nil || t.service.strategy != strategyDaemon {
			return true
		}
	}
	return false
}

// provisioningEstimate is how many instances of the group's largest type
// the provider's waiting tasks need, binpacking them by CPU, memory and
// ENIs; tasks that do not fit the smallest type are left out, as ECS does
// (reference 2.2).
func (e *ECS) provisioningEstimate(cp *capacityProvider, g autoscaling.GroupInfo) (int, string) {
	var waiting []*task
	for _, t := range cp.cluster.tasks {
		if t.waiting && t.provider == cp && t.desiredStatus == taskRunning {
			waiting = append(waiting, t)
		}
	}
	if len(waiting) == 0 || len(g.InstanceTypes) == 0 {
		return 0, ""
	}
	type capacity struct{ cpu, memory, enis int }
	var largest, smallest capacity
	for i, name := range g.InstanceTypes {
		it, ok := e.ec2.InstanceType(name)
		if !ok {
			continue
		}
		c := capacity{it.VCPU * 1024, it.RegisteredMemoryMiB, it.MaxENIs - 1}
		if i == 0 || c.memory > largest.memory {
			largest = c
		}
		if i == 0 || c.memory < smallest.memory {
			smallest = c
		}
	}
	fits := func(t *task, c capacity) bool {
		return t.reservedCPU <= c.cpu && t.reservedMemory <= c.memory && (t.awsvpc == nil || c.enis >= 1)
	}
	instances, placed, skipped := 0, 0, 0
	var cpuLeft, memLeft, eniLeft int
	open := false
	for _, t := range waiting {
		if !fits(t, smallest) {
			skipped++
			continue
		}
		if !open || t.reservedCPU > cpuLeft || t.reservedMemory > memLeft || (t.awsvpc != nil && eniLeft < 1) {
			instances++
			cpuLeft, memLeft, eniLeft, open = largest.cpu, largest.memory, largest.enis, true
		}
		cpuLeft -= t.reservedCPU
		memLeft -= t.reservedMemory
		if t.awsvpc != nil {
			eniLeft--
		}
		placed++
	}
	how := fmt.Sprintf("%d waiting task(s) binpack onto %d %s", placed, instances, strings.Join(g.InstanceTypes, "/"))
	if skipped > 0 {
		how += fmt.Sprintf(" (%d fit no instance type and are left out)", skipped)
	}
	return instances, how
}

// casDesired is the group's new desired capacity when one of the managed
// alarms fires: ceil(max(N, 1) × CPR / target), at most half the group
// removed in one step (reference 2.3, 2.4). It records the numbers for
// sim.explain.
func (e *ECS) casDesired(cp *capacityProvider, metric float64, current int) int {
	target := float64(aws.ToInt(cp.scaling.TargetCapacity))
	n := cp.cas.n
	desired := int(math.Ceil(float64(max(n, 1)) * metric / target))
	formula := fmt.Sprintf("desired = ceil(%d × %s / %s) = %d", max(n, 1), fmtNum(metric), fmtNum(target), desired)
	if desired < n {
		if floor := n - max(1, n/2); desired < floor {
			desired = floor
			formula += fmt.Sprintf(", limited to %d (a scale-in step removes at most half the group)", floor)
		}
	}
	if desired > current && e.warmingUp(cp) {
		// No further scale-out while an instance is within its warm-up
		// [DG:cluster-auto-scaling], reference 2.3.
		formula += fmt.Sprintf("; held at %d while instances warm up (%ds)", current, aws.ToInt(cp.scaling.InstanceWarmupPeriod))
		desired = current
	}
	cmp := ">"
	if metric < target {
		cmp = "<"
	}
	text := fmt.Sprintf("%s M = %d, N = %d, CPR = %s %s %s → %s (%s)", e.sim.Now().Format("15:04"),
		cp.cas.m, n, fmtNum(metric), cmp, fmtNum(target), formula, cp.cas.estimate)
	cp.cas.decisions = append(cp.cas.decisions, text)
	if len(cp.cas.decisions) > maxCASDecisions {
		cp.cas.decisions = cp.cas.decisions[1:]
	}
	return desired
}

func fmtNum(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}

// protectBusyInstances keeps scale-in protection on the group's instances
// that run non-daemon tasks and clears it on the others, so that only
// empty instances can be terminated (managed termination protection,
// reference 2.4).
func (e *ECS) protectBusyInstances(cp *capacityProvider) {
	g, ok := e.asg.Group(cp.asgName)
	if !ok {
		return
	}
	var protect, release []string
	for _, inst := range g.Instances {
		if inst.LifecycleState != "InService" {
			continue
		}
		ci := e.instanceByEC2[inst.ID]
		busy := ci != nil && hasNonDaemonTask(ci)
		switch {
		case busy && !inst.Protected:
			protect = append(protect, inst.ID)
		case !busy && inst.Protected:
			release = append(release, inst.ID)
		}
	}
	if len(protect) > 0 {
		_ = e.asg.SetProtection(cp.asgName, protect, true)
	}
	if len(release) > 0 {
		_ = e.asg.SetProtection(cp.asgName, release, false)
	}
}

// ExplainProvider returns the managed scaling decisions of a capacity
// provider: M, N, CapacityProviderReservation and the desired capacity
// that followed.
func (e *ECS) ExplainProvider(name string) (string, bool) {
	cp, ok := e.providers[name]
	if !ok || cp.fargate {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "capacity provider %s (Auto Scaling group %s), managed scaling %s, target capacity %d%%\n",
		cp.name, cp.asgName, deref(cp.scaling.Status), aws.ToInt(cp.scaling.TargetCapacity))
	b.WriteString(e.explainDraining(cp) + "\n")
	if cp.cluster != nil && cp.managedScaling() {
		fmt.Fprintf(&b, "now: M = %d, N = %d, CapacityProviderReservation = %s (%s)\n", cp.cas.m, cp.cas.n, fmtNum(cp.cas.cpr), cp.cas.estimate)
	}
	for _, d := range cp.cas.decisions {
		b.WriteString(d + "\n")
	}
	return b.String(), true
}
