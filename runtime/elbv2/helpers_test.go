package elbv2

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// ecsAMI is the ECS-optimized Amazon Linux 2023 x86_64 AMI of us-east-1 in
// ecsbox's catalogue.
const ecsAMI = "ami-0f3f5e1b8c2d4a6e9"

// fixture is an account with EC2, a recorder of metrics and backends that
// answer as the test says.
type fixture struct {
	t       *testing.T
	sim     *sim.Sim
	ec2     *ec2.EC2
	elb     *ELBv2
	metrics *recorder
	answers map[string]int // "id:port" -> status; absent: NoListener
	albSG   string
	webSG   string
	changes []string
}

type point struct {
	name  string
	dims  []cloudwatch.Dim
	value float64
	at    time.Time
}

type recorder struct{ points []point }

func (r *recorder) Publish(ns, name string, dims []cloudwatch.Dim, v float64, unit string, at time.Time) {
	r.points = append(r.points, point{name, dims, v, at})
}

func (r *recorder) find(name string, dims ...string) []float64 {
	var out []float64
	for _, p := range r.points {
		if p.name != name || len(p.dims) != len(dims)/2 {
			continue
		}
		ok := true
		for i, d := range p.dims {
			ok = ok && d.Name == dims[2*i] && d.Value == dims[2*i+1]
		}
		if ok {
			out = append(out, p.value)
		}
	}
	return out
}

type backends struct{ f *fixture }

func (b backends) Answer(id string, port int, path string) (int, string) {
	if s, ok := b.f.answers[key(id, port)]; ok {
		return s, "test backend"
	}
	return NoListener, "nothing listens"
}

func key(id string, port int) string { return id + ":" + strconv.Itoa(port) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := sim.New(sim.Config{})
	id := aws.DefaultIdentity()
	e2 := ec2.New(ec2.Config{Sim: s, Identity: id})
	f := &fixture{t: t, sim: s, ec2: e2, metrics: &recorder{}, answers: map[string]int{}}
	f.elb = New(Config{Sim: s, Identity: id, EC2: e2, Metrics: f.metrics})
	f.elb.SetBackends(backends{f})
	f.elb.OnTargetHealthChange(func(tg, id string, port int, state, reason string) {
		f.changes = append(f.changes, s.Now().Sub(s.Start()).String()+" "+id+" "+state+" "+reason)
	})
	f.albSG = f.group("alb")
	f.webSG = f.group("web")
	return f
}

func (f *fixture) group(name string) string {
	f.t.Helper()
	out, err := f.ec2.CreateSecurityGroup(&ec2.CreateSecurityGroupRequest{GroupName: aws.String(name), Description: aws.String(name)})
	if err != nil {
		f.t.Fatal(err)
	}
	return *out.GroupId
}

// allow lets the ALB's group reach the web group on a port range.
func (f *fixture) allow(from, to int) {
	f.t.Helper()
	_, err := f.ec2.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(f.webSG),
		IpPermissions: []ec2.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int(from), ToPort: aws.Int(to),
			UserIdGroupPairs: []ec2.UserIdGroupPair{{GroupId: aws.String(f.albSG)}}}}})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) advance(d time.Duration) {
	f.t.Helper()
	if err := f.sim.Advance(context.Background(), d); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) instance() ec2.Instance {
	f.t.Helper()
	out, err := f.ec2.RunInstances(&ec2.RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(1),
		SecurityGroupIds: []string{f.webSG}})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Instances[0]
}

// alb creates an active load balancer in two default subnets.
func (f *fixture) alb(name string) *LoadBalancer {
	f.t.Helper()
	subnets := f.ec2.DefaultSubnets()
	out, err := f.elb.CreateLoadBalancer(&CreateLoadBalancerInput{Name: aws.String(name),
		Subnets: []string{subnets[0].ID, subnets[1].ID}, SecurityGroups: []string{f.albSG}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.advance(DefaultProvisioningTime)
	return &out.LoadBalancers[0]
}

func (f *fixture) targetGroup(name, targetType string, port int) string {
	f.t.Helper()
	out, err := f.elb.CreateTargetGroup(&CreateTargetGroupInput{Name: aws.String(name), Protocol: aws.String("HTTP"), Port: aws.Int(port),
		VpcId: aws.String(f.ec2.DefaultVPC()), TargetType: aws.String(targetType)})
	if err != nil {
		f.t.Fatal(err)
	}
	return *out.TargetGroups[0].TargetGroupArn
}

func (f *fixture) listener(lbArn string, port int, tgArn string) string {
	f.t.Helper()
	out, err := f.elb.CreateListener(&CreateListenerInput{LoadBalancerArn: aws.String(lbArn), Protocol: aws.String("HTTP"), Port: aws.Int(port),
		DefaultActions: []Action{{Type: aws.String("forward"), TargetGroupArn: aws.String(tgArn)}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return *out.Listeners[0].ListenerArn
}

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
