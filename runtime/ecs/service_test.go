package ecs

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/logs"
)

func (w *world) createService(in CreateServiceRequest) *service {
	w.t.Helper()
	if in.Cluster == nil {
		in.Cluster = aws.String("demo")
	}
	w.ok(w.ecs.CreateService(&in))
	s, _ := w.ecs.lookupService(w.ecs.clusters[deref(in.Cluster)], deref(in.ServiceName))
	return s
}

func (w *world) describeService(name string) Service {
	w.t.Helper()
	out := must2(w.ecs.DescribeServices(&DescribeServicesRequest{Cluster: aws.String("demo"), Services: []string{name}}))
	if len(out.Services) != 1 {
		w.t.Fatalf("DescribeServices(%s) = %+v", name, out)
	}
	return out.Services[0]
}

func eventTexts(s Service) []string {
	var out []string
	for i := len(s.Events) - 1; i >= 0; i-- { // oldest first
		out = append(out, aws.ToString(s.Events[i].Message))
	}
	return out
}

func hasEvent(s Service, substr string) bool {
	for _, m := range eventTexts(s) {
		if strings.Contains(m, substr) {
			return true
		}
	}
	return false
}

func TestServiceReachesSteadyState(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 3, "t3.medium")
	w.register(webTask(256))
	s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(3)})
	w.advance(15 * time.Second)
	d := w.describeService("web")
	if aws.ToInt(d.RunningCount) != 3 || aws.ToInt(d.PendingCount) != 0 {
		t.Fatalf("running %d pending %d", aws.ToInt(d.RunningCount), aws.ToInt(d.PendingCount))
	}
	perAZ := map[string]int{}
	for _, task := range s.tasks() {
		perAZ[task.az]++
		if task.group != "service:web" || task.startedBy != s.primary().id || !strings.HasPrefix(task.startedBy, "ecs-svc/") || len(task.startedBy) != len("ecs-svc/")+19 {
			t.Errorf("service task group %s startedBy %s", task.group, task.startedBy)
		}
	}
	if len(perAZ) != 3 {
		t.Errorf("tasks per AZ %v: the default strategy spreads over AZs", perAZ)
	}
	if hasEvent(d, "steady state") {
		t.Error("steady before the tasks were healthy (40 s after RUNNING)")
	}
	w.advance(time.Minute)
	d = w.describeService("web")
	got := eventTexts(d)
	if len(got) != 3 || !strings.HasPrefix(got[0], "(service web) has started 3 tasks: (task ") ||
		got[1] != "(service web) (deployment "+s.primary().id+") deployment completed." || got[2] != "(service web) has reached a steady state." {
		t.Errorf("events:\n%s", strings.Join(got, "\n"))
	}
	if aws.ToString(d.Deployments[0].RolloutState) != "COMPLETED" || aws.ToString(d.Deployments[0].Status) != "PRIMARY" {
		t.Errorf("deployment %+v", d.Deployments[0])
	}
	// The steady-state event repeats every six hours, not more often.
	w.advance(6 * time.Hour)
	if n := len(w.describeService("web").Events); n != 4 {
		t.Errorf("%d events after six steady hours, want 4", n)
	}
}

func TestRollingDeploymentBounds(t *testing.T) {
	cases := []struct {
		name          string
		min, max      int
		peak          int // most tasks RUNNING or PENDING at once
		lowestHealthy int
		deadlock      bool
	}{
		{"defaults 100/200", 100, 200, 8, 4, false},
		{"50/100", 50, 100, 4, 2, false},
		{"100/100 cannot move", 100, 100, 4, 4, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.clusterWith("demo", 4, "m5.large")
			w.register(webTask(256))
			v2 := webTask(256)
			v2.ContainerDefinitions[0].Image = aws.String("nginx:2")
			w.register(v2)
			s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int(4),
				DeploymentConfiguration: &DeploymentConfiguration{MinimumHealthyPercent: aws.Int(c.min), MaximumPercent: aws.Int(c.max)}})
			w.advance(2 * time.Minute)
			w.ok(w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")}))
			peak, lowest := 0, 1<<30
			for i := 0; i < 60; i++ {
				w.advance(5 * time.Second)
				live, healthy := 0, 0
				for _, task := range s.tasks() {
					if task.desiredStatus == taskRunning {
						live++
						if ok, _ := w.ecs.healthy(task); ok {
							healthy++
						}
					}
				}
				peak, lowest = max(peak, live), min(lowest, healthy)
			}
			if peak != c.peak || lowest != c.lowestHealthy {
				t.Errorf("peak %d tasks, lowest %d healthy; want %d and %d", peak, lowest, c.peak, c.lowestHealthy)
			}
			d := w.describeService("web")
			if got := hasEvent(d, "was unable to stop or start tasks during a deployment because of the service deployment configuration"); got != c.deadlock {
				t.Errorf("deadlock event %v, want %v", got, c.deadlock)
			}
			if !c.deadlock && (len(d.Deployments) != 1 || !strings.HasSuffix(aws.ToString(d.Deployments[0].TaskDefinition), "web:2")) {
				t.Errorf("deployment did not complete: %+v", d.Deployments)
			}
		})
	}
}

