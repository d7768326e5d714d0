package autoscaling

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestCreateAutoScalingGroupRefusals(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mod       func(*CreateAutoScalingGroupType)
		code, msg string
	}{
		{"exists", func(in *CreateAutoScalingGroupType) { in.AutoScalingGroupName = aws.String("taken") },
			AlreadyExists, "AutoScalingGroup by this name already exists - A group with the name taken already exists"},
		{"max below min", func(in *CreateAutoScalingGroupType) { in.MinSize, in.MaxSize = aws.Int(5), aws.Int(3) },
			ValidationError, "Max bound, 3, must be greater than or equal to min bound, 5"},
		{"desired above max", func(in *CreateAutoScalingGroupType) { in.DesiredCapacity = aws.Int(11) },
			ValidationError, "Desired capacity:11 must be between the specified min size:1 and max size:10"},
		{"desired below min", func(in *CreateAutoScalingGroupType) { in.DesiredCapacity = aws.Int(0) },
			ValidationError, "Desired capacity:0 must be between the specified min size:1 and max size:10"},
		{"template id and name", func(in *CreateAutoScalingGroupType) {
			in.LaunchTemplate.LaunchTemplateId = aws.String("lt-0123456789abcdef0")
		},
			ValidationError, "Valid requests must contain either launchTemplateId or LaunchTemplateName"},
		{"unknown template", func(in *CreateAutoScalingGroupType) { in.LaunchTemplate.LaunchTemplateName = aws.String("nope") },
			ValidationError, "You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist."},
		{"unknown version", func(in *CreateAutoScalingGroupType) { in.LaunchTemplate.Version = aws.String("9") },
			ValidationError, "You must use a valid fully-formed launch template. Could not find the specified version 9 for the launch template with ID %LT%."},
		{"no launch source", func(in *CreateAutoScalingGroupType) { in.LaunchTemplate = nil },
			ValidationError, "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter."},
		{"mixed instances", func(in *CreateAutoScalingGroupType) { in.MixedInstancesPolicy = &MixedInstancesPolicy{} },
			awserr.NotSimulated, "ecsbox does not simulate MixedInstancesPolicy yet; use LaunchTemplate"},
		{"no subnets or zones", func(in *CreateAutoScalingGroupType) { in.VPCZoneIdentifier = nil },
			ValidationError, "At least one Availability Zone or VPC Subnet is required."},
		{"unknown subnet", func(in *CreateAutoScalingGroupType) { in.VPCZoneIdentifier = aws.String("subnet-0123456789abcdef0") },
			ValidationError, "The subnet ID 'subnet-0123456789abcdef0' does not exist"},
		{"termination policy", func(in *CreateAutoScalingGroupType) { in.TerminationPolicies = []string{"Youngest"} },
			ValidationError, "Invalid termination policy: Youngest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.group("taken", 0, 1, nil)
			in := &CreateAutoScalingGroupType{
				AutoScalingGroupName: aws.String("asg"),
				LaunchTemplate:       &LaunchTemplateSpecification{LaunchTemplateName: aws.String("ecs")},
				MinSize:              aws.Int(1), MaxSize: aws.Int(10),
				VPCZoneIdentifier: aws.String(fx.subnets()),
			}
			tc.mod(in)
			_, err := fx.as.CreateAutoScalingGroup(in)
			lt, _ := fx.ec2.LaunchTemplate("ecs")
			wantAWSError(t, err, tc.code, strings.ReplaceAll(tc.msg, "%LT%", lt.ID))
		})
	}
}

func TestGroupLaunchesBalancedAcrossZones(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 10, aws.Int(5), func(in *CreateAutoScalingGroupType) {
		in.Tags = []Tag{
			{Key: aws.String("team"), Value: aws.String("web"), PropagateAtLaunch: aws.Bool(true)},
			{Key: aws.String("cost"), Value: aws.String("x"), PropagateAtLaunch: aws.Bool(false)},
		}
	})
	if got := fx.states("asg"); got != "" {
		t.Fatalf("before the reconcile delay: %q", got)
	}
	fx.advance(reconcileDelay)
	if got := fx.states("asg"); got != "5 Pending" {
		t.Fatalf("after %s: %s", reconcileDelay, got)
	}
	fx.advance(time.Minute)
	if got := fx.states("asg"); got != "5 InService" {
		t.Fatalf("after boot: %s", got)
	}
	perAZ := map[string]int{}
	for _, i := range fx.info("asg").Instances {
		perAZ[i.AZ]++
		inst, _ := fx.ec2.Instance(i.ID)
		if inst.Tags["team"] != "web" || inst.Tags["aws:autoscaling:groupName"] != "asg" || inst.Tags["cost"] != "" {
			t.Errorf("instance tags %v", inst.Tags)
		}
		if inst.Type != "t3.medium" || !strings.Contains(inst.UserData, "ECS_CLUSTER=demo") {
			t.Errorf("instance %+v", inst)
		}
	}
	if fmt.Sprint(perAZ) != "map[us-east-1a:2 us-east-1b:2 us-east-1c:1]" {
		t.Errorf("per AZ %v", perAZ)
	}
	out, _ := fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{AutoScalingGroupNames: []string{"asg"}})
	g := out.AutoScalingGroups[0]
	if aws.ToInt(g.DesiredCapacity) != 5 || len(g.Instances) != 5 || aws.ToString(g.Instances[0].HealthStatus) != "Healthy" ||
		aws.ToString(g.Instances[0].LaunchTemplate.Version) != "1" || aws.ToString(g.LaunchTemplate.Version) != "$Latest" ||
		aws.ToInt(g.DefaultCooldown) != 300 || aws.ToString(g.HealthCheckType) != "EC2" || len(g.Tags) != 2 {
		t.Errorf("describe: %+v", g)
	}
}

