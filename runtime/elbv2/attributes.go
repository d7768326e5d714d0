package elbv2

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Target group attributes of instance and ip target groups of Application
// Load Balancers, with their defaults [ALB-UG:load-balancer-target-groups]
// ("deregistration_delay.timeout_seconds ... The range is 0-3600 seconds.
// The default value is 300 seconds."; slow start 30-900, 0 disables it;
// stickiness lb_cookie duration 1 s to 7 days, default 1 day). ecsbox uses
// the deregistration delay; it stores the others.
var tgAttributeDefaults = [][2]string{
	{"deregistration_delay.timeout_seconds", "300"},
	{"stickiness.enabled", "false"},
	{"stickiness.type", "lb_cookie"},
	{"stickiness.lb_cookie.duration_seconds", "86400"},
	{"stickiness.app_cookie.cookie_name", ""},
	{"stickiness.app_cookie.duration_seconds", "86400"},
	{"slow_start.duration_seconds", "0"},
	{"load_balancing.algorithm.type", "round_robin"},
	{"load_balancing.algorithm.anomaly_mitigation", "off"},
	{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
	{"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
	{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
	{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
	{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
}

// Load balancer attributes of Application Load Balancers and their defaults
// [ALB-UG:application-load-balancers] (idle timeout 60 s, 1-4000).
var lbAttributeDefaults = [][2]string{
	{"access_logs.s3.enabled", "false"},
	{"access_logs.s3.bucket", ""},
	{"access_logs.s3.prefix", ""},
	{"client_keep_alive.seconds", "3600"},
	{"deletion_protection.enabled", "false"},
	{"idle_timeout.timeout_seconds", "60"},
	{"load_balancing.cross_zone.enabled", "true"},
	{"routing.http.desync_mitigation_mode", "defensive"},
	{"routing.http.drop_invalid_header_fields.enabled", "false"},
	{"routing.http.preserve_host_header.enabled", "false"},
	{"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
	{"routing.http.xff_client_port.enabled", "false"},
	{"routing.http.xff_header_processing.mode", "append"},
	{"routing.http2.enabled", "true"},
	{"waf.fail_open.enabled", "false"},
}

func defaults(table [][2]string) map[string]string {
	m := make(map[string]string, len(table))
	for _, kv := range table {
		m[kv[0]] = kv[1]
	}
	return m
}

func defaultTGAttributes() map[string]string { return defaults(tgAttributeDefaults) }
func defaultLBAttributes() map[string]string { return defaults(lbAttributeDefaults) }

// attrCheck validates one attribute value; nil accepts anything.
type attrCheck func(key, value string) error

func intRange(lo, hi int) attrCheck {
	return func(key, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			// text not verified
			return validation("The value of '%s' must be between %d and %d", key, lo, hi)
		}
		return nil
	}
}

func oneOfValues(values ...string) attrCheck {
	return func(key, v string) error {
		if !slices.Contains(values, v) {
			// text not verified
			return validation("The value of '%s' must be one of %v", key, values)
		}
		return nil
	}
}

var boolean = oneOfValues("true", "false")

var tgChecks = map[string]attrCheck{
	"deregistration_delay.timeout_seconds":        intRange(0, 3600),
	"stickiness.enabled":                          boolean,
	"stickiness.type":                             oneOfValues("lb_cookie", "app_cookie"),
	"stickiness.lb_cookie.duration_seconds":       intRange(1, 604800),
	"stickiness.app_cookie.duration_seconds":      intRange(1, 604800),
	"load_balancing.algorithm.type":               oneOfValues("round_robin", "least_outstanding_requests", "weighted_random"),
	"load_balancing.cross_zone.enabled":           oneOfValues("true", "false", "use_load_balancer_configuration"),
	"slow_start.duration_seconds":                 slowStart,
	"load_balancing.algorithm.anomaly_mitigation": oneOfValues("on", "off"),
}

func slowStart(key, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n != 0 && (n < 30 || n > 900) {
		// text not verified
		return validation("The value of '%s' must be 0 or between 30 and 900", key)
	}
	return nil
}

var lbChecks = map[string]attrCheck{
	"deletion_protection.enabled":  boolean,
	"idle_timeout.timeout_seconds": intRange(1, 4000),
	"routing.http2.enabled":        boolean,
	"client_keep_alive.seconds":    intRange(60, 604800),
	"access_logs.s3.enabled":       boolean,
}

// modifyAttributes checks every key and value, then applies them all.
func modifyAttributes(attrs map[string]string, kvs [][2]string, checks map[string]attrCheck, kind string) error {
	for _, kv := range kvs {
		if _, ok := attrs[kv[0]]; !ok {
			// text not verified
			return validation("%s attribute key '%s' is not recognized", kind, kv[0])
		}
		if c := checks[kv[0]]; c != nil {
			if err := c(kv[0], kv[1]); err != nil {
				return err
			}
		}
	}
	for _, kv := range kvs {
		attrs[kv[0]] = kv[1]
	}
	return nil
}

func sortedAttrs(attrs map[string]string) [][2]string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, [2]string{k, attrs[k]})
	}
	return out
}

// DescribeTargetGroupAttributes lists a target group's attributes.
func (e *ELBv2) DescribeTargetGroupAttributes(in *DescribeTargetGroupAttributesInput) (*DescribeTargetGroupAttributesOutput, error) {
	if in == nil {
		in = &DescribeTargetGroupAttributesInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	out := &DescribeTargetGroupAttributesOutput{Attributes: []TargetGroupAttribute{}}
	for _, kv := range sortedAttrs(tg.attrs) {
		out.Attributes = append(out.Attributes, TargetGroupAttribute{Key: aws.String(kv[0]), Value: aws.String(kv[1])})
	}
	return out, nil
}

// ModifyTargetGroupAttributes changes attributes and returns them all.
func (e *ELBv2) ModifyTargetGroupAttributes(in *ModifyTargetGroupAttributesInput) (*ModifyTargetGroupAttributesOutput, error) {
	if in == nil {
		in = &ModifyTargetGroupAttributesInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	var kvs [][2]string
	for _, a := range in.Attributes {
		kvs = append(kvs, [2]string{aws.ToString(a.Key), aws.ToString(a.Value)})
	}
	if err := modifyAttributes(tg.attrs, kvs, tgChecks, "Target group"); err != nil {
		return nil, err
	}
	for _, kv := range kvs {
		e.sim.Recordf("elbv2", "TargetGroupAttributeModified", tg.arn, "target group %s: %s = %s", tg.name, kv[0], kv[1])
	}
	out, _ := e.DescribeTargetGroupAttributes(&DescribeTargetGroupAttributesInput{TargetGroupArn: in.TargetGroupArn})
	return &ModifyTargetGroupAttributesOutput{Attributes: out.Attributes}, nil
}

// DescribeLoadBalancerAttributes lists a load balancer's attributes.
func (e *ELBv2) DescribeLoadBalancerAttributes(in *DescribeLoadBalancerAttributesInput) (*DescribeLoadBalancerAttributesOutput, error) {
	if in == nil {
		in = &DescribeLoadBalancerAttributesInput{}
	}
	lb := e.lbByARN(aws.ToString(in.LoadBalancerArn))
	if lb == nil {
		return nil, lbNotFound()
	}
	out := &DescribeLoadBalancerAttributesOutput{Attributes: []LoadBalancerAttribute{}}
	for _, kv := range sortedAttrs(lb.attrs) {
		out.Attributes = append(out.Attributes, LoadBalancerAttribute{Key: aws.String(kv[0]), Value: aws.String(kv[1])})
	}
	return out, nil
}

// ModifyLoadBalancerAttributes changes attributes (deletion protection is
// enforced; the others are stored) and returns them all.
func (e *ELBv2) ModifyLoadBalancerAttributes(in *ModifyLoadBalancerAttributesInput) (*ModifyLoadBalancerAttributesOutput, error) {
	if in == nil {
		in = &ModifyLoadBalancerAttributesInput{}
	}
	lb := e.lbByARN(aws.ToString(in.LoadBalancerArn))
	if lb == nil {
		return nil, lbNotFound()
	}
	var kvs [][2]string
	for _, a := range in.Attributes {
		kvs = append(kvs, [2]string{aws.ToString(a.Key), aws.ToString(a.Value)})
	}
	if err := modifyAttributes(lb.attrs, kvs, lbChecks, "Load balancer"); err != nil {
		return nil, err
	}
	out, _ := e.DescribeLoadBalancerAttributes(&DescribeLoadBalancerAttributesInput{LoadBalancerArn: in.LoadBalancerArn})
	return &ModifyLoadBalancerAttributesOutput{Attributes: out.Attributes}, nil
}

// DeregistrationDelay returns how long a deregistered target of a target
// group stays draining (deregistration_delay.timeout_seconds).
func (e *ELBv2) DeregistrationDelay(tgArn string) time.Duration {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return 0
	}
	return tg.deregistrationDelay()
}

func (tg *targetGroup) deregistrationDelay() time.Duration {
	n, _ := strconv.Atoi(tg.attrs["deregistration_delay.timeout_seconds"])
	return time.Duration(n) * time.Second
}
