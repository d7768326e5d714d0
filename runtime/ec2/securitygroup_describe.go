package ec2

import (
	"fmt"
	"slices"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// DescribeSecurityGroups lists the security groups, oldest first.
func (e *EC2) DescribeSecurityGroups(in *DescribeSecurityGroupsRequest) (*DescribeSecurityGroupsResult, error) {
	if in == nil {
		in = &DescribeSecurityGroupsRequest{}
	}
	// "The security group 'sg-1' does not exist" (text not verified)
	if err := checkIDs(in.GroupIds, in.MaxResults, "GroupIds", InvalidGroupNotFound, "security group", func(id string) bool { return e.group(id) != nil }); err != nil {
		return nil, err
	}
	for _, name := range in.GroupNames {
		if e.groupByName(e.vpc.id, name) == nil {
			// text not verified
			return nil, awserr.Newf(InvalidGroupNotFound, "The security group '%s' does not exist in default VPC '%s'", name, e.vpc.id)
		}
	}
	var keys []string
	byKey := map[string]*securityGroup{}
	for i, g := range e.groups {
		if len(in.GroupIds) > 0 && !slices.Contains(in.GroupIds, g.id) {
			continue
		}
		if len(in.GroupNames) > 0 && !slices.Contains(in.GroupNames, g.name) {
			continue
		}
		ok, err := matchFilters(in.Filters, e.groupFilter(g))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%06d", i)
			keys = append(keys, k)
			byKey[k] = g
		}
	}
	page, next, err := paginate("DescribeSecurityGroups", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeSecurityGroupsResult{SecurityGroups: []SecurityGroup{}, NextToken: next}
	for _, k := range page {
		out.SecurityGroups = append(out.SecurityGroups, e.groupShape(byKey[k]))
	}
	return out, nil
}

// groupFilter answers the filters of DescribeSecurityGroups
// [EC2-API:DescribeSecurityGroups]. The ip-permission.* and
// egress.ip-permission.* filters match a group that has a rule with that
// value.
func (e *EC2) groupFilter(g *securityGroup) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "group-id":
			return []string{g.id}, true
		case "group-name":
			return []string{g.name}, true
		case "vpc-id":
			return []string{g.vpcID}, true
		case "description":
			return []string{g.description}, true
		case "owner-id":
			return []string{e.id.AccountID}, true
		}
		for _, dir := range []struct {
			prefix string
			egress bool
		}{{"ip-permission.", false}, {"egress.ip-permission.", true}} {
			field, ok := cutPrefix(name, dir.prefix)
			if !ok {
				continue
			}
			var vals []string
			for _, r := range g.rules {
				if r.egress != dir.egress {
					continue
				}
				switch field {
				case "cidr":
					if r.cidr != "" {
						vals = append(vals, r.cidr)
					}
				case "from-port":
					if r.hasPorts() {
						vals = append(vals, itoa(r.from))
					}
				case "to-port":
					if r.hasPorts() {
						vals = append(vals, itoa(r.to))
					}
				case "protocol":
					vals = append(vals, r.protocol)
				case "group-id":
					if r.group != "" {
						vals = append(vals, r.group)
					}
				case "group-name":
					if ref := e.group(r.group); ref != nil {
						vals = append(vals, ref.name)
					}
				case "user-id":
					if r.group != "" {
						vals = append(vals, e.id.AccountID)
					}
				default:
					return nil, false
				}
			}
			return vals, true
		}
		return tagFilter(g.tags, name)
	}
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// groupShape shows a group as DescribeSecurityGroups does: the rules with
// the same protocol and ports are one IpPermission listing their CIDRs
// (IpRanges) and groups (UserIdGroupPairs), in the order the permissions
// were first authorized.
func (e *EC2) groupShape(g *securityGroup) SecurityGroup {
	return SecurityGroup{
		GroupId:             aws.String(g.id),
		IpPermissionsEgress: e.permissionsOf(g, true),
		Tags:                apiTags(g.tags),
		VpcId:               aws.String(g.vpcID),
		SecurityGroupArn:    aws.String(e.arn("security-group/" + g.id)),
		OwnerId:             aws.String(e.id.AccountID),
		GroupName:           aws.String(g.name),
		Description:         aws.String(g.description),
		IpPermissions:       e.permissionsOf(g, false),
	}
}

