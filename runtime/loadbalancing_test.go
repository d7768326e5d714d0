package runtime

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/elbv2"
	"github.com/ecsbox/ecsbox/runtime/iam"
	"github.com/ecsbox/ecsbox/runtime/servicediscovery"
)

// albAccount is an account with cluster "demo" of two t3.medium container
// instances in the default security group, an internet-facing ALB in its
// own group "alb" (port 80 open to the world) with a listener forwarding to
// the target group "web" of targetType, and the task definitions "bridge"
// (nginx on container port 80, dynamic host port) and "vpc" (awsvpc).
type albAccount struct {
	t             *testing.T
	c             *Cloud
	lbArn, tgArn  string
	albSG, instSG string
	subnets       []string
}

func newALBAccount(t *testing.T, targetType string) *albAccount {
	t.Helper()
	c := New(Config{})
	a := &albAccount{t: t, c: c}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	a.must(c.IAM.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String("ecsInstanceRole"), AssumeRolePolicyDocument: aws.String(trust)}))
	a.must(c.IAM.AttachRolePolicy(&iam.AttachRolePolicyRequest{RoleName: aws.String("ecsInstanceRole"), PolicyArn: aws.String(iam.PolicyECSForEC2Role)}))
	a.must(c.IAM.CreateInstanceProfile(&iam.CreateInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")}))
	a.must(c.IAM.AddRoleToInstanceProfile(&iam.AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String("ecsInstanceRole")}))
	a.must(c.ECS.CreateCluster(&ecs.CreateClusterRequest{ClusterName: aws.String("demo")}))
	var ami string
	for _, img := range c.EC2.Images() {
		if img.ECSOptimized && img.Architecture == "x86_64" {
			ami = img.ID
			break
		}
	}
	for _, s := range c.EC2.DefaultSubnets()[:2] {
		a.subnets = append(a.subnets, s.ID)
		if _, err := c.EC2.LaunchInstance(ec2.LaunchSpec{ImageID: ami, InstanceType: "t3.medium", SubnetID: s.ID, IamInstanceProfile: "ecsInstanceRole",
			UserData: "#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"}); err != nil {
			t.Fatal(err)
		}
	}
	a.instSG = c.EC2.DefaultSecurityGroup()
	vpc := c.EC2.DefaultSubnets()[0].VPCID
	sg, err := c.EC2.CreateSecurityGroup(&ec2.CreateSecurityGroupRequest{GroupName: aws.String("alb"), Description: aws.String("ALB"), VpcId: aws.String(vpc)})
	a.must(sg, err)
	a.albSG = aws.ToString(sg.GroupId)
	a.must(c.EC2.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(a.albSG), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int(80), ToPort: aws.Int(80), CidrIp: aws.String("0.0.0.0/0")}))
	lb, err := c.ELBv2.CreateLoadBalancer(&elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: a.subnets, SecurityGroups: []string{a.albSG}})
	a.must(lb, err)
	a.lbArn = aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
	tg, err := c.ELBv2.CreateTargetGroup(&elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: aws.String("HTTP"), Port: aws.Int(80),
		VpcId: aws.String(vpc), TargetType: aws.String(targetType)})
	a.must(tg, err)
	a.tgArn = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	a.must(c.ELBv2.CreateListener(&elbv2.CreateListenerInput{LoadBalancerArn: aws.String(a.lbArn), Protocol: aws.String("HTTP"), Port: aws.Int(80),
		DefaultActions: []elbv2.Action{{Type: aws.String("forward"), TargetGroupArn: aws.String(a.tgArn)}}}))
	port := func(host int) []ecs.PortMapping {
		return []ecs.PortMapping{{ContainerPort: aws.Int(80), HostPort: aws.Int(host)}}
	}
	a.must(c.ECS.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionRequest{Family: aws.String("bridge"), NetworkMode: aws.String("bridge"),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int(256), PortMappings: port(0)}}}))
	a.must(c.ECS.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionRequest{Family: aws.String("vpc"), NetworkMode: aws.String("awsvpc"),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int(256), Cpu: aws.Int(256), PortMappings: port(80)}}}))
	advance(t, c, 2*time.Minute)
	return a
}

func (a *albAccount) must(_ any, err error) {
	a.t.Helper()
	if err != nil {
		a.t.Fatal(err)
	}
}

