package ec2

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Security groups are stateful allow-lists on network interfaces: inbound
// rules say which sources may open connections to the interface, outbound
// rules where the interface may open connections to; the replies of an
// allowed connection always pass [VPC-UG:vpc-security-groups]. ecsbox keeps
// each group's rules as AWS's security group rules (one source or
// destination each, with an sgr- ID) and groups them into IpPermissions
// when it describes the group, as DescribeSecurityGroups does.
//
// More EC2 error codes of this file [EC2-API:errors-overview].
const (
	InvalidGroupDuplicate         = "InvalidGroup.Duplicate"
	InvalidPermissionDuplicate    = "InvalidPermission.Duplicate"
	InvalidPermissionNotFound     = "InvalidPermission.NotFound"
	InvalidPermissionMalformed    = "InvalidPermission.Malformed"
	DependencyViolation           = "DependencyViolation"
	CannotDelete                  = "CannotDelete"
	InvalidSecurityGroupRuleIDNF  = "InvalidSecurityGroupRuleId.NotFound"
	InvalidGroupIDMalformed       = "InvalidGroupId.Malformed"
	defaultGroupName              = "default"
	defaultGroupDescription       = "default VPC security group" // [VPC-UG:default-security-group]
	maxGroupNameLength            = 255                          // [EC2-API:CreateSecurityGroup] "Constraints: Up to 255 characters in length."
	maxGroupDescriptionLength     = 255                          // same page, Description
	protocolAll                   = "-1"
	allIPv4                       = "0.0.0.0/0"
	ruleSummaryAllowWord          = "ALLOW"
	securityGroupResourceType     = "security-group"
	securityGroupRuleResourceType = "security-group-rule"
)

type securityGroup struct {
	id, name, description, vpcID string
	tags                         map[string]string
	rules                        []*sgRule // ingress and egress, in the order they were authorized
	ruleSeq                      int
}

// sgRule is one security group rule: a protocol, a port range and one peer
// (a CIDR or a security group).
type sgRule struct {
	id     string
	egress bool
	// protocol is "-1" (all), "tcp", "udp", "icmp" or another protocol
	// number.
	protocol string
	// from and to are the port range (tcp, udp), or the ICMP type and code
	// (-1: all); both -1 when the protocol has no ports.
	from, to    int
	cidr        string // the peer: a CIDR ...
	group       string // ... or a security group ID
	description string
}

// newDefaultGroup makes a VPC's default group with the rules AWS gives it:
// all traffic in from members of the group itself, all traffic out to
// anywhere [VPC-UG:default-security-group].
func (e *EC2) newDefaultGroup(id, vpcID string) *securityGroup {
	g := &securityGroup{id: id, name: defaultGroupName, description: defaultGroupDescription, vpcID: vpcID}
	g.add(sgRule{protocol: protocolAll, from: -1, to: -1, group: id})
	g.add(sgRule{egress: true, protocol: protocolAll, from: -1, to: -1, cidr: allIPv4})
	return g
}

// add appends a rule and gives it an ID. Rule IDs are derived from the
// group ID and a counter rather than drawn from the simulation's generator,
// so that the default group of a new account takes no draws (every other
// ID of a run stays where it was before rules existed).
func (g *securityGroup) add(r sgRule) *sgRule {
	g.ruleSeq++
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", g.id, g.ruleSeq)
	r.id = fmt.Sprintf("sgr-%017x", h.Sum64())
	g.rules = append(g.rules, &r)
	return &r
}

