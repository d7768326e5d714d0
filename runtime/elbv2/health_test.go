package elbv2

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

func describeOne(t *testing.T, f *fixture, tgArn, id string, port int) TargetHealth {
	t.Helper()
	out, err := f.elb.DescribeTargetHealth(&DescribeTargetHealthInput{TargetGroupArn: aws.String(tgArn),
		Targets: []TargetDescription{{Id: aws.String(id), Port: aws.Int(port)}}})
	if err != nil {
		t.Fatal(err)
	}
	return *out.TargetHealthDescriptions[0].TargetHealth
}

func wantHealth(t *testing.T, h TargetHealth, state, reason, desc string) {
	t.Helper()
	if aws.ToString(h.State) != state || aws.ToString(h.Reason) != reason || aws.ToString(h.Description) != desc {
		t.Fatalf("health = %s / %s / %s, want %s / %s / %s", aws.ToString(h.State), aws.ToString(h.Reason), aws.ToString(h.Description), state, reason, desc)
	}
}

// TestTimeToHealthy: with the defaults, a target that answers turns healthy
// HealthyThresholdCount × interval = 150 s after registration.
func TestTimeToHealthy(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	inst := f.instance()
	f.advance(ec2.DefaultBootTime)
	id := *inst.InstanceId
	f.allow(32768, 65535)
	f.answers[key(id, 32770)] = 200
	if err := f.elb.RegisterTarget(tg, id, 32770); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeOne(t, f, tg, id, 32770), "initial", "Elb.RegistrationInProgress", "Target registration is in progress")
	f.advance(30 * time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 32770), "initial", "Elb.InitialHealthChecking", "Initial health checks in progress")
	f.advance(119 * time.Second)
	if s, _ := f.elb.TargetState(tg, id, 32770); s != "initial" {
		t.Fatalf("at 149 s: %s", s)
	}
	f.advance(time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 32770), "healthy", "", "")
}

