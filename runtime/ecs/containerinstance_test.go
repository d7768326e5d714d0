package ecs

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestDrainingInstancesGetNoTasks(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "t3.medium")
	w.register(webTask(64))
	c := w.ecs.clusters["demo"]
	first, second := c.instances[0], c.instances[1]
	out := must2(w.ecs.UpdateContainerInstancesState(&UpdateContainerInstancesStateRequest{Cluster: aws.String("demo"),
		ContainerInstances: []string{first.id, "nope"}, Status: aws.String("DRAINING")}))
	if len(out.ContainerInstances) != 1 || aws.ToString(out.ContainerInstances[0].Status) != "DRAINING" || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("UpdateContainerInstancesState = %+v", out)
	}
	run := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(4)})
	for _, task := range run.Tasks {
		if aws.ToString(task.ContainerInstanceArn) != second.arn {
			t.Errorf("a task went to the DRAINING instance")
		}
	}
}

func TestDeregisterContainerInstance(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "t3.medium")
	w.register(webTask(64))
	w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	ci := w.ecs.clusters["demo"].instances[0]
	_, err := w.ecs.DeregisterContainerInstance(&DeregisterContainerInstanceRequest{Cluster: aws.String("demo"), ContainerInstance: aws.String(ci.arn)})
	wantAWSError(t, err, "InvalidParameterException", "Found running tasks on the instance. Stop the tasks or use force to deregister the container instance.")
	out := must2(w.ecs.DeregisterContainerInstance(&DeregisterContainerInstanceRequest{Cluster: aws.String("demo"), ContainerInstance: aws.String(ci.id), Force: aws.Bool(true)}))
	if aws.ToString(out.ContainerInstance.Status) != "INACTIVE" {
		t.Errorf("status after deregistration %s", aws.ToString(out.ContainerInstance.Status))
	}
	list := must2(w.ecs.ListContainerInstances(&ListContainerInstancesRequest{Cluster: aws.String("demo")}))
	inactive := must2(w.ecs.ListContainerInstances(&ListContainerInstancesRequest{Cluster: aws.String("demo"), Status: aws.String("INACTIVE")}))
	if len(list.ContainerInstanceArns) != 0 || len(inactive.ContainerInstanceArns) != 1 {
		t.Errorf("listed %v, INACTIVE %v", list.ContainerInstanceArns, inactive.ContainerInstanceArns)
	}
	_, err = w.ecs.RunTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	wantAWSError(t, err, "InvalidParameterException", "No Container Instances were found in your cluster.")
}