func TestServiceScalesInAndReplacesStoppedTasks(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "m5.large")
	w.register(webTask(256))
	s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(4)})
	w.advance(2 * time.Minute)
	victim := s.tasks()[0]
	w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: aws.String(victim.arn)}))
	w.advance(30 * time.Second)
	if d := w.describeService("web"); aws.ToInt(d.RunningCount) != 4 {
		t.Errorf("a stopped task was not replaced: running %d", aws.ToInt(d.RunningCount))
	}
	w.ok(w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int(1)}))
	w.advance(30 * time.Second)
	d := w.describeService("web")
	if aws.ToInt(d.RunningCount) != 1 || !hasEvent(d, "has stopped 3 running tasks:") {
		t.Errorf("after scaling in to 1: running %d, events %v", aws.ToInt(d.RunningCount), eventTexts(d))
	}
	stopped := w.describeTask("demo", victim.arn)
	if aws.ToString(stopped.StopCode) != "UserInitiated" {
		t.Errorf("the user-stopped task has stop code %s", aws.ToString(stopped.StopCode))
	}
}

func TestServicePlacementFailureEvent(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "t3.medium")
	w.register(webTask(3000))
	w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(2)})
	w.advance(10 * time.Minute)
	d := w.describeService("web")
	ci := w.ecs.clusters["demo"].instances[0]
	want := "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance " +
		ci.id + ") has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	count := 0
	for _, m := range eventTexts(d) {
		if m == want {
			count++
		}
	}
	if count != 1 {
		t.Errorf("placement failure said %d times in 10 minutes (want once, repeats suppressed):\n%s", count, strings.Join(eventTexts(d), "\n"))
	}
	if aws.ToInt(d.RunningCount) != 1 {
		t.Errorf("running %d, want the 1 that fits", aws.ToInt(d.RunningCount))
	}
}

func TestCircuitBreakerRollsBack(t *testing.T) {
	w := newWorld(t)
	w.ecs.logs = logs.New(logs.Config{Sim: w.sim, Identity: aws.DefaultIdentity()})
	w.clusterWith("demo", 2, "m5.large")
	w.register(webTask(128))
	// A revision whose tasks cannot start: its awslogs group does not exist.
	bad := webTask(128)
	bad.ContainerDefinitions[0].LogConfiguration = &LogConfiguration{LogDriver: aws.String("awslogs"), Options: map[string]string{"awslogs-group": "/missing", "awslogs-region": "us-east-1"}}
	w.register(bad)
	s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int(2),
		DeploymentConfiguration: &DeploymentConfiguration{DeploymentCircuitBreaker: &DeploymentCircuitBreaker{Enable: aws.Bool(true), Rollback: aws.Bool(true)}}})
	w.advance(2 * time.Minute)
	w.ok(w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")}))
	w.advance(30 * time.Minute)
	d := w.describeService("web")
	if !strings.HasSuffix(aws.ToString(d.TaskDefinition), "web:1") || aws.ToInt(d.RunningCount) != 2 {
		t.Errorf("after the breaker: task definition %s, running %d", aws.ToString(d.TaskDefinition), aws.ToInt(d.RunningCount))
	}
	failed := false
	for _, e := range w.sim.Timeline() {
		if e.Kind == "ServiceDeploymentFailed" && strings.Contains(e.Message, "threshold 10") {
			failed = true
		}
	}
	if !failed {
		t.Error("no FAILED deployment with threshold 10 (clamp(ceil(0.5 × 2), 10, 200))")
	}
	if !hasEvent(d, "deployment failed: tasks failed to start.") || !hasEvent(d, "is unable to consistently start tasks successfully.") {
		t.Errorf("events: %s", strings.Join(eventTexts(d), "\n"))
	}
	_ = s
	for _, c := range []struct{ desired, want int }{{1, 10}, {25, 13}, {400, 200}, {800, 200}} {
		if got := circuitBreakerThreshold(c.desired); got != c.want {
			t.Errorf("threshold(%d) = %d, want %d", c.desired, got, c.want)
		}
	}
}

