package endpoint_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	appas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	appastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/endpoint"
	"github.com/ecsbox/ecsbox/runtime/ssm"
)

// account is one simulated account behind an httptest server, and the Go
// SDK configuration that reaches it.
type account struct {
	cloud *runtime.Cloud
	lock  *sync.Mutex
	url   string
	cfg   sdk.Config
}

func newAccount(t testing.TB) *account {
	t.Helper()
	cloud := runtime.New(runtime.Config{})
	mu := new(sync.Mutex)
	ep, err := endpoint.New(endpoint.Config{Cloud: cloud, Lock: mu})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ep)
	t.Cleanup(srv.Close)
	return &account{cloud: cloud, lock: mu, url: srv.URL, cfg: sdkConfig(srv.URL, "us-east-1")}
}

func sdkConfig(url, region string) sdk.Config {
	return sdk.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDECSBOX", "any-secret", ""),
		BaseEndpoint:     sdk.String(url),
		RetryMaxAttempts: 1,
	}
}

// advance moves the account's clock, as POST /_ecsbox/advance does.
func (a *account) advance(t testing.TB, d time.Duration) {
	t.Helper()
	resp, err := http.Post(a.url+"/_ecsbox/advance?duration="+d.String(), "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance: %v %v", resp, err)
	}
	resp.Body.Close()
}

// apiError checks that err is the AWS error code with a message containing
// text, as the SDK reports it.
func apiError(t *testing.T, err error, code, text string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want an API error %s", err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), text) {
		t.Fatalf("error = %s: %s, want %s: ...%s...", ae.ErrorCode(), ae.ErrorMessage(), code, text)
	}
}

var ctx = context.Background()

func fargateTaskDef(cpu, memory string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family:                  sdk.String("web"),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		Cpu:                     sdk.String(cpu),
		Memory:                  sdk.String(memory),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: sdk.String("app"), Image: sdk.String("nginx"), Essential: sdk.Bool(true),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: sdk.Int32(80)}},
		}},
	}
}

func TestECSOverJSON(t *testing.T) {
	a := newAccount(t)
	client := ecs.NewFromConfig(a.cfg)

	td, err := client.RegisterTaskDefinition(ctx, fargateTaskDef("0.5 vCPU", "1 GB"))
	if err != nil {
		t.Fatal(err)
	}
	if got := sdk.ToString(td.TaskDefinition.TaskDefinitionArn); got != "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1" {
		t.Errorf("taskDefinitionArn = %s", got)
	}
	if sdk.ToString(td.TaskDefinition.Cpu) != "512" || td.TaskDefinition.RegisteredAt == nil || td.TaskDefinition.RegisteredAt.IsZero() {
		t.Errorf("task definition = cpu %s, registeredAt %v", sdk.ToString(td.TaskDefinition.Cpu), td.TaskDefinition.RegisteredAt)
	}

	_, err = client.RegisterTaskDefinition(ctx, fargateTaskDef("512", "512"))
	apiError(t, err, "ClientException", "No Fargate configuration exists for given values")

	if _, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: sdk.String("demo")}); err != nil {
		t.Fatal(err)
	}
	dc, err := client.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"demo", "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dc.Clusters) != 1 || sdk.ToString(dc.Clusters[0].Status) != "ACTIVE" || len(dc.Failures) != 1 || sdk.ToString(dc.Failures[0].Reason) != "MISSING" {
		t.Errorf("describe-clusters = %+v", dc)
	}

	// An EC2 task on a cluster without container instances is an error.
	subnets := defaultSubnets(t, a)
	awsvpc := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets}}
	_, err = client.RunTask(ctx, &ecs.RunTaskInput{Cluster: sdk.String("demo"), TaskDefinition: sdk.String("web"), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: awsvpc})
	apiError(t, err, "InvalidParameterException", "No Container Instances were found in your cluster.")

	// A service on Fargate with a capacity provider strategy becomes stable.
	if _, err := client.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{
		Cluster: sdk.String("demo"), CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: sdk.String("FARGATE"), Weight: 1}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: sdk.String("demo"), ServiceName: sdk.String("web"), TaskDefinition: sdk.String("web:1"), DesiredCount: sdk.Int32(2),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{
			{CapacityProvider: sdk.String("FARGATE"), Base: 1, Weight: 1},
			{CapacityProvider: sdk.String("FARGATE_SPOT"), Weight: 1},
		},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets}},
	}); err != nil {
		t.Fatal(err)
	}
	a.advance(t, 5*time.Minute)
	ds, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: sdk.String("demo"), Services: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	svc := ds.Services[0]
	if svc.RunningCount != 2 || len(svc.Deployments) != 1 || svc.CreatedAt == nil {
		t.Errorf("service = running %d, deployments %d", svc.RunningCount, len(svc.Deployments))
	}
	if len(svc.Events) == 0 || !strings.Contains(sdk.ToString(svc.Events[0].Message), "has reached a steady state") {
		t.Errorf("service events = %v", svc.Events)
	}
	lt, err := client.ListTasks(ctx, &ecs.ListTasksInput{Cluster: sdk.String("demo"), MaxResults: sdk.Int32(1)})
	if err != nil || len(lt.TaskArns) != 1 || lt.NextToken == nil {
		t.Fatalf("list-tasks page 1 = %v, %v", lt, err)
	}
	lt2, err := client.ListTasks(ctx, &ecs.ListTasksInput{Cluster: sdk.String("demo"), NextToken: lt.NextToken})
	if err != nil || len(lt2.TaskArns) != 1 || lt2.TaskArns[0] == lt.TaskArns[0] {
		t.Fatalf("list-tasks page 2 = %v, %v", lt2, err)
	}
}

