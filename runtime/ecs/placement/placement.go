// Package placement decides which container instance runs each task of an
// EC2 (or EXTERNAL) launch, and explains why.
//
// It is pure: ECS builds the candidate list from its container instances,
// calls Place, and applies the result. Nothing here knows the clock, the
// simulation or Starlark, and nothing mutates its inputs.
//
// The pipeline follows the four steps of [DG:task-placement] (reference
// section 3.1):
//
//  1. filter: status ACTIVE, then CPU, memory, static host ports (and the
//     100 reserved-port limit), ENI slots, agent connection, required
//     attributes and awsvpc subnet AZs;
//  2. filter: the placement constraints, distinctInstance and
//     memberOf(cluster query language);
//  3. rank: the placement strategies in list order (binpack, spread, random);
//  4. select: the best-ranked instance, ties broken by the seeded generator.
//
// Every rejection carries AWS's reason code (RESOURCE:CPU, AGENT, ...) and
// the numbers behind it; every choice records its scores. README.md draws
// the pipeline.
//
// Files:
//
//	placement.go       the request, instance and result types; Place
//	check.go           step 1 and 2: the checks and their reasons
//	strategy.go        step 3: strategies, their defaults, the ranking levels
//	validate.go        ValidateConstraints, ValidateStrategies (AWS's errors)
//	explain.go         Explanation and its table
//	scalein.go         ChooseToStop, the scale-in mirror of the strategies
//	cql_lexer.go, cql_parser.go, cql_eval.go   the cluster query language
package placement

import (
	"math/rand/v2"
	"time"
)

// Instance is a container instance as placement sees it. ECS fills it from
// its own state; Place reads it and never changes it.
type Instance struct {
	ARN, ID, EC2InstanceID string
	// Status is the container instance status: ACTIVE, DRAINING,
	// REGISTERING, ... Only ACTIVE instances get tasks [DG:container-instance-draining].
	Status         string
	AgentConnected bool
	AgentVersion   string // e.g. "1.87.0"
	RegisteredAt   time.Time
	// Attributes maps attribute name to value; valueless attributes such as
	// ecs.capability.task-eni map to "".
	Attributes map[string]string
	// RemainingCPU and RemainingMemory are the unreserved CPU units and MiB.
	RemainingCPU, RemainingMemory int
	// UsedPorts holds the static host ports taken on the instance, the
	// agent's reserved ports (22, 2375, 2376, 51678, 51679) included
	// [AGENT:README.md]. Protocols are lower case.
	UsedPorts map[Port]bool
	// ReservedPortCount is the number of static host ports counted toward
	// the limit of MaxReservedPorts [DG:task_definition_parameters].
	ReservedPortCount int
	// FreeENIs is the number of awsvpc task ENIs the instance can still
	// attach: max ENIs − 1 − used [DG:container-instance-eni].
	FreeENIs int
	// RunningTasks is the instance's runningTasksCount.
	RunningTasks int
	// Groups maps task group to the number of its tasks (running or
	// pending) on this instance.
	Groups map[string]int
}

// Port is a host port and its protocol, "tcp" or "udp".
type Port struct {
	Number   int
	Protocol string
}

// Attribute is an attribute a task requires; an empty Value asks only that
// the attribute be present.
type Attribute struct {
	Name, Value string
}

// Task is what one task needs from an instance. All tasks of a request are
// alike.
type Task struct {
	// CPU and Memory are the task's reservation in CPU units and MiB.
	CPU, Memory int
	// HostPorts are the static host ports: bridge mappings with hostPort > 0
	// and host-mode ports. Dynamic ports do not count [DG:task_definition_parameters].
	HostPorts []Port
	// NeedsENI is set for awsvpc tasks: one ENI per task [DG:task-networking-awsvpc].
	NeedsENI bool
	// SubnetAZs are the AZs of an awsvpc task's subnets; the instance must
	// be in one of them (LOCATION) [DG:api_failures_messages].
	SubnetAZs []string
	// RequiredAttributes come from the task definition's requiresAttributes
	// and its logging driver, network mode and so on.
	RequiredAttributes []Attribute
	// Group is the task group: "service:web", "family:web" or the user's
	// [DG:task-groups].
	Group string
}

// Constraint is a placement constraint, as in the API [API:PlacementConstraint].
// An empty Expression counts as absent.
type Constraint struct {
	Type, Expression string
}

// Strategy is a placement strategy rule [API:PlacementStrategy].
type Strategy struct {
	Type, Field string
}

// Request asks for Count tasks alike.
type Request struct {
	Task  Task
	Count int
	// Constraints are the request's and the task definition's together.
	Constraints []Constraint
	// Strategies are applied in order; none means random.
	Strategies []Strategy
	// Rand is the only source of randomness (random strategy, ties). With a
	// nil Rand, ties go to the first tied instance.
	Rand *rand.Rand
	// ExplainAll records, for every task, every candidate's scores (tasks ×
	// instances rows: for explaining small clusters, not for 10,000 tasks).
	ExplainAll bool
}

// Failure is one entry of RunTask's failures[] [API:Failure]: the container
// instance ARN and the reason it could not take the task.
type Failure struct {
	ARN    string
	Reason string
}

// Result is the outcome of Place.
type Result struct {
	// Placed holds, for each task placed, the index of its instance in the
	// instances slice, in placement order.
	Placed []int
	// Failures is set when fewer than Count tasks were placed: one entry per
	// ACTIVE instance, in input order, with the reason it could not take the
	// next task. Instances that are not ACTIVE are left out (AWS has no
	// reason code for them). This is ecsbox's reading of RunTask's
	// failures[]: AWS returns {arn: container instance ARN, reason} entries
	// [DG:api_failures_messages] but does not document whether every
	// instance is listed.
	Failures []Failure
	// Closest is the "closest matching" instance of the service event
	// "was unable to place a task": the one that failed the fewest checks,
	// the first in input order on a tie (ecsbox's rule, reference 3.5 SIM).
	// Its reason is the first check it failed.
	Closest *Failure
	// Explanation tells why each instance was or was not used.
	Explanation Explanation
}

// Place chooses an instance for each of req.Count tasks. It accounts for its
// own earlier placements (resources, ports, ENIs, group counts) and never
// changes req or instances. An invalid constraint or strategy returns the
// error ValidateConstraints or ValidateStrategies would.
func Place(req Request, instances []Instance) (Result, error) {
	cons, err := compileConstraints(req.Constraints)
	if err != nil {
		return Result{}, err
	}
	if err := ValidateStrategies(req.Strategies); err != nil {
		return Result{}, err
	}
	p := newPlanner(&req, instances, cons)
	p.run()
	return p.result(), nil
}
