// Package elbv2 simulates Elastic Load Balancing's Application Load
// Balancers: load balancers in the account's subnets, target groups whose
// targets are health-checked on the simulated clock, listeners and rules
// that forward requests, and the request load that flows through them, with
// the AWS/ApplicationELB metrics it produces.
//
// Each exported method named after an API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its response struct, or an *awserr.Error with the query
// protocol's code (ValidationError, TargetGroupNotFound, ...) and AWS's
// message where it is known. Behaviour follows
// ../shared/reference/ecs-behavior.md section 13; comments cite sources
// ([ALB-UG:...] is the Application Load Balancer user guide, [ELB-API:...]
// the API reference).
//
// Simulated operations and where they live:
//
//	loadbalancer.go   CreateLoadBalancer, DescribeLoadBalancers,
//	                  DeleteLoadBalancer, SetSecurityGroups,
//	                  Describe/ModifyLoadBalancerAttributes
//	targetgroup.go    CreateTargetGroup, ModifyTargetGroup,
//	                  DescribeTargetGroups, DeleteTargetGroup,
//	                  Describe/ModifyTargetGroupAttributes
//	targets.go        RegisterTargets, DeregisterTargets, DescribeTargetHealth
//	health.go         the health checks on the simulated clock
//	listener.go       CreateListener, DescribeListeners, ModifyListener,
//	                  DeleteListener
//	rule.go           CreateRule, DescribeRules, ModifyRule, DeleteRule,
//	                  SetRulePriorities, and request routing
//	traffic.go        the request load and the AWS/ApplicationELB metrics
//	tags.go           AddTags, RemoveTags, DescribeTags
//
// Other services use the Go API beside the operations: RegisterTarget,
// DeregisterTarget, TargetState, TargetType, DeregistrationDelay and
// OnTargetHealthChange (ECS services with loadBalancers), SetTraffic,
// SetTargetGroupTraffic and Traffic (the sim module's load, ECS's CPU from
// requests), SetBackends (who answers health checks and requests).
package elbv2

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// DefaultProvisioningTime is how long a new load balancer stays
// provisioning before it is active. AWS documents no duration; a few
// minutes is what users observe, and ecsbox takes two.
const DefaultProvisioningTime = 2 * time.Minute

// Backends answers for the workloads behind the targets: ECS implements it
// (a running task with a container bound to that port answers). With no
// Backends, nothing answers, so every health check fails once the security
// groups let it through.
type Backends interface {
	// Answer reports how a target answers an HTTP GET of path on port: an
	// HTTP status code, or NoListener (nothing listens: connection
	// refused) or NoAnswer (no answer within the timeout); why says what
	// answered or why nothing did.
	Answer(targetID string, port int, path string) (status int, why string)
}

// What Backends.Answer returns when no HTTP status comes back.
const (
	NoListener = 0
	NoAnswer   = -1
)

// ResponseTimer is optionally implemented by a Backends to say how long a
// target takes to answer a request under a load (the TargetResponseTime
// metric); without it, every answer takes DefaultResponseTime.
type ResponseTimer interface {
	ResponseTime(targetID string, port int, rps float64) time.Duration
}

// DefaultResponseTime is the response time of a target when the Backends
// says nothing about it (ecsbox's choice).
const DefaultResponseTime = 20 * time.Millisecond

// Metrics receives the AWS/ApplicationELB datapoints; the account's
// CloudWatch is one.
type Metrics interface {
	Publish(namespace, metricName string, dims []cloudwatch.Dim, value float64, unit string, at time.Time)
}

// Config configures the service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	// EC2 owns the subnets, security groups, instances and network
	// interfaces load balancers and targets live in.
	EC2 *ec2.EC2
	// Metrics receives the AWS/ApplicationELB metrics; nil publishes
	// nothing.
	Metrics Metrics
	// Backends answers health checks and requests; nil: nothing answers.
	Backends Backends
	// ProvisioningTime is how long a new load balancer is provisioning; 0
	// means DefaultProvisioningTime.
	ProvisioningTime time.Duration
}

// ELBv2 is the simulated Elastic Load Balancing (v2) service of one account
// and region.
type ELBv2 struct {
	sim      *sim.Sim
	id       aws.Identity
	ec2      *ec2.EC2
	metrics  Metrics
	backends Backends
	provTime time.Duration

	lbs       []*loadBalancer // in creation order
	tgs       []*targetGroup  // in creation order
	listeners []*listener     // in creation order
	rules     []*rule         // non-default rules, in creation order
	seq       int

	hooks []func(tgArn, targetID string, port int, state, reason string)

	traffic trafficState
}

// New returns the service of an account with no load balancers.
func New(cfg Config) *ELBv2 {
	if cfg.Identity.AccountID == "" {
		cfg.Identity.AccountID = aws.DefaultAccountID
	}
	if cfg.Identity.Region == "" {
		cfg.Identity.Region = aws.DefaultRegion
	}
	if cfg.ProvisioningTime <= 0 {
		cfg.ProvisioningTime = DefaultProvisioningTime
	}
	e := &ELBv2{sim: cfg.Sim, id: cfg.Identity, ec2: cfg.EC2, metrics: cfg.Metrics, backends: cfg.Backends, provTime: cfg.ProvisioningTime}
	e.traffic.init()
	return e
}

// SetBackends sets who answers health checks and requests (ECS, once it is
// made after this service).
func (e *ELBv2) SetBackends(b Backends) { e.backends = b }

// OnTargetHealthChange registers fn to be called whenever a target's health
// state or reason changes, including when it is registered (initial) and
// when it is gone after draining (state "", reason Target.NotRegistered).
func (e *ELBv2) OnTargetHealthChange(fn func(tgArn, targetID string, port int, state, reason string)) {
	e.hooks = append(e.hooks, fn)
}

func (e *ELBv2) arn(resource string) string {
	return "arn:aws:elasticloadbalancing:" + e.id.Region + ":" + e.id.AccountID + ":" + resource
}

// hexID draws the 16 hexadecimal digits that end load balancer, target
// group, listener and rule ARNs.
func (e *ELBv2) hexID() string { return e.sim.Hex(16) }