func TestDaemonServiceFollowsInstances(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "t3.medium")
	w.register(webTask(64))
	w.createService(CreateServiceRequest{ServiceName: aws.String("agent"), TaskDefinition: aws.String("web"), SchedulingStrategy: aws.String("DAEMON")})
	w.advance(time.Minute)
	if d := w.describeService("agent"); aws.ToInt(d.RunningCount) != 2 || aws.ToInt(d.DesiredCount) != 2 {
		t.Fatalf("daemon: desired %d running %d", aws.ToInt(d.DesiredCount), aws.ToInt(d.RunningCount))
	}
	c := w.ecs.clusters["demo"]
	w.ok(w.ecs.UpdateContainerInstancesState(&UpdateContainerInstancesStateRequest{Cluster: aws.String("demo"), ContainerInstances: []string{c.instances[0].id}, Status: aws.String("DRAINING")}))
	w.advance(time.Minute)
	if d := w.describeService("agent"); aws.ToInt(d.RunningCount) != 1 || aws.ToInt(d.DesiredCount) != 1 {
		t.Errorf("after draining one instance: desired %d running %d", aws.ToInt(d.DesiredCount), aws.ToInt(d.RunningCount))
	}
}

func TestDrainingInstanceTasksAreReplaced(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "m5.large")
	w.register(webTask(256))
	s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(4)})
	w.advance(2 * time.Minute)
	drained := w.ecs.clusters["demo"].instances[0]
	w.ok(w.ecs.UpdateContainerInstancesState(&UpdateContainerInstancesStateRequest{Cluster: aws.String("demo"), ContainerInstances: []string{drained.id}, Status: aws.String("DRAINING")}))
	w.advance(3 * time.Minute)
	for _, task := range s.tasks() {
		if task.instance == drained {
			t.Errorf("task %s still on the DRAINING instance", task.id)
		}
	}
	if d := w.describeService("web"); aws.ToInt(d.RunningCount) != 4 {
		t.Errorf("running %d after draining, want 4", aws.ToInt(d.RunningCount))
	}
}

func TestDeleteService(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "m5.large")
	w.register(webTask(256))
	w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(2)})
	_, err := w.ecs.CreateService(&CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(1)})
	wantAWSError(t, err, "InvalidParameterException", "Creation of service was not idempotent.")
	w.advance(time.Minute)
	_, err = w.ecs.DeleteService(&DeleteServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web")})
	wantAWSError(t, err, "InvalidParameterException", "The service cannot be stopped while it is scaled above 0.")
	out := must2(w.ecs.DeleteService(&DeleteServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), Force: aws.Bool(true)}))
	if aws.ToString(out.Service.Status) != "DRAINING" {
		t.Errorf("status right after delete: %s", aws.ToString(out.Service.Status))
	}
	w.advance(time.Minute)
	if d := w.describeService("web"); aws.ToString(d.Status) != "INACTIVE" {
		t.Errorf("status a minute later: %s", aws.ToString(d.Status))
	}
	list := must2(w.ecs.ListServices(&ListServicesRequest{Cluster: aws.String("demo")}))
	if len(list.ServiceArns) != 0 {
		t.Errorf("ListServices still lists %v", list.ServiceArns)
	}
	_, err = w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int(1)})
	wantAWSError(t, err, "ServiceNotActiveException", "Service was not ACTIVE.")
	_, err = w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("nope")})
	wantAWSError(t, err, "ServiceNotFoundException", "Service not found.")
}
