package runtime

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/appscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs"
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
