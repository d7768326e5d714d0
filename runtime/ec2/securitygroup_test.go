package ec2

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func newGroup(t *testing.T, e *EC2, name string) string {
	t.Helper()
	out, err := e.CreateSecurityGroup(&CreateSecurityGroupRequest{GroupName: aws.String(name), Description: aws.String(name + " group")})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}
	return *out.GroupId
}

func tcpFrom(from, to int, cidrs []string, groups []string) IpPermission {
	p := IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int(from), ToPort: aws.Int(to)}
	for _, c := range cidrs {
		p.IpRanges = append(p.IpRanges, IpRange{CidrIp: aws.String(c)})
	}
	for _, g := range groups {
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, UserIdGroupPair{GroupId: aws.String(g)})
	}
	return p
}

func TestCreateSecurityGroupErrors(t *testing.T) {
	e, _ := newTestEC2()
	newGroup(t, e, "web")
	for _, tc := range []struct {
		name, group, desc, vpc string
		code, msg              string
	}{
		{"duplicate", "web", "d", "", InvalidGroupDuplicate, "The security group 'web' already exists for VPC '" + e.DefaultVPC() + "'"},
		{"sg- prefix", "sg-web", "d", "", InvalidParameterValue, "Value (sg-web) for parameter GroupName is invalid. Group names may not be in the format sg-*."},
		{"default", "default", "d", "", InvalidGroupDuplicate, "The security group 'default' already exists for VPC '" + e.DefaultVPC() + "'"},
		{"vpc", "x", "d", "vpc-12345678", InvalidVpcIDNotFound, "The vpc ID 'vpc-12345678' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &CreateSecurityGroupRequest{GroupName: aws.String(tc.group), Description: aws.String(tc.desc)}
			if tc.vpc != "" {
				in.VpcId = aws.String(tc.vpc)
			}
			_, err := e.CreateSecurityGroup(in)
			wantAWSError(t, err, tc.code, tc.msg)
		})
	}
}