// openEphemeral lets the ALB's group reach the instances' dynamic ports.
func (a *albAccount) openEphemeral() {
	a.must(a.c.EC2.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(a.instSG),
		IpPermissions: []ec2.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int(32768), ToPort: aws.Int(65535),
			UserIdGroupPairs: []ec2.UserIdGroupPair{{GroupId: aws.String(a.albSG)}}}}}))
}

func (a *albAccount) service(family string, desired int, mod ...func(*ecs.CreateServiceRequest)) {
	a.t.Helper()
	in := &ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(family),
		DesiredCount: aws.Int(desired), LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("web"), ContainerPort: aws.Int(80)}}}
	for _, m := range mod {
		m(in)
	}
	a.must(a.c.ECS.CreateService(in))
}

func (a *albAccount) describe() ecs.Service {
	out, err := a.c.ECS.DescribeServices(&ecs.DescribeServicesRequest{Cluster: aws.String("demo"), Services: []string{"web"}})
	a.must(out, err)
	return out.Services[0]
}

func (a *albAccount) health() map[string]int {
	out, err := a.c.ELBv2.DescribeTargetHealth(&elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(a.tgArn)})
	a.must(out, err)
	states := map[string]int{}
	for _, d := range out.TargetHealthDescriptions {
		states[aws.ToString(d.TargetHealth.State)]++
	}
	return states
}

func (a *albAccount) events() string {
	var lines []string
	for _, e := range a.describe().Events {
		lines = append([]string{aws.ToString(e.Message)}, lines...)
	}
	return strings.Join(lines, "\n")
}

// Bridge tasks register as instance + dynamic host port; with the instances'
// group closed to the ALB they fail their checks and are replaced after the
// grace period; opening the ephemeral range makes them healthy after
// HealthyThresholdCount × interval.
func TestServiceBehindALBBridge(t *testing.T) {
	a := newALBAccount(t, "instance")
	a.service("bridge", 2, func(in *ecs.CreateServiceRequest) { in.HealthCheckGracePeriodSeconds = aws.Int(120) })
	advance(t, a.c, time.Minute)
	out, err := a.c.ELBv2.DescribeTargetHealth(&elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(a.tgArn)})
	a.must(out, err)
	if len(out.TargetHealthDescriptions) != 2 {
		t.Fatalf("%d targets registered, want 2", len(out.TargetHealthDescriptions))
	}
	for _, d := range out.TargetHealthDescriptions {
		if id, port := aws.ToString(d.Target.Id), aws.ToInt(d.Target.Port); !strings.HasPrefix(id, "i-") || port < 32768 {
			t.Errorf("target %s:%d, want an instance and a dynamic host port", id, port)
		}
	}
	ev := a.events()
	if !strings.Contains(ev, "(service web) registered 1 targets in (target-group "+a.tgArn+")") {
		t.Errorf("no registration event:\n%s", ev)
	}
	// Blocked: unhealthy after 2 failed checks 30 s apart, but nothing is
	// replaced before the 120 s grace period ends.
	advance(t, a.c, 20*time.Second)
	if got := a.health(); got["unhealthy"] != 2 {
		t.Fatalf("blocked targets: %v", got)
	}
	if strings.Contains(a.events(), "is unhealthy") {
		t.Fatal("a task was replaced inside its grace period")
	}
	advance(t, a.c, time.Minute)
	ev = a.events()
	// The security group drops the checks: ELB says "Request timed out".
	for _, want := range []string{"(service web) (instance i-", ") is unhealthy in (target-group " + a.tgArn + ") due to (reason Request timed out).",
		"(service web) has stopped 1 running tasks: (task ", "(service web) deregistered 1 targets in (target-group " + a.tgArn + ")",
		"(service web, taskSet ecs-svc/", ") has begun draining connections on 1 tasks."} {
		if !strings.Contains(ev, want) {
			t.Errorf("missing event %q in:\n%s", want, ev)
		}
	}
	a.openEphemeral()
	advance(t, a.c, 10*time.Minute)
	if got := a.health(); got["healthy"] != 2 || got["unhealthy"] != 0 {
		t.Fatalf("after opening the ephemeral range: %v", got)
	}
	if d := a.describe(); aws.ToInt(d.RunningCount) != 2 || aws.ToString(d.Deployments[0].RolloutState) != "COMPLETED" {
		t.Errorf("running %d, rollout %s", aws.ToInt(d.RunningCount), aws.ToString(d.Deployments[0].RolloutState))
	}
}

