package ec2

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// The state machine of an instance on the simulated clock
// [EC2-UG:ec2-instance-lifecycle]:
//
//	pending --BootTime--> running --stop--> stopping --ShutdownTime--> stopped
//	   ^                                                                  |
//	   +----------------------------- start -----------------------------+
//	pending, running, stopping, stopped --terminate--> shutting-down
//	shutting-down --ShutdownTime--> terminated --TerminatedRetention--> gone
//
// Every change is recorded on the timeline and reported to the
// OnStateChange hooks.

// OnStateChange registers fn to be called after every state change of every
// instance, with the instance as it is after the change. A launch is
// reported as a change from "" to pending. Hooks run in registration order;
// a hook may call back into EC2 (e.g. to terminate the instance).
func (e *EC2) OnStateChange(fn func(inst InstanceInfo, from, to string)) {
	e.hooks = append(e.hooks, fn)
}

func (e *EC2) notify(inst *instance, from, to string) {
	info := inst.info()
	for _, fn := range e.hooks {
		fn(info, from, to)
	}
}

// setState moves inst to a new state, records it and tells the hooks.
func (e *EC2) setState(inst *instance, to, kind, message string) {
	from := inst.state
	inst.state = to
	e.sim.Record("ec2", kind, inst.id, message)
	e.notify(inst, from, to)
}

// after schedules the next state change of inst, replacing any pending one.
func (e *EC2) after(inst *instance, d durationKind, name string, fn func()) {
	if inst.timer != nil {
		inst.timer.Stop()
	}
	inst.timer = e.sim.AfterFunc(e.duration(d), name+" "+inst.id, func() {
		inst.timer = nil
		fn()
	})
}

type durationKind int

const (
	bootDuration durationKind = iota
	shutdownDuration
	retentionDuration
)

func (e *EC2) duration(d durationKind) time.Duration {
	switch d {
	case bootDuration:
		return e.bootTime
	case shutdownDuration:
		return ShutdownTime
	}
	return TerminatedRetention
}

func (e *EC2) scheduleBoot(inst *instance) {
	e.after(inst, bootDuration, "ec2 boot", func() {
		if inst.state != StatePending {
			return
		}
		inst.stateReason = nil
		e.setState(inst, StateRunning, "InstanceRunning", "instance "+inst.id+" is running")
	})
}

// userInitiated sets the reason EC2 gives for a user's stop or terminate:
// StateReason Client.UserInitiatedShutdown and a transition reason "User
// initiated (YYYY-MM-DD hh:mm:ss GMT)" (as DescribeInstances shows them,
// e.g. aws/aws-sdk-js#704).
func (e *EC2) userInitiated(inst *instance) {
	inst.stateReason = &StateReason{
		Code:    aws.String("Client.UserInitiatedShutdown"),
		Message: aws.String("Client.UserInitiatedShutdown: User initiated shutdown"),
	}
	inst.transitionReason = "User initiated (" + e.sim.Now().UTC().Format("2006-01-02 15:04:05") + " GMT)"
}

// terminate starts the termination of inst; it reports the state before.
// Terminating is idempotent [EC2-API:TerminateInstances].
func (e *EC2) terminate(inst *instance) string {
	prev := inst.state
	if prev == StateShuttingDown || prev == StateTerminated {
		return prev
	}
	e.userInitiated(inst)
	e.setState(inst, StateShuttingDown, "InstanceShuttingDown", "instance "+inst.id+" is shutting down (user initiated)")
	e.after(inst, shutdownDuration, "ec2 terminate", func() { e.finishTermination(inst) })
	return prev
}

func (e *EC2) finishTermination(inst *instance) {
	e.deleteENI(inst.eni)
	inst.eni.instanceID = ""
	e.setState(inst, StateTerminated, "InstanceTerminated",
		"instance "+inst.id+" terminated; "+inst.eni.ip+" released in "+inst.subnet.id)
	e.after(inst, retentionDuration, "ec2 forget", func() { e.forget(inst) })
}