// CreateSecurityGroup creates a security group in a VPC (the default VPC
// when VpcId is absent). Like AWS, a new group has no inbound rules and one
// outbound rule that allows all traffic [VPC-UG:security-group-rules].
func (e *EC2) CreateSecurityGroup(in *CreateSecurityGroupRequest) (*CreateSecurityGroupResult, error) {
	if in == nil {
		in = &CreateSecurityGroupRequest{}
	}
	name, desc := aws.ToString(in.GroupName), aws.ToString(in.Description)
	vpcID := aws.ToString(in.VpcId)
	if vpcID == "" {
		vpcID = e.vpc.id
	}
	if vpcID != e.vpc.id {
		return nil, notFoundIDs(InvalidVpcIDNotFound, "vpc ID", []string{vpcID})
	}
	switch {
	case name == "":
		// text not verified
		return nil, awserr.New(MissingParameter, "The request must contain the parameter groupName")
	case desc == "":
		// text not verified
		return nil, awserr.New(MissingParameter, "The request must contain the parameter groupDescription")
	case strings.HasPrefix(strings.ToLower(name), "sg-"):
		// "Value (sg-pr4607-codebuild) for parameter GroupName is invalid.
		// Group names may not be in the format sg-*." (quoted from an
		// AWS error in a public project's CI notes)
		return nil, invalidValue("Value (%s) for parameter GroupName is invalid. Group names may not be in the format sg-*.", name)
	case utf8.RuneCountInString(name) > maxGroupNameLength:
		// text not verified
		return nil, invalidValue("Value (%s) for parameter GroupName is invalid. Group names can be up to %d characters long.", name, maxGroupNameLength)
	case utf8.RuneCountInString(desc) > maxGroupDescriptionLength:
		// text not verified
		return nil, invalidValue("Value (%s) for parameter GroupDescription is invalid. Descriptions can be up to %d characters long.", desc, maxGroupDescriptionLength)
	}
	if e.groupByName(vpcID, name) != nil {
		// "The security group 'Public' already exists for VPC
		// 'vpc-05f9507fbc9dcc1be'" (AWS CLI output quoted in public notes)
		return nil, awserr.Newf(InvalidGroupDuplicate, "The security group '%s' already exists for VPC '%s'", name, vpcID)
	}
	g := &securityGroup{id: e.sim.EC2ID("sg"), name: name, description: desc, vpcID: vpcID,
		tags: tagsFor(in.TagSpecifications, securityGroupResourceType)}
	g.add(sgRule{egress: true, protocol: protocolAll, from: -1, to: -1, cidr: allIPv4})
	e.groups = append(e.groups, g)
	e.sim.Recordf("ec2", "SecurityGroupCreated", g.id, "security group %s (%s) created in %s", g.id, g.name, g.vpcID)
	return &CreateSecurityGroupResult{GroupId: aws.String(g.id), Tags: apiTags(g.tags),
		SecurityGroupArn: aws.String(e.arn("security-group/" + g.id))}, nil
}

// DeleteSecurityGroup deletes a group that nothing uses: no network
// interface (of an instance, a task or a load balancer) and no rule of
// another group may refer to it.
func (e *EC2) DeleteSecurityGroup(in *DeleteSecurityGroupRequest) (*DeleteSecurityGroupResult, error) {
	if in == nil {
		in = &DeleteSecurityGroupRequest{}
	}
	g, err := e.targetGroup(in.GroupId, in.GroupName)
	if err != nil {
		return nil, err
	}
	if g.name == defaultGroupName {
		// `the specified group: "sg-..." name: "default" cannot be deleted
		// by a user` (CannotDelete; as quoted by public cleanup scripts)
		return nil, awserr.Newf(CannotDelete, "the specified group: \"%s\" name: \"%s\" cannot be deleted by a user", g.id, g.name)
	}
	if e.groupInUse(g.id) {
		// "resource sg-... has a dependent object" (DependencyViolation,
		// hashicorp/terraform-provider-aws matches on this text)
		return nil, awserr.Newf(DependencyViolation, "resource %s has a dependent object", g.id)
	}
	e.groups = slices.DeleteFunc(e.groups, func(x *securityGroup) bool { return x == g })
	e.sim.Recordf("ec2", "SecurityGroupDeleted", g.id, "security group %s (%s) deleted", g.id, g.name)
	return &DeleteSecurityGroupResult{Return: aws.Bool(true), GroupId: aws.String(g.id)}, nil
}