// A deployment completes only once the new tasks are healthy in the target
// group: 5 checks of 30 s after registration.
func TestDeploymentWaitsForHealthyTargets(t *testing.T) {
	a := newALBAccount(t, "instance")
	a.openEphemeral()
	a.service("bridge", 1)
	var running, completed time.Duration
	start := a.c.Sim.Now()
	for i := 0; i < 60 && completed == 0; i++ {
		advance(t, a.c, 5*time.Second)
		d := a.describe()
		if running == 0 && aws.ToInt(d.RunningCount) == 1 {
			running = a.c.Sim.Now().Sub(start)
		}
		if aws.ToString(d.Deployments[0].RolloutState) == "COMPLETED" {
			completed = a.c.Sim.Now().Sub(start)
		}
	}
	// 5 × 30 s of checks after the task runs (the first check at +30 s).
	if completed == 0 || completed-running < 150*time.Second {
		t.Errorf("running after %v, deployment completed after %v: want at least 150 s between", running, completed)
	}
}

// A stopping task waits while its target drains for the deregistration
// delay, then stops. With one target group it stays RUNNING (desired
// STOPPED) meanwhile; with several it is DEACTIVATING (reference 4.1).
func TestDeregistrationDelay(t *testing.T) {
	for _, groups := range []int{1, 2} {
		t.Run(fmt.Sprint(groups, " target groups"), func(t *testing.T) {
			a := newALBAccount(t, "instance")
			a.openEphemeral()
			lbs := []ecs.LoadBalancer{{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("web"), ContainerPort: aws.Int(80)}}
			if groups == 2 {
				tg, err := a.c.ELBv2.CreateTargetGroup(&elbv2.CreateTargetGroupInput{Name: aws.String("other"), Protocol: aws.String("HTTP"), Port: aws.Int(80),
					VpcId: aws.String(a.c.EC2.DefaultSubnets()[0].VPCID)})
				a.must(tg, err)
				a.must(a.c.ELBv2.CreateListener(&elbv2.CreateListenerInput{LoadBalancerArn: aws.String(a.lbArn), Protocol: aws.String("HTTP"), Port: aws.Int(8080),
					DefaultActions: []elbv2.Action{{Type: aws.String("forward"), TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}}))
				lbs = append(lbs, ecs.LoadBalancer{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn, ContainerName: aws.String("web"), ContainerPort: aws.Int(80)})
			}
			for _, lb := range lbs {
				a.must(a.c.ELBv2.ModifyTargetGroupAttributes(&elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: lb.TargetGroupArn,
					Attributes: []elbv2.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("60")}}}))
			}
			a.service("bridge", 1, func(in *ecs.CreateServiceRequest) { in.LoadBalancers = lbs })
			advance(t, a.c, 5*time.Minute)
			list, err := a.c.ECS.ListTasks(&ecs.ListTasksRequest{Cluster: aws.String("demo")})
			a.must(list, err)
			a.must(a.c.ECS.StopTask(&ecs.StopTaskRequest{Cluster: aws.String("demo"), Task: aws.String(list.TaskArns[0])}))
			status := func() string {
				d, err := a.c.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: list.TaskArns})
				a.must(d, err)
				return aws.ToString(d.Tasks[0].LastStatus) + "/" + aws.ToString(d.Tasks[0].DesiredStatus)
			}
			want := map[int]string{1: "RUNNING/STOPPED", 2: "DEACTIVATING/STOPPED"}[groups]
			advance(t, a.c, 50*time.Second)
			if got := status(); got != want {
				t.Fatalf("50 s into a 60 s deregistration delay the task is %s, want %s", got, want)
			}
			if got := a.health(); got["draining"] != 1 {
				t.Errorf("target health %v, want one draining", got)
			}
			advance(t, a.c, 20*time.Second)
			if got := status(); got != "STOPPED/STOPPED" {
				t.Errorf("after the delay the task is %s", got)
			}
		})
	}
}

