// Package ec2 simulates the part of Amazon EC2 that an ECS account leans on:
// the default network of a new account, a catalogue of instance types and
// public AMIs, and instances whose states move on the simulated clock.
//
// Each exported method named after an EC2 API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its result struct, or an *awserr.Error with EC2's code and
// message. Behaviour follows ../shared/reference/ecs-behavior.md sections 6
// and 9; comments cite their sources.
//
// Simulated operations and where they live:
//
//	instance.go        RunInstances, DescribeInstances, LaunchInstance
//	instance_shape.go  the Instance shape, DescribeInstanceAttribute
//	instance_state.go  TerminateInstances, StopInstances, StartInstances and
//	                   the state machine on the simulated clock
//	network.go         DescribeVpcs, DescribeSubnets, DescribeAvailabilityZones,
//	                   and the IP address allocation of subnets
//	securitygroup.go   CreateSecurityGroup, DeleteSecurityGroup,
//	                   Authorize/RevokeSecurityGroupIngress/Egress
//	securitygroup_describe.go  DescribeSecurityGroups,
//	                   DescribeSecurityGroupRules
//	securitygroup_reach.go  Reachable (the check load balancers use),
//	                   GroupsOfInstance, GroupsOfENI, ENIOfIP, SetENIGroups,
//	                   ModifyNetworkInterfaceAttribute (Groups)
//	eni.go             DescribeNetworkInterfaces, CreateENI, DeleteENI
//	instancetypes.go   DescribeInstanceTypes and the instance type catalogue
//	images.go          DescribeImages and the public AMI catalogue
//	filters.go         the Filters member the Describe operations share
//	launchtemplate.go  CreateLaunchTemplate, CreateLaunchTemplateVersion,
//	                   ModifyLaunchTemplate, DeleteLaunchTemplate and
//	                   ResolveLaunchTemplate (Auto Scaling)
//	launchtemplate_describe.go  DescribeLaunchTemplates,
//	                   DescribeLaunchTemplateVersions
//	pagination.go      MaxResults and NextToken
//
// Other services use the Go API beside the operations: LaunchInstance and
// TerminateInstance (Auto Scaling), Instance, Instances and OnStateChange
// (the ECS agent), CreateENI and DeleteENI (awsvpc tasks), Subnet and
// DefaultSubnets, InstanceType and Image, LaunchTemplate and
// ResolveLaunchTemplate (Auto Scaling).
package ec2

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Timing of instance state changes. AWS documents none of these durations;
// they are ecsbox's choices, typical of what users observe for Nitro
// instances (reference section 15.2: "EC2 instance launch to agent
// registration: about 1-3 min", of which boot is the first part).
const (
	// DefaultBootTime is how long an instance stays pending before it is
	// running. Overridable with Config.BootTime.
	DefaultBootTime = 30 * time.Second
	// ShutdownTime is how long an instance stays shutting-down before it is
	// terminated, and stopping before it is stopped.
	ShutdownTime = 30 * time.Second
	// TerminatedRetention is how long a terminated instance stays visible to
	// DescribeInstances: "Recently terminated instances might appear in the
	// returned results. This interval is usually less than one hour."
	// [EC2-API:DescribeInstances]. ecsbox keeps them exactly one hour.
	TerminatedRetention = time.Hour
)

// Config configures the EC2 service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	// BootTime is how long a new instance stays pending; 0 means
	// DefaultBootTime.
	BootTime time.Duration
}

// EC2 is the simulated EC2 service of one account and region.
type EC2 struct {
	sim      *sim.Sim
	id       aws.Identity
	bootTime time.Duration

	types  map[string]InstanceTypeSpec
	images []ImageInfo // in catalogue order

	vpc     *vpc
	zones   []zone
	subnets []*subnet // in AZ order
	groups  []*securityGroup
	enis    map[string]*eni
	eniSeq  int

	instances   []*instance // in launch order, terminated ones until they expire
	instanceSeq int
	hooks       []func(InstanceInfo, string, string)

	templates   []*launchTemplate // in creation order
	templateSeq int
}

// New returns the EC2 service of a new account: a default VPC with one
// default subnet per Availability Zone and a default security group, and no
// instances.
func New(cfg Config) *EC2 {
	if cfg.BootTime <= 0 {
		cfg.BootTime = DefaultBootTime
	}
	if cfg.Identity.AccountID == "" {
		cfg.Identity.AccountID = aws.DefaultAccountID
	}
	if cfg.Identity.Region == "" {
		cfg.Identity.Region = aws.DefaultRegion
	}
	e := &EC2{
		sim:      cfg.Sim,
		id:       cfg.Identity,
		bootTime: cfg.BootTime,
		types:    catalogue(),
		images:   imagesFor(cfg.Identity.Region),
		enis:     map[string]*eni{},
	}
	e.createDefaultNetwork()
	return e
}

// BootTime returns how long a new instance stays pending.
func (e *EC2) BootTime() time.Duration { return e.bootTime }

// SetBootTime sets how long instances launched from now on stay pending
// (docker mode, where the instances stand for this machine, makes it
// short); d <= 0 means DefaultBootTime.
func (e *EC2) SetBootTime(d time.Duration) {
	if d <= 0 {
		d = DefaultBootTime
	}
	e.bootTime = d
}
