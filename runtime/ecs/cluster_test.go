package ecs

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func clusterARN(name string) string { return "arn:aws:ecs:us-east-1:123456789012:cluster/" + name }

func TestClusterLifecycle(t *testing.T) {
	e := newTestECS()
	out, err := e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo"), Tags: []Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Cluster)
	want := `{"clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/demo","clusterName":"demo","status":"ACTIVE",` +
		`"registeredContainerInstancesCount":0,"runningTasksCount":0,"pendingTasksCount":0,"activeServicesCount":0,` +
		`"statistics":[],"tags":[{"key":"team","value":"a"}],"settings":[{"name":"containerInsights","value":"disabled"}],` +
		`"capacityProviders":[],"defaultCapacityProviderStrategy":[]}`
	if string(b) != want {
		t.Errorf("CreateCluster\n%s\nwant\n%s", b, want)
	}
	// Idempotent on an ACTIVE name: the existing cluster, unchanged.
	again, _ := e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")})
	if len(again.Cluster.Tags) != 1 {
		t.Errorf("second CreateCluster changed the cluster: %+v", again.Cluster)
	}
	// Default name.
	def, _ := e.CreateCluster(nil)
	if *def.Cluster.ClusterName != "default" {
		t.Errorf("default cluster %s", *def.Cluster.ClusterName)
	}

	// Describe: default cluster when none named; missing ones in failures.
	d, _ := e.DescribeClusters(nil)
	if len(d.Clusters) != 1 || *d.Clusters[0].ClusterName != "default" || len(d.Failures) != 0 || d.Failures == nil {
		t.Errorf("describe default %+v", d)
	}
	d, _ = e.DescribeClusters(&DescribeClustersRequest{Clusters: []string{clusterARN("demo"), "ghost", "arn:aws:ecs:us-east-1:123456789012:cluster/ghost2"}})
	fb, _ := json.Marshal(d.Failures)
	if len(d.Clusters) != 1 || string(fb) != `[{"arn":"arn:aws:ecs:us-east-1:123456789012:cluster/ghost","reason":"MISSING"},{"arn":"arn:aws:ecs:us-east-1:123456789012:cluster/ghost2","reason":"MISSING"}]` {
		t.Errorf("describe failures %s", fb)
	}
	if d.Clusters[0].Settings != nil || len(d.Clusters[0].Tags) != 0 {
		t.Errorf("settings/tags without include: %+v", d.Clusters[0])
	}
	d, _ = e.DescribeClusters(&DescribeClustersRequest{Clusters: []string{"demo"}, Include: []string{"TAGS", "SETTINGS", "STATISTICS", "ATTACHMENTS", "CONFIGURATIONS"}})
	c := d.Clusters[0]
	if len(c.Tags) != 1 || len(c.Settings) != 1 || len(c.Statistics) != 8 || *c.Statistics[0].Name != "runningEC2TasksCount" || *c.Statistics[0].Value != "0" || c.Attachments == nil {
		t.Errorf("describe with include %+v", c)
	}
	_, err = e.DescribeClusters(&DescribeClustersRequest{Include: []string{"TASKS"}})
	wantAWSError(t, err, "InvalidParameterException", "1 validation error detected: Value 'TASKS' at 'include.member' failed to satisfy constraint: Member must satisfy enum value set: [ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS]")
	_, err = e.DescribeClusters(&DescribeClustersRequest{Clusters: make([]string, 101)})
	wantAWSError(t, err, "InvalidParameterException", "clusters can have at most 100 items.")

	// List, sorted by ARN.
	l, _ := e.ListClusters(nil)
	if !reflect.DeepEqual(l.ClusterArns, []string{clusterARN("default"), clusterARN("demo")}) {
		t.Errorf("list %v", l.ClusterArns)
	}

	// Delete: INACTIVE, still describable, no longer listed, not found again.
	del, err := e.DeleteCluster(&DeleteClusterRequest{Cluster: aws.String(clusterARN("demo"))})
	if err != nil || *del.Cluster.Status != "INACTIVE" {
		t.Fatalf("delete %+v %v", del, err)
	}
	d, _ = e.DescribeClusters(&DescribeClustersRequest{Clusters: []string{"demo"}})
	if len(d.Clusters) != 1 || *d.Clusters[0].Status != "INACTIVE" {
		t.Errorf("deleted cluster describe %+v", d)
	}
	l, _ = e.ListClusters(nil)
	if !reflect.DeepEqual(l.ClusterArns, []string{clusterARN("default")}) {
		t.Errorf("list after delete %v", l.ClusterArns)
	}
	_, err = e.DeleteCluster(&DeleteClusterRequest{Cluster: aws.String("demo")})
	wantAWSError(t, err, "ClusterNotFoundException", "Cluster not found.")
	if _, err := e.lookupCluster("demo"); err == nil {
		t.Error("lookupCluster found an INACTIVE cluster")
	}
	// The name can be used again for a new, empty cluster.
	re, _ := e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")})
	if *re.Cluster.Status != "ACTIVE" || len(re.Cluster.Tags) != 0 {
		t.Errorf("recreated %+v", re.Cluster)
	}
	if c, err := e.lookupCluster(""); err != nil || c.name != "default" {
		t.Errorf("lookupCluster default: %v", err)
	}
	if _, err := e.lookupCluster("arn:aws:ecs:eu-west-1:123456789012:cluster/demo"); err == nil {
		t.Error("lookupCluster accepted another region's ARN")
	}
}

