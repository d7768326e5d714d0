package elbv2

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// loadBalancer is an Application Load Balancer: one node (a network
// interface AWS manages) in each of its subnets.
type loadBalancer struct {
	seq                 int
	arn, name, hex, dns string
	scheme, vpcID       string
	nodes               []lbNode // in AZ order
	groups              []string
	state               string
	created             time.Time
	attrs               map[string]string
	tags                map[string]string
}

type lbNode struct {
	subnetID, az, eniID, ip string
}

// dimension is the LoadBalancer dimension of the metrics: app/<name>/<id>
// [ALB-UG:load-balancer-cloudwatch-metrics].
func (lb *loadBalancer) dimension() string { return "app/" + lb.name + "/" + lb.hex }

// hostedZones are the Route 53 zones of Application Load Balancers by
// region [ELB-endpoints] (CanonicalHostedZoneId); other regions get
// us-east-1's.
var hostedZones = map[string]string{
	"us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-1": "Z368ELLRRE2KJ0",
	"us-west-2": "Z1H1FL5HABSF5", "eu-west-1": "Z32O12XQLNTSW2", "eu-central-1": "Z215JYRZR1TBD5",
}

// minFreeAddresses: "ELB requires at least 8 free IP addresses in each
// subnet." (InvalidSubnet, quoted in public Terraform module notes).
const minFreeAddresses = 8

// validName checks a load balancer or target group name [ELB-API:
// CreateLoadBalancer]: "This name must be unique per region per account,
// can have a maximum of 32 characters, must contain only alphanumeric
// characters or hyphens, must not begin or end with a hyphen, and must not
// begin with "internal-"." The refusal texts are not verified.
func validName(kind, name string) error {
	if len(name) > 32 {
		return validation("%s name '%s' cannot be longer than '32' characters", kind, name)
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return validation("%s name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", kind, name)
		}
	}
	if strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") {
		return validation("%s name '%s' cannot begin or end with '-'", kind, name)
	}
	if kind == "Load balancer" && strings.HasPrefix(name, "internal-") {
		return validation("Load balancer name '%s' cannot begin with 'internal-'", name)
	}
	return nil
}

