package ecs

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecr"
	"github.com/ecsbox/ecsbox/runtime/iam"
)

func TestECRImagePulls(t *testing.T) {
	w := logsWorld(t) // an execution role with AmazonECSTaskExecutionRolePolicy
	w.ecs.ecr = ecr.New(ecr.Config{Sim: w.sim, Identity: aws.DefaultIdentity()})
	w.ok(w.ecs.ecr.CreateRepository(&ecr.CreateRepositoryRequest{RepositoryName: aws.String("web")}))
	if _, err := w.ecs.ecr.Push("web", "v1", []byte(`{"schemaVersion":2,"layers":[]}`), 200<<20); err != nil {
		t.Fatal(err)
	}
	w.ok(w.iam.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String("bare"), AssumeRolePolicyDocument: aws.String(taskTrust)}))
	registry := "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:"
	run := func(family, tag, role string) Task {
		td := fargateRequest(family, "256", "512")
		td.ContainerDefinitions[0].Image = aws.String(registry + tag)
		td.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/" + role)
		w.register(td)
		out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String(family), LaunchType: aws.String("FARGATE"),
			NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{w.ec2.DefaultSubnets()[0].ID}}}})
		w.advance(time.Minute)
		return w.describeTask("demo", aws.ToString(out.Tasks[0].TaskArn))
	}
	if task := run("good", "v1", "ecsTaskExecutionRole"); aws.ToString(task.LastStatus) != "RUNNING" || !strings.HasPrefix(aws.ToString(task.Containers[0].ImageDigest), "sha256:") {
		t.Errorf("pull of a pushed image: %s %q", aws.ToString(task.LastStatus), aws.ToString(task.StoppedReason))
	} else if pulled := task.PullStoppedAt.Sub(task.PullStartedAt.Time); pulled != 6*time.Second {
		t.Errorf("a 200 MiB image pulled in %s, want 2 s + 200/50 s", pulled)
	}
	task := run("missing", "v2", "ecsTaskExecutionRole")
	if aws.ToString(task.StopCode) != "TaskFailedToStart" || !strings.HasPrefix(aws.ToString(task.StoppedReason), "CannotPullContainerError: ") {
		t.Errorf("missing tag: %s %q", aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
	task = run("denied", "v1", "bare")
	if aws.ToString(task.StopCode) != "TaskFailedToStart" ||
		!strings.HasPrefix(aws.ToString(task.StoppedReason), "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: ") ||
		!strings.Contains(aws.ToString(task.StoppedReason), "ecr:GetAuthorizationToken") {
		t.Errorf("execution role without ECR permissions: %s %q", aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
}
