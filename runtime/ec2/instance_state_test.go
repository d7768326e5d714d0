package ec2

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func state(t *testing.T, e *EC2, id string) string {
	t.Helper()
	info, ok := e.Instance(id)
	if !ok {
		return "gone"
	}
	return info.State
}

func TestStateMachineOnSimulatedTime(t *testing.T) {
	e, s := newTestEC2()
	var changes []string
	e.OnStateChange(func(inst InstanceInfo, from, to string) {
		changes = append(changes, fmt.Sprintf("%s>%s@%s", from, to, s.Elapsed()))
	})
	var second []string
	e.OnStateChange(func(inst InstanceInfo, from, to string) {
		if inst.State != to {
			t.Errorf("hook sees state %s, want %s", inst.State, to)
		}
		second = append(second, to)
	})
	id := aws.ToString(runOne(t, e, &RunInstancesRequest{}).InstanceId)
	sub := e.DefaultSubnets()[0].ID

	advance(t, s, DefaultBootTime-time.Second)
	if got := state(t, e, id); got != "pending" {
		t.Fatalf("at %s: %s", s.Elapsed(), got)
	}
	advance(t, s, time.Second)
	if got := state(t, e, id); got != "running" {
		t.Fatalf("at %s: %s", s.Elapsed(), got)
	}

	out, err := e.TerminateInstances(&TerminateInstancesRequest{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	c := out.TerminatingInstances[0]
	if aws.ToString(c.PreviousState.Name) != "running" || aws.ToInt(c.PreviousState.Code) != 16 ||
		aws.ToString(c.CurrentState.Name) != "shutting-down" || aws.ToInt(c.CurrentState.Code) != 32 {
		t.Fatalf("TerminatingInstances = %+v", out)
	}
	// terminating again is idempotent
	out, _ = e.TerminateInstances(&TerminateInstancesRequest{InstanceIds: []string{id}})
	if aws.ToString(out.TerminatingInstances[0].PreviousState.Name) != "shutting-down" {
		t.Fatalf("second terminate = %+v", out)
	}
	if got, _ := e.Subnet(sub); got.AvailableIPs != 4090 {
		t.Fatalf("address freed before terminated: %d", got.AvailableIPs)
	}
	advance(t, s, ShutdownTime)
	if got := state(t, e, id); got != "terminated" {
		t.Fatalf("after ShutdownTime: %s", got)
	}
	if got, _ := e.Subnet(sub); got.AvailableIPs != 4091 {
		t.Fatalf("terminated instance kept its address: %d free", got.AvailableIPs)
	}
	d, _ := e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{id}})
	inst := d.Reservations[0].Instances[0]
	if aws.ToInt(inst.State.Code) != 48 || aws.ToString(inst.StateReason.Code) != "Client.UserInitiatedShutdown" ||
		aws.ToString(inst.StateTransitionReason) != "User initiated (2025-01-01 00:00:30 GMT)" {
		t.Fatalf("terminated instance = %+v", inst)
	}
	advance(t, s, TerminatedRetention-time.Second)
	if got := state(t, e, id); got != "terminated" {
		t.Fatalf("terminated instance gone early: %s", got)
	}
	advance(t, s, time.Second)
	if got := state(t, e, id); got != "gone" {
		t.Fatalf("terminated instance still visible after an hour: %s", got)
	}
	_, err = e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{id}})
	wantAWSError(t, err, InvalidInstanceIDNotFound, "The instance ID '"+id+"' does not exist")

	want := ">pending@0s pending>running@30s running>shutting-down@30s shutting-down>terminated@1m0s"
	if got := strings.Join(changes, " "); got != want {
		t.Fatalf("changes:\n got %s\nwant %s", got, want)
	}
	if strings.Join(second, " ") != "pending running shutting-down terminated" {
		t.Fatalf("second hook saw %v", second)
	}
	var kinds []string
	for _, ev := range s.Timeline() {
		if ev.Resource == id {
			kinds = append(kinds, ev.Kind)
		}
	}
	if got := strings.Join(kinds, " "); got != "InstanceLaunched InstanceRunning InstanceShuttingDown InstanceTerminated" {
		t.Fatalf("timeline kinds: %s", got)
	}
}

