package ec2

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// ENIInfo describes a network interface for other services.
type ENIInfo struct {
	ID        string
	SubnetID  string
	VPCID     string
	AZ        string
	PrivateIP string
	MAC       string
}

// eni is an elastic network interface: the primary interface of an instance,
// or one that another service (ECS, for an awsvpc task) created.
type eni struct {
	seq                                          int
	id, subnetID, vpcID, az, azID, ip, mac, desc string
	interfaceType                                string
	groups                                       []string
	instanceID, attachmentID                     string
	attachTime                                   time.Time
	requesterManaged                             bool
	// deviceIndex is the interface's slot on its instance (0: primary).
	deviceIndex int
	// managedAttachment: attached to infrastructure AWS runs for the user
	// (a Fargate task), not to one of the account's instances.
	managedAttachment bool
}

// Errors of a full subnet. RunInstances fails with
// InsufficientFreeAddressesInSubnet "There are not enough free addresses in
// subnet 'subnet-...' to satisfy the requested number of instances."
// (osbuild/osbuild-composer#1575, PrairieLearn/PrairieLearn#3271). Creating
// a network interface in a full subnet fails, per AWS support quoted in
// cilium/cilium#31016 and logged in aws/amazon-vpc-cni-k8s#3105, with
// "InvalidParameterValue: There aren't sufficient free Ipv4 addresses or
// prefixes".
const (
	insufficientAddressesText = "There aren't sufficient free Ipv4 addresses or prefixes"
)

// IsInsufficientAddresses reports whether err is EC2's refusal for lack of
// free addresses in a subnet (either form above).
func IsInsufficientAddresses(err error) bool {
	code := awserr.Code(err)
	return code == InsufficientFreeAddressesInSubnet ||
		code == InvalidParameterValue && strings.Contains(err.Error(), insufficientAddressesText)
}

// CreateENI creates a network interface in a subnet with the lowest free
// private address: what ECS does for each awsvpc task. securityGroups
// defaults to the VPC's default group; interfaceType is "" or "interface"
// for a standard interface, or e.g. "branch"/"trunk". (The API action CreateNetworkInterface
// keeps its API signature for the builtins, so this Go entry has its own
// name.)
func (e *EC2) CreateENI(subnetID, description string, securityGroups []string, interfaceType string) (ENIInfo, error) {
	s := e.subnet(subnetID)
	if s == nil {
		return ENIInfo{}, notFoundIDs(InvalidSubnetIDNotFound, "subnet ID", []string{subnetID})
	}
	groups, err := e.resolveGroups(s.vpcID, securityGroups, nil)
	if err != nil {
		return ENIInfo{}, err
	}
	if s.free == 0 {
		return ENIInfo{}, invalidValue(insufficientAddressesText)
	}
	if interfaceType == "interface" {
		interfaceType = ""
	}
	n := e.newENI(s, description, groups, interfaceType)
	// Interfaces a service creates for the user (ECS task ENIs) show as
	// requester-managed.
	n.requesterManaged = true
	e.sim.Recordf("ec2", "NetworkInterfaceCreated", n.id, "network interface %s created in %s (%s), %s",
		n.id, s.id, s.az, n.ip)
	return n.info(), nil
}

// DeleteENI deletes a network interface that CreateENI made and frees its
// address.
func (e *EC2) DeleteENI(id string) error {
	n := e.enis[id]
	if n == nil {
		// text not verified
		return awserr.Newf(InvalidNetworkInterfaceIDNotFound, "The networkInterface ID '%s' does not exist", id)
	}
	if n.instanceID != "" || n.managedAttachment {
		// text not verified
		return awserr.Newf("InvalidNetworkInterface.InUse", "The network interface '%s' is currently in use.", id)
	}
	e.deleteENI(n)
	e.sim.Recordf("ec2", "NetworkInterfaceDeleted", id, "network interface %s deleted, %s freed in %s", id, n.ip, n.subnetID)
	return nil
}

// AttachENI attaches a network interface that CreateENI made: to an
// instance at its next free device index (an awsvpc task on EC2), or, with
// instanceID "", to the infrastructure Fargate runs the task on. It is then
// in-use, as DescribeNetworkInterfaces shows task ENIs.
func (e *EC2) AttachENI(id, instanceID string) error {
	n := e.enis[id]
	if n == nil {
		// text not verified
		return awserr.Newf(InvalidNetworkInterfaceIDNotFound, "The networkInterface ID '%s' does not exist", id)
	}
	n.attachmentID, n.attachTime = e.sim.EC2ID("eni-attach"), e.sim.Now()
	if instanceID == "" {
		n.managedAttachment = true
		return nil
	}
	used := map[int]bool{}
	for _, other := range e.enis {
		if other.instanceID == instanceID {
			used[other.deviceIndex] = true
		}
	}
	n.instanceID = instanceID
	for n.deviceIndex = 1; used[n.deviceIndex]; n.deviceIndex++ {
	}
	return nil
}

