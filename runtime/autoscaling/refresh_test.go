package autoscaling

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// TestInstanceRefreshChangesInstanceType is how the course notes change
// the instance type: a new template version, then an instance refresh.
func TestInstanceRefreshChangesInstanceType(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 0, 10, aws.Int(4), func(in *CreateAutoScalingGroupType) { in.DefaultInstanceWarmup = aws.Int(60) })
	fx.advance(time.Minute)
	if _, err := fx.ec2.CreateLaunchTemplateVersion(&ec2.CreateLaunchTemplateVersionRequest{
		LaunchTemplateName: aws.String("ecs"), SourceVersion: aws.String("$Latest"),
		LaunchTemplateData: &ec2.RequestLaunchTemplateData{InstanceType: aws.String("m5.large")},
	}); err != nil {
		t.Fatal(err)
	}
	// The group uses $Latest, but running instances keep their type.
	fx.advance(time.Hour)
	for _, i := range fx.info("asg").Instances {
		if inst, _ := fx.ec2.Instance(i.ID); inst.Type != "t3.medium" {
			t.Fatalf("%s changed to %s without a refresh", i.ID, inst.Type)
		}
	}
	out, err := fx.as.StartInstanceRefresh(&StartInstanceRefreshType{AutoScalingGroupName: aws.String("asg"),
		Preferences: &RefreshPreferences{MinHealthyPercentage: aws.Int(50)}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fx.as.StartInstanceRefresh(&StartInstanceRefreshType{AutoScalingGroupName: aws.String("asg")})
	wantAWSError(t, err, InstanceRefreshInProgress, "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")

	describe := func() InstanceRefresh {
		t.Helper()
		d, err := fx.as.DescribeInstanceRefreshes(&DescribeInstanceRefreshesType{AutoScalingGroupName: aws.String("asg")})
		if err != nil || len(d.InstanceRefreshes) != 1 {
			t.Fatal(err, d)
		}
		return d.InstanceRefreshes[0]
	}
	if r := describe(); aws.ToString(r.Status) != "Pending" || aws.ToString(r.InstanceRefreshId) != aws.ToString(out.InstanceRefreshId) {
		t.Fatalf("just started: %+v", r)
	}
	// Batches of 2 (4 healthy − ceil(4 × 50 %) = 2): after the first batch
	// is replaced and warming, the refresh waits; nothing counts as updated
	// before its replacement has warmed up.
	fx.advance(time.Minute)
	r := describe()
	if aws.ToString(r.Status) != "InProgress" || aws.ToInt(r.PercentageComplete) != 0 || aws.ToInt(r.InstancesToUpdate) != 4 {
		t.Fatalf("first batch: %s %d%% %d left (%s)", aws.ToString(r.Status), aws.ToInt(r.PercentageComplete), aws.ToInt(r.InstancesToUpdate), aws.ToString(r.StatusReason))
	}
	if reason := aws.ToString(r.StatusReason); len(reason) < 60 || reason[:58] != "Waiting for instances to warm up before continuing. For ex" {
		t.Errorf("reason %q", reason)
	}
	// Once the first replacements are warm, half is done.
	warm := time.Duration(aws.ToInt(r.Preferences.InstanceWarmup)) * time.Second
	fx.advance(warm)
	if r := describe(); aws.ToInt(r.PercentageComplete) != 50 || aws.ToInt(r.InstancesToUpdate) != 2 {
		t.Fatalf("first batch warm: %s %d%% %d left", aws.ToString(r.Status), aws.ToInt(r.PercentageComplete), aws.ToInt(r.InstancesToUpdate))
	}
	fx.advance(10 * time.Minute)
	r = describe()
	if aws.ToString(r.Status) != "Successful" || aws.ToInt(r.PercentageComplete) != 100 || r.EndTime == nil {
		t.Fatalf("end: %+v", r)
	}
	g := fx.info("asg")
	if len(g.Instances) != 4 || g.InstanceTypes[0] != "m5.large" {
		t.Fatalf("group %+v", g)
	}
	for _, i := range g.Instances {
		if inst, _ := fx.ec2.Instance(i.ID); inst.Type != "m5.large" || i.LifecycleState != "InService" {
			t.Errorf("%s is %s %s", i.ID, inst.Type, i.LifecycleState)
		}
	}
	_, err = fx.as.CancelInstanceRefresh(&CancelInstanceRefreshType{AutoScalingGroupName: aws.String("asg")})
	wantAWSError(t, err, ActiveInstanceRefreshNotFound, "No in progress or pending Instance Refresh found for Auto Scaling group asg")
}

func TestInstanceRefreshWithDesiredConfigurationAndCancel(t *testing.T) {
	fx := newFixture(t)
	fx.template("bigger", "m5.xlarge")
	fx.group("asg", 0, 10, aws.Int(3))
	fx.advance(time.Minute)
	if _, err := fx.as.StartInstanceRefresh(&StartInstanceRefreshType{AutoScalingGroupName: aws.String("asg"),
		DesiredConfiguration: &DesiredConfiguration{LaunchTemplate: &LaunchTemplateSpecification{LaunchTemplateName: aws.String("bigger"), Version: aws.String("1")}},
		Preferences:          &RefreshPreferences{InstanceWarmup: aws.Int(0)}}); err != nil {
		t.Fatal(err)
	}
	fx.advance(30 * time.Second)
	if _, err := fx.as.CancelInstanceRefresh(&CancelInstanceRefreshType{AutoScalingGroupName: aws.String("asg")}); err != nil {
		t.Fatal(err)
	}
	fx.advance(time.Hour)
	types := map[string]int{}
	for _, i := range fx.info("asg").Instances {
		inst, _ := fx.ec2.Instance(i.ID)
		types[inst.Type]++
	}
	// One batch (3 − ceil(3 × 90 %) = 0 → 1) was replaced before the cancel;
	// the group keeps its own template.
	if types["m5.xlarge"] != 1 || types["t3.medium"] != 2 {
		t.Errorf("types %v", types)
	}
	if g := fx.info("asg"); g.InstanceTypes[0] != "t3.medium" {
		t.Errorf("group template changed: %v", g.InstanceTypes)
	}
}
