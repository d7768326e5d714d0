package autoscaling

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// ecsAMI is the ECS-optimized Amazon Linux 2023 x86_64 AMI of us-east-1 in
// EC2's catalogue.
const ecsAMI = "ami-0f3f5e1b8c2d4a6e9"

// fakeAlarms records the alarms a policy makes.
type fakeAlarms struct {
	alarms  map[string]AlarmSpec
	deleted []string
}

func (f *fakeAlarms) PutAlarm(s AlarmSpec) (string, error) {
	f.alarms[s.Name] = s
	return "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + s.Name, nil
}

func (f *fakeAlarms) DeleteAlarm(name string) error {
	delete(f.alarms, name)
	f.deleted = append(f.deleted, name)
	return nil
}

func (f *fakeAlarms) Alarm(name string) (AlarmSpec, bool) {
	s, ok := f.alarms[name]
	return s, ok
}

type fixture struct {
	t      *testing.T
	sim    *sim.Sim
	ec2    *ec2.EC2
	as     *AutoScaling
	alarms *fakeAlarms
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := sim.New(sim.Config{})
	e := ec2.New(ec2.Config{Sim: s, Identity: aws.DefaultIdentity()})
	f := &fakeAlarms{alarms: map[string]AlarmSpec{}}
	as := New(Config{Sim: s, Identity: aws.DefaultIdentity(), EC2: e, Alarms: f})
	fx := &fixture{t: t, sim: s, ec2: e, as: as, alarms: f}
	fx.template("ecs", "t3.medium")
	return fx
}

// template creates a launch template with one version of the given type.
func (fx *fixture) template(name, typ string) {
	fx.t.Helper()
	_, err := fx.ec2.CreateLaunchTemplate(&ec2.CreateLaunchTemplateRequest{
		LaunchTemplateName: aws.String(name),
		LaunchTemplateData: &ec2.RequestLaunchTemplateData{
			ImageId: aws.String(ecsAMI), InstanceType: aws.String(typ),
			UserData: aws.String(base64.StdEncoding.EncodeToString([]byte("echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"))),
		},
	})
	if err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) subnets() string {
	var ids []string
	for _, s := range fx.ec2.DefaultSubnets() {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ",")
}

// group creates a group over the three default subnets.
func (fx *fixture) group(name string, minSize, maxSize int, desired *int, mod ...func(*CreateAutoScalingGroupType)) {
	fx.t.Helper()
	in := &CreateAutoScalingGroupType{
		AutoScalingGroupName: aws.String(name),
		LaunchTemplate:       &LaunchTemplateSpecification{LaunchTemplateName: aws.String("ecs"), Version: aws.String("$Latest")},
		MinSize:              aws.Int(minSize), MaxSize: aws.Int(maxSize), DesiredCapacity: desired,
		VPCZoneIdentifier: aws.String(fx.subnets()),
	}
	for _, m := range mod {
		m(in)
	}
	if _, err := fx.as.CreateAutoScalingGroup(in); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) advance(d time.Duration) {
	fx.t.Helper()
	if err := fx.sim.Advance(context.Background(), d); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) info(name string) GroupInfo {
	fx.t.Helper()
	g, ok := fx.as.Group(name)
	if !ok {
		fx.t.Fatalf("group %s not found", name)
	}
	return g
}

// states counts a group's instances by lifecycle state: "2 InService".
func (fx *fixture) states(name string) string {
	counts := map[string]int{}
	for _, i := range fx.info(name).Instances {
		counts[i.LifecycleState]++
	}
	var parts []string
	for _, k := range sortedKeys(counts) {
		parts = append(parts, itoa(counts[k])+" "+k)
	}
	return strings.Join(parts, ", ")
}

func (fx *fixture) activities(name string) []Activity {
	fx.t.Helper()
	out, err := fx.as.DescribeScalingActivities(&DescribeScalingActivitiesType{AutoScalingGroupName: aws.String(name)})
	if err != nil {
		fx.t.Fatal(err)
	}
	return out.Activities
}

func itoa(n int) string { return fmtNum(float64(n)) }

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("got %s: %s\nwant %s: %s", e.Code, e.Message, code, msg)
	}
}
