package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// The default network of a new account [VPC-UG:default-vpc]: VPC
// 172.31.0.0/16, one /20 default subnet per Availability Zone (172.31.0.0/20,
// 172.31.16.0/20, ...), each mapping public IPs on launch, and the VPC's
// default security group. ecsbox gives a region three zones, a, b and c
// (design.md: "one default subnet in each of us-east-1a, us-east-1b,
// us-east-1c").
const (
	defaultVPCCIDR = "172.31.0.0/16"
	zoneCount      = 3
	// reservedAddresses: AWS reserves the first four and the last IPv4
	// address of every subnet; a /24 has 251 usable addresses (reference
	// section 6.3, [EC2-API:CreateSubnet]).
	reservedAddresses = 5
)

// SubnetInfo describes a subnet for other services.
type SubnetInfo struct {
	ID    string
	VPCID string
	AZ    string
	// AZID is the zone's ID, e.g. use1-az1.
	AZID         string
	CIDR         string
	AvailableIPs int
	DefaultForAZ bool
}

type zone struct{ name, id string }

type vpc struct{ id, cidr, assocID, dhcpID string }

type subnet struct {
	id, vpcID, az, azID, cidr string
	base                      uint32 // first address of the CIDR
	used                      []bool // one per address of the CIDR
	free                      int
	next                      int // no free address below this index
	defaultForAZ              bool
}

// zonesFor names the zones of a region as AWS does (us-east-1a, ...) with
// zone IDs formed as AWS forms them: a short region code and azN (use1-az1,
// euc1-az2, apse2-az3). AWS maps letters to zone IDs differently per
// account; ecsbox maps a to az1, b to az2, c to az3.
func zonesFor(region string) []zone {
	code := regionCode(region)
	zs := make([]zone, zoneCount)
	for i := range zs {
		zs[i] = zone{name: region + string(rune('a'+i)), id: fmt.Sprintf("%s-az%d", code, i+1)}
	}
	return zs
}

// regionCode shortens a region name the way zone IDs do: us-east-1 → use1,
// eu-central-1 → euc1, ap-southeast-2 → apse2.
func regionCode(region string) string {
	short := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		if s, ok := short[p]; ok && i > 0 {
			b.WriteString(s)
		} else {
			b.WriteString(p)
		}
	}
	return b.String()
}

func (e *EC2) createDefaultNetwork() {
	e.zones = zonesFor(e.id.Region)
	e.vpc = &vpc{
		id:      e.sim.EC2ID("vpc"),
		cidr:    defaultVPCCIDR,
		assocID: e.sim.EC2ID("vpc-cidr-assoc"),
		dhcpID:  e.sim.EC2ID("dopt"),
	}
	for i, z := range e.zones {
		e.subnets = append(e.subnets, newSubnet(e.sim.EC2ID("subnet"), e.vpc.id, z, fmt.Sprintf("172.31.%d.0/20", 16*i), true))
	}
	e.groups = append(e.groups, e.newDefaultGroup(e.sim.EC2ID("sg"), e.vpc.id))
	// No timeline event: the default network is part of a new account, not
	// something that happens during a run.
}

func newSubnet(id, vpcID string, z zone, cidr string, isDefault bool) *subnet {
	base, bits := parseCIDR(cidr)
	size := 1 << (32 - bits)
	s := &subnet{id: id, vpcID: vpcID, az: z.name, azID: z.id, cidr: cidr, base: base,
		used: make([]bool, size), free: size - reservedAddresses, next: 4, defaultForAZ: isDefault}
	for _, i := range []int{0, 1, 2, 3, size - 1} {
		s.used[i] = true
	}
	return s
}

// allocate takes the lowest free address, deterministically.
func (s *subnet) allocate() (string, bool) {
	for i := s.next; i < len(s.used); i++ {
		if !s.used[i] {
			s.used[i] = true
			s.free--
			s.next = i + 1
			return formatIP(s.base + uint32(i)), true
		}
	}
	s.next = len(s.used)
	return "", false
}

// release returns an address to the subnet.
func (s *subnet) release(ip string) {
	i := int(parseIP(ip) - s.base)
	if i < 4 || i >= len(s.used)-1 || !s.used[i] {
		return
	}
	s.used[i] = false
	s.free++
	s.next = min(s.next, i)
}

func parseCIDR(cidr string) (uint32, int) {
	addr, bits, _ := strings.Cut(cidr, "/")
	n := 0
	fmt.Sscanf(bits, "%d", &n)
	return parseIP(addr), n
}

func parseIP(s string) uint32 {
	var a, b, c, d uint32
	fmt.Sscanf(s, "%d.%d.%d.%d", &a, &b, &c, &d)
	return a<<24 | b<<16 | c<<8 | d
}

func formatIP(n uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", n>>24, n>>16&0xff, n>>8&0xff, n&0xff)
}