// CreateLoadBalancer creates an Application Load Balancer in two or more
// subnets of different Availability Zones. It is provisioning for
// ProvisioningTime, then active. Creating one again with the same name and
// settings returns the existing one, as AWS does [ELB-API:
// CreateLoadBalancer].
func (e *ELBv2) CreateLoadBalancer(in *CreateLoadBalancerInput) (*CreateLoadBalancerOutput, error) {
	if in == nil {
		in = &CreateLoadBalancerInput{}
	}
	name := aws.ToString(in.Name)
	if err := validName("Load balancer", name); err != nil {
		return nil, err
	}
	switch t := aws.ToString(in.Type); t {
	case "", LoadBalancerTypeEnumApplication:
	case LoadBalancerTypeEnumNetwork, LoadBalancerTypeEnumGateway:
		return nil, notSimulated("ecsbox simulates Application Load Balancers only, not Type %s", t)
	default:
		return nil, enumError("type", t, []string{"application", "network", "gateway"})
	}
	scheme := aws.ToString(in.Scheme)
	switch scheme {
	case "":
		scheme = LoadBalancerSchemeEnumInternetFacing
	case LoadBalancerSchemeEnumInternetFacing, LoadBalancerSchemeEnumInternal:
	default:
		return nil, enumError("scheme", scheme, []string{"internet-facing", "internal"})
	}
	if t := aws.ToString(in.IpAddressType); t != "" && t != IpAddressTypeIpv4 {
		return nil, notSimulated("ecsbox does not simulate IpAddressType %s yet", t)
	}
	subnets, err := e.lbSubnets(in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	vpcID := subnets[0].VPCID
	groups, err := e.checkGroups(vpcID, in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	tags, err := tagMap(in.Tags)
	if err != nil {
		return nil, err
	}
	if lb := e.lbByName(name); lb != nil {
		if lb.scheme == scheme && slices.Equal(lb.subnetIDs(), subnetIDs(subnets)) && slices.Equal(lb.groups, groups) {
			return &CreateLoadBalancerOutput{LoadBalancers: []LoadBalancer{e.lbShape(lb)}}, nil
		}
		// "A load balancer with the same name 'dev-alb' exists, but with
		// different settings" (AWS error quoted in public code)
		return nil, awserr.Newf(DuplicateLoadBalancerName, "A load balancer with the same name '%s' exists, but with different settings", name)
	}
	for _, s := range subnets {
		if s.AvailableIPs < minFreeAddresses {
			return nil, awserr.Newf(InvalidSubnet, "Not enough IP space available in %s. ELB requires at least %d free IP addresses in each subnet.", s.ID, minFreeAddresses)
		}
	}
	e.seq++
	lb := &loadBalancer{seq: e.seq, name: name, hex: e.hexID(), scheme: scheme, vpcID: vpcID, groups: groups,
		state: LoadBalancerStateEnumProvisioning, created: e.sim.Now(), attrs: defaultLBAttributes(), tags: tags}
	lb.arn = e.arn("loadbalancer/" + lb.dimension())
	// "internal-glnd1airelbtest11gene001-29889893.eu-west-1.elb.amazonaws.com"
	// (an internal ALB's DNSName in a public Terraform module's docs).
	lb.dns = fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", name, 100000000+e.sim.Rand().IntN(1900000000), e.id.Region)
	if scheme == LoadBalancerSchemeEnumInternal {
		lb.dns = "internal-" + lb.dns
	}
	for _, s := range subnets {
		n, err := e.ec2.CreateENI(s.ID, "ELB "+lb.dimension(), groups, "interface")
		if err != nil {
			e.releaseNodes(lb)
			return nil, err
		}
		if err := e.ec2.AttachENI(n.ID, ""); err != nil {
			return nil, err
		}
		lb.nodes = append(lb.nodes, lbNode{subnetID: s.ID, az: s.AZ, eniID: n.ID, ip: n.PrivateIP})
	}
	e.lbs = append(e.lbs, lb)
	e.sim.Recordf("elbv2", "LoadBalancerCreated", lb.arn, "load balancer %s created in %s: provisioning", name, strings.Join(lb.azs(), ", "))
	e.sim.After(e.provTime, "elbv2 provisioned "+name, func() {
		if lb.state != LoadBalancerStateEnumProvisioning || e.lbByARN(lb.arn) == nil {
			return
		}
		e.accumulate()
		lb.state = LoadBalancerStateEnumActive
		e.sim.Recordf("elbv2", "LoadBalancerActive", lb.arn, "load balancer %s is active (%s)", name, lb.dns)
		e.refreshUse()
	})
	e.startTicks()
	return &CreateLoadBalancerOutput{LoadBalancers: []LoadBalancer{e.lbShape(lb)}}, nil
}

// lbSubnets resolves Subnets or SubnetMappings: two or more, in different
// zones, of one VPC.
func (e *ELBv2) lbSubnets(ids []string, mappings []SubnetMapping) ([]ec2.SubnetInfo, error) {
	if len(ids) > 0 && len(mappings) > 0 {
		// text not verified
		return nil, validation("You can specify subnets or subnet mappings, not both")
	}
	for _, m := range mappings {
		if m.AllocationId != nil || m.PrivateIPv4Address != nil || m.IPv6Address != nil {
			return nil, notSimulated("ecsbox does not simulate addresses in SubnetMappings")
		}
		ids = append(ids, aws.ToString(m.SubnetId))
	}
	var out []ec2.SubnetInfo
	zones := map[string]bool{}
	for _, id := range ids {
		s, ok := e.ec2.Subnet(id)
		if !ok {
			// text not verified
			return nil, awserr.Newf(SubnetNotFound, "The subnet ID '%s' is not valid", id)
		}
		if zones[s.AZ] {
			// text not verified
			return nil, awserr.New(InvalidConfigurationRequest, "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		}
		if len(out) > 0 && s.VPCID != out[0].VPCID {
			// text not verified
			return nil, awserr.New(InvalidSubnet, "The subnets must belong to the same VPC")
		}
		zones[s.AZ] = true
		out = append(out, s)
	}
	if len(out) < 2 {
		// "ValidationError: At least two subnets in two different
		// Availability Zones must be specified" (quoted in public
		// Terraform configurations)
		return nil, validation("At least two subnets in two different Availability Zones must be specified")
	}
	slices.SortFunc(out, func(a, b ec2.SubnetInfo) int { return strings.Compare(a.AZ, b.AZ) })
	return out, nil
}

// checkGroups checks security group IDs; none means the VPC's default group
// [ELB-API:CreateLoadBalancer] ("[Application Load Balancers ...] The IDs of
// the security groups for the load balancer.").
func (e *ELBv2) checkGroups(vpcID string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return []string{e.ec2.DefaultSecurityGroup()}, nil
	}
	for _, id := range ids {
		out, err := e.ec2.DescribeSecurityGroups(&ec2.DescribeSecurityGroupsRequest{GroupIds: []string{id}})
		if err != nil || len(out.SecurityGroups) == 0 || aws.ToString(out.SecurityGroups[0].VpcId) != vpcID {
			// text not verified
			return nil, awserr.Newf(InvalidSecurityGroup, "One or more security groups are invalid: '%s'", id)
		}
	}
	return slices.Compact(slices.Clone(ids)), nil
}

func subnetIDs(s []ec2.SubnetInfo) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.ID)
	}
	return out
}

