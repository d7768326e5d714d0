package elbv2

import (
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/internal/apitest"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

func TestCreateLoadBalancer(t *testing.T) {
	f := newFixture(t)
	subnets := f.ec2.DefaultSubnets()
	out, err := f.elb.CreateLoadBalancer(&CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{subnets[0].ID, subnets[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	lb := out.LoadBalancers[0]
	if *lb.State.Code != "provisioning" || !strings.HasPrefix(*lb.LoadBalancerArn, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/") ||
		!strings.HasPrefix(*lb.DNSName, "web-") || !strings.HasSuffix(*lb.DNSName, ".us-east-1.elb.amazonaws.com") ||
		lb.SecurityGroups[0] != f.ec2.DefaultSecurityGroup() || *lb.Scheme != "internet-facing" {
		t.Fatalf("load balancer: %+v", lb)
	}
	// The same request again returns the same load balancer.
	again, err := f.elb.CreateLoadBalancer(&CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{subnets[0].ID, subnets[1].ID}})
	if err != nil || *again.LoadBalancers[0].LoadBalancerArn != *lb.LoadBalancerArn {
		t.Fatalf("idempotent create: %v", err)
	}
	f.advance(DefaultProvisioningTime)
	d, _ := f.elb.DescribeLoadBalancers(&DescribeLoadBalancersInput{Names: []string{"web"}})
	if *d.LoadBalancers[0].State.Code != "active" {
		t.Fatalf("after provisioning: %s", *d.LoadBalancers[0].State.Code)
	}
	// Its nodes are network interfaces in the load balancer's groups.
	enis, _ := f.ec2.DescribeNetworkInterfaces(&ec2.DescribeNetworkInterfacesRequest{})
	if len(enis.NetworkInterfaces) != 2 || *enis.NetworkInterfaces[0].Description != "ELB app/web/"+f.elb.lbs[0].hex {
		t.Fatalf("nodes: %+v", enis.NetworkInterfaces)
	}
	for _, tc := range []struct {
		name string
		in   CreateLoadBalancerInput
		code string
		msg  string
	}{
		{"one subnet", CreateLoadBalancerInput{Name: aws.String("x"), Subnets: []string{subnets[0].ID}},
			ValidationError, "At least two subnets in two different Availability Zones must be specified"},
		{"different settings", CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{subnets[0].ID, subnets[2].ID}},
			DuplicateLoadBalancerName, "A load balancer with the same name 'web' exists, but with different settings"},
		{"long name", CreateLoadBalancerInput{Name: aws.String(strings.Repeat("a", 33)), Subnets: []string{subnets[0].ID, subnets[1].ID}},
			ValidationError, "Load balancer name '" + strings.Repeat("a", 33) + "' cannot be longer than '32' characters"},
		{"network", CreateLoadBalancerInput{Name: aws.String("n"), Type: aws.String("network"), Subnets: []string{subnets[0].ID, subnets[1].ID}},
			"NotSimulated", "ecsbox simulates Application Load Balancers only, not Type network"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.CreateLoadBalancer(&tc.in)
			wantAWSError(t, err, tc.code, tc.msg)
		})
	}
	_, err = f.elb.DescribeLoadBalancers(&DescribeLoadBalancersInput{Names: []string{"nope"}})
	wantAWSError(t, err, LoadBalancerNotFound, "One or more load balancers not found")
	if _, err := f.elb.DeleteLoadBalancer(&DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Fatal(err)
	}
	if enis, _ := f.ec2.DescribeNetworkInterfaces(&ec2.DescribeNetworkInterfacesRequest{}); len(enis.NetworkInterfaces) != 0 {
		t.Fatalf("nodes left after delete: %d", len(enis.NetworkInterfaces))
	}
}

func TestCreateTargetGroup(t *testing.T) {
	f := newFixture(t)
	vpc := aws.String(f.ec2.DefaultVPC())
	out, err := f.elb.CreateTargetGroup(&CreateTargetGroupInput{Name: aws.String("web"), Protocol: aws.String("HTTP"), Port: aws.Int(80), VpcId: vpc})
	if err != nil {
		t.Fatal(err)
	}
	tg := out.TargetGroups[0]
	if *tg.HealthCheckIntervalSeconds != 30 || *tg.HealthCheckTimeoutSeconds != 5 || *tg.HealthyThresholdCount != 5 ||
		*tg.UnhealthyThresholdCount != 2 || *tg.HealthCheckPath != "/" || *tg.HealthCheckPort != "traffic-port" ||
		*tg.Matcher.HttpCode != "200" || *tg.TargetType != "instance" ||
		!strings.HasPrefix(*tg.TargetGroupArn, "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/") {
		t.Fatalf("defaults: %+v", tg)
	}
	for _, tc := range []struct {
		name string
		in   CreateTargetGroupInput
		code string
		msg  string
	}{
		{"duplicate", CreateTargetGroupInput{Name: aws.String("web"), Protocol: aws.String("HTTP"), Port: aws.Int(8080), VpcId: vpc},
			DuplicateTargetGroupName, "A target group with the same name 'web' exists, but with different settings"},
		{"interval", CreateTargetGroupInput{Name: aws.String("a"), Protocol: aws.String("HTTP"), Port: aws.Int(80), VpcId: vpc, HealthCheckIntervalSeconds: aws.Int(301)},
			ValidationError, "1 validation error detected: Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value greater than or equal to 5 and less than or equal to 300"},
		{"threshold", CreateTargetGroupInput{Name: aws.String("a"), Protocol: aws.String("HTTP"), Port: aws.Int(80), VpcId: vpc, HealthyThresholdCount: aws.Int(1)},
			ValidationError, "1 validation error detected: Value '1' at 'healthyThresholdCount' failed to satisfy constraint: Member must have value greater than or equal to 2 and less than or equal to 10"},
		{"timeout", CreateTargetGroupInput{Name: aws.String("a"), Protocol: aws.String("HTTP"), Port: aws.Int(80), VpcId: vpc, HealthCheckIntervalSeconds: aws.Int(5), HealthCheckTimeoutSeconds: aws.Int(5)},
			ValidationError, "Health check interval must be greater than the timeout."},
		{"lambda", CreateTargetGroupInput{Name: aws.String("a"), TargetType: aws.String("lambda")},
			"NotSimulated", "ecsbox does not simulate lambda targets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.CreateTargetGroup(&tc.in)
			wantAWSError(t, err, tc.code, tc.msg)
		})
	}
	_, err = f.elb.DescribeTargetGroups(&DescribeTargetGroupsInput{Names: []string{"nope"}})
	wantAWSError(t, err, TargetGroupNotFound, "One or more target groups not found")
}

// TestTargetTypeMismatch: an IP address in an instance target group and an
// instance ID in an ip target group are refused.
func TestTargetTypeMismatch(t *testing.T) {
	f := newFixture(t)
	inst := f.targetGroup("inst", "instance", 80)
	ip := f.targetGroup("ip", "ip", 80)
	err := f.elb.RegisterTarget(inst, "172.31.0.10", 80)
	wantAWSError(t, err, ValidationError, "Instance ID '172.31.0.10' is not valid")
	err = f.elb.RegisterTarget(ip, "i-0123456789abcdef0", 80)
	wantAWSError(t, err, ValidationError, "The IP address 'i-0123456789abcdef0' is not a valid IPv4 address")
	i := f.instance() // pending
	err = f.elb.RegisterTarget(inst, *i.InstanceId, 80)
	wantAWSError(t, err, InvalidTarget, "The following targets are not in a running state and cannot be registered: '"+*i.InstanceId+"'")
}

func TestListenerErrors(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	_, err := f.elb.CreateListener(&CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: aws.String("HTTP"), Port: aws.Int(80),
		DefaultActions: []Action{{Type: aws.String("forward"), TargetGroupArn: aws.String(tg)}}})
	wantAWSError(t, err, DuplicateListener, "A listener already exists on this port for this load balancer '"+*lb.LoadBalancerArn+"'")
	// The target group of one load balancer cannot serve another.
	other := f.alb("other")
	_, err = f.elb.CreateListener(&CreateListenerInput{LoadBalancerArn: other.LoadBalancerArn, Protocol: aws.String("HTTP"), Port: aws.Int(80),
		DefaultActions: []Action{{Type: aws.String("forward"), TargetGroupArn: aws.String(tg)}}})
	wantAWSError(t, err, "TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: "+tg)
	d, _ := f.elb.DescribeListeners(&DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn})
	a := d.Listeners[0].DefaultActions[0]
	if *a.TargetGroupArn != tg || *a.ForwardConfig.TargetGroups[0].Weight != 1 {
		t.Fatalf("default action: %+v", a)
	}
}

func TestTags(t *testing.T) {
	f := newFixture(t)
	tg := f.targetGroup("web", "instance", 80)
	if _, err := f.elb.AddTags(&AddTagsInput{ResourceArns: []string{tg}, Tags: []Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	out, _ := f.elb.DescribeTags(&DescribeTagsInput{ResourceArns: []string{tg}})
	if len(out.TagDescriptions[0].Tags) != 1 || *out.TagDescriptions[0].Tags[0].Value != "prod" {
		t.Fatalf("tags: %+v", out.TagDescriptions)
	}
}

// TestOperationsNeverPanic calls every operation with a nil request and an
// empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	f := newFixture(t)
	apitest.NeverPanics(t, f.elb)
}