func TestAttributesAndTheQueryLanguage(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 3, "t3.medium")
	c := w.ecs.clusters["demo"]
	put := must2(w.ecs.PutAttributes(&PutAttributesRequest{Cluster: aws.String("demo"), Attributes: []Attribute{
		{Name: aws.String("stack"), Value: aws.String("prod"), TargetId: aws.String(c.instances[1].id)},
	}}))
	if aws.ToString(put.Attributes[0].TargetId) != c.instances[1].arn || aws.ToString(put.Attributes[0].TargetType) != "container-instance" {
		t.Errorf("PutAttributes echoed %+v", put.Attributes[0])
	}
	_, err := w.ecs.PutAttributes(&PutAttributesRequest{Cluster: aws.String("demo"), Attributes: []Attribute{{Name: aws.String("ecs.instance-type"), Value: aws.String("x"), TargetId: aws.String(c.instances[0].id)}}})
	wantAWSError(t, err, "InvalidParameterException", "Attribute ecs.instance-type is reserved by Amazon ECS.")
	_, err = w.ecs.PutAttributes(&PutAttributesRequest{Cluster: aws.String("demo"), Attributes: []Attribute{{Name: aws.String("a"), Value: aws.String("x"), TargetId: aws.String("nope")}}})
	wantAWSError(t, err, "TargetNotFoundException", "Could not find nope.")

	listed := must2(w.ecs.ListAttributes(&ListAttributesRequest{Cluster: aws.String("demo"), TargetType: aws.String("container-instance"), AttributeName: aws.String("stack")}))
	if len(listed.Attributes) != 1 || aws.ToString(listed.Attributes[0].Value) != "prod" {
		t.Errorf("ListAttributes stack = %+v", listed.Attributes)
	}
	filtered := must2(w.ecs.ListContainerInstances(&ListContainerInstancesRequest{Cluster: aws.String("demo"), Filter: aws.String("attribute:stack == prod")}))
	if len(filtered.ContainerInstanceArns) != 1 || filtered.ContainerInstanceArns[0] != c.instances[1].arn {
		t.Errorf("filter attribute:stack == prod listed %v", filtered.ContainerInstanceArns)
	}
	byAZ := must2(w.ecs.ListContainerInstances(&ListContainerInstancesRequest{Cluster: aws.String("demo"), Filter: aws.String("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]")}))
	if len(byAZ.ContainerInstanceArns) != 2 {
		t.Errorf("filter by AZ listed %v", byAZ.ContainerInstanceArns)
	}
	w.register(webTask(64))
	run := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(3),
		PlacementConstraints: []PlacementConstraint{{Type: aws.String("memberOf"), Expression: aws.String("attribute:stack == prod")}}})
	for _, task := range run.Tasks {
		if aws.ToString(task.ContainerInstanceArn) != c.instances[1].arn {
			t.Errorf("memberOf placed a task on another instance")
		}
	}
	distinct := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(4), Group: aws.String("spread-me"),
		PlacementConstraints: []PlacementConstraint{{Type: aws.String("distinctInstance")}}})
	if len(distinct.Tasks) != 3 || aws.ToString(distinct.Failures[0].Reason) != "DistinctInstance placement constraint unsatisfied." {
		t.Errorf("distinctInstance over 3 instances: %d placed, failures %+v", len(distinct.Tasks), distinct.Failures)
	}
	deleted := must2(w.ecs.DeleteAttributes(&DeleteAttributesRequest{Cluster: aws.String("demo"), Attributes: []Attribute{{Name: aws.String("stack"), TargetId: aws.String(c.instances[1].arn)}}}))
	if len(deleted.Attributes) != 1 {
		t.Errorf("DeleteAttributes = %+v", deleted)
	}
	if _, ok := c.instances[1].attributes["stack"]; ok {
		t.Error("the attribute survived DeleteAttributes")
	}
}

func TestStartTaskOnNamedInstances(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "t3.medium")
	w.register(webTask(3000))
	c := w.ecs.clusters["demo"]
	out := must2(w.ecs.StartTask(&StartTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"),
		ContainerInstances: []string{c.instances[0].id, c.instances[0].arn, "nope"}}))
	if len(out.Tasks) != 1 || len(out.Failures) != 2 {
		t.Fatalf("StartTask = %d tasks, failures %+v", len(out.Tasks), out.Failures)
	}
	if aws.ToString(out.Failures[0].Reason) != "RESOURCE:MEMORY" || aws.ToString(out.Failures[1].Reason) != "MISSING" {
		t.Errorf("failures %+v", out.Failures)
	}
	w.advance(time.Minute)
	d := must2(w.ecs.DescribeContainerInstances(&DescribeContainerInstancesRequest{Cluster: aws.String("demo"), ContainerInstances: []string{c.instances[0].id}}))
	ci := d.ContainerInstances[0]
	if aws.ToInt(ci.RunningTasksCount) != 1 || aws.ToInt(ci.RemainingResources[1].IntegerValue) != c.instances[0].registeredMemory-3000 {
		t.Errorf("instance after one task: running %d, remaining memory %d", aws.ToInt(ci.RunningTasksCount), aws.ToInt(ci.RemainingResources[1].IntegerValue))
	}
}