func (lb *loadBalancer) subnetIDs() []string {
	var out []string
	for _, n := range lb.nodes {
		out = append(out, n.subnetID)
	}
	return out
}

func (lb *loadBalancer) azs() []string {
	var out []string
	for _, n := range lb.nodes {
		out = append(out, n.az)
	}
	return out
}

// node returns the load balancer's node in a zone, or its first node: the
// one that sends health checks and requests to a target there.
func (lb *loadBalancer) node(az string) lbNode {
	for _, n := range lb.nodes {
		if n.az == az {
			return n
		}
	}
	return lb.nodes[0]
}

func (e *ELBv2) releaseNodes(lb *loadBalancer) {
	for _, n := range lb.nodes {
		_ = e.ec2.DetachENI(n.eniID)
		_ = e.ec2.DeleteENI(n.eniID)
	}
	lb.nodes = nil
}

func (e *ELBv2) lbByName(name string) *loadBalancer {
	for _, lb := range e.lbs {
		if lb.name == name {
			return lb
		}
	}
	return nil
}

func (e *ELBv2) lbByARN(arn string) *loadBalancer {
	for _, lb := range e.lbs {
		if lb.arn == arn {
			return lb
		}
	}
	return nil
}

func (e *ELBv2) lbShape(lb *loadBalancer) LoadBalancer {
	out := LoadBalancer{
		LoadBalancerArn:       aws.String(lb.arn),
		DNSName:               aws.String(lb.dns),
		CanonicalHostedZoneId: aws.String(hostedZone(e.id.Region)),
		CreatedTime:           aws.NewTime(lb.created),
		LoadBalancerName:      aws.String(lb.name),
		Scheme:                aws.String(lb.scheme),
		VpcId:                 aws.String(lb.vpcID),
		State:                 &LoadBalancerState{Code: aws.String(lb.state)},
		Type:                  aws.String(LoadBalancerTypeEnumApplication),
		AvailabilityZones:     []AvailabilityZone{},
		SecurityGroups:        slices.Clone(lb.groups),
		IpAddressType:         aws.String(IpAddressTypeIpv4),
	}
	for _, n := range lb.nodes {
		out.AvailabilityZones = append(out.AvailabilityZones, AvailabilityZone{ZoneName: aws.String(n.az), SubnetId: aws.String(n.subnetID),
			LoadBalancerAddresses: []LoadBalancerAddress{}})
	}
	return out
}

func hostedZone(region string) string {
	if z, ok := hostedZones[region]; ok {
		return z
	}
	return hostedZones["us-east-1"]
}