func TestNewGroupRules(t *testing.T) {
	e, _ := newTestEC2()
	id := newGroup(t, e, "web")
	out, err := e.DescribeSecurityGroups(&DescribeSecurityGroupsRequest{GroupIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	g := out.SecurityGroups[0]
	if len(g.IpPermissions) != 0 || len(g.IpPermissionsEgress) != 1 || *g.IpPermissionsEgress[0].IpProtocol != "-1" ||
		*g.IpPermissionsEgress[0].IpRanges[0].CidrIp != "0.0.0.0/0" {
		b, _ := json.Marshal(g)
		t.Fatalf("new group: %s", b)
	}
	// The default group: all in from itself, all out.
	out, _ = e.DescribeSecurityGroups(&DescribeSecurityGroupsRequest{GroupIds: []string{e.DefaultSecurityGroup()}})
	d := out.SecurityGroups[0]
	if *d.IpPermissions[0].UserIdGroupPairs[0].GroupId != e.DefaultSecurityGroup() {
		t.Fatalf("default group ingress: %+v", d.IpPermissions)
	}
}

func TestAuthorizeAndRevoke(t *testing.T) {
	e, _ := newTestEC2()
	web := newGroup(t, e, "web")
	alb := newGroup(t, e, "alb")
	_, err := e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(web),
		IpPermissions: []IpPermission{tcpFrom(32768, 65535, nil, []string{alb}), tcpFrom(22, 22, []string{"203.0.113.0/24"}, nil)}})
	if err != nil {
		t.Fatal(err)
	}
	// The legacy form.
	if _, err := e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(web),
		IpProtocol: aws.String("tcp"), FromPort: aws.Int(80), ToPort: aws.Int(80), CidrIp: aws.String("0.0.0.0/0")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(web),
		IpPermissions: []IpPermission{tcpFrom(22, 22, []string{"203.0.113.0/24"}, nil)}})
	wantAWSError(t, err, InvalidPermissionDuplicate, `the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists`)
	_, err = e.AuthorizeSecurityGroupEgress(&AuthorizeSecurityGroupEgressRequest{GroupId: aws.String(web),
		IpPermissions: []IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	wantAWSError(t, err, InvalidPermissionDuplicate, `the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists`)

	out, _ := e.DescribeSecurityGroups(&DescribeSecurityGroupsRequest{Filters: []Filter{{Name: aws.String("ip-permission.group-id"), Values: []string{alb}}}})
	if len(out.SecurityGroups) != 1 || *out.SecurityGroups[0].GroupId != web || len(out.SecurityGroups[0].IpPermissions) != 3 {
		t.Fatalf("filter ip-permission.group-id: %+v", out.SecurityGroups)
	}
	out, _ = e.DescribeSecurityGroups(&DescribeSecurityGroupsRequest{Filters: []Filter{{Name: aws.String("ip-permission.from-port"), Values: []string{"32768"}}}})
	if len(out.SecurityGroups) != 1 {
		t.Fatalf("filter ip-permission.from-port: %d groups", len(out.SecurityGroups))
	}

	_, err = e.DeleteSecurityGroup(&DeleteSecurityGroupRequest{GroupId: aws.String(alb)})
	wantAWSError(t, err, DependencyViolation, "resource "+alb+" has a dependent object")

	_, err = e.RevokeSecurityGroupIngress(&RevokeSecurityGroupIngressRequest{GroupId: aws.String(web),
		IpPermissions: []IpPermission{tcpFrom(8080, 8080, []string{"0.0.0.0/0"}, nil)}})
	wantAWSError(t, err, InvalidPermissionNotFound, "The specified rule does not exist in this security group.")
	rv, err := e.RevokeSecurityGroupIngress(&RevokeSecurityGroupIngressRequest{GroupId: aws.String(web),
		IpPermissions: []IpPermission{tcpFrom(32768, 65535, nil, []string{alb})}})
	if err != nil || len(rv.RevokedSecurityGroupRules) != 1 {
		t.Fatalf("revoke: %v %+v", err, rv)
	}
	if _, err := e.DeleteSecurityGroup(&DeleteSecurityGroupRequest{GroupId: aws.String(alb)}); err != nil {
		t.Fatalf("delete after revoke: %v", err)
	}
	_, err = e.DeleteSecurityGroup(&DeleteSecurityGroupRequest{GroupName: aws.String("default")})
	wantAWSError(t, err, CannotDelete, `the specified group: "`+e.DefaultSecurityGroup()+`" name: "default" cannot be deleted by a user`)
}

func TestPermissionErrors(t *testing.T) {
	e, _ := newTestEC2()
	web := newGroup(t, e, "web")
	for _, tc := range []struct {
		name string
		perm IpPermission
		code string
		msg  string
	}{
		{"all", IpPermission{IpProtocol: aws.String("all"), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
			InvalidParameterValue, "Invalid value 'all' for IP protocol. Unknown protocol."},
		{"no ports", IpPermission{IpProtocol: aws.String("tcp"), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
			InvalidParameterValue, "Invalid value for portRange. Must specify both from and to ports with TCP/UDP."},
		{"port range", tcpFrom(-1, 80, []string{"0.0.0.0/0"}, nil), InvalidParameterValue, "TCP/UDP (from) port (-1) out of range"},
		{"cidr", tcpFrom(80, 80, []string{"10.0.0/8"}, nil), InvalidParameterValue, "CIDR block 10.0.0/8 is malformed"},
		{"group", tcpFrom(80, 80, nil, []string{"sg-0123456789abcdef0"}), InvalidGroupNotFound, "The security group 'sg-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(web), IpPermissions: []IpPermission{tc.perm}})
			wantAWSError(t, err, tc.code, tc.msg)
		})
	}
}

func TestReachable(t *testing.T) {
	e, _ := newTestEC2()
	alb := newGroup(t, e, "alb")
	web := newGroup(t, e, "web")
	closed := newGroup(t, e, "closed")
	mustIngress := func(g string, p IpPermission) {
		t.Helper()
		if _, err := e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(g), IpPermissions: []IpPermission{p}}); err != nil {
			t.Fatal(err)
		}
	}
	mustIngress(web, tcpFrom(32768, 65535, nil, []string{alb}))
	mustIngress(web, tcpFrom(80, 80, []string{"172.31.0.0/20"}, nil))
	mustIngress(web, IpPermission{IpProtocol: aws.String("udp"), FromPort: aws.Int(53), ToPort: aws.Int(53), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}})
	// closed has no outbound rule.
	if _, err := e.RevokeSecurityGroupEgress(&RevokeSecurityGroupEgressRequest{GroupId: aws.String(closed),
		IpPermissions: []IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		from     []string
		fromIP   string
		to       []string
		port     int
		protocol string
		want     bool
		why      string
	}{
		{"group reference in range", []string{alb}, "172.31.32.9", []string{web}, 32768, "tcp", true, ""},
		{"top of range", []string{alb}, "172.31.32.9", []string{web}, 65535, "tcp", true, ""},
		{"below range", []string{alb}, "172.31.32.9", []string{web}, 32767, "tcp", false, "no inbound rule of " + web + " (web) allows tcp 32767 from 172.31.32.9 in " + alb},
		{"other group", []string{closed}, "172.31.32.9", []string{web}, 40000, "tcp", false, "no inbound rule"},
		{"cidr contains", nil, "172.31.15.200", []string{web}, 80, "tcp", true, ""},
		{"cidr excludes", nil, "172.31.16.1", []string{web}, 80, "tcp", false, "no inbound rule"},
		{"protocol", nil, "172.31.15.200", []string{web}, 80, "udp", false, "no inbound rule"},
		{"udp", nil, "198.51.100.1", []string{web}, 53, "udp", true, ""},
		{"default group from itself", []string{e.DefaultSecurityGroup()}, "172.31.0.9", []string{e.DefaultSecurityGroup()}, 8080, "tcp", true, ""},
		{"default group from outside", []string{alb}, "172.31.0.9", []string{e.DefaultSecurityGroup()}, 8080, "tcp", false, "no inbound rule"},
		{"no egress", []string{closed, alb}, "172.31.0.9", []string{web}, 40000, "tcp", true, ""},
		{"egress closed", []string{closed}, "172.31.0.9", []string{web}, 80, "tcp", false, "no outbound rule of " + closed + " (closed) allows tcp 80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := e.Reachable(tc.from, tc.fromIP, tc.to, tc.port, tc.protocol)
			if ok != tc.want || !strings.Contains(why, tc.why) {
				t.Fatalf("Reachable = %v, %q; want %v, %q", ok, why, tc.want, tc.why)
			}
		})
	}
}