// groupInUse reports whether a network interface carries the group or a
// rule of another group refers to it.
func (e *EC2) groupInUse(id string) bool {
	for _, eniID := range sortedKeys(e.enis) {
		if slices.Contains(e.enis[eniID].groups, id) {
			return true
		}
	}
	for _, inst := range e.instances {
		if inst.state != StateTerminated && slices.Contains(inst.groups, id) {
			return true
		}
	}
	for _, other := range e.groups {
		if other.id == id {
			continue
		}
		for _, r := range other.rules {
			if r.group == id {
				return true
			}
		}
	}
	return false
}

// targetGroup finds the group an operation names by ID or (in the default
// VPC) by name.
func (e *EC2) targetGroup(id, name *string) (*securityGroup, error) {
	switch {
	case aws.ToString(id) != "":
		g := e.group(*id)
		if g == nil {
			if !validID("sg", *id) {
				// text not verified
				return nil, awserr.Newf(InvalidGroupIDMalformed, "Invalid id: \"%s\" (expecting \"sg-...\")", *id)
			}
			// "The security group 'sg-1' does not exist" (text not verified)
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist", *id)
		}
		return g, nil
	case aws.ToString(name) != "":
		g := e.groupByName(e.vpc.id, *name)
		if g == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist in default VPC '%s'", *name, e.vpc.id)
		}
		return g, nil
	}
	// text not verified
	return nil, awserr.New(MissingParameter, "The request must contain the parameter groupName or groupId")
}

func (e *EC2) groupByName(vpcID, name string) *securityGroup {
	for _, g := range e.groups {
		if g.vpcID == vpcID && g.name == name {
			return g
		}
	}
	return nil
}

// legacyPermission is the single permission of the old top-level form
// (IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName).
type legacyPermission struct {
	protocol, cidr, sourceGroupName *string
	from, to                        *int
}

func (l legacyPermission) given() bool {
	return l.protocol != nil || l.cidr != nil || l.sourceGroupName != nil || l.from != nil || l.to != nil
}

// permissions returns the IpPermissions of a request, from either form.
func (e *EC2) permissions(g *securityGroup, perms []IpPermission, legacy legacyPermission) ([]IpPermission, error) {
	if !legacy.given() {
		if len(perms) == 0 {
			// text not verified
			return nil, awserr.New(MissingParameter, "The request must contain the parameter ipPermissions")
		}
		return perms, nil
	}
	if len(perms) > 0 {
		// text not verified
		return nil, awserr.New(InvalidParameterCombination, "The parameter 'ipPermissions' may not be used in combination with 'ipProtocol'")
	}
	p := IpPermission{IpProtocol: legacy.protocol, FromPort: legacy.from, ToPort: legacy.to}
	if p.IpProtocol == nil {
		p.IpProtocol = aws.String(protocolAll)
	}
	if legacy.cidr != nil {
		p.IpRanges = []IpRange{{CidrIp: legacy.cidr}}
	}
	if legacy.sourceGroupName != nil {
		p.UserIdGroupPairs = []UserIdGroupPair{{GroupName: legacy.sourceGroupName}}
	}
	return []IpPermission{p}, nil
}