// TestUnhealthyReasons: nothing listening fails after UnhealthyThreshold ×
// interval with Target.FailedHealthChecks; a security group that drops the
// checks times out; a wrong status is a code mismatch; fixing it makes the
// target healthy after HealthyThreshold passes.
func TestUnhealthyReasons(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	inst := f.instance()
	f.advance(ec2.DefaultBootTime)
	id := *inst.InstanceId

	// The web group lets nothing in from the ALB: timeouts.
	f.answers[key(id, 80)] = 200
	f.elb.RegisterTarget(tg, id, 0)
	f.advance(60 * time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unhealthy", "Target.Timeout", "Request timed out")

	// Open only 80-80... and make the workload answer 404.
	f.allow(80, 80)
	f.answers[key(id, 80)] = 404
	f.advance(30 * time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")

	delete(f.answers, key(id, 80))
	f.advance(30 * time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unhealthy", "Target.FailedHealthChecks", "Health checks failed")

	f.answers[key(id, 80)] = 200
	f.advance(4 * 30 * time.Second)
	if s, _ := f.elb.TargetState(tg, id, 80); s != "unhealthy" {
		t.Fatalf("after 4 passes: %s", s)
	}
	f.advance(30 * time.Second)
	if s, _ := f.elb.TargetState(tg, id, 80); s != "healthy" {
		t.Fatalf("after 5 passes: %s", s)
	}
	// Healthy to unhealthy: 2 failures.
	f.answers[key(id, 80)] = NoAnswer
	f.advance(30 * time.Second)
	if s, _ := f.elb.TargetState(tg, id, 80); s != "healthy" {
		t.Fatalf("after 1 failure: %s", s)
	}
	f.advance(30 * time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unhealthy", "Target.Timeout", "Request timed out")
}

// TestIPTargets: an ip target is checked through its network interface's
// groups; the health check settings are the group's.
func TestIPTargets(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("fargate", "ip", 8080)
	if _, err := f.elb.ModifyTargetGroup(&ModifyTargetGroupInput{TargetGroupArn: aws.String(tg), HealthCheckIntervalSeconds: aws.Int(10),
		HealthyThresholdCount: aws.Int(2), HealthCheckPath: aws.String("/health")}); err != nil {
		t.Fatal(err)
	}
	f.listener(*lb.LoadBalancerArn, 80, tg)
	n, err := f.ec2.CreateENI(f.ec2.DefaultSubnets()[2].ID, "task", []string{f.webSG}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.allow(8080, 8080)
	f.answers[key(n.PrivateIP, 8080)] = 200
	if err := f.elb.RegisterTarget(tg, n.PrivateIP, 0); err != nil {
		t.Fatal(err)
	}
	// us-east-1c is not one of the load balancer's zones.
	wantHealth(t, describeOne(t, f, tg, n.PrivateIP, 8080), "unused", "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer")

	n2, _ := f.ec2.CreateENI(f.ec2.DefaultSubnets()[0].ID, "task", []string{f.webSG}, "")
	f.answers[key(n2.PrivateIP, 8080)] = 200
	f.elb.RegisterTarget(tg, n2.PrivateIP, 0)
	f.advance(20 * time.Second)
	out, _ := f.elb.DescribeTargetHealth(&DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
	d := out.TargetHealthDescriptions[1]
	if *d.TargetHealth.State != "healthy" || *d.Target.AvailabilityZone != "us-east-1a" || *d.HealthCheckPort != "8080" {
		t.Fatalf("ip target: %+v %+v", *d.TargetHealth, *d.Target)
	}
}

// TestDraining: a deregistered target drains for the deregistration delay,
// receives no traffic, then is gone.
func TestDraining(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	if got := f.elb.DeregistrationDelay(tg); got != 300*time.Second {
		t.Fatalf("default delay %s", got)
	}
	if _, err := f.elb.ModifyTargetGroupAttributes(&ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tg),
		Attributes: []TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")}}}); err != nil {
		t.Fatal(err)
	}
	_, err := f.elb.ModifyTargetGroupAttributes(&ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tg),
		Attributes: []TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("3601")}}})
	wantAWSError(t, err, ValidationError, "The value of 'deregistration_delay.timeout_seconds' must be between 0 and 3600")
	inst := f.instance()
	f.advance(ec2.DefaultBootTime)
	id := *inst.InstanceId
	f.allow(80, 80)
	f.answers[key(id, 80)] = 200
	f.elb.RegisterTarget(tg, id, 80)
	f.advance(150 * time.Second)
	f.elb.SetTraffic("web", 10)
	if got := f.elb.Traffic(tg)[TargetKey{id, 80}]; got != 10 {
		t.Fatalf("traffic before draining: %v", got)
	}
	f.changes = nil
	if err := f.elb.DeregisterTarget(tg, id, 80); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeOne(t, f, tg, id, 80), "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")
	if got := f.elb.Traffic(tg)[TargetKey{id, 80}]; got != 0 {
		t.Fatalf("traffic while draining: %v", got)
	}
	f.advance(29 * time.Second)
	if s, _ := f.elb.TargetState(tg, id, 80); s != "draining" {
		t.Fatalf("at 29 s: %s", s)
	}
	f.advance(time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unused", "Target.NotRegistered", "Target is not registered to the target group")
	want := []string{"5m0s " + id + " draining Target.DeregistrationInProgress", "5m30s " + id + " unused Target.NotRegistered"}
	if len(f.changes) != 2 || f.changes[0] != want[0] || f.changes[1] != want[1] {
		t.Fatalf("hooks: %q, want %q", f.changes, want)
	}
}

// TestUnusedTargetGroup: targets of a group no listener uses are unused;
// a listener makes them initial.
func TestUnusedTargetGroup(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	inst := f.instance()
	f.advance(ec2.DefaultBootTime)
	id := *inst.InstanceId
	f.elb.RegisterTarget(tg, id, 0)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer")
	f.listener(*lb.LoadBalancerArn, 80, tg)
	wantHealth(t, describeOne(t, f, tg, id, 80), "initial", "Elb.RegistrationInProgress", "Target registration is in progress")
	// A stopped instance is unused, Target.InvalidState.
	f.ec2.StopInstances(&ec2.StopInstancesRequest{InstanceIds: []string{id}})
	f.advance(ec2.ShutdownTime + 30*time.Second)
	wantHealth(t, describeOne(t, f, tg, id, 80), "unused", "Target.InvalidState", "Target is in the stopped state")
}
