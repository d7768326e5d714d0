package runtime

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/appscaling"
	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/iam"
)

// dayOfAutoScaling builds an account with n Fargate services, each under a
// CPU target-tracking policy, and runs one simulated day in which every
// service's load follows its own daily curve, changing every 10 minutes.
func dayOfAutoScaling(tb testing.TB, n int) *Cloud {
	c := New(Config{})
	must := func(_ any, err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(c.ECS.CreateCluster(&ecs.CreateClusterRequest{ClusterName: aws.String("bench")}))
	must(c.ECS.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionRequest{
		Family: aws.String("web"), RequiresCompatibilities: []string{"FARGATE"}, NetworkMode: aws.String("awsvpc"),
		Cpu: aws.String("512"), Memory: aws.String("1024"),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}},
	}))
	var subnets []string
	for _, s := range c.EC2.DefaultSubnets() {
		subnets = append(subnets, s.ID)
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("svc%03d", i)
		must(c.ECS.CreateService(&ecs.CreateServiceRequest{
			Cluster: aws.String("bench"), ServiceName: aws.String(name), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(2),
			LaunchType:           aws.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: subnets}},
		}))
		rid := "service/bench/" + name
		must(c.AppScaling.RegisterScalableTarget(&appscaling.RegisterScalableTargetRequest{
			ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid), ScalableDimension: aws.String("ecs:service:DesiredCount"),
			MinCapacity: aws.Int(1), MaxCapacity: aws.Int(10),
		}))
		must(c.AppScaling.PutScalingPolicy(&appscaling.PutScalingPolicyRequest{
			PolicyName: aws.String("cpu"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid),
			ScalableDimension: aws.String("ecs:service:DesiredCount"), PolicyType: aws.String("TargetTrackingScaling"),
			TargetTrackingScalingPolicyConfiguration: &appscaling.TargetTrackingScalingPolicyConfiguration{
				TargetValue:                   aws.Float64(50),
				PredefinedMetricSpecification: &appscaling.PredefinedMetricSpecification{PredefinedMetricType: aws.String("ECSServiceAverageCPUUtilization")},
			},
		}))
	}
	ctx := context.Background()
	for step := 0; step < 24*6; step++ {
		hour := float64(step) / 6
		for i := 0; i < n; i++ {
			// Between 0.2 and 2.2 vCPU of demand over the day, phase-shifted per service.
			demand := 1024 * (1.2 + math.Sin(2*math.Pi*(hour+float64(i%24))/24))
			if err := c.ECS.SetServiceLoad("bench", fmt.Sprintf("svc%03d", i), demand, 0); err != nil {
				tb.Fatal(err)
			}
		}
		if err := c.Sim.Advance(ctx, 10*time.Minute); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

func TestDayOfAutoScalingScales(t *testing.T) {
	c := dayOfAutoScaling(t, 5)
	out, err := c.AppScaling.DescribeScalingActivities(&appscaling.DescribeScalingActivitiesRequest{ServiceNamespace: aws.String("ecs")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ScalingActivities) < 10 {
		t.Fatalf("a day of varying load made only %d scaling activities", len(out.ScalingActivities))
	}
}

// BenchmarkDayOf200ServicesAutoScaling is one simulated day of 200 Fargate
// services under target tracking with a varying load: tasks, metrics every
// minute, 400 alarms, scaling activities.
func BenchmarkDayOf200ServicesAutoScaling(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dayOfAutoScaling(b, benchServices)
	}
}

var benchServices = 200

// threeProviders is one Auto Scaling group capacity provider of
// dayOfThreeProviders: its instance type and managed scaling target.
type threeProviders struct {
	name, instanceType string
	target             int
}

var benchProviders = []threeProviders{{"general", "m5.large", 100}, {"compute", "c5.xlarge", 90}, {"memory", "r5.large", 70}}

// dayOfThreeProviders builds an EC2 cluster whose capacity is three Auto
// Scaling group capacity providers with managed scaling (targets
// 100/90/70, one instance type each), perProvider instances in each group
// to start with, and services services spread over the providers in turn,
// each under a CPU target-tracking policy; then it runs one simulated day
// in which each service's load follows its own daily curve, changing every
// 10 minutes. Service auto scaling moves the tasks, managed scaling the
// instances.
func dayOfThreeProviders(tb testing.TB, perProvider, services int) *Cloud {
	c := New(Config{})
	must := func(_ any, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
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
	var subnets []string
	for _, s := range c.EC2.DefaultSubnets() {
		subnets = append(subnets, s.ID)
	}
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=bench >> /etc/ecs/ecs.config\n"))
	var names []string
	for _, p := range benchProviders {
		must(c.EC2.CreateLaunchTemplate(&ec2.CreateLaunchTemplateRequest{LaunchTemplateName: aws.String(p.name), LaunchTemplateData: &ec2.RequestLaunchTemplateData{
			ImageId: aws.String(ami), InstanceType: aws.String(p.instanceType), UserData: aws.String(userData),
			IamInstanceProfile: &ec2.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ecsInstanceRole")},
		}}))
		must(c.AutoScaling.CreateAutoScalingGroup(&autoscaling.CreateAutoScalingGroupType{
			AutoScalingGroupName: aws.String(p.name), LaunchTemplate: &autoscaling.LaunchTemplateSpecification{LaunchTemplateName: aws.String(p.name)},
			MinSize: aws.Int(0), MaxSize: aws.Int(4 * max(perProvider, 10)), DesiredCapacity: aws.Int(perProvider),
			VPCZoneIdentifier: aws.String(strings.Join(subnets, ",")), NewInstancesProtectedFromScaleIn: aws.Bool(true),
		}))
		must(c.ECS.CreateCapacityProvider(&ecs.CreateCapacityProviderRequest{Name: aws.String(p.name), AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{
			AutoScalingGroupArn: aws.String(p.name), ManagedTerminationProtection: aws.String("ENABLED"),
			ManagedScaling: &ecs.ManagedScaling{Status: aws.String("ENABLED"), TargetCapacity: aws.Int(p.target)},
		}}))
		names = append(names, p.name)
	}
	must(c.ECS.CreateCluster(&ecs.CreateClusterRequest{ClusterName: aws.String("bench"), CapacityProviders: names}))
	// One vCPU and 1.5 GiB a task: two fit an m5.large or an r5.large, four
	// a c5.xlarge.
	must(c.ECS.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionRequest{Family: aws.String("web"),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Cpu: aws.Int(1024), Memory: aws.Int(1536)}}}))
	for i := 0; i < services; i++ {
		name := fmt.Sprintf("svc%03d", i)
		must(c.ECS.CreateService(&ecs.CreateServiceRequest{
			Cluster: aws.String("bench"), ServiceName: aws.String(name), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(4),
			CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: aws.String(names[i%len(names)]), Weight: aws.Int(1)}},
		}))
		rid := "service/bench/" + name
		must(c.AppScaling.RegisterScalableTarget(&appscaling.RegisterScalableTargetRequest{
			ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid), ScalableDimension: aws.String("ecs:service:DesiredCount"),
			MinCapacity: aws.Int(2), MaxCapacity: aws.Int(10),
		}))
		must(c.AppScaling.PutScalingPolicy(&appscaling.PutScalingPolicyRequest{
			PolicyName: aws.String("cpu"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid),
			ScalableDimension: aws.String("ecs:service:DesiredCount"), PolicyType: aws.String("TargetTrackingScaling"),
			TargetTrackingScalingPolicyConfiguration: &appscaling.TargetTrackingScalingPolicyConfiguration{
				TargetValue:                   aws.Float64(50),
				PredefinedMetricSpecification: &appscaling.PredefinedMetricSpecification{PredefinedMetricType: aws.String("ECSServiceAverageCPUUtilization")},
			},
		}))
	}
	ctx := context.Background()
	for step := 0; step < 24*6; step++ {
		hour := float64(step) / 6
		for i := 0; i < services; i++ {
			// Between 1 and 5 vCPU of demand over the day, phase-shifted
			// per service: 2 to 10 tasks at 50 % CPU.
			demand := 1024 * (3 + 2*math.Sin(2*math.Pi*(hour+float64(i%24))/24))
			if err := c.ECS.SetServiceLoad("bench", fmt.Sprintf("svc%03d", i), demand, 0); err != nil {
				tb.Fatal(err)
			}
		}
		if err := c.Sim.Advance(ctx, 10*time.Minute); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// TestDayOfThreeProvidersScales runs the benchmark's day at a small size:
// every provider's managed scaling decides something.
func TestDayOfThreeProvidersScales(t *testing.T) {
	c := dayOfThreeProviders(t, 3, 6)
	for _, p := range benchProviders {
		text, _ := c.ECS.ExplainProvider(p.name)
		if !strings.Contains(text, "desired = ceil(") {
			t.Errorf("provider %s made no decision:\n%s", p.name, text)
		}
	}
}

// BenchmarkDayOf300InstancesThreeProviders is one simulated day of an EC2
// cluster that starts with 300 instances, 100 in each of three Auto Scaling
// group capacity providers under managed scaling (targets 100/90/70;
// m5.large, c5.xlarge, r5.large), with 100 services spread over them under
// target tracking and a varying load: placement, tasks waiting for
// capacity, CapacityProviderReservation every minute, instances launched,
// drained and terminated. instances-at-end reports the groups' size when
// the day is over (managed scaling settles near 475 with this load).
func BenchmarkDayOf300InstancesThreeProviders(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c := dayOfThreeProviders(b, 100, 100)
		if i == 0 {
			n := 0
			for _, p := range benchProviders {
				g, _ := c.AutoScaling.Group(p.name)
				n += len(g.Instances)
			}
			b.ReportMetric(float64(n), "instances-at-end")
		}
	}
}