func TestTerminatePendingInstanceNeverRuns(t *testing.T) {
	e, s := newTestEC2()
	info, _ := e.LaunchInstance(LaunchSpec{ImageID: ecsAMI})
	if err := e.TerminateInstance(info.ID); err != nil {
		t.Fatal(err)
	}
	advance(t, s, time.Hour)
	for _, ev := range s.Timeline() {
		if ev.Kind == "InstanceRunning" {
			t.Fatalf("a terminated pending instance ran: %s", ev)
		}
	}
	wantAWSError(t, e.TerminateInstance("i-0123456789abcdef0"), InvalidInstanceIDNotFound, "The instance ID 'i-0123456789abcdef0' does not exist")
}

func TestTerminateIsAllOrNothing(t *testing.T) {
	e, _ := newTestEC2()
	info, _ := e.LaunchInstance(LaunchSpec{ImageID: ecsAMI})
	_, err := e.TerminateInstances(&TerminateInstancesRequest{InstanceIds: []string{info.ID, "i-0123456789abcdef0"}})
	wantAWSError(t, err, InvalidInstanceIDNotFound, "The instance ID 'i-0123456789abcdef0' does not exist")
	if got := state(t, e, info.ID); got != "pending" {
		t.Fatalf("state = %s after a failed terminate", got)
	}
}

func TestStopAndStart(t *testing.T) {
	e, s := newTestEC2()
	id := aws.ToString(runOne(t, e, &RunInstancesRequest{}).InstanceId)
	_, err := e.StopInstances(&StopInstancesRequest{InstanceIds: []string{id}})
	wantAWSError(t, err, IncorrectInstanceState, "This instance '"+id+"' is not in a state from which it can be stopped.")
	advance(t, s, DefaultBootTime)
	out, err := e.StopInstances(&StopInstancesRequest{InstanceIds: []string{id}})
	if err != nil || aws.ToInt(out.StoppingInstances[0].CurrentState.Code) != 64 {
		t.Fatalf("StopInstances = %+v, %v", out, err)
	}
	advance(t, s, ShutdownTime)
	if got := state(t, e, id); got != "stopped" {
		t.Fatalf("state %s, want stopped", got)
	}
	ip, _ := e.Instance(id)
	st, err := e.StartInstances(&StartInstancesRequest{InstanceIds: []string{id}})
	if err != nil || aws.ToInt(st.StartingInstances[0].PreviousState.Code) != 80 || aws.ToInt(st.StartingInstances[0].CurrentState.Code) != 0 {
		t.Fatalf("StartInstances = %+v, %v", st, err)
	}
	advance(t, s, DefaultBootTime)
	again, _ := e.Instance(id)
	if again.State != "running" || again.PrivateIP != ip.PrivateIP {
		t.Fatalf("after start: %+v", again)
	}
}

func TestBootTimeIsConfigurable(t *testing.T) {
	s := sim.New(sim.Config{})
	e := New(Config{Sim: s, Identity: aws.DefaultIdentity(), BootTime: 2 * time.Minute})
	info, _ := e.LaunchInstance(LaunchSpec{ImageID: ecsAMI})
	advance(t, s, 119*time.Second)
	if state(t, e, info.ID) != "pending" {
		t.Fatal("running before BootTime")
	}
	advance(t, s, time.Second)
	if state(t, e, info.ID) != "running" {
		t.Fatal("not running at BootTime")
	}
}

// TestDeterministic runs the same scenario twice with one seed and compares
// everything it shows.
func TestDeterministic(t *testing.T) {
	run := func() string {
		e, s := newTestEC2()
		out, _ := e.RunInstances(&RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(3), MaxCount: aws.Int(3)})
		e.CreateENI(e.DefaultSubnets()[1].ID, "task", nil, "")
		e.TerminateInstances(&TerminateInstancesRequest{InstanceIds: []string{aws.ToString(out.Instances[1].InstanceId)}})
		advance(t, s, 2*time.Minute)
		d, _ := e.DescribeInstances(&DescribeInstancesRequest{})
		n, _ := e.DescribeNetworkInterfaces(&DescribeNetworkInterfacesRequest{})
		b, _ := json.Marshal([]any{d, n, s.Timeline()})
		return string(b)
	}
	if a, b := run(), run(); a != b {
		t.Fatal("two runs with one seed differ")
	}
}
