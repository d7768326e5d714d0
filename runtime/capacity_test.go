package runtime

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/iam"
)

// casAccount is an account with cluster "demo" whose only capacity is an
// Auto Scaling group capacity provider "pool" with managed scaling at the
// given target capacity; the group starts at desired.
func casAccount(t *testing.T, target, desired int, protect bool) *Cloud {
	t.Helper()
	c := New(Config{})
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	must(c.IAM.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String("ecsInstanceRole"), AssumeRolePolicyDocument: aws.String(trust)}))
	must(c.IAM.AttachRolePolicy(&iam.AttachRolePolicyRequest{RoleName: aws.String("ecsInstanceRole"), PolicyArn: aws.String(iam.PolicyECSForEC2Role)}))
	must(c.IAM.CreateInstanceProfile(&iam.CreateInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")}))
	must(c.IAM.AddRoleToInstanceProfile(&iam.AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String("ecsInstanceRole")}))
	var ami string
	for _, img := range c.EC2.Images() {
		if img.ECSOptimized && img.Architecture == "x86_64" {
			ami = img.ID
			break
		}
	}
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"))
	must(c.EC2.CreateLaunchTemplate(&ec2.CreateLaunchTemplateRequest{LaunchTemplateName: aws.String("ecs"), LaunchTemplateData: &ec2.RequestLaunchTemplateData{
		ImageId: aws.String(ami), InstanceType: aws.String("t3.medium"), UserData: aws.String(userData),
		IamInstanceProfile: &ec2.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ecsInstanceRole")},
	}}))
	var subnets []string
	for _, s := range c.EC2.DefaultSubnets() {
		subnets = append(subnets, s.ID)
	}
	must(c.AutoScaling.CreateAutoScalingGroup(&autoscaling.CreateAutoScalingGroupType{
		AutoScalingGroupName: aws.String("asg"), LaunchTemplate: &autoscaling.LaunchTemplateSpecification{LaunchTemplateName: aws.String("ecs")},
		MinSize: aws.Int(0), MaxSize: aws.Int(10), DesiredCapacity: aws.Int(desired), VPCZoneIdentifier: aws.String(strings.Join(subnets, ",")),
		NewInstancesProtectedFromScaleIn: aws.Bool(protect),
	}))
	protection := "DISABLED"
	if protect {
		protection = "ENABLED"
	}
	must(c.ECS.CreateCapacityProvider(&ecs.CreateCapacityProviderRequest{Name: aws.String("pool"), AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{
		AutoScalingGroupArn: aws.String("asg"), ManagedTerminationProtection: aws.String(protection),
		ManagedScaling: &ecs.ManagedScaling{Status: aws.String("ENABLED"), TargetCapacity: aws.Int(target)},
	}}))
	must(c.ECS.CreateCluster(&ecs.CreateClusterRequest{ClusterName: aws.String("demo"), CapacityProviders: []string{"pool"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: aws.String("pool"), Weight: aws.Int(1)}}}))
	must(c.ECS.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionRequest{Family: aws.String("web"),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int(1024), Cpu: aws.Int(512)}}}))
	return c
}

func groupDesired(t *testing.T, c *Cloud) int {
	g, ok := c.AutoScaling.Group("asg")
	if !ok {
		t.Fatal("no group")
	}
	return g.Desired
}

func advance(t *testing.T, c *Cloud, d time.Duration) {
	if err := c.Sim.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

// TestScaleOutFromZero is reference 2.5 example 1: an empty group, one
// task: CPR 200 asks for two instances, the task runs, and after 15
// minutes at CPR 50 the empty spare goes.
func TestScaleOutFromZero(t *testing.T) {
	c := casAccount(t, 100, 0, true)
	out, err := c.ECS.RunTask(&ecs.RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].LastStatus) != "PROVISIONING" || aws.ToString(out.Tasks[0].CapacityProviderName) != "pool" {
		t.Fatalf("RunTask on an empty group: %+v", out)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	advance(t, c, 2*time.Minute)
	if got := groupDesired(t, c); got != 2 {
		t.Fatalf("desired after the first CPR datapoint (200) = %d, want 2", got)
	}
	advance(t, c, 3*time.Minute)
	d, _ := c.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: []string{arn}})
	if aws.ToString(d.Tasks[0].LastStatus) != "RUNNING" {
		t.Fatalf("the waiting task is %s once instances registered", aws.ToString(d.Tasks[0].LastStatus))
	}
	advance(t, c, 20*time.Minute)
	if got := groupDesired(t, c); got != 1 {
		t.Errorf("desired after 15 minutes at CPR 50 = %d, want 1", got)
	}
	text, _ := c.ECS.ExplainProvider("pool")
	if !strings.Contains(text, "M = 1, N = 0, CPR = 200 > 100 → desired = ceil(1 × 200 / 100) = 2") ||
		!strings.Contains(text, "held at 2 while instances warm up") ||
		!strings.Contains(text, "M = 1, N = 2, CPR = 50 < 100 → desired = ceil(2 × 50 / 100) = 1") {
		t.Errorf("explanation:\n%s", text)
	}
}

