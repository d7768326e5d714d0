package ecs

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// How long each step of a task's life takes in simulated time. AWS does
// not document these (reference 15.2: Fargate takes about 30–90 s from
// PROVISIONING to RUNNING, pulls depend on image size); they are ecsbox's
// choices, listed in README.md.
const (
	// eniAttachTime: an awsvpc task on EC2 waits in PROVISIONING while its
	// ENI is created and attached.
	eniAttachTime = 10 * time.Second
	// fargateProvisionTime: Fargate finds capacity and attaches the ENI.
	fargateProvisionTime = 15 * time.Second
	// imagePullTime: the first pull of an image on an instance, and every
	// pull on Fargate (which keeps no image cache between tasks).
	imagePullTime = 8 * time.Second
	// cachedPullTime: a pull of an image the instance already has.
	cachedPullTime = 500 * time.Millisecond
	// containerStartTime: create and start the containers.
	containerStartTime = 2 * time.Second
	// eniDetachTime: DEPROVISIONING detaches and deletes an awsvpc ENI.
	eniDetachTime = 5 * time.Second
	// defaultStopTimeout is the wait between SIGTERM and SIGKILL: the
	// container's stopTimeout, else ECS_CONTAINER_STOP_TIMEOUT, 30 s by
	// default [AGENT:README.md], [API:StopTask].
	defaultStopTimeout = 30 * time.Second
	// stoppedTaskRetention: stopped tasks stay visible for at least an hour
	// [DG:stopped-task-errors]; ecsbox forgets them after exactly one.
	stoppedTaskRetention = time.Hour
)

// Stop codes and reasons [API:TaskStopCode], reference 4.2.
const (
	stopTaskFailedToStart = "TaskFailedToStart"
	stopEssentialExited   = "EssentialContainerExited"
	stopUserInitiated     = "UserInitiated"
	stopServiceScheduler  = "ServiceSchedulerInitiated"
	reasonEssentialExited = "Essential container in task exited"
	reasonStoppedByUser   = "Task stopped by user" // observed, not documented (reference 4.2)
)

// after schedules fn for the task and remembers the timer, so stopping the
// task early cancels what was still to come.
func (e *ECS) after(t *task, d time.Duration, name string, fn func()) {
	t.timers = append(t.timers, e.sim.AfterFunc(d, name, fn))
}

// launch starts the lifecycle of a new task: PROVISIONING while an ENI is
// attached (awsvpc, and always on Fargate), then PENDING while the image is
// pulled and the containers start, then RUNNING [DG:task-lifecycle].
func (e *ECS) launch(t *task) {
	now := e.sim.Now()
	t.createdAt = &now
	t.desiredStatus = taskRunning
	if t.waiting {
		e.setStatus(t, taskProvisioning) // until retryWaiting places it
		return
	}
	e.provisioned(t)
}

// provisioned goes on from a task's placement: PROVISIONING while an ENI
// is attached (awsvpc, and always on Fargate), then PENDING.
func (e *ECS) provisioned(t *task) {
	provision := time.Duration(0)
	switch {
	case t.launchType == launchFargate:
		provision = fargateProvisionTime
	case t.eni != nil:
		provision = eniAttachTime
	}
	if provision > 0 {
		e.setStatus(t, taskProvisioning)
		e.after(t, e.modelDelay(provision), "task provisioned", func() {
			if t.eni != nil {
				host := ""
				if t.instance != nil {
					host = t.instance.ec2ID
				}
				if err := e.ec2.AttachENI(t.eni.id, host); err == nil {
					t.eni.status = "ATTACHED"
				}
			}
			e.pending(t)
		})
		return
	}
	e.pending(t)
}