// DetachENI detaches a network interface that AttachENI attached.
func (e *EC2) DetachENI(id string) error {
	n := e.enis[id]
	if n == nil {
		// text not verified
		return awserr.Newf(InvalidNetworkInterfaceIDNotFound, "The networkInterface ID '%s' does not exist", id)
	}
	n.instanceID, n.attachmentID, n.managedAttachment, n.deviceIndex = "", "", false, 0
	return nil
}

// attachedTo lists the interfaces attached to an instance other than its
// primary one, by device index.
func (e *EC2) attachedTo(instanceID string) []*eni {
	var out []*eni
	for _, id := range sortedKeys(e.enis) {
		if n := e.enis[id]; n.instanceID == instanceID && n.deviceIndex > 0 {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *eni) int { return a.deviceIndex - b.deviceIndex })
	return out
}

// newENI allocates an address in s; the caller has checked s.free > 0.
func (e *EC2) newENI(s *subnet, description string, groups []string, interfaceType string) *eni {
	ip, _ := s.allocate()
	e.eniSeq++
	n := &eni{
		seq: e.eniSeq, id: e.sim.EC2ID("eni"), subnetID: s.id, vpcID: s.vpcID, az: s.az, azID: s.azID,
		ip: ip, mac: e.mac(), desc: description, interfaceType: interfaceType, groups: groups,
	}
	e.enis[n.id] = n
	return n
}

func (e *EC2) deleteENI(n *eni) {
	if s := e.subnet(n.subnetID); s != nil {
		s.release(n.ip)
	}
	delete(e.enis, n.id)
}

// mac returns a locally administered unicast MAC address, as EC2's look
// (0e:..., 12:..., ...).
func (e *EC2) mac() string {
	h := e.sim.Hex(10)
	return "0e:" + h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10]
}

func (n *eni) info() ENIInfo {
	return ENIInfo{ID: n.id, SubnetID: n.subnetID, VPCID: n.vpcID, AZ: n.az, PrivateIP: n.ip, MAC: n.mac}
}

// resolveGroups checks security group IDs (and names, looked up in the
// VPC) and returns the IDs; none means the VPC's default group [EC2-API:
// RunInstances: "If you don't specify a security group ID, we use the
// default security group for the VPC"].
func (e *EC2) resolveGroups(vpcID string, ids, names []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		g := e.group(id)
		if g == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist", id)
		}
		if g.vpcID != vpcID {
			// text not verified
			return nil, invalidValue("Security group %s and subnet belong to different networks.", id)
		}
		out = append(out, id)
	}
	for _, name := range names {
		g := e.groupByName(vpcID, name)
		if g == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist in VPC '%s'", name, vpcID)
		}
		out = append(out, g.id)
	}
	if len(out) == 0 {
		out = []string{e.defaultGroup(vpcID).id}
	}
	return slices.Compact(out), nil
}

func (e *EC2) groupIdentifiers(ids []string) []GroupIdentifier {
	out := []GroupIdentifier{}
	for _, id := range ids {
		gi := GroupIdentifier{GroupId: aws.String(id)}
		if g := e.group(id); g != nil {
			gi.GroupName = aws.String(g.name)
		}
		out = append(out, gi)
	}
	return out
}

// privateDNSName is the ip-name hostname EC2 gives an address:
// ip-172-31-0-4.ec2.internal in us-east-1, ip-...<region>.compute.internal
// elsewhere [EC2-UG:ec2-instance-naming].
func (e *EC2) privateDNSName(ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if e.id.Region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + e.id.Region + ".compute.internal"
}

