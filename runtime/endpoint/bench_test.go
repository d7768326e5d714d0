package endpoint_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
	ecsrt "github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/endpoint"
)

// The cost of the endpoint: the same calls through the Go SDK over
// loopback HTTP and in process (the dispatch the builtins use, without
// Starlark). Compare ns/op of the pairs:
//
//	go test ./runtime/endpoint -run '^$' -bench . -benchtime 2000x

func benchAccount(b *testing.B) (*account, *ecs.Client) {
	a := newAccount(b)
	client := ecs.NewFromConfig(a.cfg, func(o *ecs.Options) {
		o.HTTPClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	})
	if _, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: sdk.String("demo")}); err != nil {
		b.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, fargateTaskDef("256", "512")); err != nil {
		b.Fatal(err)
	}
	return a, client
}

func BenchmarkDescribeClustersSDK(b *testing.B) {
	_, client := benchAccount(b)
	in := &ecs.DescribeClustersInput{Clusters: []string{"demo"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := client.DescribeClusters(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribeClustersInProcess(b *testing.B) {
	a, _ := benchAccount(b)
	fn, _ := awsmodel.Implementation(a.cloud.ECS, "DescribeClusters")
	params := awsmodel.Map{{Key: "clusters", Value: []any{"demo"}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.lock.Lock()
		_, err := awsmodel.Invoke(fn, params)
		a.lock.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// RunTask places one Fargate task per call; the tasks are stopped every
// 100 calls through the runtime, outside the timer, so the cluster stays
// small.
func BenchmarkRunTaskSDK(b *testing.B) {
	a, client := benchAccount(b)
	subnets := benchSubnets(b, a)
	in := &ecs.RunTaskInput{Cluster: sdk.String("demo"), TaskDefinition: sdk.String("web"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := client.RunTask(ctx, in); err != nil {
			b.Fatal(err)
		}
		if i%100 == 99 {
			b.StopTimer()
			stopAll(b, a)
			b.StartTimer()
		}
	}
}

func BenchmarkRunTaskInProcess(b *testing.B) {
	a, _ := benchAccount(b)
	subnets := benchSubnets(b, a)
	fn, _ := awsmodel.Implementation(a.cloud.ECS, "RunTask")
	list := make([]any, len(subnets))
	for i, s := range subnets {
		list[i] = s
	}
	params := awsmodel.Map{{Key: "cluster", Value: "demo"}, {Key: "taskDefinition", Value: "web"}, {Key: "launchType", Value: "FARGATE"},
		{Key: "networkConfiguration", Value: awsmodel.Map{{Key: "awsvpcConfiguration", Value: awsmodel.Map{{Key: "subnets", Value: list}}}}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.lock.Lock()
		_, err := awsmodel.Invoke(fn, params)
		a.lock.Unlock()
		if err != nil {
			b.Fatal(err)
		}
		if i%100 == 99 {
			b.StopTimer()
			stopAll(b, a)
			b.StartTimer()
		}
	}
}

func benchSubnets(b *testing.B, a *account) []string {
	a.lock.Lock()
	defer a.lock.Unlock()
	out, err := a.cloud.EC2.DescribeSubnets(nil)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, s := range out.Subnets {
		ids = append(ids, sdk.ToString(s.SubnetId))
	}
	return ids
}

func stopAll(b *testing.B, a *account) {
	a.lock.Lock()
	defer a.lock.Unlock()
	list, err := a.cloud.ECS.ListTasks(&ecsrt.ListTasksRequest{Cluster: sdk.String("demo"), MaxResults: sdk.Int(100)})
	if err != nil {
		b.Fatal(err)
	}
	for _, arn := range list.TaskArns {
		if _, err := a.cloud.ECS.StopTask(&ecsrt.StopTaskRequest{Cluster: sdk.String("demo"), Task: sdk.String(arn)}); err != nil {
			b.Fatal(err)
		}
	}
}

// The endpoint's own share of the SDK figures: one DescribeClusters and
// one RunTask request handled by the Server directly (decode, validate,
// dispatch, encode), without the SDK or the network.
func BenchmarkDescribeClustersHandler(b *testing.B) {
	a, _ := benchAccount(b)
	benchHandler(b, a, "DescribeClusters", `{"clusters":["demo"]}`, false)
}

func BenchmarkRunTaskHandler(b *testing.B) {
	a, _ := benchAccount(b)
	subnets, _ := json.Marshal(benchSubnets(b, a))
	benchHandler(b, a, "RunTask", `{"cluster":"demo","taskDefinition":"web","launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":`+string(subnets)+`}}}`, true)
}

func benchHandler(b *testing.B, a *account, op, body string, stop bool) {
	ep, err := endpoint.New(endpoint.Config{Cloud: a.cloud, Lock: a.lock})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0")
		rec := httptest.NewRecorder()
		ep.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if stop && i%100 == 99 {
			b.StopTimer()
			stopAll(b, a)
			b.StartTimer()
		}
	}
}
