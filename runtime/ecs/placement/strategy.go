package placement

import (
	"strings"
)

// Strategy types [API:PlacementStrategyType] and the fields they take
// [API:PlacementStrategy].
const (
	StrategyRandom  = "random"
	StrategySpread  = "spread"
	StrategyBinpack = "binpack"

	FieldCPU        = "cpu"
	FieldMemory     = "memory"
	FieldInstanceID = "instanceId"
	FieldHost       = "host" // same as instanceId
	attrPrefix      = "attribute:"
	attrAZ          = "ecs.availability-zone"
)

// Constraint types [API:PlacementConstraintType].
const (
	ConstraintDistinctInstance = "distinctInstance"
	ConstraintMemberOf         = "memberOf"
)

// DefaultServiceStrategies is what a REPLICA service on EC2 uses when it
// names no strategy: balance the service's tasks across AZs, then across
// the instances of an AZ [DG:ecs_services] (reference 3.2). Callers must not
// modify it.
var DefaultServiceStrategies = []Strategy{
	{Type: StrategySpread, Field: attrPrefix + attrAZ},
	{Type: StrategySpread, Field: FieldInstanceID},
}

// DefaultRunTaskStrategies is what RunTask on EC2 uses when it names no
// strategy: "distribute tasks randomly across your cluster"
// [DG:scheduling_tasks]. Callers must not modify it.
var DefaultRunTaskStrategies = []Strategy{{Type: StrategyRandom}}

// String writes a strategy as the guide does: binpack(memory).
func (s Strategy) String() string {
	if s.Field == "" {
		return s.Type
	}
	return s.Type + "(" + s.Field + ")"
}

// String writes a constraint: distinctInstance or memberOf(expression).
func (c Constraint) String() string {
	if c.Expression == "" {
		return c.Type
	}
	return c.Type + "(" + c.Expression + ")"
}

// level is one ranking key: a strategy's score for each instance, read as
// vals[idx[i]] (idx nil: vals[i]). Lower is better. The slices alias the
// planner's working state, so a placement updates the scores it changes and
// nothing else has to be recomputed.
type level struct {
	strategy Strategy
	idx      []int32
	vals     []int64
	// offset turns the stored value into the score shown: binpack shows the
	// remaining amount after the task, vals holds it before.
	offset int64
}

func (l *level) score(i int32) int64 {
	if l.idx == nil {
		return l.vals[i]
	}
	return l.vals[l.idx[i]]
}

// shown is the score as the explanation prints it.
func (l *level) shown(i int32) int64 { return l.score(i) - l.offset }

// rankingLevels turns the strategies into ranking levels. A random rule
// ends the chain: it orders the remaining ties at random, which is what the
// final tie-break does anyway, and any rule after it could never decide.
func (p *planner) rankingLevels(strategies []Strategy) {
	for _, s := range strategies {
		switch s.Type {
		case StrategyRandom:
			return
		case StrategyBinpack:
			if strings.EqualFold(s.Field, FieldCPU) {
				p.levels = append(p.levels, level{strategy: s, vals: p.cpu, offset: int64(p.req.Task.CPU)})
			} else {
				p.levels = append(p.levels, level{strategy: s, vals: p.mem, offset: int64(p.req.Task.Memory)})
			}
		case StrategySpread:
			if s.Field == FieldInstanceID || s.Field == FieldHost {
				p.levels = append(p.levels, level{strategy: s, vals: p.grp})
				continue
			}
			idx, counts := p.spreadValues(strings.TrimPrefix(s.Field, attrPrefix))
			p.levels = append(p.levels, level{strategy: s, idx: idx, vals: counts})
		}
	}
}

// spreadValues interns the attribute's values: idx[i] is instance i's value
// number and counts[v] the tasks of the request's group on instances with
// value v. All instances count, candidates or not: a task on a DRAINING
// instance still stands in its AZ. Instances without the attribute form one
// more value of their own (ecsbox's choice; AWS does not say).
func (p *planner) spreadValues(name string) (idx []int32, counts []int64) {
	number := map[string]int32{}
	idx = make([]int32, len(p.inst))
	for i := range p.inst {
		v, ok := p.inst[i].Attributes[name]
		if !ok {
			v = "\x00missing"
		}
		n, seen := number[v]
		if !seen {
			n = int32(len(counts))
			number[v] = n
			counts = append(counts, 0)
		}
		idx[i] = n
		counts[n] += p.grp[i]
	}
	return idx, counts
}