// TestTargetCapacity70KeepsASpare is reference 2.5 example 4, the course
// notes' "why does my ASG keep going to 2": one busy instance at target
// 70 % means CPR 100 > 70 → 2 instances, then CPR 50 keeps it at 2.
func TestTargetCapacity70KeepsASpare(t *testing.T) {
	c := casAccount(t, 70, 1, false)
	advance(t, c, 3*time.Minute)
	if _, err := c.ECS.RunTask(&ecs.RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	advance(t, c, 30*time.Minute)
	if got := groupDesired(t, c); got != 2 {
		t.Errorf("desired = %d, want 2 (one busy instance and an empty spare)", got)
	}
	text, _ := c.ECS.ExplainProvider("pool")
	if !strings.Contains(text, "M = 1, N = 1, CPR = 100 > 70 → desired = ceil(1 × 100 / 70) = 2") {
		t.Errorf("explanation:\n%s", text)
	}
}

// TestScaleInHalfAtATime is reference 2.4: each scale-in step removes at
// most half of the group.
func TestScaleInHalfAtATime(t *testing.T) {
	c := casAccount(t, 100, 8, false)
	advance(t, c, 25*time.Minute)
	text, _ := c.ECS.ExplainProvider("pool")
	for _, step := range []string{"M = 0, N = 8, CPR = 0 < 100 → desired = ceil(8 × 0 / 100) = 0, limited to 4",
		"M = 0, N = 4, CPR = 0 < 100 → desired = ceil(4 × 0 / 100) = 0, limited to 2"} {
		if !strings.Contains(text, step) {
			t.Errorf("no step %q in\n%s", step, text)
		}
	}
	if got := groupDesired(t, c); got != 0 {
		t.Errorf("an empty group of 8 after 25 minutes = %d, want 0", got)
	}
}

// TestManagedTerminationProtection keeps the busy instance when the group
// scales in.
func TestManagedTerminationProtection(t *testing.T) {
	c := casAccount(t, 100, 2, true)
	advance(t, c, 3*time.Minute)
	out, _ := c.ECS.RunTask(&ecs.RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	advance(t, c, 30*time.Minute)
	d, _ := c.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: []string{aws.ToString(out.Tasks[0].TaskArn)}})
	if aws.ToString(d.Tasks[0].LastStatus) != "RUNNING" || groupDesired(t, c) != 1 {
		t.Errorf("task %s, desired %d: the scale-in should have taken the empty instance", aws.ToString(d.Tasks[0].LastStatus), groupDesired(t, c))
	}
}

// TestManagedDraining: when the group terminates an instance that runs a
// service task, managed draining holds the instance in Terminating:Wait,
// drains it, and the service task moves to another instance before the
// instance goes; without managed draining the task dies with its host.
func TestManagedDraining(t *testing.T) {
	for _, draining := range []string{"ENABLED", "DISABLED"} {
		t.Run(draining, func(t *testing.T) {
			c := casAccount(t, 100, 2, false)
			if _, err := c.ECS.UpdateCapacityProvider(&ecs.UpdateCapacityProviderRequest{Name: aws.String("pool"),
				AutoScalingGroupProvider: &ecs.AutoScalingGroupProviderUpdate{ManagedDraining: aws.String(draining)}}); err != nil {
				t.Fatal(err)
			}
			advance(t, c, 3*time.Minute)
			if _, err := c.ECS.CreateService(&ecs.CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
				DesiredCount: aws.Int(2), PlacementStrategy: []ecs.PlacementStrategy{{Type: aws.String("spread"), Field: aws.String("instanceId")}}}); err != nil {
				t.Fatal(err)
			}
			advance(t, c, 2*time.Minute)
			g, _ := c.AutoScaling.Group("asg")
			victim := g.Instances[0].ID
			if _, err := c.AutoScaling.TerminateInstanceInAutoScalingGroup(&autoscaling.TerminateInstanceInAutoScalingGroupType{
				InstanceId: aws.String(victim), ShouldDecrementDesiredCapacity: aws.Bool(false)}); err != nil {
				t.Fatal(err)
			}
			state := func() string {
				g, _ := c.AutoScaling.Group("asg")
				for _, inst := range g.Instances {
					if inst.ID == victim {
						return inst.LifecycleState
					}
				}
				return "gone"
			}
			held := state()
			advance(t, c, 10*time.Minute)
			if got := state(); got != "gone" {
				t.Fatalf("%s is still %s", victim, got)
			}
			stopped, _ := c.ECS.ListTasks(&ecs.ListTasksRequest{Cluster: aws.String("demo"), DesiredStatus: aws.String("STOPPED")})
			d, _ := c.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: stopped.TaskArns})
			hostDied := 0
			for _, task := range d.Tasks {
				if strings.Contains(aws.ToString(task.StoppedReason), "terminated") {
					hostDied++
				}
			}
			svc, _ := c.ECS.DescribeServices(&ecs.DescribeServicesRequest{Cluster: aws.String("demo"), Services: []string{"web"}})
			if running := aws.ToInt(svc.Services[0].RunningCount); running != 2 {
				t.Errorf("running %d, want 2", running)
			}
			switch draining {
			case "ENABLED":
				if held != "Terminating:Wait" || hostDied != 0 || len(d.Tasks) != 1 {
					t.Errorf("managed draining: held %s, %d of %d stopped tasks died with their host", held, hostDied, len(d.Tasks))
				}
			case "DISABLED":
				if held == "Terminating:Wait" || hostDied != 1 {
					t.Errorf("without managed draining: held %s, %d tasks died with their host", held, hostDied)
				}
			}
		})
	}
}
