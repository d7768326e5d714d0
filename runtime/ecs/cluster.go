package ecs

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// defaultClusterName is the cluster that requests without a cluster use
// [API:CreateClusterRequest], [DG:ecs-account-settings].
const defaultClusterName = "default"

// clusterNamePattern: up to 255 letters, numbers, underscores and hyphens
// [API:CreateClusterRequest]; the regular expression is the one ECS quotes
// ("Cluster must match ^[a-zA-Z0-9\-_]{1,255}$",
// https://github.com/awslabs/amazon-ecs-nodejs-microservices/issues/18).
var clusterNamePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_]{1,255}$`)

// Cluster statuses used here [API:Cluster].
const (
	clusterActive   = "ACTIVE"
	clusterInactive = "INACTIVE"
)

// clusterStatistics are the keys of Cluster.statistics, in the order the
// API documentation lists them [API:Cluster].
var clusterStatistics = []string{
	"runningEC2TasksCount", "runningFargateTasksCount",
	"pendingEC2TasksCount", "pendingFargateTasksCount",
	"activeEC2ServiceCount", "activeFargateServiceCount",
	"drainingEC2ServiceCount", "drainingFargateServiceCount",
}

// cluster is the state of one cluster. The counters are kept by the code
// that registers instances, runs tasks and creates services; DeleteCluster
// reads them to refuse deleting a cluster that is still in use.
type cluster struct {
	name   string
	arn    string
	status string

	tags                   []Tag
	settings               []ClusterSetting
	configuration          *ClusterConfiguration
	capacityProviders      []string
	defaultStrategy        []CapacityProviderStrategyItem
	serviceConnectDefaults *ClusterServiceConnectDefaults

	// instances are the container instances registered in the cluster, in
	// registration order, INACTIVE ones included; tasks are its tasks until
	// an hour after they stop. The counts DescribeClusters shows and
	// DeleteCluster checks are derived from them (clustercounts.go).
	instances []*containerInstance
	tasks     []*task
	services  []*service
	// ecs is the service the cluster belongs to.
	ecs *ECS
	// serviceByName indexes services by name, the newest of each name.
	serviceByName map[string]*service
	// acc sums the cluster metrics of the current minute (metrics.go);
	// measured is the buffer of the last measurement (load.go).
	acc      clusterSums
	measured []*task
}

// CreateCluster creates a cluster, or returns the ACTIVE cluster of that
// name unchanged: the call is idempotent on the name [API:CreateCluster].
// A name whose cluster was deleted (INACTIVE) gets a new, empty cluster.
func (e *ECS) CreateCluster(in *CreateClusterRequest) (*CreateClusterResponse, error) {
	if in == nil {
		in = &CreateClusterRequest{}
	}
	name := defaultClusterName
	if in.ClusterName != nil {
		name = *in.ClusterName
	}
	if !clusterNamePattern.MatchString(name) {
		// text not verified: modelled on the pattern error ECS returns for a
		// cluster reference (see clusterNamePattern)
		return nil, invalidParam("Cluster name must match ^[a-zA-Z0-9\\-_]{1,255}$, but was '%s'.", name)
	}
	if c, ok := e.clusters[name]; ok && c.status == clusterActive {
		return &CreateClusterResponse{Cluster: e.describeCluster(c, allClusterFields)}, nil
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	settings, err := clusterSettings(in.Settings)
	if err != nil {
		return nil, err
	}
	if err := e.validateClusterCapacityProviders(in.CapacityProviders, in.DefaultCapacityProviderStrategy); err != nil {
		return nil, err
	}
	c := &cluster{
		name:              name,
		arn:               e.arn("cluster/" + name),
		status:            clusterActive,
		tags:              clone(nonNil(in.Tags)),
		settings:          settings,
		capacityProviders: clone(nonNil(in.CapacityProviders)),
		defaultStrategy:   clone(nonNil(in.DefaultCapacityProviderStrategy)),
		ecs:               e,
	}
	if in.Configuration != nil {
		cfg := clone(*in.Configuration)
		c.configuration = &cfg
	}
	if in.ServiceConnectDefaults != nil {
		c.serviceConnectDefaults = &ClusterServiceConnectDefaults{Namespace: cloneString(in.ServiceConnectDefaults.Namespace)}
	}
	e.clusters[name] = c
	e.sim.Record("ecs", "ClusterCreated", c.arn, "created cluster "+name)
	for _, pname := range c.capacityProviders {
		if cp := e.providers[pname]; !cp.fargate {
			cp.cluster = c
			e.manageScaling(cp)
		}
	}
	if e.iam != nil {
		// CreateCluster creates the ECS service-linked role if the account
		// has none yet [DG:using-service-linked-roles], reference 10.1.
		e.iam.EnsureServiceLinkedRole("ecs.amazonaws.com")
	}
	return &CreateClusterResponse{Cluster: e.describeCluster(c, allClusterFields)}, nil
}

// clusterSettings validates the settings of CreateCluster and fills the one
// AWS returns by default: containerInsights=disabled, the account default of
// a new account [API:ClusterSetting].
func clusterSettings(in []ClusterSetting) ([]ClusterSetting, error) {
	values := []string{"enhanced", "enabled", "disabled"} // [API:ClusterSetting]
	out := []ClusterSetting{{Name: aws.String(ClusterSettingNameContainerInsights), Value: aws.String("disabled")}}
	for _, s := range in {
		if n := deref(s.Name); n != ClusterSettingNameContainerInsights {
			return nil, enumError("settings.member.name", n, []string{ClusterSettingNameContainerInsights})
		}
		if v := deref(s.Value); !oneOf(v, values) {
			// text not verified
			return nil, invalidParam("Invalid value '%s' for cluster setting containerInsights. Valid values are enhanced, enabled and disabled.", v)
		}
		out[0].Value = aws.String(*s.Value)
	}
	return out, nil
}

// validateClusterCapacityProviders checks a cluster's providers (they must
// exist and be ACTIVE) and its default strategy (strategy.go).
func (e *ECS) validateClusterCapacityProviders(providers []string, strategy []CapacityProviderStrategyItem) error {
	for _, p := range providers {
		if cp, ok := e.providers[p]; !ok || cp.status != providerActive {
			// text not verified
			return invalidParam("The specified capacity provider '%s' does not exist. Specify a valid name or ARN and try again.", p)
		}
	}
	return e.validateStrategy(providers, strategy)
}

// DescribeClusters describes clusters by name or ARN, the default cluster
// when none is named. A cluster that does not exist is reported in failures
// with reason MISSING and the ARN it would have, not as an error
// (https://github.com/getmoto/moto/pull/2078 shows the AWS output). Deleted
// clusters are described with status INACTIVE [API:DeleteCluster].
func (e *ECS) DescribeClusters(in *DescribeClustersRequest) (*DescribeClustersResponse, error) {
	if in == nil {
		in = &DescribeClustersRequest{}
	}
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{defaultClusterName}
	}
	if len(refs) > 100 { // "A list of up to 100 cluster names" [API:DescribeClustersRequest]
		// text not verified
		return nil, invalidParam("clusters can have at most 100 items.")
	}
	fields := clusterFields{}
	for _, f := range in.Include {
		switch f {
		case ClusterFieldATTACHMENTS:
			fields.attachments = true
		case ClusterFieldCONFIGURATIONS:
			fields.configurations = true
		case ClusterFieldSETTINGS:
			fields.settings = true
		case ClusterFieldSTATISTICS:
			fields.statistics = true
		case ClusterFieldTAGS:
			fields.tags = true
		default:
			return nil, enumError("include.member", f, []string{ClusterFieldATTACHMENTS, ClusterFieldCONFIGURATIONS, ClusterFieldSETTINGS, ClusterFieldSTATISTICS, ClusterFieldTAGS})
		}
	}
	out := &DescribeClustersResponse{Clusters: []Cluster{}, Failures: []Failure{}}
	for _, ref := range refs {
		name, arn := e.clusterRef(ref)
		c, ok := e.clusters[name]
		if !ok || c.arn != arn {
			out.Failures = append(out.Failures, Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
			continue
		}
		out.Clusters = append(out.Clusters, *e.describeCluster(c, fields))
	}
	return out, nil
}

// clusterFields selects the optional parts of a Cluster that DescribeClusters
// returns only when asked with include [API:DescribeClustersRequest].
type clusterFields struct {
	attachments, configurations, settings, statistics, tags bool
}

// allClusterFields is what CreateCluster and DeleteCluster return: the full
// description, with the settings and tags given at creation
// [API:CreateClusterResponse].
var allClusterFields = clusterFields{configurations: true, settings: true, tags: true}

// describeCluster renders c. Without include, AWS still returns empty
// statistics and tags lists and the capacity provider lists; settings,
// configuration and attachments appear only when asked for (ecsbox's
// reading of [API:DescribeClustersRequest]; documented choice).
func (e *ECS) describeCluster(c *cluster, f clusterFields) *Cluster {
	n := c.counts()
	out := &Cluster{
		ClusterArn:                        aws.String(c.arn),
		ClusterName:                       aws.String(c.name),
		Status:                            aws.String(c.status),
		RegisteredContainerInstancesCount: aws.Int(n.registeredInstances),
		RunningTasksCount:                 aws.Int(n.running[launchEC2] + n.running[launchFargate]),
		PendingTasksCount:                 aws.Int(n.pending[launchEC2] + n.pending[launchFargate]),
		ActiveServicesCount:               aws.Int(n.activeServices),
		Statistics:                        []KeyValuePair{},
		Tags:                              []Tag{},
		CapacityProviders:                 clone(nonNil(c.capacityProviders)),
		DefaultCapacityProviderStrategy:   clone(nonNil(c.defaultStrategy)),
	}
	if f.tags {
		out.Tags = clone(nonNil(c.tags))
	}
	if f.settings {
		out.Settings = clone(c.settings)
	}
	if f.statistics {
		for _, k := range clusterStatistics {
			out.Statistics = append(out.Statistics, KeyValuePair{Name: aws.String(k), Value: aws.String(strconv.Itoa(n.statistic(k)))})
		}
	}
	if f.configurations && c.configuration != nil {
		cfg := clone(*c.configuration)
		out.Configuration = &cfg
	}
	if f.attachments {
		out.Attachments = []Attachment{}
	}
	if c.serviceConnectDefaults != nil {
		out.ServiceConnectDefaults = &ClusterServiceConnectDefaults{Namespace: cloneString(c.serviceConnectDefaults.Namespace)}
	}
	return out
}

// ListClusters lists the ARNs of the ACTIVE clusters. AWS documents no
// order (its example is unsorted); ecsbox sorts by ARN so output is stable.
func (e *ECS) ListClusters(in *ListClustersRequest) (*ListClustersResponse, error) {
	if in == nil {
		in = &ListClustersRequest{}
	}
	arns := []string{}
	for _, c := range e.clusters {
		if c.status == clusterActive {
			arns = append(arns, c.arn)
		}
	}
	sort.Strings(arns)
	page, next, err := paginate("ListClusters", arns, in.MaxResults, in.NextToken, ascending)
	if err != nil {
		return nil, err
	}
	return &ListClustersResponse{ClusterArns: page, NextToken: next}, nil
}

// DeleteCluster deletes an ACTIVE cluster: it becomes INACTIVE and stays
// describable [API:DeleteCluster]. A cluster still holding container
// instances, services or tasks is refused (clusterInUse).
func (e *ECS) DeleteCluster(in *DeleteClusterRequest) (*DeleteClusterResponse, error) {
	if in == nil {
		in = &DeleteClusterRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if err := clusterInUse(c); err != nil {
		return nil, err
	}
	c.status = clusterInactive
	e.sim.Record("ecs", "ClusterDeleted", c.arn, "deleted cluster "+c.name)
	return &DeleteClusterResponse{Cluster: e.describeCluster(c, allClusterFields)}, nil
}

// clusterInUse is the refusal of DeleteCluster for a cluster that still has
// container instances, services or tasks, in that order of precedence. The
// counters are maintained by the instance, service and task code.
func clusterInUse(c *cluster) error {
	switch {
	case c.counts().registeredInstances > 0:
		// text not verified
		return awserr.New(ClusterContainsContainerInstancesException, "The Cluster cannot be deleted while Container Instances are active or draining.")
	case c.counts().activeServices > 0:
		// text not verified
		return awserr.New(ClusterContainsServicesException, "The Cluster cannot be deleted while Services are active.")
	case c.hasActiveTasks():
		// https://github.com/gruntwork-io/cloud-nuke/issues/368
		return awserr.New(ClusterContainsTasksException, "The Cluster cannot be deleted while Tasks are active.")
	}
	return nil
}

// clusterRef turns a cluster name or ARN into the name and the ARN it
// denotes in this account. An empty reference means the default cluster.
func (e *ECS) clusterRef(ref string) (name, arn string) {
	if ref == "" {
		ref = defaultClusterName
	}
	if awserr.IsARN(ref) {
		a, err := awserr.ParseARN(ref)
		if err == nil {
			name = strings.TrimPrefix(a.Resource, "cluster/")
		}
		return name, ref
	}
	return ref, e.arn("cluster/" + ref)
}

// lookupCluster resolves a cluster name or ARN ("" is the default cluster)
// to its ACTIVE cluster, or fails with ClusterNotFoundException as every ECS
// action that takes a cluster does.
func (e *ECS) lookupCluster(ref string) (*cluster, error) {
	name, arn := e.clusterRef(ref)
	c, ok := e.clusters[name]
	if !ok || c.arn != arn || c.status != clusterActive {
		// https://github.com/k1LoW/awspec/issues/473, aws/amazon-ecs-agent#750
		return nil, awserr.New(ClusterNotFoundException, "Cluster not found.")
	}
	return c, nil
}

// nonNil returns s, or an empty slice when s is nil, so that AWS's "[]"
// appears where AWS always returns a list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func cloneString(p *string) *string {
	if p == nil {
		return nil
	}
	return aws.String(*p)
}