// pending pulls the images and starts the containers.
func (e *ECS) pending(t *task) {
	e.setStatus(t, taskPending)
	t.connectivityAt = e.nowPtr()
	t.pullStartedAt = e.nowPtr()
	pull, problem := e.pullImages(t)
	if problem != "" {
		e.after(t, e.modelDelay(ecrPullBase), "image pull failed", func() { e.failToStart(t, problem) })
		return
	}
	if e.driver != nil {
		e.startReal(t) // driver.go
		return
	}
	e.after(t, pull, "images pulled", func() {
		t.pullStoppedAt = e.nowPtr()
		if t.instance != nil {
			for _, c := range t.containers {
				t.instance.pulled[c.image] = true
			}
		}
		for _, c := range t.containers {
			c.runtimeID = e.sim.Hex(64)
		}
		if problem := e.setupLogs(t); problem != "" {
			e.failToStart(t, problem)
			return
		}
		e.after(t, containerStartTime, "containers started", func() { e.run(t) })
	})
}

// failToStart stops a task that could not start its containers: stop code
// TaskFailedToStart and the reason [API:TaskStopCode], reference 4.2.
func (e *ECS) failToStart(t *task, reason string) {
	e.stopTask(t, stopTaskFailedToStart, reason)
}

func (t *task) allImagesPulled() bool {
	for _, c := range t.containers {
		if !t.instance.pulled[c.image] {
			return false
		}
	}
	return true
}

// run marks the containers and the task RUNNING and sets the workloads off.
func (e *ECS) run(t *task) {
	e.startSampler()
	t.startedAt = e.nowPtr()
	for _, c := range t.containers {
		c.lastStatus = taskRunning
		if c.imageDigest == "" {
			sum := sha256.Sum256([]byte(c.image))
			c.imageDigest = "sha256:" + hex.EncodeToString(sum[:])
		}
		e.logLine(c, "%s", startupLine(c, c.ports))
	}
	e.activate(t)
	e.setStatus(t, taskRunning)
	e.scheduleSpotInterruption(t)
	for _, c := range t.containers {
		c := c
		w := parseWorkload(c.command)
		switch {
		case w.exitsNow:
			e.after(t, 0, "container exited", func() { e.containerExited(t, c, w.exitCode) })
		case w.runFor > 0:
			e.after(t, w.runFor, "container exited", func() { e.containerExited(t, c, w.exitCode) })
		}
	}
}

// activate registers a starting task with its service's target groups and
// Cloud Map services: ACTIVATING, before RUNNING [DG:task-lifecycle].
func (e *ECS) activate(t *task) {
	if !e.activates(t) {
		return
	}
	if showsActivation(t) {
		e.setStatus(t, taskActivating)
	}
	e.registerTargets(t)
	e.registerInstances(t)
}

// showsActivation reports whether a task's lastStatus shows ACTIVATING and
// DEACTIVATING: with Cloud Map or several target groups, never with a
// single target group (reference 4.1, [CR#1039]).
func showsActivation(t *task) bool {
	s := t.service
	return s != nil && (len(s.lbs) > 1 || len(s.registries) > 0)
}

// containerExited records the exit of a container whose process ended by
// itself with code.
func (e *ECS) containerExited(t *task, c *container, code int) {
	e.containerEnded(t, c, exit{code: code})
}

// containerEnded records a container's exit, and writes the simulated
// workload's last line to its log stream (a real container in docker mode
// writes its own). When an essential container exits, the task stops:
// "Essential container in task exited" with stop code
// EssentialContainerExited [DG:task_definition_parameters], reference 4.2.
func (e *ECS) containerEnded(t *task, c *container, x exit) {
	if c.lastStatus == taskStopped {
		return
	}
	c.lastStatus = taskStopped
	c.exitCode = aws.Int(x.code)
	if t.real == nil {
		e.logLine(c, "%s", x.line())
	}
	code := x.code
	t.version++
	e.sim.Recordf("ecs", "ContainerExited", t.arn, "container %s of task %s exited with code %d", c.name, t.id, code)
	switch {
	case t.desiredStatus == taskStopped:
		e.maybeStopped(t)
	case c.essential:
		e.stopTask(t, stopEssentialExited, reasonEssentialExited)
	}
	// A non-essential container may exit while the task runs on; every task
	// has an essential container (RegisterTaskDefinition insists).
}

