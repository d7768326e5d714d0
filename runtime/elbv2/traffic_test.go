package elbv2

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// healthyTargets registers n instances on port 80 and waits until they are
// healthy.
func healthyTargets(t *testing.T, f *fixture, tg string, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		inst := f.instance()
		ids = append(ids, *inst.InstanceId)
	}
	f.advance(ec2.DefaultBootTime)
	for _, id := range ids {
		f.answers[key(id, 80)] = 200
		if err := f.elb.RegisterTarget(tg, id, 80); err != nil {
			t.Fatal(err)
		}
	}
	f.advance(150 * time.Second)
	for _, id := range ids {
		if s, r := f.elb.TargetState(tg, id, 80); s != "healthy" {
			t.Fatalf("%s: %s %s", id, s, r)
		}
	}
	return ids
}

func TestRoundRobinAndMetrics(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	f.allow(80, 80)
	ids := healthyTargets(t, f, tg, 3)
	// Start on a minute boundary.
	f.advance(f.sim.Now().Truncate(time.Minute).Add(time.Minute).Sub(f.sim.Now()))
	if err := f.elb.SetTraffic(*lb.LoadBalancerArn, 300); err != nil {
		t.Fatal(err)
	}
	traffic := f.elb.Traffic(tg)
	for _, id := range ids {
		if traffic[TargetKey{id, 80}] != 100 {
			t.Fatalf("traffic = %v", traffic)
		}
	}
	f.advance(time.Minute)
	lbDim := "app/web/" + f.elb.lbs[0].hex
	tgDim := f.elb.tgs[0].dimension()
	if got := f.metrics.find("RequestCount", "LoadBalancer", lbDim); len(got) != 1 || got[0] != 18000 {
		t.Fatalf("RequestCount = %v", got)
	}
	if got := f.metrics.find("RequestCountPerTarget", "TargetGroup", tgDim); len(got) != 1 || got[0] != 6000 {
		t.Fatalf("RequestCountPerTarget = %v", got)
	}
	if got := f.metrics.find("HealthyHostCount", "TargetGroup", tgDim, "LoadBalancer", lbDim); len(got) == 0 || got[len(got)-1] != 3 {
		t.Fatalf("HealthyHostCount = %v", got)
	}
	if got := f.metrics.find("TargetResponseTime", "LoadBalancer", lbDim); len(got) != 1 || got[0] != DefaultResponseTime.Seconds() {
		t.Fatalf("TargetResponseTime = %v", got)
	}

	// One target stops answering: after 2 failed checks it is unhealthy
	// and the other two share the load.
	delete(f.answers, key(ids[0], 80))
	f.advance(2 * time.Minute)
	traffic = f.elb.Traffic(tg)
	if traffic[TargetKey{ids[0], 80}] != 0 || traffic[TargetKey{ids[1], 80}] != 150 {
		t.Fatalf("traffic after one failed = %v", traffic)
	}
	if got := f.metrics.find("UnHealthyHostCount", "TargetGroup", tgDim, "LoadBalancer", lbDim); got[len(got)-1] != 1 {
		t.Fatalf("UnHealthyHostCount = %v", got)
	}

	// Every target deregistered: the load balancer answers 503.
	for _, id := range ids {
		f.elb.DeregisterTarget(tg, id, 80)
	}
	f.advance(DefaultProvisioningTime + 301*time.Second)
	if got := f.metrics.find("HTTPCode_ELB_503_Count", "LoadBalancer", lbDim); len(got) == 0 || got[len(got)-1] != 18000 {
		t.Fatalf("HTTPCode_ELB_503_Count = %v", got)
	}
	if got := f.metrics.find("HTTPCode_ELB_5XX_Count", "LoadBalancer", lbDim); len(got) == 0 || got[len(got)-1] != 18000 {
		t.Fatalf("HTTPCode_ELB_5XX_Count = %v", got)
	}
}

// TestFailOpen: with only unhealthy targets, requests go to them anyway and
// fail as the load balancer sees them.
func TestFailOpen(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	tg := f.targetGroup("web", "instance", 80)
	f.listener(*lb.LoadBalancerArn, 80, tg)
	inst := f.instance()
	f.advance(ec2.DefaultBootTime)
	id := *inst.InstanceId
	f.elb.RegisterTarget(tg, id, 80)
	f.advance(time.Minute)
	f.elb.SetTraffic("web", 5)
	if got := f.elb.Traffic(tg)[TargetKey{id, 80}]; got != 5 {
		t.Fatalf("fail-open traffic = %v", got)
	}
	f.advance(2 * time.Minute)
	lbDim := "app/web/" + f.elb.lbs[0].hex
	if got := f.metrics.find("HTTPCode_ELB_504_Count", "LoadBalancer", lbDim); len(got) == 0 || got[len(got)-1] != 300 {
		t.Fatalf("HTTPCode_ELB_504_Count = %v (the security group drops requests)", got)
	}
}

