package ecs

import (
	"context"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/iam"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// world is an account with IAM, EC2 and ECS wired as runtime.New wires
// them, for tests of what crosses services (the agent, awsvpc ENIs).
type world struct {
	t   *testing.T
	sim *sim.Sim
	iam *iam.IAM
	ec2 *ec2.EC2
	ecs *ECS
}

const ecsInstanceTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func newWorld(t *testing.T) *world {
	t.Helper()
	s := sim.New(sim.Config{})
	id := aws.DefaultIdentity()
	w := &world{t: t, sim: s, iam: iam.New(iam.Config{Sim: s, Identity: id}), ec2: ec2.New(ec2.Config{Sim: s, Identity: id})}
	w.ecs = New(Config{Sim: s, Identity: id, EC2: w.ec2, IAM: w.iam})
	return w
}

// instanceRole creates the role and instance profile called name, with the
// given managed policy attached (none if "").
func (w *world) instanceRole(name, policyArn string) {
	w.t.Helper()
	w.ok(w.iam.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(ecsInstanceTrust)}))
	if policyArn != "" {
		w.ok(w.iam.AttachRolePolicy(&iam.AttachRolePolicyRequest{RoleName: aws.String(name), PolicyArn: aws.String(policyArn)}))
	}
	w.ok(w.iam.CreateInstanceProfile(&iam.CreateInstanceProfileRequest{InstanceProfileName: aws.String(name)}))
	w.ok(w.iam.AddRoleToInstanceProfile(&iam.AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String(name), RoleName: aws.String(name)}))
}

const ec2RolePolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"

// ecsAMI is the ECS-optimized AMI of the catalogue; plainAMI one without
// the agent.
func (w *world) ami(ecsOptimized bool) string {
	for _, img := range w.ec2.Images() {
		if img.ECSOptimized == ecsOptimized && img.Architecture == "x86_64" {
			return img.ID
		}
	}
	w.t.Fatal("no such AMI in the catalogue")
	return ""
}

// launch starts one instance and returns its ID.
func (w *world) launch(spec ec2.LaunchSpec) string {
	w.t.Helper()
	if spec.ImageID == "" {
		spec.ImageID = w.ami(true)
	}
	if spec.InstanceType == "" {
		spec.InstanceType = "t3.medium"
	}
	inst, err := w.ec2.LaunchInstance(spec)
	if err != nil {
		w.t.Fatal(err)
	}
	return inst.ID
}

// clusterWith makes cluster name with n container instances of type
// typ, registered, one per default subnet in turn (so spread over AZs).
func (w *world) clusterWith(name string, n int, typ string) {
	w.t.Helper()
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String(name)}))
	if _, ok := w.iam.RoleARN("ecsInstanceRole"); !ok {
		w.instanceRole("ecsInstanceRole", ec2RolePolicy)
	}
	subnets := w.ec2.DefaultSubnets()
	for i := 0; i < n; i++ {
		w.launch(ec2.LaunchSpec{InstanceType: typ, SubnetID: subnets[i%len(subnets)].ID, IamInstanceProfile: "ecsInstanceRole",
			UserData: "#!/bin/bash\necho ECS_CLUSTER=" + name + " >> /etc/ecs/ecs.config\n"})
	}
	w.advance(2 * time.Minute)
	if got := len(w.ecs.clusters[name].instances); got != n {
		w.t.Fatalf("%d of %d instances registered", got, n)
	}
}

func (w *world) advance(d time.Duration) {
	w.t.Helper()
	if err := w.sim.Advance(context.Background(), d); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) register(in *RegisterTaskDefinitionRequest) {
	w.t.Helper()
	mustRegister(w.t, w.ecs, in)
}

func (w *world) runTask(in *RunTaskRequest) *RunTaskResponse {
	w.t.Helper()
	out, err := w.ecs.RunTask(in)
	if err != nil {
		w.t.Fatalf("RunTask: %v", err)
	}
	return out
}

func (w *world) describeTask(cluster, arn string) Task {
	w.t.Helper()
	out, err := w.ecs.DescribeTasks(&DescribeTasksRequest{Cluster: aws.String(cluster), Tasks: []string{arn}})
	if err != nil || len(out.Tasks) != 1 {
		w.t.Fatalf("DescribeTasks(%s) = %+v, %v", arn, out, err)
	}
	return out.Tasks[0]
}

// ok fails the test on an error from a call whose result is not needed.
func (w *world) ok(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}