// parseRules turns IpPermissions into rules of g, checking protocols, ports,
// CIDRs and referenced groups as EC2 does.
func (e *EC2) parseRules(g *securityGroup, perms []IpPermission, egress bool) ([]sgRule, error) {
	var out []sgRule
	for _, p := range perms {
		proto, err := normalizeProtocol(aws.ToString(p.IpProtocol))
		if err != nil {
			return nil, err
		}
		from, to, err := portRange(proto, p.FromPort, p.ToPort)
		if err != nil {
			return nil, err
		}
		if len(p.Ipv6Ranges) > 0 || len(p.PrefixListIds) > 0 {
			return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate IPv6 ranges or prefix lists in security group rules yet")
		}
		if len(p.IpRanges) == 0 && len(p.UserIdGroupPairs) == 0 {
			// text not verified
			return nil, awserr.Newf(InvalidPermissionMalformed, "The specified security group rule is malformed. Specify a CIDR range (IpRanges) or a security group (UserIdGroupPairs).")
		}
		base := sgRule{egress: egress, protocol: proto, from: from, to: to}
		for _, r := range p.IpRanges {
			cidr := aws.ToString(r.CidrIp)
			if !validCIDR(cidr) {
				// "CIDR block 2a02:26f7:... is malformed" (an IPv6
				// address given as CidrIp; quoted in public notes)
				return nil, invalidValue("CIDR block %s is malformed", cidr)
			}
			rule := base
			rule.cidr, rule.description = cidr, aws.ToString(r.Description)
			out = append(out, rule)
		}
		for _, pair := range p.UserIdGroupPairs {
			ref, err := e.referencedGroup(g, pair)
			if err != nil {
				return nil, err
			}
			rule := base
			rule.group, rule.description = ref.id, aws.ToString(pair.Description)
			out = append(out, rule)
		}
	}
	return out, nil
}

func (e *EC2) referencedGroup(g *securityGroup, pair UserIdGroupPair) (*securityGroup, error) {
	if owner := aws.ToString(pair.UserId); owner != "" && owner != e.id.AccountID {
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate security groups of other accounts")
	}
	var ref *securityGroup
	switch {
	case aws.ToString(pair.GroupId) != "":
		ref = e.group(*pair.GroupId)
		if ref == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist", *pair.GroupId)
		}
	case aws.ToString(pair.GroupName) != "":
		ref = e.groupByName(g.vpcID, *pair.GroupName)
		if ref == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist in VPC '%s'", *pair.GroupName, g.vpcID)
		}
	default:
		// text not verified
		return nil, awserr.New(MissingParameter, "The request must contain the parameter groupId or groupName in UserIdGroupPairs")
	}
	if ref.vpcID != g.vpcID {
		// text not verified
		return nil, invalidValue("You have specified two resources that belong to different networks.")
	}
	return ref, nil
}

// normalizeProtocol accepts what EC2 accepts [EC2-API:IpPermission]: tcp,
// udp, icmp, icmpv6, -1 (all) or a protocol number; 6, 17 and 1 are stored
// by name. "all" is refused: "Invalid value 'all' for IP protocol. Unknown
// protocol." (quoted in hashicorp/terraform-provider-aws#1793).
func normalizeProtocol(p string) (string, error) {
	switch strings.ToLower(p) {
	case "tcp", "6":
		return "tcp", nil
	case "udp", "17":
		return "udp", nil
	case "icmp", "1":
		return "icmp", nil
	case "-1":
		return protocolAll, nil
	case "icmpv6", "58":
		return "", awserr.New(awserr.NotSimulated, "ecsbox does not simulate IPv6 security group rules yet")
	}
	n := 0
	if _, err := fmt.Sscanf(p, "%d", &n); err == nil && fmt.Sprint(n) == p && n >= 0 && n <= 255 {
		return p, nil
	}
	return "", invalidValue("Invalid value '%s' for IP protocol. Unknown protocol.", p)
}