// DescribeNetworkInterfaces lists the network interfaces, oldest first.
func (e *EC2) DescribeNetworkInterfaces(in *DescribeNetworkInterfacesRequest) (*DescribeNetworkInterfacesResult, error) {
	if in == nil {
		in = &DescribeNetworkInterfacesRequest{}
	}
	if err := checkIDs(in.NetworkInterfaceIds, in.MaxResults, "NetworkInterfaceIds", InvalidNetworkInterfaceIDNotFound, "networkInterface ID",
		func(id string) bool { return e.enis[id] != nil }); err != nil {
		return nil, err
	}
	all := make([]*eni, 0, len(e.enis))
	for _, id := range sortedKeys(e.enis) {
		all = append(all, e.enis[id])
	}
	slices.SortFunc(all, func(a, b *eni) int { return a.seq - b.seq })
	var keys []string
	byKey := map[string]*eni{}
	for _, n := range all {
		if len(in.NetworkInterfaceIds) > 0 && !slices.Contains(in.NetworkInterfaceIds, n.id) {
			continue
		}
		ok, err := matchFilters(in.Filters, e.eniFilter(n))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%09d", n.seq)
			keys = append(keys, k)
			byKey[k] = n
		}
	}
	page, next, err := paginate("DescribeNetworkInterfaces", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeNetworkInterfacesResult{NetworkInterfaces: []NetworkInterface{}, NextToken: next}
	for _, k := range page {
		out.NetworkInterfaces = append(out.NetworkInterfaces, e.eniShape(byKey[k]))
	}
	return out, nil
}

func (e *EC2) eniFilter(n *eni) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "network-interface-id":
			return []string{n.id}, true
		case "subnet-id":
			return []string{n.subnetID}, true
		case "vpc-id":
			return []string{n.vpcID}, true
		case "availability-zone":
			return []string{n.az}, true
		case "description":
			return []string{n.desc}, true
		case "private-ip-address", "addresses.private-ip-address":
			return []string{n.ip}, true
		case "mac-address":
			return []string{n.mac}, true
		case "status":
			return []string{n.status()}, true
		case "interface-type":
			return []string{n.apiType()}, true
		case "attachment.instance-id":
			return []string{n.instanceID}, true
		case "group-id":
			return n.groups, true
		case "owner-id":
			return []string{e.id.AccountID}, true
		}
		return tagFilter(nil, name)
	}
}

func (n *eni) status() string {
	if n.instanceID != "" || n.managedAttachment {
		return "in-use"
	}
	return "available"
}

func (n *eni) apiType() string {
	if n.interfaceType == "" {
		return "interface"
	}
	return n.interfaceType
}

func (e *EC2) eniShape(n *eni) NetworkInterface {
	dns := e.privateDNSName(n.ip)
	out := NetworkInterface{
		AvailabilityZone:   aws.String(n.az),
		AvailabilityZoneId: aws.String(n.azID),
		Description:        aws.String(n.desc),
		Groups:             e.groupIdentifiers(n.groups),
		InterfaceType:      aws.String(n.apiType()),
		Ipv6Addresses:      []NetworkInterfaceIpv6Address{},
		MacAddress:         aws.String(n.mac),
		NetworkInterfaceId: aws.String(n.id),
		OwnerId:            aws.String(e.id.AccountID),
		PrivateDnsName:     aws.String(dns),
		PrivateIpAddress:   aws.String(n.ip),
		PrivateIpAddresses: []NetworkInterfacePrivateIpAddress{{
			Primary: aws.Bool(true), PrivateDnsName: aws.String(dns), PrivateIpAddress: aws.String(n.ip),
		}},
		RequesterManaged: aws.Bool(n.requesterManaged),
		SourceDestCheck:  aws.Bool(true),
		Status:           aws.String(n.status()),
		SubnetId:         aws.String(n.subnetID),
		TagSet:           []Tag{},
		VpcId:            aws.String(n.vpcID),
	}
	switch {
	case n.instanceID != "":
		out.Attachment = &NetworkInterfaceAttachment{
			AttachTime:          aws.NewTime(n.attachTime),
			AttachmentId:        aws.String(n.attachmentID),
			DeleteOnTermination: aws.Bool(n.deviceIndex == 0),
			DeviceIndex:         aws.Int(n.deviceIndex),
			NetworkCardIndex:    aws.Int(0),
			InstanceId:          aws.String(n.instanceID),
			InstanceOwnerId:     aws.String(e.id.AccountID),
			Status:              aws.String("attached"),
		}
	case n.managedAttachment:
		// A Fargate task's ENI is attached to infrastructure AWS owns
		// (owner shown as "amazon-aws"; text not verified).
		out.Attachment = &NetworkInterfaceAttachment{
			AttachTime:          aws.NewTime(n.attachTime),
			AttachmentId:        aws.String(n.attachmentID),
			DeleteOnTermination: aws.Bool(false),
			DeviceIndex:         aws.Int(1),
			NetworkCardIndex:    aws.Int(0),
			InstanceOwnerId:     aws.String("amazon-aws"),
			Status:              aws.String("attached"),
		}
	}
	return out
}
