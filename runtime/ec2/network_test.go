package ec2

import (
	"fmt"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestDefaultNetwork(t *testing.T) {
	e, _ := newTestEC2()
	subnets := e.DefaultSubnets()
	want := []struct{ az, azID, cidr string }{
		{"us-east-1a", "use1-az1", "172.31.0.0/20"},
		{"us-east-1b", "use1-az2", "172.31.16.0/20"},
		{"us-east-1c", "use1-az3", "172.31.32.0/20"},
	}
	if len(subnets) != len(want) {
		t.Fatalf("default subnets = %+v", subnets)
	}
	for i, w := range want {
		s := subnets[i]
		if s.AZ != w.az || s.AZID != w.azID || s.CIDR != w.cidr || s.AvailableIPs != 4091 || s.VPCID != e.DefaultVPC() || !s.DefaultForAZ {
			t.Errorf("subnet %d = %+v, want %+v with 4091 free", i, s, w)
		}
		if !validID("subnet", s.ID) {
			t.Errorf("subnet ID %q", s.ID)
		}
	}

	vpcs, err := e.DescribeVpcs(&DescribeVpcsRequest{Filters: []Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "172.31.0.0/16" || !aws.ToBool(vpcs.Vpcs[0].IsDefault) {
		t.Fatalf("DescribeVpcs = %+v, %v", vpcs, err)
	}
	sn, err := e.DescribeSubnets(&DescribeSubnetsRequest{Filters: []Filter{
		{Name: aws.String("vpc-id"), Values: []string{e.DefaultVPC()}},
		{Name: aws.String("availability-zone"), Values: []string{"us-east-1b", "us-east-1c"}},
	}})
	if err != nil || len(sn.Subnets) != 2 || aws.ToString(sn.Subnets[0].AvailabilityZone) != "us-east-1b" ||
		!aws.ToBool(sn.Subnets[0].MapPublicIpOnLaunch) || aws.ToInt(sn.Subnets[0].AvailableIpAddressCount) != 4091 {
		t.Fatalf("DescribeSubnets = %+v, %v", sn, err)
	}
	sg, err := e.DescribeSecurityGroups(&DescribeSecurityGroupsRequest{GroupNames: []string{"default"}})
	if err != nil || len(sg.SecurityGroups) != 1 {
		t.Fatalf("DescribeSecurityGroups = %+v, %v", sg, err)
	}
	g := sg.SecurityGroups[0]
	if aws.ToString(g.Description) != "default VPC security group" || aws.ToString(g.GroupId) != e.DefaultSecurityGroup() ||
		aws.ToString(g.IpPermissions[0].UserIdGroupPairs[0].GroupId) != e.DefaultSecurityGroup() ||
		aws.ToString(g.IpPermissionsEgress[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
		t.Fatalf("default group = %+v", g)
	}
	az, err := e.DescribeAvailabilityZones(&DescribeAvailabilityZonesRequest{})
	if err != nil || len(az.AvailabilityZones) != 3 || aws.ToString(az.AvailabilityZones[2].ZoneId) != "use1-az3" {
		t.Fatalf("DescribeAvailabilityZones = %+v, %v", az, err)
	}
}

func TestZonesFollowTheRegion(t *testing.T) {
	tests := map[string][]string{
		"us-east-1":      {"us-east-1a", "use1-az1"},
		"eu-central-1":   {"eu-central-1a", "euc1-az1"},
		"ap-southeast-2": {"ap-southeast-2a", "apse2-az1"},
		"us-west-2":      {"us-west-2a", "usw2-az1"},
	}
	for region, want := range tests {
		z := zonesFor(region)[0]
		if z.name != want[0] || z.id != want[1] {
			t.Errorf("%s: first zone %+v, want %v", region, z, want)
		}
	}
}

func TestNetworkErrors(t *testing.T) {
	e, _ := newTestEC2()
	_, err := e.DescribeSubnets(&DescribeSubnetsRequest{SubnetIds: []string{"subnet-0123456789abcdef0"}})
	wantAWSError(t, err, InvalidSubnetIDNotFound, "The subnet ID 'subnet-0123456789abcdef0' does not exist")
	_, err = e.DescribeVpcs(&DescribeVpcsRequest{VpcIds: []string{"vpc-1", "vpc-2"}})
	wantAWSError(t, err, InvalidVpcIDNotFound, "The vpc IDs 'vpc-1, vpc-2' do not exist")
	_, err = e.DescribeSubnets(&DescribeSubnetsRequest{Filters: []Filter{{Name: aws.String("colour"), Values: []string{"red"}}}})
	wantAWSError(t, err, InvalidParameterValue, "The filter 'colour' is invalid")
	_, err = e.DescribeSubnets(&DescribeSubnetsRequest{SubnetIds: []string{e.DefaultSubnets()[0].ID}, MaxResults: aws.Int(5)})
	wantAWSError(t, err, InvalidParameterCombination, "The parameter SubnetIds cannot be used with the parameter MaxResults")
}

func TestIPAllocation(t *testing.T) {
	e, _ := newTestEC2()
	sub := e.DefaultSubnets()[1] // 172.31.16.0/20
	var ips []string
	for range 3 {
		n, err := e.CreateENI(sub.ID, "task", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		ips = append(ips, n.PrivateIP)
		if n.AZ != "us-east-1b" || n.VPCID != sub.VPCID || len(n.MAC) != 17 {
			t.Errorf("ENI %+v", n)
		}
	}
	// the first four addresses are reserved: .16.0 to .16.3
	if fmt.Sprint(ips) != "[172.31.16.4 172.31.16.5 172.31.16.6]" {
		t.Fatalf("allocated %v", ips)
	}
	if got, _ := e.Subnet(sub.ID); got.AvailableIPs != 4088 {
		t.Fatalf("AvailableIPs = %d, want 4088", got.AvailableIPs)
	}
	// freeing the middle one makes it the next one handed out
	out, _ := e.DescribeNetworkInterfaces(&DescribeNetworkInterfacesRequest{Filters: []Filter{
		{Name: aws.String("private-ip-address"), Values: []string{"172.31.16.5"}}}})
	if len(out.NetworkInterfaces) != 1 {
		t.Fatalf("DescribeNetworkInterfaces = %+v", out)
	}
	if err := e.DeleteENI(aws.ToString(out.NetworkInterfaces[0].NetworkInterfaceId)); err != nil {
		t.Fatal(err)
	}
	n, _ := e.CreateENI(sub.ID, "task", nil, "")
	if n.PrivateIP != "172.31.16.5" {
		t.Fatalf("reused %s, want 172.31.16.5", n.PrivateIP)
	}
	wantAWSError(t, e.DeleteENI("eni-0123456789abcdef0"), InvalidNetworkInterfaceIDNotFound,
		"The networkInterface ID 'eni-0123456789abcdef0' does not exist")
	_, err := e.CreateENI("subnet-0123456789abcdef0", "", nil, "")
	wantAWSError(t, err, InvalidSubnetIDNotFound, "The subnet ID 'subnet-0123456789abcdef0' does not exist")
	_, err = e.CreateENI(sub.ID, "", []string{"sg-0123456789abcdef0"}, "")
	wantAWSError(t, err, InvalidGroupNotFound, "The security group 'sg-0123456789abcdef0' does not exist")
}

func TestSubnetExhaustion(t *testing.T) {
	// A /28 holds 16 addresses, 11 usable; the last one (.15) is reserved.
	s := newSubnet("subnet-1", "vpc-1", zone{"us-east-1a", "use1-az1"}, "10.0.0.0/28", false)
	var last string
	for i := range 11 {
		ip, ok := s.allocate()
		if !ok {
			t.Fatalf("allocation %d failed", i)
		}
		last = ip
	}
	if last != "10.0.0.14" || s.free != 0 {
		t.Fatalf("last = %s, free = %d", last, s.free)
	}
	if _, ok := s.allocate(); ok {
		t.Fatal("allocated from a full subnet")
	}
	s.release("10.0.0.15") // reserved: no effect
	s.release("10.0.0.3")  // reserved: no effect
	if s.free != 0 {
		t.Fatalf("releasing reserved addresses freed some: %d", s.free)
	}

	e, _ := newTestEC2()
	sub := e.subnets[0]
	for range sub.free {
		if _, err := e.CreateENI(sub.id, "", nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.CreateENI(sub.id, "", nil, "")
	wantAWSError(t, err, InvalidParameterValue, "There aren't sufficient free Ipv4 addresses or prefixes")
	if !IsInsufficientAddresses(err) {
		t.Fatal("IsInsufficientAddresses = false")
	}
	_, err = e.RunInstances(&RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(1), SubnetId: aws.String(sub.id)})
	wantAWSError(t, err, InsufficientFreeAddressesInSubnet,
		"There are not enough free addresses in subnet '"+sub.id+"' to satisfy the requested number of instances.")
	if !IsInsufficientAddresses(err) {
		t.Fatal("IsInsufficientAddresses = false")
	}
}

func TestCreateENIShows(t *testing.T) {
	e, _ := newTestEC2()
	n, err := e.CreateENI(e.DefaultSubnets()[0].ID, "arn:aws:ecs:us-east-1:123456789012:attachment/x", nil, "interface")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := e.DescribeNetworkInterfaces(&DescribeNetworkInterfacesRequest{NetworkInterfaceIds: []string{n.ID}})
	ni := out.NetworkInterfaces[0]
	if aws.ToString(ni.InterfaceType) != "interface" || !aws.ToBool(ni.RequesterManaged) || aws.ToString(ni.Status) != "available" ||
		aws.ToString(ni.PrivateIpAddress) != n.PrivateIP || aws.ToString(ni.Groups[0].GroupName) != "default" {
		t.Fatalf("ENI = %+v", ni)
	}
}