// portRange checks the ports of a permission. TCP and UDP need both ports
// ("Invalid value for portRange. Must specify both from and to ports with
// TCP/UDP.", InvalidParameterValue, quoted from an AWS SDK error in public
// code); ICMP takes a type and a code, -1 meaning all; other protocols
// allow all ports, whatever is given [EC2-API:IpPermission].
func portRange(proto string, from, to *int) (int, int, error) {
	switch proto {
	case "tcp", "udp":
		if from == nil || to == nil {
			return 0, 0, invalidValue("Invalid value for portRange. Must specify both from and to ports with TCP/UDP.")
		}
		for _, p := range []struct {
			end string
			n   int
		}{{"from", *from}, {"to", *to}} {
			if p.n < 0 || p.n > 65535 {
				// "TCP/UDP (from) port (-1) out of range" (aws/aws-cli#1066)
				return 0, 0, invalidValue("TCP/UDP (%s) port (%d) out of range", p.end, p.n)
			}
		}
		if *from > *to {
			// text not verified
			return 0, 0, invalidValue("Invalid TCP/UDP port range (%d - %d): the from port must not be greater than the to port", *from, *to)
		}
		return *from, *to, nil
	case "icmp":
		typ, code := -1, -1
		if from != nil {
			typ = *from
		}
		if to != nil {
			code = *to
		}
		if typ < -1 || typ > 255 {
			// text not verified
			return 0, 0, invalidValue("ICMP type (%d) out of range", typ)
		}
		if code < -1 || code > 255 {
			// "ICMP code (65535) out of range" (text quoted by public
			// Terraform modules; not verified against AWS)
			return 0, 0, invalidValue("ICMP code (%d) out of range", code)
		}
		return typ, code, nil
	}
	return -1, -1, nil
}

func validCIDR(s string) bool {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok {
		return false
	}
	n := 0
	if _, err := fmt.Sscanf(bits, "%d", &n); err != nil || fmt.Sprint(n) != bits || n < 0 || n > 32 {
		return false
	}
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		v := 0
		if _, err := fmt.Sscanf(p, "%d", &v); err != nil || fmt.Sprint(v) != p || v < 0 || v > 255 {
			return false
		}
	}
	return true
}

// sameRule: two rules are the same rule whatever their descriptions.
func sameRule(a, b *sgRule) bool {
	return a.egress == b.egress && a.protocol == b.protocol && a.from == b.from && a.to == b.to &&
		a.cidr == b.cidr && a.group == b.group
}

// summary words a rule the way EC2's InvalidPermission.Duplicate does:
// `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22,
// ALLOW" already exists`, `"peer: 10.0.0.0/19, ALL, ALLOW"` and `"peer:
// sg-1b20b867, UDP, from port: 0, to port: 65535, ALLOW"` (all three
// quoted from AWS errors in public repositories). The ICMP form is not
// verified.
func (r *sgRule) summary() string {
	peer := r.cidr
	if r.group != "" {
		peer = r.group
	}
	switch r.protocol {
	case protocolAll:
		return fmt.Sprintf("peer: %s, ALL, %s", peer, ruleSummaryAllowWord)
	case "tcp", "udp":
		return fmt.Sprintf("peer: %s, %s, from port: %d, to port: %d, %s", peer, strings.ToUpper(r.protocol), r.from, r.to, ruleSummaryAllowWord)
	case "icmp":
		return fmt.Sprintf("peer: %s, ICMP, type: %d, code: %d, %s", peer, r.from, r.to, ruleSummaryAllowWord)
	}
	return fmt.Sprintf("peer: %s, %s, %s", peer, r.protocol, ruleSummaryAllowWord)
}

// authorize adds rules to g, refusing the whole request when one of them
// exists already.
func (e *EC2) authorize(g *securityGroup, rules []sgRule, tags map[string]string) ([]SecurityGroupRule, error) {
	for i := range rules {
		for _, have := range g.rules {
			if sameRule(have, &rules[i]) {
				return nil, awserr.Newf(InvalidPermissionDuplicate, "the specified rule \"%s\" already exists", rules[i].summary())
			}
		}
		for j := range i {
			if sameRule(&rules[j], &rules[i]) {
				return nil, awserr.Newf(InvalidPermissionDuplicate, "the specified rule \"%s\" already exists", rules[i].summary())
			}
		}
	}
	out := []SecurityGroupRule{}
	for _, r := range rules {
		added := g.add(r)
		out = append(out, e.ruleShape(g, added, tags))
		e.sim.Recordf("ec2", "SecurityGroupRuleAdded", g.id, "security group %s (%s): %s rule added: %s",
			g.id, g.name, direction(added.egress), added.readable())
	}
	return out, nil
}