func TestDeleteClusterInUse(t *testing.T) {
	for _, tt := range []struct {
		set  func(c *cluster)
		code string
		msg  string
	}{
		{func(c *cluster) { c.instances = []*containerInstance{{status: instanceDraining}} }, "ClusterContainsContainerInstancesException", "The Cluster cannot be deleted while Container Instances are active or draining."},
		{func(c *cluster) { c.services = []*service{{status: serviceActive}} }, "ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active."},
		{func(c *cluster) { c.tasks = []*task{{lastStatus: taskPending}} }, "ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active."},
		{func(c *cluster) { c.tasks = []*task{{lastStatus: taskStopping}} }, "ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active."},
	} {
		e := newTestECS()
		e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("busy")})
		tt.set(e.clusters["busy"])
		_, err := e.DeleteCluster(&DeleteClusterRequest{Cluster: aws.String("busy")})
		wantAWSError(t, err, tt.code, tt.msg)
	}
	_, err := newTestECS().DeleteCluster(nil)
	wantAWSError(t, err, "ClusterNotFoundException", "Cluster not found.")
}

func TestCreateClusterRefusals(t *testing.T) {
	const IPE = "InvalidParameterException"
	for _, tt := range []struct {
		name string
		in   *CreateClusterRequest
		msg  string
	}{
		{"bad name", &CreateClusterRequest{ClusterName: aws.String("my cluster")}, "Cluster name must match ^[a-zA-Z0-9\\-_]{1,255}$, but was 'my cluster'."},
		{"empty name", &CreateClusterRequest{ClusterName: aws.String("")}, "Cluster name must match ^[a-zA-Z0-9\\-_]{1,255}$, but was ''."},
		{"long name", &CreateClusterRequest{ClusterName: aws.String(strings.Repeat("c", 256))}, "Cluster name must match ^[a-zA-Z0-9\\-_]{1,255}$, but was '" + strings.Repeat("c", 256) + "'."},
		{"setting name", &CreateClusterRequest{Settings: []ClusterSetting{{Name: aws.String("logging"), Value: aws.String("on")}}},
			"1 validation error detected: Value 'logging' at 'settings.member.name' failed to satisfy constraint: Member must satisfy enum value set: [containerInsights]"},
		{"setting value", &CreateClusterRequest{Settings: []ClusterSetting{{Name: aws.String("containerInsights"), Value: aws.String("on")}}},
			"Invalid value 'on' for cluster setting containerInsights. Valid values are enhanced, enabled and disabled."},
		{"tags", &CreateClusterRequest{Tags: []Tag{{Key: aws.String("aws:x")}}}, "Tag keys cannot start with the reserved prefix 'aws:'."},
		{"unknown provider", &CreateClusterRequest{CapacityProviders: []string{"my-asg"}},
			"The specified capacity provider 'my-asg' does not exist. Specify a valid name or ARN and try again."},
		{"strategy not associated", &CreateClusterRequest{CapacityProviders: []string{"FARGATE"}, DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT")}}},
			"The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again."},
		{"weight", &CreateClusterRequest{CapacityProviders: []string{"FARGATE"}, DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: aws.Int(1001)}}},
			"The weight of capacity provider 'FARGATE' must be between 0 and 1000."},
		{"base", &CreateClusterRequest{CapacityProviders: []string{"FARGATE"}, DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Base: aws.Int(100001)}}},
			"The base of capacity provider 'FARGATE' must be between 0 and 100000."},
		{"two bases", &CreateClusterRequest{CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE"), Base: aws.Int(1)}, {CapacityProvider: aws.String("FARGATE_SPOT"), Base: aws.Int(1)}}},
			"Only one capacity provider in a capacity provider strategy can have a base defined."},
		{"21 items", &CreateClusterRequest{CapacityProviders: []string{"FARGATE"}, DefaultCapacityProviderStrategy: make([]CapacityProviderStrategyItem, 21)},
			"A capacity provider strategy can contain a maximum of 20 capacity providers."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTestECS().CreateCluster(tt.in)
			wantAWSError(t, err, IPE, tt.msg)
		})
	}
}