// awsvpc tasks register their IP and container port and need an ip target
// group; the refusals name the mistake.
func TestServiceLoadBalancerRefusals(t *testing.T) {
	a := newALBAccount(t, "instance")
	nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: a.subnets}}
	_, err := a.c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("vpc"),
		DesiredCount: aws.Int(1), NetworkConfiguration: nc,
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("web"), ContainerPort: aws.Int(80)}}})
	if err == nil || !strings.Contains(err.Error(), "has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.") {
		t.Errorf("awsvpc with an instance target group: %v", err)
	}
	for _, c := range []struct {
		lb   ecs.LoadBalancer
		want string
	}{
		{ecs.LoadBalancer{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("nope"), ContainerPort: aws.Int(80)}, "The container nope does not exist in the task definition."},
		{ecs.LoadBalancer{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("web"), ContainerPort: aws.Int(8080)}, "did not have a container port 8080 defined"},
	} {
		_, err := a.c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("bridge"),
			DesiredCount: aws.Int(1), LoadBalancers: []ecs.LoadBalancer{c.lb}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.lb, err, c.want)
		}
	}
	lonely, err := a.c.ELBv2.CreateTargetGroup(&elbv2.CreateTargetGroupInput{Name: aws.String("lonely"), Protocol: aws.String("HTTP"), Port: aws.Int(80),
		VpcId: aws.String(a.c.EC2.DefaultSubnets()[0].VPCID)})
	a.must(lonely, err)
	arn := aws.ToString(lonely.TargetGroups[0].TargetGroupArn)
	_, err = a.c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("bridge"),
		DesiredCount: aws.Int(1), LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: aws.String(arn), ContainerName: aws.String("web"), ContainerPort: aws.Int(80)}}})
	if err == nil || !strings.Contains(err.Error(), "The target group with targetGroupArn "+arn+" does not have an associated load balancer.") {
		t.Errorf("target group without a load balancer: %v", err)
	}
}

// awsvpc tasks register by IP; traffic spreads round-robin over them and
// costs them CPU.
func TestALBTrafficOverIPTargets(t *testing.T) {
	a := newALBAccount(t, "ip")
	a.must(a.c.EC2.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(a.instSG),
		IpPermissions: []ec2.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int(80), ToPort: aws.Int(80),
			UserIdGroupPairs: []ec2.UserIdGroupPair{{GroupId: aws.String(a.albSG)}}}}}))
	nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: a.subnets}}
	a.service("vpc", 2, func(in *ecs.CreateServiceRequest) { in.TaskDefinition, in.NetworkConfiguration = aws.String("vpc"), nc })
	advance(t, a.c, 5*time.Minute)
	if got := a.health(); got["healthy"] != 2 {
		t.Fatalf("ip targets: %v", got)
	}
	a.must(nil, a.c.ELBv2.SetTraffic(a.lbArn, 100))
	advance(t, a.c, 3*time.Minute)
	traffic := a.c.ELBv2.Traffic(a.tgArn)
	for k, rps := range traffic {
		if !strings.HasPrefix(k.ID, "172.31.") || k.Port != 80 || rps != 50 {
			t.Errorf("target %v gets %v requests/s, want 50 at an IP on port 80", k, rps)
		}
	}
	sum, err := a.c.CloudWatch.GetMetricStatistics(cpuQuery(a.c.Sim.Now()))
	a.must(sum, err)
	if len(sum.Datapoints) == 0 || aws.ToFloat64(sum.Datapoints[len(sum.Datapoints)-1].Average) < 80 {
		t.Errorf("50 requests/s at 5 ms each use a quarter of a vCPU, all of a 256-unit reservation: %+v", sum.Datapoints)
	}
}

