package ecs

import (
	"fmt"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func item(name string, base, weight int) CapacityProviderStrategyItem {
	return CapacityProviderStrategyItem{CapacityProvider: aws.String(name), Base: aws.Int(base), Weight: aws.Int(weight)}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		strategy []CapacityProviderStrategyItem
		n        int
		want     []int
	}{
		// Reference 1.4's worked examples.
		{[]CapacityProviderStrategyItem{item("A", 1, 1), item("B", 0, 4)}, 10, []int{3, 7}},
		{[]CapacityProviderStrategyItem{item("A", 0, 1), item("B", 0, 1)}, 4, []int{2, 2}},
		{[]CapacityProviderStrategyItem{item("A", 2, 0), item("B", 0, 1)}, 5, []int{2, 3}},
		// The base comes first, even when it takes everything.
		{[]CapacityProviderStrategyItem{item("A", 3, 1), item("B", 0, 1)}, 2, []int{2, 0}},
		// Largest remainder, ties to the provider listed first.
		{[]CapacityProviderStrategyItem{item("A", 0, 1), item("B", 0, 1)}, 3, []int{2, 1}},
		{[]CapacityProviderStrategyItem{item("A", 0, 1), item("B", 0, 2), item("C", 0, 3)}, 7, []int{1, 2, 4}},
		// One provider takes everything, whatever its weight (API default 0).
		{[]CapacityProviderStrategyItem{item("A", 0, 0)}, 5, []int{5}},
		{[]CapacityProviderStrategyItem{item("A", 0, 0), item("B", 0, 3)}, 5, []int{0, 5}},
	}
	for _, c := range cases {
		got := split(c.strategy, c.n)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("split(%v, %d) = %v, want %v", c.strategy, c.n, got, c.want)
		}
		sum := 0
		for _, v := range got {
			sum += v
		}
		if sum != c.n {
			t.Errorf("split gives %d tasks for %d", sum, c.n)
		}
	}
}

func TestStrategyRefusals(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo"), CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}}))
	const IPE = "InvalidParameterException"
	for _, c := range []struct {
		strategy []CapacityProviderStrategyItem
		msg      string
	}{
		{[]CapacityProviderStrategyItem{item("FARGATE", 1, 1), item("FARGATE_SPOT", 1, 1)}, "Only one capacity provider in a capacity provider strategy can have a base defined."},
		{[]CapacityProviderStrategyItem{item("FARGATE", 0, 0), item("FARGATE_SPOT", 0, 0)}, "The specified capacity provider strategy is invalid. At least one capacity provider in the strategy must have a weight greater than zero."},
		{[]CapacityProviderStrategyItem{item("other", 0, 1)}, "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again."},
		{[]CapacityProviderStrategyItem{item("FARGATE", 0, 1001)}, "The weight of capacity provider 'FARGATE' must be between 0 and 1000."},
	} {
		err := w.ecs.validateStrategy(w.ecs.clusters["demo"].capacityProviders, c.strategy)
		wantAWSError(t, err, IPE, c.msg)
	}
	_, err := w.ecs.CreateCapacityProvider(&CreateCapacityProviderRequest{Name: aws.String("ecs-pool")})
	wantAWSError(t, err, IPE, `The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate".`)
}