func TestListenerRules(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	web := f.targetGroup("web", "instance", 80)
	api := f.targetGroup("api", "instance", 80)
	l := f.listener(*lb.LoadBalancerArn, 80, web)
	f.allow(80, 80)
	out, err := f.elb.CreateRule(&CreateRuleInput{ListenerArn: aws.String(l), Priority: aws.Int(10),
		Conditions: []RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/api/*"}}},
		Actions:    []Action{{Type: aws.String("forward"), TargetGroupArn: aws.String(api)}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.elb.CreateRule(&CreateRuleInput{ListenerArn: aws.String(l), Priority: aws.Int(10),
		Conditions: []RuleCondition{{Field: aws.String("host-header"), HostHeaderConfig: &HostHeaderConditionConfig{Values: []string{"*.example.com"}}}},
		Actions:    []Action{{Type: aws.String("fixed-response"), FixedResponseConfig: &FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	wantAWSError(t, err, PriorityInUse, "Priority '10' is currently in use")
	if _, err := f.elb.CreateRule(&CreateRuleInput{ListenerArn: aws.String(l), Priority: aws.Int(5),
		Conditions: []RuleCondition{{Field: aws.String("host-header"), HostHeaderConfig: &HostHeaderConditionConfig{Values: []string{"*.EXAMPLE.com"}}}},
		Actions:    []Action{{Type: aws.String("fixed-response"), FixedResponseConfig: &FixedResponseActionConfig{StatusCode: aws.String("404")}}}}); err != nil {
		t.Fatal(err)
	}
	webIDs := healthyTargets(t, f, web, 1)
	apiIDs := healthyTargets(t, f, api, 1)
	lbArn := *lb.LoadBalancerArn
	f.elb.SetRequestTraffic(lbArn, "app.test", "/api/users", 20)
	f.elb.SetRequestTraffic(lbArn, "app.test", "/index.html", 10)
	f.elb.SetRequestTraffic(lbArn, "www.example.com", "/api/users", 7)
	if got := f.elb.Traffic(api)[TargetKey{apiIDs[0], 80}]; got != 20 {
		t.Fatalf("api traffic = %v", got)
	}
	if got := f.elb.Traffic(web)[TargetKey{webIDs[0], 80}]; got != 10 {
		t.Fatalf("web traffic = %v", got)
	}
	rules, _ := f.elb.DescribeRules(&DescribeRulesInput{ListenerArn: aws.String(l)})
	if len(rules.Rules) != 3 || *rules.Rules[0].Priority != "5" || *rules.Rules[2].Priority != "default" || !*rules.Rules[2].IsDefault {
		t.Fatalf("rules = %+v", rules.Rules)
	}
	_, err = f.elb.DeleteTargetGroup(&DeleteTargetGroupInput{TargetGroupArn: aws.String(api)})
	wantAWSError(t, err, ResourceInUse, "Target group '"+api+"' is currently in use by a listener or a rule")
	if _, err := f.elb.DeleteRule(&DeleteRuleInput{RuleArn: out.Rules[0].RuleArn}); err != nil {
		t.Fatal(err)
	}
	if s, r := f.elb.TargetState(api, apiIDs[0], 80); s != "unused" || r != "Target.NotInUse" {
		t.Fatalf("api target after its rule is gone: %s %s", s, r)
	}
	if _, err := f.elb.DeleteTargetGroup(&DeleteTargetGroupInput{TargetGroupArn: aws.String(api)}); err != nil {
		t.Fatal(err)
	}
}

// TestWeightedForward: a forward action with weights splits the requests.
func TestWeightedForward(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("web")
	blue := f.targetGroup("blue", "instance", 80)
	green := f.targetGroup("green", "instance", 80)
	f.allow(80, 80)
	if _, err := f.elb.CreateListener(&CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: aws.String("HTTP"), Port: aws.Int(80),
		DefaultActions: []Action{{Type: aws.String("forward"), ForwardConfig: &ForwardActionConfig{TargetGroups: []TargetGroupTuple{
			{TargetGroupArn: aws.String(blue), Weight: aws.Int(3)}, {TargetGroupArn: aws.String(green), Weight: aws.Int(1)}}}}}}); err != nil {
		t.Fatal(err)
	}
	b := healthyTargets(t, f, blue, 1)
	g := healthyTargets(t, f, green, 1)
	f.elb.SetTraffic("web", 100)
	if f.elb.Traffic(blue)[TargetKey{b[0], 80}] != 75 || f.elb.Traffic(green)[TargetKey{g[0], 80}] != 25 {
		t.Fatalf("weighted: %v %v", f.elb.Traffic(blue), f.elb.Traffic(green))
	}
}