func TestUpdateAndSetDesiredCapacity(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 10, nil)
	// MinSize above the desired capacity raises it.
	if _, err := fx.as.UpdateAutoScalingGroup(&UpdateAutoScalingGroupType{AutoScalingGroupName: aws.String("asg"), MinSize: aws.Int(2)}); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Minute)
	if g := fx.info("asg"); g.Desired != 2 || len(g.Instances) != 2 {
		t.Fatalf("after min 2: %+v", g)
	}
	acts := fx.activities("asg")
	want := "At 2025-01-01T00:00:00Z a user request update of AutoScalingGroup constraints to min: 2, max: 10, desired: 2 changing the desired capacity from 0 to 2.  " +
		"At 2025-01-01T00:00:10Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2."
	if len(acts) != 2 || aws.ToString(acts[0].Cause) != want || !strings.HasPrefix(aws.ToString(acts[0].Description), "Launching a new EC2 instance: i-") {
		t.Fatalf("activities: %+v", acts)
	}
	for _, tc := range []struct {
		desired int
		msg     string
	}{
		{11, "New SetDesiredCapacity value 11 is above max value 10 for the AutoScalingGroup."},
		{1, "New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup."},
	} {
		_, err := fx.as.SetDesiredCapacity(&SetDesiredCapacityType{AutoScalingGroupName: aws.String("asg"), DesiredCapacity: aws.Int(tc.desired)})
		wantAWSError(t, err, ValidationError, tc.msg)
	}
	_, err := fx.as.UpdateAutoScalingGroup(&UpdateAutoScalingGroupType{AutoScalingGroupName: aws.String("asg"), MaxSize: aws.Int(1)})
	wantAWSError(t, err, ValidationError, "Max bound, 1, must be greater than or equal to min bound, 2")
	_, err = fx.as.SetDesiredCapacity(&SetDesiredCapacityType{AutoScalingGroupName: aws.String("nope"), DesiredCapacity: aws.Int(1)})
	wantAWSError(t, err, ValidationError, "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found")

	// Scale in from 2 to 1: one termination with AWS's Cause.
	fx.advance(time.Hour)
	if _, err := fx.as.UpdateAutoScalingGroup(&UpdateAutoScalingGroupType{AutoScalingGroupName: aws.String("asg"), MinSize: aws.Int(0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.as.SetDesiredCapacity(&SetDesiredCapacityType{AutoScalingGroupName: aws.String("asg"), DesiredCapacity: aws.Int(1)}); err != nil {
		t.Fatal(err)
	}
	fx.advance(reconcileDelay)
	acts = fx.activities("asg")
	cause := aws.ToString(acts[0].Cause)
	wantPrefix := "At 2025-01-01T01:01:00Z a user request explicitly set group desired capacity changing the desired capacity from 2 to 1.  " +
		"At 2025-01-01T01:01:10Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 2 to 1.  " +
		"At 2025-01-01T01:01:10Z instance i-"
	if !strings.HasPrefix(cause, wantPrefix) || !strings.HasSuffix(cause, " was selected for termination.") ||
		!strings.HasPrefix(aws.ToString(acts[0].Description), "Terminating EC2 instance: i-") || aws.ToString(acts[0].StatusCode) != "InProgress" {
		t.Fatalf("scale-in activity: %s | %s", aws.ToString(acts[0].Description), cause)
	}
	fx.advance(time.Minute)
	if got := fx.states("asg"); got != "1 InService" {
		t.Fatalf("after scale-in: %s", got)
	}
	if acts = fx.activities("asg"); aws.ToString(acts[0].StatusCode) != "Successful" || acts[0].EndTime == nil {
		t.Errorf("termination activity did not end: %+v", acts[0])
	}
}

func TestDeleteAutoScalingGroup(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 3, nil)
	fx.advance(reconcileDelay)
	_, err := fx.as.DeleteAutoScalingGroup(&DeleteAutoScalingGroupType{AutoScalingGroupName: aws.String("asg")})
	wantAWSError(t, err, ScalingActivityInProgress, "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.")
	fx.advance(time.Minute)
	_, err = fx.as.DeleteAutoScalingGroup(&DeleteAutoScalingGroupType{AutoScalingGroupName: aws.String("asg")})
	wantAWSError(t, err, ResourceInUse, "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.")
	if _, err := fx.as.DeleteAutoScalingGroup(&DeleteAutoScalingGroupType{AutoScalingGroupName: aws.String("asg"), ForceDelete: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	out, _ := fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{})
	if len(out.AutoScalingGroups) != 1 || aws.ToString(out.AutoScalingGroups[0].Status) != "Delete in progress" {
		t.Fatalf("while deleting: %+v", out.AutoScalingGroups)
	}
	fx.advance(time.Minute)
	if _, ok := fx.as.Group("asg"); ok {
		t.Fatal("group still there")
	}
	if len(fx.activities("asg")) != 0 {
		t.Error("activities of a deleted group shown without IncludeDeletedGroups")
	}
	out2, _ := fx.as.DescribeScalingActivities(&DescribeScalingActivitiesType{AutoScalingGroupName: aws.String("asg"), IncludeDeletedGroups: aws.Bool(true)})
	if len(out2.Activities) != 2 || aws.ToString(out2.Activities[0].AutoScalingGroupState) != "Deleted" {
		t.Errorf("deleted activities: %+v", out2.Activities)
	}
}
