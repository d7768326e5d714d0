package autoscaling

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

func TestAllRemainingInstancesProtected(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 5, aws.Int(3), func(in *CreateAutoScalingGroupType) { in.NewInstancesProtectedFromScaleIn = aws.Bool(true) })
	fx.advance(time.Minute)
	g := fx.info("asg")
	// Unprotect one: only it may go.
	if err := fx.as.SetProtection("asg", []string{g.Instances[1].ID}, false); err != nil {
		t.Fatal(err)
	}
	if err := fx.as.SetDesired("asg", 0, "At 2025-01-01T00:01:00Z a test asked for 0."); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Minute)
	g = fx.info("asg")
	if g.Desired != 0 || len(g.Instances) != 2 {
		t.Fatalf("desired %d, %d instances", g.Desired, len(g.Instances))
	}
	for _, i := range g.Instances {
		if !i.Protected {
			t.Errorf("%s unprotected survived", i.ID)
		}
	}
	acts := fx.activities("asg")
	msg := "Could not scale to desired capacity because all remaining instances are protected from scale-in."
	found := 0
	for _, a := range acts {
		if aws.ToString(a.StatusMessage) == msg {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%d protected-instance activities, want 1", found)
	}
	if !strings.Contains(fx.as.Explain("asg"), "all 2 remaining instances are protected") {
		t.Errorf("explain: %s", fx.as.Explain("asg"))
	}
	// Removing protection lets the scale-in finish.
	if _, err := fx.as.SetInstanceProtection(&SetInstanceProtectionQuery{AutoScalingGroupName: aws.String("asg"),
		InstanceIds: []string{g.Instances[0].ID, g.Instances[1].ID}, ProtectedFromScaleIn: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Minute)
	if g = fx.info("asg"); len(g.Instances) != 0 {
		t.Errorf("%d instances left", len(g.Instances))
	}
	_, err := fx.as.SetInstanceProtection(&SetInstanceProtectionQuery{AutoScalingGroupName: aws.String("asg"),
		InstanceIds: []string{"i-0123456789abcdef0"}, ProtectedFromScaleIn: aws.Bool(true)})
	wantAWSError(t, err, ValidationError, "The instance i-0123456789abcdef0 is not part of Auto Scaling group asg.")
}

func TestUnexpectedTerminationIsReplaced(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 2, 2, nil)
	fx.advance(time.Minute)
	victim := fx.info("asg").Instances[0].ID
	if _, err := fx.ec2.TerminateInstances(&ec2.TerminateInstancesRequest{InstanceIds: []string{victim}}); err != nil {
		t.Fatal(err)
	}
	acts := fx.activities("asg")
	if got := aws.ToString(acts[0].Cause); !strings.HasSuffix(got, "an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.") {
		t.Fatalf("cause %q", got)
	}
	fx.advance(2 * time.Minute)
	g := fx.info("asg")
	if len(g.Instances) != 2 || g.Instances[0].ID == victim {
		t.Fatalf("not replaced: %+v", g.Instances)
	}
	acts = fx.activities("asg")
	if got := aws.ToString(acts[0].Cause); !strings.HasSuffix(got, "an instance was launched in response to an unhealthy instance needing to be replaced.") {
		t.Errorf("replacement cause %q (%s)", got, aws.ToString(acts[0].Description))
	}
	// A stopped instance is terminated and replaced too.
	stopped := g.Instances[0].ID
	if _, err := fx.ec2.StopInstances(&ec2.StopInstancesRequest{InstanceIds: []string{stopped}}); err != nil {
		t.Fatal(err)
	}
	fx.advance(3 * time.Minute)
	if info, _ := fx.ec2.Instance(stopped); info.State != ec2.StateTerminated {
		t.Errorf("stopped instance is %s", info.State)
	}
	if got := fx.states("asg"); got != "2 InService" {
		t.Errorf("states %s", got)
	}
}