// Cloud Map: a service's tasks are registered with their IPs while they
// run and removed when they stop.
func TestServiceRegistries(t *testing.T) {
	a := newALBAccount(t, "ip")
	ns, err := a.c.ServiceDiscovery.CreatePrivateDnsNamespace(&servicediscovery.CreatePrivateDnsNamespaceRequest{Name: aws.String("local"),
		Vpc: aws.String(a.c.EC2.DefaultSubnets()[0].VPCID)})
	a.must(ns, err)
	advance(t, a.c, time.Minute)
	nsList, err := a.c.ServiceDiscovery.ListNamespaces(&servicediscovery.ListNamespacesRequest{})
	a.must(nsList, err)
	svc, err := a.c.ServiceDiscovery.CreateService(&servicediscovery.CreateServiceRequest{Name: aws.String("web"), NamespaceId: nsList.Namespaces[0].Id,
		DnsConfig: &servicediscovery.DnsConfig{DnsRecords: []servicediscovery.DnsRecord{{Type: aws.String("A"), TTL: aws.Int64(10)}}}})
	a.must(svc, err)
	nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: a.subnets}}
	a.must(a.c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("api"), TaskDefinition: aws.String("vpc"),
		DesiredCount: aws.Int(2), NetworkConfiguration: nc, ServiceRegistries: []ecs.ServiceRegistry{{RegistryArn: svc.Service.Arn}}}))
	advance(t, a.c, 2*time.Minute)
	found, err := a.c.ServiceDiscovery.DiscoverInstances(&servicediscovery.DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web")})
	a.must(found, err)
	if len(found.Instances) != 2 || !strings.HasPrefix(found.Instances[0].Attributes["AWS_INSTANCE_IPV4"], "172.31.") ||
		found.Instances[0].Attributes["ECS_SERVICE_NAME"] != "api" {
		t.Fatalf("discovered %+v", found.Instances)
	}
	a.must(a.c.ECS.UpdateService(&ecs.UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("api"), DesiredCount: aws.Int(1)}))
	advance(t, a.c, time.Minute)
	found, err = a.c.ServiceDiscovery.DiscoverInstances(&servicediscovery.DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web")})
	a.must(found, err)
	if len(found.Instances) != 1 {
		t.Errorf("after scaling in to 1: %d instances", len(found.Instances))
	}
	// A records need awsvpc.
	_, err = a.c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("b"), TaskDefinition: aws.String("bridge"),
		DesiredCount: aws.Int(1), ServiceRegistries: []ecs.ServiceRegistry{{RegistryArn: svc.Service.Arn}}})
	if err == nil || !strings.Contains(err.Error(), "A records") {
		t.Errorf("bridge with A records: %v", err)
	}
}

// cpuQuery asks for the service web's average CPUUtilization over the
// last 3 minutes, by minute.
func cpuQuery(now time.Time) *cloudwatch.GetMetricStatisticsInput {
	return &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization"),
		Dimensions: []cloudwatch.Dimension{{Name: aws.String("ClusterName"), Value: aws.String("demo")}, {Name: aws.String("ServiceName"), Value: aws.String("web")}},
		StartTime:  aws.NewTime(now.Add(-3 * time.Minute)), EndTime: aws.NewTime(now), Period: aws.Int(60), Statistics: []string{"Average"}}
}

// The circuit breaker's second stage counts ELB health check failures:
// 10 tasks failing their checks (desired 1: threshold 10) fail the
// deployment.
func TestCircuitBreakerCountsELBFailures(t *testing.T) {
	a := newALBAccount(t, "instance")
	a.service("bridge", 1, func(in *ecs.CreateServiceRequest) {
		in.DeploymentConfiguration = &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: aws.Bool(true), Rollback: aws.Bool(false)}}
	})
	advance(t, a.c, 30*time.Minute)
	d := a.describe().Deployments[0]
	if aws.ToString(d.RolloutState) != "FAILED" || aws.ToInt(d.FailedTasks) != 10 {
		t.Errorf("rollout %s with %d failed tasks, want FAILED at 10", aws.ToString(d.RolloutState), aws.ToInt(d.FailedTasks))
	}
}

func (a *albAccount) setDesired(n int) {
	a.t.Helper()
	a.must(a.c.ECS.UpdateService(&ecs.UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int(n)}))
}

func (a *albAccount) taskStatuses() []string {
	a.t.Helper()
	var out []string
	for _, status := range []string{"RUNNING", "STOPPED"} {
		list, err := a.c.ECS.ListTasks(&ecs.ListTasksRequest{Cluster: aws.String("demo"), DesiredStatus: aws.String(status)})
		a.must(list, err)
		if len(list.TaskArns) == 0 {
			continue
		}
		d, err := a.c.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: list.TaskArns})
		a.must(d, err)
		for _, task := range d.Tasks {
			out = append(out, aws.ToString(task.LastStatus)+": "+aws.ToString(task.StoppedReason))
		}
	}
	return out
}