func defaultSubnets(t *testing.T, a *account) []string {
	out, err := ec2.NewFromConfig(a.cfg).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range out.Subnets {
		ids = append(ids, sdk.ToString(s.SubnetId))
	}
	if len(ids) != 3 {
		t.Fatalf("default subnets = %v", ids)
	}
	return ids
}

const ec2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func TestContainerInstancesThroughIAMAndEC2(t *testing.T) {
	a := newAccount(t)
	iamc, ec2c, ecsc := iam.NewFromConfig(a.cfg), ec2.NewFromConfig(a.cfg), ecs.NewFromConfig(a.cfg)

	role, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: sdk.String("ecsInstanceRole"), AssumeRolePolicyDocument: sdk.String(ec2Trust)})
	if err != nil {
		t.Fatal(err)
	}
	if sdk.ToString(role.Role.Arn) != "arn:aws:iam::123456789012:role/ecsInstanceRole" || role.Role.CreateDate == nil {
		t.Errorf("role = %+v", role.Role)
	}
	if _, err := iamc.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: sdk.String("ecsInstanceRole"),
		PolicyArn: sdk.String("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")}); err != nil {
		t.Fatal(err)
	}
	attached, err := iamc.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: sdk.String("ecsInstanceRole")})
	if err != nil || len(attached.AttachedPolicies) != 1 {
		t.Fatalf("attached = %v, %v", attached, err)
	}
	_, err = iamc.GetRole(ctx, &iam.GetRoleInput{RoleName: sdk.String("nobody")})
	apiError(t, err, "NoSuchEntity", "nobody")
	if _, err := iamc.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: sdk.String("ecsInstanceRole")}); err != nil {
		t.Fatal(err)
	}
	if _, err := iamc.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: sdk.String("ecsInstanceRole"), RoleName: sdk.String("ecsInstanceRole")}); err != nil {
		t.Fatal(err)
	}

	if _, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: sdk.String("shop")}); err != nil {
		t.Fatal(err)
	}
	a.lock.Lock()
	ami, err := a.cloud.SSM.GetParameter(&ssm.GetParameterRequest{Name: sdk.String("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")})
	a.lock.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=shop >> /etc/ecs/ecs.config"))
	run, err := ec2c.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: ami.Parameter.Value, InstanceType: ec2types.InstanceTypeT3Medium, MinCount: sdk.Int32(1), MaxCount: sdk.Int32(1),
		UserData: sdk.String(userData), IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: sdk.String("ecsInstanceRole")},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: sdk.String("Name"), Value: sdk.String("ci")}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := sdk.ToString(run.Instances[0].InstanceId)
	if !strings.HasPrefix(id, "i-") || run.Instances[0].State.Name != ec2types.InstanceStateNamePending {
		t.Errorf("run-instances = %s %v", id, run.Instances[0].State)
	}
	_, err = ec2c.RunInstances(ctx, &ec2.RunInstancesInput{InstanceType: ec2types.InstanceTypeT3Medium, MinCount: sdk.Int32(1), MaxCount: sdk.Int32(1), ImageId: sdk.String("ami-nope")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.HasPrefix(ae.ErrorCode(), "InvalidAMIID") {
		t.Errorf("run-instances with a bad AMI = %v", err)
	}

	a.advance(t, 3*time.Minute)
	di, err := ec2c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	inst := di.Reservations[0].Instances[0]
	if inst.State.Name != ec2types.InstanceStateNameRunning || inst.LaunchTime == nil || len(inst.Tags) != 1 || sdk.ToString(inst.Placement.AvailabilityZone) == "" {
		t.Errorf("instance = %v, launched %v, tags %v", inst.State.Name, inst.LaunchTime, inst.Tags)
	}

	// A task asking for more memory than the instance registered fails to
	// place with RESOURCE:MEMORY.
	if _, err := ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family:               sdk.String("big"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: sdk.String("app"), Image: sdk.String("nginx"), Memory: sdk.Int32(4096)}},
	}); err != nil {
		t.Fatal(err)
	}
	rt, err := ecsc.RunTask(ctx, &ecs.RunTaskInput{Cluster: sdk.String("shop"), TaskDefinition: sdk.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	if len(rt.Tasks) != 0 || len(rt.Failures) != 1 || sdk.ToString(rt.Failures[0].Reason) != "RESOURCE:MEMORY" {
		t.Errorf("run-task = %d tasks, failures %+v", len(rt.Tasks), rt.Failures)
	}
}

func TestECRAuthorizationToken(t *testing.T) {
	a := newAccount(t)
	out, err := ecr.NewFromConfig(a.cfg).GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	auth := out.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(sdk.ToString(auth.AuthorizationToken))
	if err != nil || !strings.HasPrefix(string(raw), "AWS:") || auth.ExpiresAt == nil || sdk.ToString(auth.ProxyEndpoint) == "" {
		t.Errorf("authorization data = %q, expires %v, endpoint %s", raw, auth.ExpiresAt, sdk.ToString(auth.ProxyEndpoint))
	}
}

func TestAutoScalingAndAlarmsOverQueryAndCBOR(t *testing.T) {
	a := newAccount(t)
	ecsc := ecs.NewFromConfig(a.cfg)
	if _, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: sdk.String("demo")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecsc.RegisterTaskDefinition(ctx, fargateTaskDef("256", "512")); err != nil {
		t.Fatal(err)
	}
	if _, err := ecsc.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: sdk.String("demo"), ServiceName: sdk.String("web"), TaskDefinition: sdk.String("web"), DesiredCount: sdk.Int32(3),
		LaunchType:           ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: defaultSubnets(t, a)}},
	}); err != nil {
		t.Fatal(err)
	}

	aas := appas.NewFromConfig(a.cfg)
	if _, err := aas.RegisterScalableTarget(ctx, &appas.RegisterScalableTargetInput{
		ServiceNamespace: appastypes.ServiceNamespaceEcs, ResourceId: sdk.String("service/demo/web"),
		ScalableDimension: appastypes.ScalableDimensionECSServiceDesiredCount, MinCapacity: sdk.Int32(1), MaxCapacity: sdk.Int32(4),
	}); err != nil {
		t.Fatal(err)
	}
	pol, err := aas.PutScalingPolicy(ctx, &appas.PutScalingPolicyInput{
		PolicyName: sdk.String("cpu50"), ServiceNamespace: appastypes.ServiceNamespaceEcs, ResourceId: sdk.String("service/demo/web"),
		ScalableDimension: appastypes.ScalableDimensionECSServiceDesiredCount, PolicyType: appastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &appastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   sdk.Float64(50),
			PredefinedMetricSpecification: &appastypes.PredefinedMetricSpecification{PredefinedMetricType: appastypes.MetricTypeECSServiceAverageCPUUtilization},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Alarms) != 2 {
		t.Errorf("target tracking alarms = %v", pol.Alarms)
	}
	a.advance(t, 30*time.Minute)
	acts, err := aas.DescribeScalingActivities(ctx, &appas.DescribeScalingActivitiesInput{ServiceNamespace: appastypes.ServiceNamespaceEcs})
	if err != nil {
		t.Fatal(err)
	}
	// An idle service scales in from 3 towards its minimum.
	if len(acts.ScalingActivities) == 0 || acts.ScalingActivities[0].StartTime == nil || acts.ScalingActivities[0].StatusCode == "" {
		t.Errorf("scaling activities = %+v", acts.ScalingActivities)
	}

	// CloudWatch: the Go SDK speaks Smithy RPC v2 CBOR to it.
	cw := cloudwatch.NewFromConfig(a.cfg)
	now := a.cloud.Sim.Now()
	stats, err := cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: sdk.String("AWS/ECS"), MetricName: sdk.String("CPUUtilization"),
		Dimensions: []cwtypes.Dimension{{Name: sdk.String("ClusterName"), Value: sdk.String("demo")}, {Name: sdk.String("ServiceName"), Value: sdk.String("web")}},
		StartTime:  sdk.Time(now.Add(-20 * time.Minute)), EndTime: sdk.Time(now), Period: sdk.Int32(60),
		Statistics: []cwtypes.Statistic{cwtypes.StatisticAverage, cwtypes.StatisticMaximum},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Datapoints) == 0 || stats.Datapoints[0].Timestamp == nil || stats.Datapoints[0].Average == nil {
		t.Errorf("datapoints = %+v", stats.Datapoints)
	}
	alarms, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	if err != nil || len(alarms.MetricAlarms) != 2 {
		t.Fatalf("describe-alarms = %v, %v", alarms, err)
	}
	_, err = cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{NextToken: sdk.String("bogus")})
	if err == nil {
		t.Log("describe-alarm-history accepted a bogus token")
	}

	// EC2 Auto Scaling over the query protocol.
	asc := autoscaling.NewFromConfig(a.cfg)
	groups, err := asc.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"none"}})
	if err != nil || len(groups.AutoScalingGroups) != 0 {
		t.Fatalf("describe-auto-scaling-groups = %v, %v", groups, err)
	}
}

func TestRefusals(t *testing.T) {
	a := newAccount(t)
	// Another region than the account's.
	_, err := ecs.NewFromConfig(sdkConfig(a.url, "eu-west-1")).ListClusters(ctx, &ecs.ListClustersInput{})
	apiError(t, err, endpoint.ErrWrongRegion, "region us-east-1; this request was signed for eu-west-1")
	// IAM is global: any region signs it.
	if _, err := iam.NewFromConfig(sdkConfig(a.url, "eu-west-1")).ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Errorf("IAM from eu-west-1: %v", err)
	}
	// An action ecsbox does not simulate yet.
	_, err = ecs.NewFromConfig(a.cfg).DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingInput{Name: ecstypes.SettingNameServiceLongArnFormat})
	apiError(t, err, "NotSimulated", "ecsbox does not simulate ecs.delete_account_setting yet")
}
