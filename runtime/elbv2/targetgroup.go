package elbv2

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Health check settings of instance and ip target groups: defaults and
// ranges [ALB-UG:target-group-health-checks] (reference section 13).
// HealthCheckTimeoutSeconds defaults to 5 as the user guide says for
// instance and ip targets (the API reference says 6 for HTTP; the console
// and the guide show 5).
const (
	defaultInterval  = 30
	defaultTimeout   = 5
	defaultHealthy   = 5
	defaultUnhealthy = 2
	defaultPath      = "/"
	defaultMatcher   = "200"
	trafficPort      = "traffic-port"
	minInterval      = 5
	maxInterval      = 300
	minTimeout       = 2
	maxTimeout       = 120
	minThreshold     = 2
	maxThreshold     = 10
	// The matcher of an ALB target group takes codes from 200 to 499
	// [ELB-API:Matcher].
	minMatchCode = 200
	maxMatchCode = 499
)

type healthCheck struct {
	protocol, port, path         string
	interval, timeout            int
	healthy, unhealthy           int
	matcher                      string
	intervalSet, timeoutSet      bool // given by the user (for the duplicate check)
	protocolVersion, grpcMatcher string
}

type targetGroup struct {
	seq                  int
	arn, name, hex       string
	protocol, targetType string
	port                 int
	vpcID                string
	hc                   healthCheck
	attrs                map[string]string
	tags                 map[string]string
	targets              []*target // registration order
}

// dimension is the TargetGroup dimension of the metrics:
// targetgroup/<name>/<id> [ALB-UG:load-balancer-cloudwatch-metrics].
func (tg *targetGroup) dimension() string { return "targetgroup/" + tg.name + "/" + tg.hex }