// What ends a task's DEACTIVATING besides the deregistration delay: its
// target group deleted, its host terminated; and a service with several
// target groups deregisters every target.
func TestDeactivatingEnds(t *testing.T) {
	t.Run("target group deleted", func(t *testing.T) {
		a := newALBAccount(t, "ip")
		a.must(a.c.EC2.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(a.instSG),
			IpPermissions: []ec2.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int(80), ToPort: aws.Int(80),
				UserIdGroupPairs: []ec2.UserIdGroupPair{{GroupId: aws.String(a.albSG)}}}}}))
		nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: a.subnets}}
		a.service("vpc", 1, func(in *ecs.CreateServiceRequest) { in.NetworkConfiguration = nc })
		advance(t, a.c, 5*time.Minute)
		a.setDesired(0)
		advance(t, a.c, 5*time.Second)
		listeners, err := a.c.ELBv2.DescribeListeners(&elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(a.lbArn)})
		a.must(listeners, err)
		a.must(a.c.ELBv2.DeleteListener(&elbv2.DeleteListenerInput{ListenerArn: listeners.Listeners[0].ListenerArn}))
		a.must(a.c.ELBv2.DeleteTargetGroup(&elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(a.tgArn)}))
		advance(t, a.c, time.Minute)
		if got := a.taskStatuses(); len(got) != 1 || !strings.HasPrefix(got[0], "STOPPED") {
			t.Errorf("a task whose target group was deleted while it drained: %v", got)
		}
	})
	t.Run("host terminated", func(t *testing.T) {
		a := newALBAccount(t, "instance")
		a.openEphemeral()
		a.service("bridge", 1)
		advance(t, a.c, 5*time.Minute)
		a.setDesired(0)
		advance(t, a.c, 10*time.Second)
		for _, inst := range a.c.EC2.Instances() {
			a.must(a.c.EC2.TerminateInstances(&ec2.TerminateInstancesRequest{InstanceIds: []string{inst.ID}}))
		}
		advance(t, a.c, time.Minute)
		if got := a.taskStatuses(); len(got) != 1 || !strings.HasPrefix(got[0], "STOPPED: Host EC2") {
			t.Errorf("a draining task whose host was terminated: %v", got)
		}
	})
	t.Run("three target groups, one unused", func(t *testing.T) {
		a := newALBAccount(t, "instance")
		a.openEphemeral()
		vpc := a.c.EC2.DefaultSubnets()[0].VPCID
		lbs := []ecs.LoadBalancer{{TargetGroupArn: aws.String(a.tgArn), ContainerName: aws.String("web"), ContainerPort: aws.Int(80)}}
		for i, port := range []int{8080, 8081} {
			tg, err := a.c.ELBv2.CreateTargetGroup(&elbv2.CreateTargetGroupInput{Name: aws.String("more" + string(rune('a'+i))), Protocol: aws.String("HTTP"),
				Port: aws.Int(80), VpcId: aws.String(vpc)})
			a.must(tg, err)
			arn := tg.TargetGroups[0].TargetGroupArn
			a.must(a.c.ELBv2.CreateListener(&elbv2.CreateListenerInput{LoadBalancerArn: aws.String(a.lbArn), Protocol: aws.String("HTTP"), Port: aws.Int(port),
				DefaultActions: []elbv2.Action{{Type: aws.String("forward"), TargetGroupArn: arn}}}))
			lbs = append(lbs, ecs.LoadBalancer{TargetGroupArn: arn, ContainerName: aws.String("web"), ContainerPort: aws.Int(80)})
		}
		a.service("bridge", 1, func(in *ecs.CreateServiceRequest) { in.LoadBalancers = lbs })
		advance(t, a.c, 5*time.Minute)
		listeners, err := a.c.ELBv2.DescribeListeners(&elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(a.lbArn)})
		a.must(listeners, err)
		for _, l := range listeners.Listeners {
			if aws.ToInt(l.Port) == 80 {
				a.must(a.c.ELBv2.DeleteListener(&elbv2.DeleteListenerInput{ListenerArn: l.ListenerArn}))
			}
		}
		a.setDesired(0)
		advance(t, a.c, 6*time.Minute) // the 300 s deregistration delay
		for _, lb := range lbs {
			h, err := a.c.ELBv2.DescribeTargetHealth(&elbv2.DescribeTargetHealthInput{TargetGroupArn: lb.TargetGroupArn})
			a.must(h, err)
			if len(h.TargetHealthDescriptions) != 0 {
				t.Errorf("%s still has targets: %+v", aws.ToString(lb.TargetGroupArn), h.TargetHealthDescriptions[0].TargetHealth)
			}
		}
		if got := a.taskStatuses(); len(got) != 1 || !strings.HasPrefix(got[0], "STOPPED") {
			t.Errorf("task: %v", got)
		}
	})
}