func TestTerminateInstanceInAutoScalingGroup(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 3, aws.Int(2))
	fx.advance(time.Minute)
	ids := []string{fx.info("asg").Instances[0].ID, fx.info("asg").Instances[1].ID}
	out, err := fx.as.TerminateInstanceInAutoScalingGroup(&TerminateInstanceInAutoScalingGroupType{InstanceId: aws.String(ids[0]), ShouldDecrementDesiredCapacity: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	want := "At 2025-01-01T00:01:00Z instance " + ids[0] + " was taken out of service in response to a user request, shrinking the capacity from 2 to 1."
	if aws.ToString(out.Activity.Cause) != want || aws.ToString(out.Activity.Description) != "Terminating EC2 instance: "+ids[0] {
		t.Errorf("activity %+v", out.Activity)
	}
	_, err = fx.as.TerminateInstanceInAutoScalingGroup(&TerminateInstanceInAutoScalingGroupType{InstanceId: aws.String(ids[1]), ShouldDecrementDesiredCapacity: aws.Bool(true)})
	wantAWSError(t, err, ValidationError, "Currently, desiredSize equals minSize (1). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.")
	// Without decrement: replaced.
	out, err = fx.as.TerminateInstanceInAutoScalingGroup(&TerminateInstanceInAutoScalingGroupType{InstanceId: aws.String(ids[1]), ShouldDecrementDesiredCapacity: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Activity.Cause) != "At 2025-01-01T00:01:00Z instance "+ids[1]+" was taken out of service in response to a user request." {
		t.Errorf("cause %q", aws.ToString(out.Activity.Cause))
	}
	fx.advance(2 * time.Minute)
	if g := fx.info("asg"); g.Desired != 1 || len(g.Instances) != 1 || g.Instances[0].ID == ids[1] {
		t.Errorf("group %+v", g)
	}
	_, err = fx.as.TerminateInstanceInAutoScalingGroup(&TerminateInstanceInAutoScalingGroupType{InstanceId: aws.String("i-0123456789abcdef0"), ShouldDecrementDesiredCapacity: aws.Bool(false)})
	wantAWSError(t, err, ValidationError, "Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0")
}

func TestFailedLaunchIsRetried(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 2, aws.Int(1))
	// The template goes away before the launch.
	if _, err := fx.ec2.DeleteLaunchTemplate(&ec2.DeleteLaunchTemplateRequest{LaunchTemplateName: aws.String("ecs")}); err != nil {
		t.Fatal(err)
	}
	fx.advance(reconcileDelay)
	acts := fx.activities("asg")
	if len(acts) != 1 || aws.ToString(acts[0].StatusCode) != "Failed" ||
		!strings.HasPrefix(aws.ToString(acts[0].Description), "Launching a new EC2 instance.  Status Reason: The specified launch template, with template ID lt-") ||
		!strings.HasSuffix(aws.ToString(acts[0].StatusMessage), "does not exist. Launching EC2 instance failed.") {
		t.Fatalf("activities %+v", acts)
	}
	fx.advance(time.Minute)
	if n := len(fx.activities("asg")); n < 3 {
		t.Errorf("%d attempts after a minute, want retries", n)
	}
}

func TestSuspendLaunch(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 2, nil)
	if _, err := fx.as.SuspendProcesses(&ScalingProcessQuery{AutoScalingGroupName: aws.String("asg"), ScalingProcesses: []string{"Launch"}}); err != nil {
		t.Fatal(err)
	}
	if err := fx.as.SetDesired("asg", 2, "At 2025-01-01T00:00:00Z a test."); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Minute)
	if n := len(fx.info("asg").Instances); n != 0 {
		t.Fatalf("%d instances launched while Launch is suspended", n)
	}
	if _, err := fx.as.ResumeProcesses(&ScalingProcessQuery{AutoScalingGroupName: aws.String("asg")}); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Minute)
	if got := fx.states("asg"); got != "2 InService" {
		t.Errorf("after resume: %s", got)
	}
}
