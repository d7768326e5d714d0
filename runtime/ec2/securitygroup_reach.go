package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Reachable reports whether a connection from a source (its security
// groups and address) to a destination that carries toGroups passes the
// security groups on protocol ("tcp", "udp", ...) and port, and says why
// in either case. It is the check load balancer health checks and traffic
// use.
//
// A connection passes when an inbound rule of one of the destination's
// groups allows it (a CIDR that contains fromIP, or a group the source
// has), and an outbound rule of one of the source's groups allows it. Rules
// only allow; security groups are stateful, so replies always pass
// [VPC-UG:vpc-security-groups]. Reachable does not know the destination's
// address, so an outbound rule to a CIDR counts only when it covers every
// address (0.0.0.0/0); ReachableIP knows it. A source without groups
// (a client outside the VPC) has no outbound rules to pass.
func (e *EC2) Reachable(fromGroups []string, fromIP string, toGroups []string, port int, protocol string) (ok bool, why string) {
	return e.ReachableIP(fromGroups, fromIP, toGroups, "", port, protocol)
}

// ReachableIP is Reachable for a destination whose address is known, so
// that outbound rules to any CIDR are checked against it.
func (e *EC2) ReachableIP(fromGroups []string, fromIP string, toGroups []string, toIP string, port int, protocol string) (ok bool, why string) {
	proto, err := normalizeProtocol(protocol)
	if err != nil {
		return false, "unknown protocol " + protocol
	}
	conn := fmt.Sprintf("%s %d", proto, port)
	in := e.matchRule(toGroups, false, proto, port, func(r *sgRule) bool {
		if r.group != "" {
			return slices.Contains(fromGroups, r.group)
		}
		return fromIP != "" && cidrContains(r.cidr, fromIP)
	})
	source := describeSource(fromIP, fromGroups)
	if in == nil {
		return false, fmt.Sprintf("no inbound rule of %s allows %s from %s", e.groupList(toGroups), conn, source)
	}
	if len(fromGroups) == 0 {
		// A source without groups is outside the VPC (a client on the
		// internet): nothing of ours limits what it sends.
		return true, fmt.Sprintf("%s allows %s", in.owner, in.rule.readable())
	}
	out := e.matchRule(fromGroups, true, proto, port, func(r *sgRule) bool {
		if r.group != "" {
			return slices.Contains(toGroups, r.group)
		}
		if toIP == "" {
			return r.cidr == allIPv4
		}
		return cidrContains(r.cidr, toIP)
	})
	if out == nil {
		return false, fmt.Sprintf("no outbound rule of %s allows %s to %s", e.groupList(fromGroups), conn, e.groupList(toGroups))
	}
	return true, fmt.Sprintf("%s allows %s; %s allows %s", in.owner, in.rule.readable(), out.owner, out.rule.readable())
}

type ruleMatch struct {
	owner string
	rule  *sgRule
}

// matchRule finds the first rule (groups in the order given, rules in
// their order) of one direction that allows proto/port and whose peer
// matches.
func (e *EC2) matchRule(groups []string, egress bool, proto string, port int, peer func(*sgRule) bool) *ruleMatch {
	for _, id := range groups {
		g := e.group(id)
		if g == nil {
			continue
		}
		for _, r := range g.rules {
			if r.egress == egress && r.allows(proto, port) && peer(r) {
				return &ruleMatch{owner: g.id, rule: r}
			}
		}
	}
	return nil
}

// allows reports whether the rule's protocol and ports cover a connection.
// ICMP is matched on type and code as -1 wildcards; the port of an ICMP
// check is its type.
func (r *sgRule) allows(proto string, port int) bool {
	switch {
	case r.protocol == protocolAll:
		return true
	case r.protocol != proto:
		return false
	case r.protocol == "tcp" || r.protocol == "udp":
		return r.from <= port && port <= r.to
	case r.protocol == "icmp":
		return r.from == -1 || r.from == port
	}
	return true
}

func describeSource(ip string, groups []string) string {
	var parts []string
	if ip != "" {
		parts = append(parts, ip)
	}
	if len(groups) > 0 {
		parts = append(parts, strings.Join(groups, ", "))
	}
	if len(parts) == 0 {
		return "an unknown source"
	}
	return strings.Join(parts, " in ")
}

func (e *EC2) groupList(ids []string) string {
	if len(ids) == 0 {
		return "no security group"
	}
	var names []string
	for _, id := range ids {
		if g := e.group(id); g != nil {
			names = append(names, fmt.Sprintf("%s (%s)", g.id, g.name))
		} else {
			names = append(names, id+" (deleted)")
		}
	}
	return strings.Join(names, ", ")
}

func cidrContains(cidr, ip string) bool {
	if !validCIDR(cidr) {
		return false
	}
	base, bits := parseCIDR(cidr)
	mask := uint32(0)
	if bits > 0 {
		mask = ^uint32(0) << (32 - bits)
	}
	return parseIP(ip)&mask == base&mask
}

// GroupsOfInstance returns the security groups of an instance (those of its
// primary network interface).
func (e *EC2) GroupsOfInstance(id string) ([]string, bool) {
	inst := e.find(id)
	if inst == nil {
		return nil, false
	}
	return slices.Clone(inst.eni.groups), true
}

// GroupsOfENI returns the security groups of a network interface.
func (e *EC2) GroupsOfENI(id string) ([]string, bool) {
	n := e.enis[id]
	if n == nil {
		return nil, false
	}
	return slices.Clone(n.groups), true
}

// ENIOfIP returns the network interface that has a private address.
func (e *EC2) ENIOfIP(ip string) (ENIInfo, bool) {
	for _, id := range sortedKeys(e.enis) {
		if n := e.enis[id]; n.ip == ip {
			return n.info(), true
		}
	}
	return ENIInfo{}, false
}

// SetENIGroups replaces the security groups of a network interface (what
// ModifyNetworkInterfaceAttribute Groups does, for other services: a load
// balancer's SetSecurityGroups). An instance's primary interface carries
// the instance's groups.
func (e *EC2) SetENIGroups(id string, groups []string) error {
	n := e.enis[id]
	if n == nil {
		// text not verified
		return awserr.Newf(InvalidNetworkInterfaceIDNotFound, "The networkInterface ID '%s' does not exist", id)
	}
	resolved, err := e.resolveGroups(n.vpcID, groups, nil)
	if err != nil {
		return err
	}
	n.groups = resolved
	for _, inst := range e.instances {
		if inst.eni == n {
			inst.groups = slices.Clone(resolved)
		}
	}
	e.sim.Recordf("ec2", "NetworkInterfaceGroupsChanged", n.id, "network interface %s now in %s", n.id, strings.Join(resolved, ", "))
	return nil
}

// ModifyNetworkInterfaceAttribute changes the security groups of a network
// interface (Groups); the other attributes are not simulated.
func (e *EC2) ModifyNetworkInterfaceAttribute(in *ModifyNetworkInterfaceAttributeRequest) (*struct{}, error) {
	if in == nil {
		in = &ModifyNetworkInterfaceAttributeRequest{}
	}
	id := aws.ToString(in.NetworkInterfaceId)
	if e.enis[id] == nil {
		return nil, notFoundIDs(InvalidNetworkInterfaceIDNotFound, "networkInterface ID", []string{id})
	}
	if len(in.Groups) == 0 {
		return nil, awserr.New(awserr.NotSimulated, "ecsbox simulates only the Groups attribute of ec2.modify_network_interface_attribute")
	}
	return nil, e.SetENIGroups(id, in.Groups)
}