// revoke removes rules from g. Every rule must exist, or nothing is
// removed: "The specified rule does not exist in this security group."
// (InvalidPermission.NotFound, quoted in cloud-custodian/cloud-custodian#9659).
func (e *EC2) revoke(g *securityGroup, rules []sgRule, ids []string, egress bool) ([]RevokedSecurityGroupRule, error) {
	var gone []*sgRule
	for i := range rules {
		k := slices.IndexFunc(g.rules, func(have *sgRule) bool { return sameRule(have, &rules[i]) })
		if k < 0 {
			return nil, awserr.New(InvalidPermissionNotFound, "The specified rule does not exist in this security group.")
		}
		gone = append(gone, g.rules[k])
	}
	for _, id := range ids {
		k := slices.IndexFunc(g.rules, func(have *sgRule) bool { return have.id == id && have.egress == egress })
		if k < 0 {
			// text not verified
			return nil, awserr.Newf(InvalidSecurityGroupRuleIDNF, "The security group rule ID '%s' does not exist", id)
		}
		gone = append(gone, g.rules[k])
	}
	out := []RevokedSecurityGroupRule{}
	for _, r := range gone {
		if !slices.Contains(g.rules, r) {
			continue // named twice
		}
		g.rules = slices.DeleteFunc(g.rules, func(x *sgRule) bool { return x == r })
		rv := RevokedSecurityGroupRule{SecurityGroupRuleId: aws.String(r.id), GroupId: aws.String(g.id),
			IsEgress: aws.Bool(r.egress), IpProtocol: aws.String(r.protocol)}
		if r.hasPorts() {
			rv.FromPort, rv.ToPort = aws.Int(r.from), aws.Int(r.to)
		}
		if r.cidr != "" {
			rv.CidrIpv4 = aws.String(r.cidr)
		} else {
			rv.ReferencedGroupId = aws.String(r.group)
		}
		if r.description != "" {
			rv.Description = aws.String(r.description)
		}
		out = append(out, rv)
		e.sim.Recordf("ec2", "SecurityGroupRuleRemoved", g.id, "security group %s (%s): %s rule removed: %s",
			g.id, g.name, direction(r.egress), r.readable())
	}
	return out, nil
}

func direction(egress bool) string {
	if egress {
		return "outbound"
	}
	return "inbound"
}

// hasPorts: tcp, udp and icmp rules show FromPort and ToPort; the others
// (all traffic, other protocols) do not.
func (r *sgRule) hasPorts() bool {
	return r.protocol == "tcp" || r.protocol == "udp" || r.protocol == "icmp"
}

// readable words a rule for the timeline and for Reachable's reasons:
// "tcp 32768-65535 from sg-0123...", "all traffic to 0.0.0.0/0".
func (r *sgRule) readable() string {
	var what string
	switch {
	case r.protocol == protocolAll:
		what = "all traffic"
	case r.protocol == "icmp":
		what = fmt.Sprintf("icmp type %d code %d", r.from, r.to)
	case r.hasPorts() && r.from == r.to:
		what = fmt.Sprintf("%s %d", r.protocol, r.from)
	case r.hasPorts():
		what = fmt.Sprintf("%s %d-%d", r.protocol, r.from, r.to)
	default:
		what = "protocol " + r.protocol
	}
	peer := r.cidr
	if r.group != "" {
		peer = r.group
	}
	if r.egress {
		return what + " to " + peer
	}
	return what + " from " + peer
}