func TestCreateClusterKeepsCapacityProviders(t *testing.T) {
	in := &CreateClusterRequest{
		ClusterName:       aws.String("f"),
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE"), Base: aws.Int(1), Weight: aws.Int(1)},
			{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: aws.Int(4)},
		},
		Settings:               []ClusterSetting{{Name: aws.String("containerInsights"), Value: aws.String("enabled")}},
		ServiceConnectDefaults: &ClusterServiceConnectDefaultsRequest{Namespace: aws.String("demo")},
	}
	out, err := newTestECS().CreateCluster(in)
	if err != nil {
		t.Fatal(err)
	}
	c := out.Cluster
	if !reflect.DeepEqual(c.CapacityProviders, in.CapacityProviders) || len(c.DefaultCapacityProviderStrategy) != 2 ||
		*c.Settings[0].Value != "enabled" || *c.ServiceConnectDefaults.Namespace != "demo" {
		t.Errorf("%+v", c)
	}
	in.CapacityProviders[0] = "changed"
	if c.CapacityProviders[0] != "FARGATE" {
		t.Error("response shares memory with the request")
	}
}

func TestListClustersPagination(t *testing.T) {
	e := newTestECS()
	for _, n := range []string{"c", "a", "e", "b", "d"} {
		e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String(n)})
	}
	var all []string
	var token *string
	for {
		out, err := e.ListClusters(&ListClustersRequest{MaxResults: aws.Int(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out.ClusterArns...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	want := []string{clusterARN("a"), clusterARN("b"), clusterARN("c"), clusterARN("d"), clusterARN("e")}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("%v", all)
	}
	_, err := e.ListClusters(&ListClustersRequest{NextToken: aws.String("bm9wZQ")})
	wantAWSError(t, err, "InvalidParameterException", "Invalid nextToken. Pass the nextToken value returned by the previous call of the same operation.")
}

func TestTimeline(t *testing.T) {
	e := newTestECS()
	e.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")})
	e.DeleteCluster(&DeleteClusterRequest{Cluster: aws.String("demo")})
	mustRegister(t, e, ec2Request("web"))
	e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:1")})
	e.DeleteTaskDefinitions(&DeleteTaskDefinitionsRequest{TaskDefinitions: []string{"web:1"}})
	var kinds []string
	for _, ev := range e.sim.Timeline() {
		kinds = append(kinds, ev.Kind)
	}
	want := []string{"ClusterCreated", "ClusterDeleted", "TaskDefinitionRegistered", "TaskDefinitionDeregistered", "TaskDefinitionDeleted"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("timeline %v", kinds)
	}
}