func (e *EC2) subnet(id string) *subnet {
	for _, s := range e.subnets {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (e *EC2) group(id string) *securityGroup {
	for _, g := range e.groups {
		if g.id == id {
			return g
		}
	}
	return nil
}

func (e *EC2) defaultGroup(vpcID string) *securityGroup {
	for _, g := range e.groups {
		if g.vpcID == vpcID && g.name == "default" {
			return g
		}
	}
	return nil
}

func (s *subnet) info() SubnetInfo {
	return SubnetInfo{ID: s.id, VPCID: s.vpcID, AZ: s.az, AZID: s.azID, CIDR: s.cidr, AvailableIPs: s.free, DefaultForAZ: s.defaultForAZ}
}

// Subnet returns the subnet with the given ID.
func (e *EC2) Subnet(id string) (SubnetInfo, bool) {
	if s := e.subnet(id); s != nil {
		return s.info(), true
	}
	return SubnetInfo{}, false
}

// DefaultSubnets returns the default subnets of the default VPC, sorted by
// Availability Zone.
func (e *EC2) DefaultSubnets() []SubnetInfo {
	var out []SubnetInfo
	for _, s := range e.subnets {
		if s.defaultForAZ {
			out = append(out, s.info())
		}
	}
	slices.SortFunc(out, func(a, b SubnetInfo) int { return strings.Compare(a.AZ, b.AZ) })
	return out
}

// DefaultVPC returns the ID of the default VPC.
func (e *EC2) DefaultVPC() string { return e.vpc.id }

// DefaultSecurityGroup returns the ID of the default VPC's default security
// group.
func (e *EC2) DefaultSecurityGroup() string { return e.defaultGroup(e.vpc.id).id }

func (e *EC2) arn(resource string) string {
	return awserr.MakeARN("ec2", e.id.Region, e.id.AccountID, resource)
}

// DescribeVpcs lists the default VPC.
func (e *EC2) DescribeVpcs(in *DescribeVpcsRequest) (*DescribeVpcsResult, error) {
	if in == nil {
		in = &DescribeVpcsRequest{}
	}
	if err := checkIDs(in.VpcIds, in.MaxResults, "VpcIds", InvalidVpcIDNotFound, "vpc ID", func(id string) bool { return id == e.vpc.id }); err != nil {
		return nil, err
	}
	out := &DescribeVpcsResult{Vpcs: []Vpc{}}
	v := e.vpc
	if len(in.VpcIds) > 0 && !slices.Contains(in.VpcIds, v.id) {
		return out, nil
	}
	ok, err := matchFilters(in.Filters, func(name string) ([]string, bool) {
		switch name {
		case "vpc-id":
			return []string{v.id}, true
		case "is-default":
			return []string{"true"}, true
		case "cidr", "cidr-block-association.cidr-block":
			return []string{v.cidr}, true
		case "state":
			return []string{"available"}, true
		case "owner-id":
			return []string{e.id.AccountID}, true
		case "dhcp-options-id":
			return []string{v.dhcpID}, true
		}
		return tagFilter(nil, name)
	})
	if err != nil || !ok {
		return out, err
	}
	out.Vpcs = append(out.Vpcs, Vpc{
		OwnerId:         aws.String(e.id.AccountID),
		InstanceTenancy: aws.String("default"),
		CidrBlockAssociationSet: []VpcCidrBlockAssociation{{
			AssociationId:  aws.String(v.assocID),
			CidrBlock:      aws.String(v.cidr),
			CidrBlockState: &VpcCidrBlockState{State: aws.String("associated")},
		}},
		IsDefault:     aws.Bool(true),
		VpcId:         aws.String(v.id),
		State:         aws.String("available"),
		CidrBlock:     aws.String(v.cidr),
		DhcpOptionsId: aws.String(v.dhcpID),
	})
	return out, nil
}

// checkIDs applies the rules the Describe operations share for an ID list:
// it cannot be combined with MaxResults ("The parameter VpcIds cannot be
// used with the parameter MaxResults", text not verified for every
// operation; DescribeInstances' own wording is in instance.go), and every ID
// must exist.
func checkIDs(ids []string, maxResults *int, member, code, noun string, exists func(string) bool) error {
	if len(ids) > 0 && maxResults != nil {
		return awserr.Newf(InvalidParameterCombination, "The parameter %s cannot be used with the parameter MaxResults", member)
	}
	var missing []string
	for _, id := range ids {
		if !exists(id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return notFoundIDs(code, noun, missing)
	}
	return nil
}

// DescribeSubnets lists the subnets, in Availability Zone order.
func (e *EC2) DescribeSubnets(in *DescribeSubnetsRequest) (*DescribeSubnetsResult, error) {
	if in == nil {
		in = &DescribeSubnetsRequest{}
	}
	// "The subnet ID 'subnet-1' does not exist" (text not verified)
	if err := checkIDs(in.SubnetIds, in.MaxResults, "SubnetIds", InvalidSubnetIDNotFound, "subnet ID", func(id string) bool { return e.subnet(id) != nil }); err != nil {
		return nil, err
	}
	var keys []string
	byKey := map[string]*subnet{}
	for i, s := range e.subnets {
		if len(in.SubnetIds) > 0 && !slices.Contains(in.SubnetIds, s.id) {
			continue
		}
		ok, err := matchFilters(in.Filters, e.subnetFilter(s))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%06d", i)
			keys = append(keys, k)
			byKey[k] = s
		}
	}
	page, next, err := paginate("DescribeSubnets", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeSubnetsResult{Subnets: []Subnet{}, NextToken: next}
	for _, k := range page {
		out.Subnets = append(out.Subnets, e.subnetShape(byKey[k]))
	}
	return out, nil
}

func (e *EC2) subnetFilter(s *subnet) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "subnet-id":
			return []string{s.id}, true
		case "vpc-id":
			return []string{s.vpcID}, true
		case "availability-zone", "availabilityZone":
			return []string{s.az}, true
		case "availability-zone-id", "availabilityZoneId":
			return []string{s.azID}, true
		case "cidr-block", "cidr", "cidrBlock":
			return []string{s.cidr}, true
		case "default-for-az", "defaultForAz":
			return []string{boolString(s.defaultForAZ)}, true
		case "map-public-ip-on-launch":
			return []string{"true"}, true
		case "available-ip-address-count":
			return []string{itoa(s.free)}, true
		case "state":
			return []string{"available"}, true
		case "owner-id":
			return []string{e.id.AccountID}, true
		}
		return tagFilter(nil, name)
	}
}