// DescribeLoadBalancers lists load balancers, by ARN or name, or all.
func (e *ELBv2) DescribeLoadBalancers(in *DescribeLoadBalancersInput) (*DescribeLoadBalancersOutput, error) {
	if in == nil {
		in = &DescribeLoadBalancersInput{}
	}
	if len(in.LoadBalancerArns) > 0 && len(in.Names) > 0 {
		// text not verified
		return nil, validation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	for _, arn := range in.LoadBalancerArns {
		if e.lbByARN(arn) == nil {
			return nil, lbNotFound()
		}
	}
	for _, n := range in.Names {
		if e.lbByName(n) == nil {
			// "Load balancers '[x]' not found" is what users quote for
			// names; not verified, so the ARN text is used.
			return nil, lbNotFound()
		}
	}
	var keys []string
	byKey := map[string]*loadBalancer{}
	for _, lb := range e.lbs {
		if len(in.LoadBalancerArns) > 0 && !slices.Contains(in.LoadBalancerArns, lb.arn) ||
			len(in.Names) > 0 && !slices.Contains(in.Names, lb.name) {
			continue
		}
		k := fmt.Sprintf("%06d", lb.seq)
		keys = append(keys, k)
		byKey[k] = lb
	}
	page, next, err := paginate("DescribeLoadBalancers", keys, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &DescribeLoadBalancersOutput{LoadBalancers: []LoadBalancer{}, NextMarker: next}
	for _, k := range page {
		out.LoadBalancers = append(out.LoadBalancers, e.lbShape(byKey[k]))
	}
	return out, nil
}

// DeleteLoadBalancer deletes a load balancer and its listeners and rules;
// its target groups stay, unused. Deleting one that does not exist
// succeeds [ELB-API:DeleteLoadBalancer] ("If the load balancer does not
// exist or has already been deleted, the call succeeds.").
func (e *ELBv2) DeleteLoadBalancer(in *DeleteLoadBalancerInput) (*DeleteLoadBalancerOutput, error) {
	if in == nil {
		in = &DeleteLoadBalancerInput{}
	}
	lb := e.lbByARN(aws.ToString(in.LoadBalancerArn))
	if lb == nil {
		return &DeleteLoadBalancerOutput{}, nil
	}
	if lb.attrs["deletion_protection.enabled"] == "true" {
		// text not verified
		return nil, awserr.Newf(OperationNotPermitted, "Load balancer '%s' cannot be deleted because deletion protection is enabled", lb.arn)
	}
	e.accumulate()
	for _, l := range slices.Clone(e.listeners) {
		if l.lb == lb {
			e.removeListener(l)
		}
	}
	e.lbs = slices.DeleteFunc(e.lbs, func(x *loadBalancer) bool { return x == lb })
	e.releaseNodes(lb)
	delete(e.traffic.lbRates, lb.arn)
	e.sim.Recordf("elbv2", "LoadBalancerDeleted", lb.arn, "load balancer %s deleted", lb.name)
	e.refreshUse()
	return &DeleteLoadBalancerOutput{}, nil
}

// SetSecurityGroups replaces the security groups of a load balancer (and of
// its nodes' network interfaces).
func (e *ELBv2) SetSecurityGroups(in *SetSecurityGroupsInput) (*SetSecurityGroupsOutput, error) {
	if in == nil {
		in = &SetSecurityGroupsInput{}
	}
	lb := e.lbByARN(aws.ToString(in.LoadBalancerArn))
	if lb == nil {
		return nil, lbNotFound()
	}
	groups, err := e.checkGroups(lb.vpcID, in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	for _, n := range lb.nodes {
		if err := e.ec2.SetENIGroups(n.eniID, groups); err != nil {
			return nil, err
		}
	}
	lb.groups = groups
	e.sim.Recordf("elbv2", "LoadBalancerSecurityGroupsSet", lb.arn, "load balancer %s now in %s", lb.name, strings.Join(groups, ", "))
	return &SetSecurityGroupsOutput{SecurityGroupIds: slices.Clone(groups)}, nil
}

// LoadBalancerInfo describes a load balancer for other services and the
// sim module.
type LoadBalancerInfo struct {
	ARN, Name, DNSName string
}

// LoadBalancer returns the load balancer with that ARN or name.
func (e *ELBv2) LoadBalancer(arnOrName string) (LoadBalancerInfo, bool) {
	lb := e.lbByARN(arnOrName)
	if lb == nil {
		lb = e.lbByName(arnOrName)
	}
	if lb == nil {
		return LoadBalancerInfo{}, false
	}
	return LoadBalancerInfo{ARN: lb.arn, Name: lb.name, DNSName: lb.dns}, true
}