func TestReachableEgressToCIDR(t *testing.T) {
	e, _ := newTestEC2()
	src := newGroup(t, e, "src")
	dst := newGroup(t, e, "dst")
	e.RevokeSecurityGroupEgress(&RevokeSecurityGroupEgressRequest{GroupId: aws.String(src),
		IpPermissions: []IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	e.AuthorizeSecurityGroupEgress(&AuthorizeSecurityGroupEgressRequest{GroupId: aws.String(src),
		IpPermissions: []IpPermission{tcpFrom(8080, 8080, []string{"172.31.16.0/20"}, nil)}})
	e.AuthorizeSecurityGroupIngress(&AuthorizeSecurityGroupIngressRequest{GroupId: aws.String(dst),
		IpPermissions: []IpPermission{tcpFrom(8080, 8080, nil, []string{src})}})
	if ok, why := e.ReachableIP([]string{src}, "172.31.0.5", []string{dst}, "172.31.20.1", 8080, "tcp"); !ok {
		t.Fatalf("in the CIDR: %s", why)
	}
	if ok, _ := e.ReachableIP([]string{src}, "172.31.0.5", []string{dst}, "172.31.40.1", 8080, "tcp"); ok {
		t.Fatal("outside the CIDR: reachable")
	}
}

func TestGroupsOfInstanceAndENI(t *testing.T) {
	e, _ := newTestEC2()
	web := newGroup(t, e, "web")
	inst := runOne(t, e, &RunInstancesRequest{SecurityGroupIds: []string{web}})
	groups, ok := e.GroupsOfInstance(*inst.InstanceId)
	if !ok || len(groups) != 1 || groups[0] != web {
		t.Fatalf("GroupsOfInstance = %v %v", groups, ok)
	}
	n, ok := e.ENIOfIP(*inst.PrivateIpAddress)
	if !ok || n.ID != *inst.NetworkInterfaces[0].NetworkInterfaceId {
		t.Fatalf("ENIOfIP = %+v %v", n, ok)
	}
	if _, err := e.DeleteSecurityGroup(&DeleteSecurityGroupRequest{GroupId: aws.String(web)}); err == nil {
		t.Fatal("deleted a group an instance uses")
	}
	if _, err := e.ModifyNetworkInterfaceAttribute(&ModifyNetworkInterfaceAttributeRequest{NetworkInterfaceId: aws.String(n.ID), Groups: []string{e.DefaultSecurityGroup()}}); err != nil {
		t.Fatal(err)
	}
	if groups, _ := e.GroupsOfENI(n.ID); groups[0] != e.DefaultSecurityGroup() {
		t.Fatalf("GroupsOfENI after modify = %v", groups)
	}
	if _, err := e.DeleteSecurityGroup(&DeleteSecurityGroupRequest{GroupId: aws.String(web)}); err != nil {
		t.Fatalf("delete unused group: %v", err)
	}
}