// forget drops a terminated instance from DescribeInstances.
func (e *EC2) forget(inst *instance) {
	for i, x := range e.instances {
		if x == inst {
			e.instances = append(e.instances[:i], e.instances[i+1:]...)
			return
		}
	}
}

// TerminateInstance terminates one instance (Auto Scaling, Spot
// interruptions).
func (e *EC2) TerminateInstance(id string) error {
	insts, err := e.checkInstanceIDs([]string{id})
	if err != nil {
		return err
	}
	e.terminate(insts[0])
	return nil
}

// TerminateInstances terminates instances. If any ID is malformed or
// unknown, none is terminated [EC2-API:TerminateInstances].
func (e *EC2) TerminateInstances(in *TerminateInstancesRequest) (*TerminateInstancesResult, error) {
	if in == nil {
		in = &TerminateInstancesRequest{}
	}
	insts, err := e.checkInstanceIDs(in.InstanceIds)
	if err != nil {
		return nil, err
	}
	out := &TerminateInstancesResult{TerminatingInstances: []InstanceStateChange{}}
	for _, inst := range insts {
		prev := e.terminate(inst)
		out.TerminatingInstances = append(out.TerminatingInstances, stateChange(inst, prev))
	}
	return out, nil
}

func stateChange(inst *instance, prev string) InstanceStateChange {
	return InstanceStateChange{InstanceId: aws.String(inst.id), CurrentState: apiState(inst.state), PreviousState: apiState(prev)}
}

// StopInstances stops running instances. A pending instance cannot be
// stopped; stopping one that is stopping or stopped changes nothing.
func (e *EC2) StopInstances(in *StopInstancesRequest) (*StopInstancesResult, error) {
	if in == nil {
		in = &StopInstancesRequest{}
	}
	insts, err := e.checkInstanceIDs(in.InstanceIds)
	if err != nil {
		return nil, err
	}
	for _, inst := range insts {
		switch inst.state {
		case StatePending, StateShuttingDown, StateTerminated:
			// text not verified
			return nil, awserr.Newf(IncorrectInstanceState, "This instance '%s' is not in a state from which it can be stopped.", inst.id)
		}
	}
	out := &StopInstancesResult{StoppingInstances: []InstanceStateChange{}}
	for _, inst := range insts {
		prev := inst.state
		if prev == StateRunning {
			e.userInitiated(inst)
			e.setState(inst, StateStopping, "InstanceStopping", "instance "+inst.id+" is stopping (user initiated)")
			e.after(inst, shutdownDuration, "ec2 stop", func() {
				e.setState(inst, StateStopped, "InstanceStopped", "instance "+inst.id+" stopped")
			})
		}
		out.StoppingInstances = append(out.StoppingInstances, stateChange(inst, prev))
	}
	return out, nil
}

// StartInstances starts stopped instances; they are pending for the boot
// time, keeping their private address. Starting one that is pending or
// running changes nothing.
func (e *EC2) StartInstances(in *StartInstancesRequest) (*StartInstancesResult, error) {
	if in == nil {
		in = &StartInstancesRequest{}
	}
	insts, err := e.checkInstanceIDs(in.InstanceIds)
	if err != nil {
		return nil, err
	}
	for _, inst := range insts {
		switch inst.state {
		case StateStopping, StateShuttingDown, StateTerminated:
			// text not verified
			return nil, awserr.Newf(IncorrectInstanceState, "The instance '%s' is not in a state from which it can be started.", inst.id)
		}
	}
	out := &StartInstancesResult{StartingInstances: []InstanceStateChange{}}
	for _, inst := range insts {
		prev := inst.state
		if prev == StateStopped {
			inst.stateReason = &StateReason{Code: aws.String("pending"), Message: aws.String("pending")}
			inst.transitionReason = ""
			inst.launchTime = e.sim.Now() // LaunchTime is "the time that the instance was last launched"
			e.setState(inst, StatePending, "InstanceStarting", "instance "+inst.id+" is starting: pending")
			e.scheduleBoot(inst)
		}
		out.StartingInstances = append(out.StartingInstances, stateChange(inst, prev))
	}
	return out, nil
}