func (e *EC2) subnetShape(s *subnet) Subnet {
	return Subnet{
		AvailabilityZoneId:          aws.String(s.azID),
		MapCustomerOwnedIpOnLaunch:  aws.Bool(false),
		OwnerId:                     aws.String(e.id.AccountID),
		AssignIpv6AddressOnCreation: aws.Bool(false),
		Ipv6CidrBlockAssociationSet: []SubnetIpv6CidrBlockAssociation{},
		SubnetArn:                   aws.String(e.arn("subnet/" + s.id)),
		EnableDns64:                 aws.Bool(false),
		Ipv6Native:                  aws.Bool(false),
		PrivateDnsNameOptionsOnLaunch: &PrivateDnsNameOptionsOnLaunch{
			HostnameType:                    aws.String("ip-name"),
			EnableResourceNameDnsARecord:    aws.Bool(false),
			EnableResourceNameDnsAAAARecord: aws.Bool(false),
		},
		SubnetId:                aws.String(s.id),
		State:                   aws.String("available"),
		VpcId:                   aws.String(s.vpcID),
		CidrBlock:               aws.String(s.cidr),
		AvailableIpAddressCount: aws.Int(s.free),
		AvailabilityZone:        aws.String(s.az),
		DefaultForAz:            aws.Bool(s.defaultForAZ),
		MapPublicIpOnLaunch:     aws.Bool(s.defaultForAZ), // default subnets map public IPs [VPC-UG:default-vpc]
	}
}

// DescribeAvailabilityZones lists the region's zones.
func (e *EC2) DescribeAvailabilityZones(in *DescribeAvailabilityZonesRequest) (*DescribeAvailabilityZonesResult, error) {
	if in == nil {
		in = &DescribeAvailabilityZonesRequest{}
	}
	for _, n := range in.ZoneNames {
		if !slices.ContainsFunc(e.zones, func(z zone) bool { return z.name == n }) {
			// text not verified
			return nil, invalidValue("The zone '%s' does not exist.", n)
		}
	}
	for _, id := range in.ZoneIds {
		if !slices.ContainsFunc(e.zones, func(z zone) bool { return z.id == id }) {
			// text not verified
			return nil, invalidValue("The zone ID '%s' does not exist.", id)
		}
	}
	out := &DescribeAvailabilityZonesResult{AvailabilityZones: []AvailabilityZone{}}
	for _, z := range e.zones {
		if len(in.ZoneNames) > 0 && !slices.Contains(in.ZoneNames, z.name) {
			continue
		}
		if len(in.ZoneIds) > 0 && !slices.Contains(in.ZoneIds, z.id) {
			continue
		}
		ok, err := matchFilters(in.Filters, func(name string) ([]string, bool) {
			switch name {
			case "zone-name":
				return []string{z.name}, true
			case "zone-id":
				return []string{z.id}, true
			case "region-name":
				return []string{e.id.Region}, true
			case "state":
				return []string{"available"}, true
			case "zone-type":
				return []string{"availability-zone"}, true
			case "opt-in-status":
				return []string{"opt-in-not-required"}, true
			case "group-name", "network-border-group":
				return []string{e.id.Region}, true
			}
			return nil, false
		})
		if err != nil {
			return nil, err
		}
		if ok {
			out.AvailabilityZones = append(out.AvailabilityZones, AvailabilityZone{
				OptInStatus:        aws.String("opt-in-not-required"),
				Messages:           []AvailabilityZoneMessage{},
				RegionName:         aws.String(e.id.Region),
				ZoneName:           aws.String(z.name),
				ZoneId:             aws.String(z.id),
				GroupName:          aws.String(e.id.Region),
				NetworkBorderGroup: aws.String(e.id.Region),
				ZoneType:           aws.String("availability-zone"),
				State:              aws.String("available"),
			})
		}
	}
	return out, nil
}