// CreateTargetGroup creates a target group of instance or ip targets for
// HTTP or HTTPS, with the health check defaults above. Creating one again
// with the same name and settings returns the existing one.
func (e *ELBv2) CreateTargetGroup(in *CreateTargetGroupInput) (*CreateTargetGroupOutput, error) {
	if in == nil {
		in = &CreateTargetGroupInput{}
	}
	name := aws.ToString(in.Name)
	if err := validName("Target group", name); err != nil {
		return nil, err
	}
	tt := aws.ToString(in.TargetType)
	switch tt {
	case "":
		tt = TargetTypeEnumInstance
	case TargetTypeEnumInstance, TargetTypeEnumIp:
	case TargetTypeEnumLambda, TargetTypeEnumAlb:
		return nil, notSimulated("ecsbox does not simulate %s targets", tt)
	default:
		return nil, enumError("targetType", tt, []string{"instance", "ip", "lambda", "alb"})
	}
	proto := aws.ToString(in.Protocol)
	switch proto {
	case ProtocolEnumHTTP, ProtocolEnumHTTPS:
	case "":
		// text not verified
		return nil, validation("A protocol must be specified")
	case ProtocolEnumTCP, ProtocolEnumTLS, ProtocolEnumUDP, ProtocolEnumTCPUDP, ProtocolEnumGENEVE, ProtocolEnumQUIC, ProtocolEnumTCPQUIC:
		return nil, notSimulated("ecsbox simulates Application Load Balancer target groups (HTTP, HTTPS), not %s", proto)
	default:
		return nil, enumError("protocol", proto, []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"})
	}
	if in.Port == nil {
		// text not verified
		return nil, validation("A port must be specified")
	}
	if *in.Port < 1 || *in.Port > 65535 {
		return nil, rangeError("port", *in.Port, 1, 65535)
	}
	vpcID := aws.ToString(in.VpcId)
	if vpcID == "" {
		// text not verified
		return nil, validation("A VPC ID must be specified")
	}
	if vpcID != e.ec2.DefaultVPC() {
		// text not verified
		return nil, validation("The VPC ID '%s' is not found", vpcID)
	}
	if in.HealthCheckEnabled != nil && !*in.HealthCheckEnabled {
		// [ELB-API:CreateTargetGroup] "If the target type is instance, ip,
		// or alb, health checks are always enabled and can't be
		// disabled." The refusal text is not verified.
		return nil, validation("Health checks cannot be disabled for target groups with target type '%s'", tt)
	}
	hc := healthCheck{protocol: proto, port: trafficPort, path: defaultPath, interval: defaultInterval, timeout: defaultTimeout,
		healthy: defaultHealthy, unhealthy: defaultUnhealthy, matcher: defaultMatcher, protocolVersion: "HTTP1"}
	if v := aws.ToString(in.ProtocolVersion); v != "" {
		switch v {
		case "HTTP1", "HTTP2", "GRPC":
			hc.protocolVersion = v
		default:
			// text not verified
			return nil, validation("Protocol version '%s' is not supported", v)
		}
		if v == "GRPC" {
			hc.path, hc.matcher, hc.grpcMatcher = "/AWS.ALB/healthcheck", "", "12" // [ELB-API:Matcher] GrpcCode default 12
		}
	}
	if err := applyHealthCheck(&hc, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath, in.HealthCheckIntervalSeconds,
		in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher); err != nil {
		return nil, err
	}
	tags, err := tagMap(in.Tags)
	if err != nil {
		return nil, err
	}
	if tg := e.tgByName(name); tg != nil {
		if tg.protocol == proto && tg.port == *in.Port && tg.targetType == tt && tg.vpcID == vpcID && sameHealthCheck(tg.hc, hc) {
			return &CreateTargetGroupOutput{TargetGroups: []TargetGroup{e.tgShape(tg)}}, nil
		}
		// "A target group with the same name 'CdkdX-Tg' exists, but with
		// different settings" (AWS's text, quoted verbatim in public code)
		return nil, awserr.Newf(DuplicateTargetGroupName, "A target group with the same name '%s' exists, but with different settings", name)
	}
	e.seq++
	tg := &targetGroup{seq: e.seq, name: name, hex: e.hexID(), protocol: proto, targetType: tt, port: *in.Port, vpcID: vpcID,
		hc: hc, attrs: defaultTGAttributes(), tags: tags}
	tg.arn = e.arn(tg.dimension())
	e.tgs = append(e.tgs, tg)
	e.sim.Recordf("elbv2", "TargetGroupCreated", tg.arn, "target group %s created: %s %s:%d, %s targets, health check %s",
		name, vpcID, proto, tg.port, tt, hc.describe())
	return &CreateTargetGroupOutput{TargetGroups: []TargetGroup{e.tgShape(tg)}}, nil
}

func sameHealthCheck(a, b healthCheck) bool {
	a.intervalSet, a.timeoutSet, b.intervalSet, b.timeoutSet = false, false, false, false
	return a == b
}

func (hc healthCheck) describe() string {
	return fmt.Sprintf("%s %s on %s every %ds (timeout %ds, healthy after %d, unhealthy after %d, codes %s)",
		hc.protocol, hc.path, hc.port, hc.interval, hc.timeout, hc.healthy, hc.unhealthy, hc.matcher)
}

// applyHealthCheck sets the given health check members, checking each
// against its range, and the interval against the timeout.
func applyHealthCheck(hc *healthCheck, proto, port, path *string, interval, timeout, healthy, unhealthy *int, matcher *Matcher) error {
	if proto != nil {
		switch *proto {
		case ProtocolEnumHTTP, ProtocolEnumHTTPS:
			hc.protocol = *proto
		default:
			// text not verified
			return validation("Health check protocol '%s' is not supported for target groups with the %s protocol", *proto, hc.protocol)
		}
	}
	if port != nil {
		if *port != trafficPort {
			n, err := strconv.Atoi(*port)
			if err != nil || n < 1 || n > 65535 {
				// text not verified
				return validation("Health check port '%s' must be 'traffic-port' or a number between 1 and 65535", *port)
			}
		}
		hc.port = *port
	}
	if path != nil {
		if !strings.HasPrefix(*path, "/") || len(*path) > 1024 {
			// text not verified
			return validation("Health check path '%s' must begin with a '/' and be at most 1024 characters", *path)
		}
		hc.path = *path
	}
	for _, f := range []struct {
		member string
		v      *int
		dst    *int
		lo, hi int
	}{
		{"healthCheckIntervalSeconds", interval, &hc.interval, minInterval, maxInterval},
		{"healthCheckTimeoutSeconds", timeout, &hc.timeout, minTimeout, maxTimeout},
		{"healthyThresholdCount", healthy, &hc.healthy, minThreshold, maxThreshold},
		{"unhealthyThresholdCount", unhealthy, &hc.unhealthy, minThreshold, maxThreshold},
	} {
		if f.v == nil {
			continue
		}
		if *f.v < f.lo || *f.v > f.hi {
			return rangeError(f.member, *f.v, f.lo, f.hi)
		}
		*f.dst = *f.v
	}
	if interval != nil {
		hc.intervalSet = true
	}
	if timeout != nil {
		hc.timeoutSet = true
	}
	if hc.timeout >= hc.interval {
		// "Health check interval must be greater than the timeout." (text
		// not verified)
		return validation("Health check interval must be greater than the timeout.")
	}
	if matcher != nil {
		if matcher.GrpcCode != nil {
			if hc.protocolVersion != "GRPC" {
				// text not verified
				return validation("A gRPC code matcher can be used only with the GRPC protocol version")
			}
			hc.grpcMatcher = *matcher.GrpcCode
		}
		if matcher.HttpCode != nil {
			if _, err := parseMatcher(*matcher.HttpCode); err != nil {
				return err
			}
			hc.matcher = *matcher.HttpCode
		}
	}
	return nil
}

// parseMatcher reads "200", "200,202" or "200-299" into a set of ranges.
func parseMatcher(s string) ([][2]int, error) {
	var out [][2]int
	bad := func() ([][2]int, error) {
		// text not verified
		return nil, validation("Health check matcher HTTP code '%s' must be within '%d-%d' inclusive", s, minMatchCode, maxMatchCode)
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return bad()
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return bad()
			}
		}
		if a < minMatchCode || b > maxMatchCode || a > b {
			return bad()
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

func matches(matcher string, code int) bool {
	ranges, err := parseMatcher(matcher)
	if err != nil {
		return false
	}
	for _, r := range ranges {
		if r[0] <= code && code <= r[1] {
			return true
		}
	}
	return false
}

// ModifyTargetGroup changes health check settings. The new settings apply
// from each target's next check.
func (e *ELBv2) ModifyTargetGroup(in *ModifyTargetGroupInput) (*ModifyTargetGroupOutput, error) {
	if in == nil {
		in = &ModifyTargetGroupInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	if in.HealthCheckEnabled != nil && !*in.HealthCheckEnabled {
		// text not verified (see CreateTargetGroup)
		return nil, validation("Health checks cannot be disabled for target groups with target type '%s'", tg.targetType)
	}
	hc := tg.hc
	if err := applyHealthCheck(&hc, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath, in.HealthCheckIntervalSeconds,
		in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher); err != nil {
		return nil, err
	}
	tg.hc = hc
	e.sim.Recordf("elbv2", "TargetGroupModified", tg.arn, "target group %s: health check %s", tg.name, hc.describe())
	return &ModifyTargetGroupOutput{TargetGroups: []TargetGroup{e.tgShape(tg)}}, nil
}

func (e *ELBv2) tgByName(name string) *targetGroup {
	for _, tg := range e.tgs {
		if tg.name == name {
			return tg
		}
	}
	return nil
}

func (e *ELBv2) tgByARN(arn string) *targetGroup {
	for _, tg := range e.tgs {
		if tg.arn == arn {
			return tg
		}
	}
	return nil
}

// loadBalancersOf lists the load balancers whose listeners or rules
// forward to tg, in creation order.
func (e *ELBv2) loadBalancersOf(tg *targetGroup) []*loadBalancer {
	var out []*loadBalancer
	for _, lb := range e.lbs {
		if e.lbUses(lb, tg) {
			out = append(out, lb)
		}
	}
	return out
}

func (e *ELBv2) tgShape(tg *targetGroup) TargetGroup {
	out := TargetGroup{
		TargetGroupArn:             aws.String(tg.arn),
		TargetGroupName:            aws.String(tg.name),
		Protocol:                   aws.String(tg.protocol),
		Port:                       aws.Int(tg.port),
		VpcId:                      aws.String(tg.vpcID),
		HealthCheckProtocol:        aws.String(tg.hc.protocol),
		HealthCheckPort:            aws.String(tg.hc.port),
		HealthCheckEnabled:         aws.Bool(true),
		HealthCheckIntervalSeconds: aws.Int(tg.hc.interval),
		HealthCheckTimeoutSeconds:  aws.Int(tg.hc.timeout),
		HealthyThresholdCount:      aws.Int(tg.hc.healthy),
		UnhealthyThresholdCount:    aws.Int(tg.hc.unhealthy),
		HealthCheckPath:            aws.String(tg.hc.path),
		Matcher:                    &Matcher{},
		LoadBalancerArns:           []string{},
		TargetType:                 aws.String(tg.targetType),
		ProtocolVersion:            aws.String(tg.hc.protocolVersion),
		IpAddressType:              aws.String(TargetGroupIpAddressTypeEnumIpv4),
	}
	if tg.hc.matcher != "" {
		out.Matcher.HttpCode = aws.String(tg.hc.matcher)
	}
	if tg.hc.grpcMatcher != "" {
		out.Matcher.GrpcCode = aws.String(tg.hc.grpcMatcher)
	}
	for _, lb := range e.loadBalancersOf(tg) {
		out.LoadBalancerArns = append(out.LoadBalancerArns, lb.arn)
	}
	return out
}

// DescribeTargetGroups lists target groups: by ARN, by name, those of a
// load balancer, or all.
func (e *ELBv2) DescribeTargetGroups(in *DescribeTargetGroupsInput) (*DescribeTargetGroupsOutput, error) {
	if in == nil {
		in = &DescribeTargetGroupsInput{}
	}
	given := 0
	for _, b := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if b {
			given++
		}
	}
	if given > 1 {
		// text not verified
		return nil, validation("Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time")
	}
	var lb *loadBalancer
	if in.LoadBalancerArn != nil {
		if lb = e.lbByARN(*in.LoadBalancerArn); lb == nil {
			return nil, lbNotFound()
		}
	}
	for _, arn := range in.TargetGroupArns {
		if e.tgByARN(arn) == nil {
			return nil, tgNotFound()
		}
	}
	for _, n := range in.Names {
		if e.tgByName(n) == nil {
			return nil, tgNotFound()
		}
	}
	var keys []string
	byKey := map[string]*targetGroup{}
	for _, tg := range e.tgs {
		if len(in.TargetGroupArns) > 0 && !slices.Contains(in.TargetGroupArns, tg.arn) ||
			len(in.Names) > 0 && !slices.Contains(in.Names, tg.name) ||
			lb != nil && !e.lbUses(lb, tg) {
			continue
		}
		k := fmt.Sprintf("%06d", tg.seq)
		keys = append(keys, k)
		byKey[k] = tg
	}
	page, next, err := paginate("DescribeTargetGroups", keys, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &DescribeTargetGroupsOutput{TargetGroups: []TargetGroup{}, NextMarker: next}
	for _, k := range page {
		out.TargetGroups = append(out.TargetGroups, e.tgShape(byKey[k]))
	}
	return out, nil
}

// DeleteTargetGroup deletes a target group no listener or rule uses:
// "Target group 'arn:...' is currently in use by a listener or a rule"
// (ResourceInUse, AWS's text as Terraform's provider matches it). Deleting
// one that does not exist succeeds, as for load balancers (not verified).
func (e *ELBv2) DeleteTargetGroup(in *DeleteTargetGroupInput) (*DeleteTargetGroupOutput, error) {
	if in == nil {
		in = &DeleteTargetGroupInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return &DeleteTargetGroupOutput{}, nil
	}
	if e.tgReferenced(tg) {
		return nil, awserr.Newf(ResourceInUse, "Target group '%s' is currently in use by a listener or a rule", tg.arn)
	}
	e.accumulate()
	for _, t := range tg.targets {
		t.stopTimers()
	}
	e.tgs = slices.DeleteFunc(e.tgs, func(x *targetGroup) bool { return x == tg })
	// Its targets are gone with it, draining ones too: say so, as when a
	// target's draining ends, so that ECS does not wait for them.
	for _, t := range tg.targets {
		for _, fn := range e.hooks {
			fn(tg.arn, t.id, t.port, StateUnused, ReasonNotRegistered)
		}
	}
	delete(e.traffic.tgRates, tg.arn)
	e.sim.Recordf("elbv2", "TargetGroupDeleted", tg.arn, "target group %s deleted", tg.name)
	return &DeleteTargetGroupOutput{}, nil
}

// TargetGroupInfo describes a target group for other services (ECS checks
// a service's load balancer settings against it).
type TargetGroupInfo struct {
	ARN, Name, Protocol, TargetType, VPCID string
	Port                                   int
	// LoadBalancerARNs are the load balancers that forward to it; ECS
	// refuses a target group without one.
	LoadBalancerARNs []string
	// HealthCheckInterval, HealthyThreshold and UnhealthyThreshold are the
	// health check settings.
	HealthCheckInterval                  time.Duration
	HealthyThreshold, UnhealthyThreshold int
}

// TargetGroup returns the target group with the given ARN.
func (e *ELBv2) TargetGroup(arn string) (TargetGroupInfo, bool) {
	tg := e.tgByARN(arn)
	if tg == nil {
		return TargetGroupInfo{}, false
	}
	info := TargetGroupInfo{ARN: tg.arn, Name: tg.name, Protocol: tg.protocol, TargetType: tg.targetType, VPCID: tg.vpcID, Port: tg.port,
		HealthCheckInterval: time.Duration(tg.hc.interval) * time.Second, HealthyThreshold: tg.hc.healthy, UnhealthyThreshold: tg.hc.unhealthy}
	for _, lb := range e.loadBalancersOf(tg) {
		info.LoadBalancerARNs = append(info.LoadBalancerARNs, lb.arn)
	}
	return info, true
}

// TargetType returns the target type of a target group (instance or ip).
func (e *ELBv2) TargetType(tgArn string) (string, bool) {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return "", false
	}
	return tg.targetType, true
}
