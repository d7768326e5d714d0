package autoscaling

import (
	"path"
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// DescribeAutoScalingGroups lists groups by name, all or those named (names
// that do not exist are left out, not refused), filtered by tag:<key>,
// tag-key and tag-value. MaxRecords defaults to 50 and is at most 100
// [ASG-API:DescribeAutoScalingGroups].
func (a *AutoScaling) DescribeAutoScalingGroups(in *AutoScalingGroupNamesType) (*AutoScalingGroupsType, error) {
	if in == nil {
		in = &AutoScalingGroupNamesType{}
	}
	var keys []string
	byKey := map[string]*group{}
	for _, g := range a.sortedGroups() {
		if len(in.AutoScalingGroupNames) > 0 && !slices.Contains(in.AutoScalingGroupNames, g.name) {
			continue
		}
		ok, err := matchTagFilters(in.Filters, g)
		if err != nil {
			return nil, err
		}
		if ok {
			keys = append(keys, g.name)
			byKey[g.name] = g
		}
	}
	page, next, err := paginate("DescribeAutoScalingGroups", keys, in.MaxRecords, in.NextToken, 50, 100)
	if err != nil {
		return nil, err
	}
	out := &AutoScalingGroupsType{AutoScalingGroups: []AutoScalingGroup{}, NextToken: next}
	for _, k := range page {
		out.AutoScalingGroups = append(out.AutoScalingGroups, a.groupShape(byKey[k], in.IncludeInstances == nil || *in.IncludeInstances))
	}
	return out, nil
}

// matchTagFilters applies the tag filters of DescribeAutoScalingGroups;
// values may use * wildcards. An unknown filter name is refused (text not
// verified).
func matchTagFilters(filters []Filter, g *group) (bool, error) {
	for _, f := range filters {
		name := aws.ToString(f.Name)
		var have []string
		switch {
		case strings.HasPrefix(name, "tag:"):
			if t, ok := g.tags[strings.TrimPrefix(name, "tag:")]; ok {
				have = []string{t.value}
			}
		case name == "tag-key":
			have = sortedKeys(g.tags)
		case name == "tag-value":
			for _, k := range sortedKeys(g.tags) {
				have = append(have, g.tags[k].value)
			}
		default:
			return false, validation("The filter '%s' is invalid", name)
		}
		if !anyMatch(f.Values, have) {
			return false, nil
		}
	}
	return true, nil
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if ok, _ := path.Match(p, h); ok || p == h {
				return true
			}
		}
	}
	return false
}

func (a *AutoScaling) groupShape(g *group, withInstances bool) AutoScalingGroup {
	out := AutoScalingGroup{
		AutoScalingGroupName:             aws.String(g.name),
		AutoScalingGroupARN:              aws.String(g.arn),
		LaunchTemplate:                   g.lt.spec(),
		MinSize:                          aws.Int(g.min),
		MaxSize:                          aws.Int(g.max),
		DesiredCapacity:                  aws.Int(g.desired),
		DefaultCooldown:                  aws.Int(int(g.defaultCooldown.Seconds())),
		AvailabilityZones:                g.zones(),
		LoadBalancerNames:                []string{},
		TargetGroupARNs:                  []string{},
		HealthCheckType:                  aws.String(g.healthCheckType),
		HealthCheckGracePeriod:           aws.Int(g.gracePeriod),
		Instances:                        []Instance{},
		CreatedTime:                      aws.NewTime(g.created),
		SuspendedProcesses:               []SuspendedProcess{},
		EnabledMetrics:                   []EnabledMetric{},
		Tags:                             []TagDescription{},
		TerminationPolicies:              slices.Clone(g.terminationPolicy),
		NewInstancesProtectedFromScaleIn: aws.Bool(g.newProtected),
		ServiceLinkedRoleARN:             aws.String("arn:aws:iam::" + a.id.AccountID + ":" + defaultServiceLinkedRoleSuffix),
		MaxInstanceLifetime:              g.maxLifetime,
		CapacityRebalance:                aws.Bool(g.capacityRebalance),
		DefaultInstanceWarmup:            g.defaultWarmup,
		TrafficSources:                   []TrafficSourceIdentifier{},
	}
	if g.vpcZoneIdentifier != "" {
		out.VPCZoneIdentifier = aws.String(g.vpcZoneIdentifier)
	}
	if g.deleting {
		out.Status = aws.String("Delete in progress")
	}
	if withInstances {
		for _, m := range g.members {
			out.Instances = append(out.Instances, Instance{
				InstanceId:           aws.String(m.id),
				InstanceType:         aws.String(m.typ),
				AvailabilityZone:     aws.String(m.az),
				LifecycleState:       aws.String(m.state),
				HealthStatus:         aws.String(m.health),
				LaunchTemplate:       m.lt.spec(),
				ProtectedFromScaleIn: aws.Bool(m.protected),
			})
		}
	}
	for _, p := range sortedKeys(g.suspended) {
		out.SuspendedProcesses = append(out.SuspendedProcesses, SuspendedProcess{ProcessName: aws.String(p), SuspensionReason: aws.String(g.suspended[p])})
	}
	for _, k := range sortedKeys(g.tags) {
		t := g.tags[k]
		out.Tags = append(out.Tags, TagDescription{
			ResourceId: aws.String(g.name), ResourceType: aws.String("auto-scaling-group"),
			Key: aws.String(k), Value: aws.String(t.value), PropagateAtLaunch: aws.Bool(t.propagate),
		})
	}
	return out
}

// DescribeAutoScalingInstances lists the instances of groups, all or those
// named, by instance ID. HealthStatus is upper case here (HEALTHY), as in
// examples-1.json, unlike DescribeAutoScalingGroups (Healthy). MaxRecords
// defaults to 50 and is at most 50 [ASG-API:DescribeAutoScalingInstances].
func (a *AutoScaling) DescribeAutoScalingInstances(in *DescribeAutoScalingInstancesType) (*AutoScalingInstancesType, error) {
	if in == nil {
		in = &DescribeAutoScalingInstancesType{}
	}
	var keys []string
	type pair struct {
		g *group
		m *member
	}
	byKey := map[string]pair{}
	for _, g := range a.sortedGroups() {
		for _, m := range g.members {
			if len(in.InstanceIds) > 0 && !slices.Contains(in.InstanceIds, m.id) {
				continue
			}
			keys = append(keys, m.id)
			byKey[m.id] = pair{g, m}
		}
	}
	slices.Sort(keys)
	page, next, err := paginate("DescribeAutoScalingInstances", keys, in.MaxRecords, in.NextToken, 50, 50)
	if err != nil {
		return nil, err
	}
	out := &AutoScalingInstancesType{AutoScalingInstances: []AutoScalingInstanceDetails{}, NextToken: next}
	for _, k := range page {
		p := byKey[k]
		out.AutoScalingInstances = append(out.AutoScalingInstances, AutoScalingInstanceDetails{
			InstanceId:           aws.String(p.m.id),
			InstanceType:         aws.String(p.m.typ),
			AutoScalingGroupName: aws.String(p.g.name),
			AvailabilityZone:     aws.String(p.m.az),
			LifecycleState:       aws.String(p.m.state),
			HealthStatus:         aws.String(strings.ToUpper(p.m.health)),
			LaunchTemplate:       p.m.lt.spec(),
			ImageId:              aws.String(p.m.imageID),
			ProtectedFromScaleIn: aws.Bool(p.m.protected),
		})
	}
	return out, nil
}