// AuthorizeSecurityGroupIngress adds inbound rules [EC2-API:
// AuthorizeSecurityGroupIngress], in the IpPermissions form or the older
// top-level form (IpProtocol, FromPort, ToPort, CidrIp or
// SourceSecurityGroupName).
func (e *EC2) AuthorizeSecurityGroupIngress(in *AuthorizeSecurityGroupIngressRequest) (*AuthorizeSecurityGroupIngressResult, error) {
	if in == nil {
		in = &AuthorizeSecurityGroupIngressRequest{}
	}
	g, err := e.targetGroup(in.GroupId, in.GroupName)
	if err != nil {
		return nil, err
	}
	perms, err := e.permissions(g, in.IpPermissions, legacyPermission{in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort})
	if err != nil {
		return nil, err
	}
	rules, err := e.parseRules(g, perms, false)
	if err != nil {
		return nil, err
	}
	out, err := e.authorize(g, rules, tagsFor(in.TagSpecifications, securityGroupRuleResourceType))
	if err != nil {
		return nil, err
	}
	return &AuthorizeSecurityGroupIngressResult{Return: aws.Bool(true), SecurityGroupRules: out}, nil
}

// AuthorizeSecurityGroupEgress adds outbound rules [EC2-API:
// AuthorizeSecurityGroupEgress].
func (e *EC2) AuthorizeSecurityGroupEgress(in *AuthorizeSecurityGroupEgressRequest) (*AuthorizeSecurityGroupEgressResult, error) {
	if in == nil {
		in = &AuthorizeSecurityGroupEgressRequest{}
	}
	g, err := e.targetGroup(in.GroupId, nil)
	if err != nil {
		return nil, err
	}
	perms, err := e.permissions(g, in.IpPermissions, legacyPermission{in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort})
	if err != nil {
		return nil, err
	}
	rules, err := e.parseRules(g, perms, true)
	if err != nil {
		return nil, err
	}
	out, err := e.authorize(g, rules, tagsFor(in.TagSpecifications, securityGroupRuleResourceType))
	if err != nil {
		return nil, err
	}
	return &AuthorizeSecurityGroupEgressResult{Return: aws.Bool(true), SecurityGroupRules: out}, nil
}

// RevokeSecurityGroupIngress removes inbound rules, named by their
// permissions or by SecurityGroupRuleIds.
func (e *EC2) RevokeSecurityGroupIngress(in *RevokeSecurityGroupIngressRequest) (*RevokeSecurityGroupIngressResult, error) {
	if in == nil {
		in = &RevokeSecurityGroupIngressRequest{}
	}
	g, err := e.targetGroup(in.GroupId, in.GroupName)
	if err != nil {
		return nil, err
	}
	var rules []sgRule
	legacy := legacyPermission{in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort}
	if len(in.SecurityGroupRuleIds) == 0 || len(in.IpPermissions) > 0 || legacy.given() {
		perms, err := e.permissions(g, in.IpPermissions, legacy)
		if err != nil {
			return nil, err
		}
		if rules, err = e.parseRules(g, perms, false); err != nil {
			return nil, err
		}
	}
	revoked, err := e.revoke(g, rules, in.SecurityGroupRuleIds, false)
	if err != nil {
		return nil, err
	}
	return &RevokeSecurityGroupIngressResult{Return: aws.Bool(true), RevokedSecurityGroupRules: revoked}, nil
}

// RevokeSecurityGroupEgress removes outbound rules.
func (e *EC2) RevokeSecurityGroupEgress(in *RevokeSecurityGroupEgressRequest) (*RevokeSecurityGroupEgressResult, error) {
	if in == nil {
		in = &RevokeSecurityGroupEgressRequest{}
	}
	g, err := e.targetGroup(in.GroupId, nil)
	if err != nil {
		return nil, err
	}
	var rules []sgRule
	legacy := legacyPermission{in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort}
	if len(in.SecurityGroupRuleIds) == 0 || len(in.IpPermissions) > 0 || legacy.given() {
		perms, err := e.permissions(g, in.IpPermissions, legacy)
		if err != nil {
			return nil, err
		}
		if rules, err = e.parseRules(g, perms, true); err != nil {
			return nil, err
		}
	}
	revoked, err := e.revoke(g, rules, in.SecurityGroupRuleIds, true)
	if err != nil {
		return nil, err
	}
	return &RevokeSecurityGroupEgressResult{Return: aws.Bool(true), RevokedSecurityGroupRules: revoked}, nil
}
