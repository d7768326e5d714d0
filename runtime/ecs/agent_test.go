package ecs

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/iam"
)

func TestParseAgentConfig(t *testing.T) {
	cases := []struct {
		userData string
		want     agentConfig
	}{
		{"", agentConfig{cluster: "default", attributes: map[string]string{}}},
		{"#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config", agentConfig{cluster: "demo", attributes: map[string]string{}}},
		{"#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=prod-1\nECS_RESERVED_MEMORY=256\nECS_INSTANCE_ATTRIBUTES={\"stack\": \"blue\"}\nEOF",
			agentConfig{cluster: "prod-1", reservedMemory: 256, attributes: map[string]string{"stack": "blue"}}},
		{`echo "ECS_CLUSTER=quoted" >> /etc/ecs/ecs.config`, agentConfig{cluster: "quoted", attributes: map[string]string{}}},
	}
	for _, c := range cases {
		got, err := parseAgentConfig(c.userData)
		if err != nil {
			t.Fatalf("%q: %v", c.userData, err)
		}
		if got.cluster != c.want.cluster || got.reservedMemory != c.want.reservedMemory || len(got.attributes) != len(c.want.attributes) {
			t.Errorf("parseAgentConfig(%q) = %+v, want %+v", c.userData, got, c.want)
		}
		for k, v := range c.want.attributes {
			if got.attributes[k] != v {
				t.Errorf("attribute %s = %q, want %q", k, got.attributes[k], v)
			}
		}
	}
	if _, err := parseAgentConfig(`ECS_INSTANCE_ATTRIBUTES={"a": 1}`); err == nil {
		t.Error("a non-string attribute value was accepted")
	}
}

func TestAgentRegistersTheInstance(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	w.instanceRole("ecsInstanceRole", ec2RolePolicy)
	id := w.launch(ec2.LaunchSpec{InstanceType: "m5.large", IamInstanceProfile: "ecsInstanceRole",
		UserData: "echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config\necho 'ECS_INSTANCE_ATTRIBUTES={\"team\":\"web\"}' >> /etc/ecs/ecs.config\necho ECS_RESERVED_MEMORY=100 >> /etc/ecs/ecs.config"})
	// Boot (30 s) plus the agent's start (30 s): registered at one minute.
	w.advance(59 * time.Second)
	if len(w.ecs.clusters["demo"].instances) != 0 {
		t.Fatal("registered before the agent started")
	}
	w.advance(time.Second)
	c := w.ecs.clusters["demo"]
	if len(c.instances) != 1 {
		t.Fatal("the instance did not register at one minute")
	}
	ci := c.instances[0].describe(false)
	if aws.ToString(ci.Ec2InstanceId) != id || aws.ToString(ci.Status) != "ACTIVE" || !aws.ToBool(ci.AgentConnected) {
		t.Errorf("container instance %+v", ci)
	}
	it, _ := w.ec2.InstanceType("m5.large")
	reg := ci.RegisteredResources
	if aws.ToInt(reg[0].IntegerValue) != 2048 || aws.ToInt(reg[1].IntegerValue) != it.RegisteredMemoryMiB-100 {
		t.Errorf("registered CPU %d, memory %d; want 2048 and %d", aws.ToInt(reg[0].IntegerValue), aws.ToInt(reg[1].IntegerValue), it.RegisteredMemoryMiB-100)
	}
	if got := strings.Join(reg[2].StringSetValue, ","); got != "22,2375,2376,51678,51679" {
		t.Errorf("registered ports %s", got)
	}
	attrs := map[string]string{}
	for _, a := range ci.Attributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	for name, want := range map[string]string{"ecs.instance-type": "m5.large", "ecs.availability-zone": "us-east-1a", "ecs.os-type": "linux",
		"ecs.cpu-architecture": "x86_64", "team": "web", "ecs.capability.task-eni": "", "com.amazonaws.ecs.capability.logging-driver.awslogs": ""} {
		if got, ok := attrs[name]; !ok || got != want {
			t.Errorf("attribute %s = %q (present %v), want %q", name, got, ok, want)
		}
	}
}