func (e *EC2) permissionsOf(g *securityGroup, egress bool) []IpPermission {
	out := []IpPermission{}
	type key struct {
		proto    string
		from, to int
	}
	index := map[key]int{}
	for _, r := range g.rules {
		if r.egress != egress {
			continue
		}
		k := key{r.protocol, r.from, r.to}
		i, ok := index[k]
		if !ok {
			p := IpPermission{IpProtocol: aws.String(r.protocol), IpRanges: []IpRange{}, Ipv6Ranges: []Ipv6Range{},
				PrefixListIds: []PrefixListId{}, UserIdGroupPairs: []UserIdGroupPair{}}
			if r.hasPorts() {
				p.FromPort, p.ToPort = aws.Int(r.from), aws.Int(r.to)
			}
			i = len(out)
			index[k] = i
			out = append(out, p)
		}
		var desc *string
		if r.description != "" {
			desc = aws.String(r.description)
		}
		if r.cidr != "" {
			out[i].IpRanges = append(out[i].IpRanges, IpRange{CidrIp: aws.String(r.cidr), Description: desc})
		} else {
			out[i].UserIdGroupPairs = append(out[i].UserIdGroupPairs, UserIdGroupPair{UserId: aws.String(e.id.AccountID), GroupId: aws.String(r.group), Description: desc})
		}
	}
	return out
}

// ruleShape shows one rule as DescribeSecurityGroupRules and the Authorize
// operations do.
func (e *EC2) ruleShape(g *securityGroup, r *sgRule, tags map[string]string) SecurityGroupRule {
	out := SecurityGroupRule{
		SecurityGroupRuleId:  aws.String(r.id),
		GroupId:              aws.String(g.id),
		GroupOwnerId:         aws.String(e.id.AccountID),
		IsEgress:             aws.Bool(r.egress),
		IpProtocol:           aws.String(r.protocol),
		FromPort:             aws.Int(r.from),
		ToPort:               aws.Int(r.to),
		Tags:                 apiTags(tags),
		SecurityGroupRuleArn: aws.String(e.arn("security-group-rule/" + r.id)),
	}
	if out.Tags == nil {
		out.Tags = []Tag{}
	}
	if r.cidr != "" {
		out.CidrIpv4 = aws.String(r.cidr)
	} else {
		out.ReferencedGroupInfo = &ReferencedSecurityGroup{GroupId: aws.String(r.group), UserId: aws.String(e.id.AccountID)}
	}
	if r.description != "" {
		out.Description = aws.String(r.description)
	}
	return out
}

// DescribeSecurityGroupRules lists the rules of every group (filters
// group-id and security-group-rule-id), group by group.
func (e *EC2) DescribeSecurityGroupRules(in *DescribeSecurityGroupRulesRequest) (*DescribeSecurityGroupRulesResult, error) {
	if in == nil {
		in = &DescribeSecurityGroupRulesRequest{}
	}
	var keys []string
	type found struct {
		g *securityGroup
		r *sgRule
	}
	byKey := map[string]found{}
	seen := map[string]bool{}
	for gi, g := range e.groups {
		for ri, r := range g.rules {
			if len(in.SecurityGroupRuleIds) > 0 && !slices.Contains(in.SecurityGroupRuleIds, r.id) {
				continue
			}
			seen[r.id] = true
			ok, err := matchFilters(in.Filters, func(name string) ([]string, bool) {
				switch name {
				case "group-id":
					return []string{g.id}, true
				case "security-group-rule-id":
					return []string{r.id}, true
				}
				return tagFilter(nil, name)
			})
			if err != nil {
				return nil, err
			}
			if ok {
				k := fmt.Sprintf("%06d/%06d", gi, ri)
				keys = append(keys, k)
				byKey[k] = found{g, r}
			}
		}
	}
	for _, id := range in.SecurityGroupRuleIds {
		if !seen[id] {
			// text not verified
			return nil, awserr.Newf(InvalidSecurityGroupRuleIDNF, "The security group rule ID '%s' does not exist", id)
		}
	}
	page, next, err := paginate("DescribeSecurityGroupRules", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeSecurityGroupRulesResult{SecurityGroupRules: []SecurityGroupRule{}, NextToken: next}
	for _, k := range page {
		f := byKey[k]
		out.SecurityGroupRules = append(out.SecurityGroupRules, e.ruleShape(f.g, f.r, nil))
	}
	return out, nil
}