func TestFargateBaseAndWeight(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo"), CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 4)}}))
	w.register(fargateRequest("web", "256", "512"))
	subnets := []string{w.ec2.DefaultSubnets()[0].ID}
	nc := &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: subnets}}
	w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(10), NetworkConfiguration: nc})
	w.advance(2 * time.Minute)
	count := func() map[string]int {
		out := map[string]int{}
		for _, task := range w.ecs.clusters["demo"].services[0].tasks() {
			out[task.provider.name]++
			if task.launchType != "FARGATE" {
				t.Errorf("a provider task has launch type %s", task.launchType)
			}
		}
		return out
	}
	if got := count(); got["FARGATE"] != 3 || got["FARGATE_SPOT"] != 7 {
		t.Fatalf("10 tasks at base 1 / weights 1:4 → %v, want FARGATE 3 and FARGATE_SPOT 7", got)
	}
	d := w.describeService("web")
	if d.LaunchType != nil || len(d.CapacityProviderStrategy) != 2 {
		t.Errorf("service shows launch type %v and strategy %v", d.LaunchType, d.CapacityProviderStrategy)
	}
	// No Spot capacity: the Spot share stays unplaced; no fallback to FARGATE.
	w.ok(nil, w.ecs.SetFargateCapacity("FARGATE_SPOT", false))
	var spotTask *task
	for _, task := range w.ecs.clusters["demo"].services[0].tasks() {
		if task.provider.spot {
			spotTask = task
			break
		}
	}
	w.ok(nil, w.ecs.InterruptSpot(spotTask.arn))
	if task := w.describeTask("demo", spotTask.arn); aws.ToString(task.StopCode) != "TerminationNotice" || aws.ToString(task.StoppedReason) != "Your Spot Task was interrupted." {
		t.Errorf("interruption warning: %s %q", aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
	w.advance(5 * time.Minute)
	if got := count(); got["FARGATE"] != 3 || got["FARGATE_SPOT"] != 6 {
		t.Errorf("with no Spot capacity: %v, want FARGATE 3 and FARGATE_SPOT 6 (no fallback)", got)
	}
	if task := w.describeTask("demo", spotTask.arn); aws.ToString(task.StopCode) != "SpotInterruption" || aws.ToString(task.LastStatus) != "STOPPED" {
		t.Errorf("interrupted task: %s %s", aws.ToString(task.LastStatus), aws.ToString(task.StopCode))
	}
	if !hasEvent(w.describeService("web"), "(service web) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.") {
		t.Errorf("no capacity event: %v", eventTexts(w.describeService("web")))
	}
	w.ok(nil, w.ecs.SetFargateCapacity("FARGATE_SPOT", true))
	w.advance(2 * time.Minute)
	if got := count(); got["FARGATE_SPOT"] != 7 {
		t.Errorf("Spot capacity back: %v", got)
	}
	cost := w.ecs.Cost()
	if cost.ByProvider["FARGATE"] <= 0 || cost.ByProvider["FARGATE_SPOT"] <= 0 || cost.ByProvider["FARGATE"] <= cost.ByProvider["FARGATE_SPOT"]*3/7 {
		t.Errorf("cost %+v", cost)
	}
}

// A stopped task still costs what it cost after DescribeTasks forgets it.
func TestCostKeepsForgottenTasks(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo"), CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}}))
	w.register(fargateRequest("web", "256", "512"))
	nc := &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{w.ec2.DefaultSubnets()[0].ID}}}
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), NetworkConfiguration: nc,
		CapacityProviderStrategy: []CapacityProviderStrategyItem{item("FARGATE_SPOT", 0, 1)}})
	w.advance(time.Hour)
	w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: out.Tasks[0].TaskArn}))
	w.advance(time.Minute)
	atStop := w.ecs.Cost().ByProvider["FARGATE_SPOT"]
	w.advance(2 * time.Hour)
	if d, _ := w.ecs.DescribeTasks(&DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: []string{aws.ToString(out.Tasks[0].TaskArn)}}); len(d.Tasks) != 0 {
		t.Fatalf("the task is still described after 2 hours")
	}
	if later := w.ecs.Cost().ByProvider["FARGATE_SPOT"]; atStop <= 0 || later != atStop {
		t.Errorf("FARGATE_SPOT cost %v at the stop, %v once the task is forgotten", atStop, later)
	}
}

func TestFargateProviderTypes(t *testing.T) {
	w := newWorld(t)
	got, err := w.ecs.DescribeCapacityProviders(&DescribeCapacityProvidersRequest{CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}})
	w.ok(got, err)
	for _, cp := range got.CapacityProviders {
		if aws.ToString(cp.Type) != aws.ToString(cp.Name) {
			t.Errorf("%s has type %s", aws.ToString(cp.Name), aws.ToString(cp.Type))
		}
	}
}