func TestAgentCreatesTheDefaultCluster(t *testing.T) {
	w := newWorld(t)
	w.instanceRole("ecsInstanceRole", ec2RolePolicy)
	w.launch(ec2.LaunchSpec{IamInstanceProfile: "ecsInstanceRole"})
	w.advance(2 * time.Minute)
	c, ok := w.ecs.clusters["default"]
	if !ok || len(c.instances) != 1 {
		t.Fatal("an instance without ECS_CLUSTER did not join a new default cluster")
	}
}

func TestInstancesThatNeverJoin(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	w.instanceRole("noPolicy", "")
	userData := "echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"
	plain := w.launch(ec2.LaunchSpec{ImageID: w.ami(false), IamInstanceProfile: "noPolicy", UserData: userData})
	noProfile := w.launch(ec2.LaunchSpec{UserData: userData})
	denied := w.launch(ec2.LaunchSpec{IamInstanceProfile: "noPolicy", UserData: userData})
	w.advance(10 * time.Minute)
	if n := len(w.ecs.clusters["demo"].instances); n != 0 {
		t.Fatalf("%d instances registered; none should", n)
	}
	problems := map[string]string{}
	for _, e := range w.sim.Timeline() {
		if e.Kind == "AgentRegistrationFailed" {
			if _, seen := problems[e.Resource]; seen {
				t.Errorf("the same failure of %s was recorded twice", e.Resource)
			}
			problems[e.Resource] = e.Message
		}
	}
	if _, ok := problems[plain]; ok {
		t.Error("a plain AMI has no agent, so nothing should try to register it")
	}
	if !strings.Contains(problems[noProfile], "no IAM instance profile") {
		t.Errorf("instance without a profile: %q", problems[noProfile])
	}
	// The instance role's session is named after the instance.
	if !strings.Contains(problems[denied], ":assumed-role/noPolicy/"+denied+" is not authorized to perform: ecs:RegisterContainerInstance") {
		t.Errorf("instance whose role lacks the policy: %q", problems[denied])
	}
	// Fixing the role lets the waiting agent in, as in AWS.
	w.ok(w.iam.AttachRolePolicy(&iam.AttachRolePolicyRequest{RoleName: aws.String("noPolicy"), PolicyArn: aws.String(ec2RolePolicy)}))
	w.advance(time.Minute)
	if n := len(w.ecs.clusters["demo"].instances); n != 1 {
		t.Fatalf("%d instances registered after the policy was attached; want 1", n)
	}
}

func TestAgentWaitsForItsCluster(t *testing.T) {
	w := newWorld(t)
	w.instanceRole("ecsInstanceRole", ec2RolePolicy)
	w.launch(ec2.LaunchSpec{IamInstanceProfile: "ecsInstanceRole", UserData: "ECS_CLUSTER=later"})
	w.advance(5 * time.Minute)
	if _, ok := w.ecs.clusters["later"]; ok {
		t.Fatal("the agent created a cluster other than default")
	}
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("later")}))
	w.advance(time.Minute)
	if len(w.ecs.clusters["later"].instances) != 1 {
		t.Fatal("the instance did not join once its cluster existed")
	}
}

func TestTerminatedHostStopsItsTasks(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "t3.medium")
	w.register(ec2Request("web"))
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	w.advance(time.Minute)
	ci := w.ecs.clusters["demo"].instances[0]
	if err := w.ec2.TerminateInstance(ci.ec2ID); err != nil {
		t.Fatal(err)
	}
	w.advance(time.Minute)
	task := w.describeTask("demo", aws.ToString(out.Tasks[0].TaskArn))
	if aws.ToString(task.LastStatus) != "STOPPED" || aws.ToString(task.StoppedReason) != "Host EC2 (instance "+ci.ec2ID+") terminated." {
		t.Errorf("task on a terminated host: %s, %q", aws.ToString(task.LastStatus), aws.ToString(task.StoppedReason))
	}
	if ci.status != instanceInactive || ci.agentConnected {
		t.Errorf("container instance of a terminated host is %s, agent connected %v", ci.status, ci.agentConnected)
	}
}