// stopTask stops a task: desiredStatus STOPPED; its Cloud Map instances
// removed and its load balancer targets drained for the deregistration
// delay (DEACTIVATING with several target groups or Cloud Map, else still
// RUNNING, reference 4.1); then STOPPING, where each running container gets SIGTERM and, after its
// stop timeout, SIGKILL [API:StopTask]; then DEPROVISIONING for awsvpc
// tasks, then STOPPED [DG:task-lifecycle].
func (e *ECS) stopTask(t *task, code, reason string) {
	if t.stoppingAt != nil || !t.active() {
		return
	}
	hostGone := t.instance != nil && e.instanceByEC2[t.instance.ec2ID] == nil
	if t.draining {
		if hostGone {
			// The host went away while the targets drained: nothing is
			// left to wait for.
			t.stopCode, t.stoppedReason = code, reason
			e.beginStopping(t)
		}
		return
	}
	t.desiredStatus = taskStopped
	if t.stopCode == "" {
		t.stopCode = code
		t.stoppedReason = reason
	}
	e.deregisterInstances(t)
	if e.deregisterTargets(t) && !hostGone {
		// Reference 13: the task waits until its targets have drained for
		// the deregistration delay (targetHealthChanged goes on).
		t.draining = true
		if showsActivation(t) {
			e.setStatus(t, taskDeactivating)
		} else {
			t.version++
			e.sim.Recordf("ecs", "TaskDraining", t.arn, "task %s (%s) is RUNNING with desiredStatus STOPPED while its target drains", t.id, familyRevision(t.def))
			e.scheduleReconcile(t.service, 0) // it no longer counts as running
		}
		return
	}
	e.beginStopping(t)
}

// beginStopping sends the containers of a stopping task SIGTERM.
func (e *ECS) beginStopping(t *task) {
	if t.stoppingAt != nil || !t.active() {
		return
	}
	for _, tm := range t.timers {
		tm.Stop()
	}
	t.timers = nil
	t.stoppingAt = e.nowPtr()
	e.setStatus(t, taskStopping)
	for _, c := range t.containers {
		c := c
		if c.lastStatus != taskRunning {
			c.lastStatus = taskStopped
			continue
		}
		if t.real != nil {
			continue // the driver stops it, below
		}
		w := parseWorkload(c.command)
		if w.ignoresSIGTERM {
			e.after(t, c.stopTimeout, "SIGKILL", func() { e.containerEnded(t, c, killedAfterStopTimeout(c.stopTimeout)) })
		} else {
			e.after(t, gracefulExit, "exited on SIGTERM", func() { e.containerEnded(t, c, exitedOnSIGTERM) })
		}
	}
	if t.real != nil {
		e.driver.StopTask(t.id)
	}
	e.maybeStopped(t)
}

// maybeStopped finishes stopping a task whose containers have all exited.
func (e *ECS) maybeStopped(t *task) {
	if t.lastStatus != taskStopping {
		return
	}
	for _, c := range t.containers {
		if c.lastStatus != taskStopped {
			return
		}
	}
	t.executionStoppedAt = e.nowPtr()
	if t.eni != nil {
		e.setStatus(t, taskDeprovisioning)
		e.sim.After(e.modelDelay(eniDetachTime), "ENI detached", func() { e.finishStop(t) })
		return
	}
	e.finishStop(t)
}

// finishStop releases what the task held and keeps it visible for an hour.
func (e *ECS) finishStop(t *task) {
	if t.eni != nil {
		e.releaseENI(t)
	}
	if t.stopCode == stopTerminationNotice {
		t.stopCode = stopSpotInterruption
	}
	t.stoppedAt = e.nowPtr()
	if t.real != nil {
		e.driver.RemoveTask(t.id)
	}
	e.setStatus(t, taskStopped)
	if ci := t.instance; ci != nil {
		ci.tasks = without(ci.tasks, t)
	}
	if s := t.service; s != nil {
		s.members = without(s.members, t)
	}
	e.sim.After(stoppedTaskRetention, "stopped task expires", func() { e.forgetTask(t) })
	if t.instance != nil {
		e.retryWaiting(t.cluster) // the room it leaves may fit a waiting task
	}
}

// without returns ts without t, keeping the order.
func without(ts []*task, t *task) []*task {
	for i, other := range ts {
		if other == t {
			return append(ts[:i], ts[i+1:]...)
		}
	}
	return ts
}
