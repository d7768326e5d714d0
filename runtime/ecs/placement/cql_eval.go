package placement

import (
	"strconv"
	"time"
)

// This file evaluates a parsed cluster query language expression against
// one container instance.

// view is a container instance as an expression sees it during a placement
// request: the instance plus the tasks this request has already put on it,
// which count toward runningTasksCount and task:group (ecsbox's choice: AWS
// does not say whether tasks it is still placing count; counting them makes
// memberOf(runningTasksCount < N) hold for a RunTask with count > 1).
type view struct {
	inst    *Instance
	running int    // runningTasksCount, this request's tasks included
	group   string // the request's task group
	extra   int    // tasks of group placed on inst by this request
}

func (v *view) groupCount(g string) int {
	n := v.inst.Groups[g]
	if g == v.group {
		n += v.extra
	}
	return n
}

// hasGroups reports whether the instance hosts a task of any group.
func (v *view) hasGroups() bool {
	if v.extra > 0 {
		return true
	}
	for _, n := range v.inst.Groups {
		if n > 0 {
			return true
		}
	}
	return false
}

func (n *orNode) eval(v *view) bool  { return n.l.eval(v) || n.r.eval(v) }
func (n *andNode) eval(v *view) bool { return n.l.eval(v) && n.r.eval(v) }
func (n *notNode) eval(v *view) bool { return !n.x.eval(v) }

// eval applies the comparison. Each negative operator (!=, !exists, !in,
// !~) is the exact negation of its positive one, so an instance without the
// attribute satisfies "attribute:x != y" (ecsbox's choice; the guide is
// silent on missing attributes).
func (n *cmpNode) eval(v *view) bool {
	switch n.op {
	case opNe:
		return !n.test(v, opEq)
	case opNotExists:
		return !n.test(v, opExists)
	case opNotIn:
		return !n.test(v, opIn)
	case opNotMatches:
		return !n.test(v, opMatches)
	}
	return n.test(v, n.op)
}

// test evaluates a positive operator (==, ordering, exists, in, =~).
func (n *cmpNode) test(v *view, op operator) bool {
	in := v.inst
	switch n.subj {
	case subjTaskGroup:
		return n.testGroups(v, op)
	case subjRunningTasksCount:
		return n.anyArg(op, func(i int) int { return cmpInt(v.running, n.ints[i]) })
	case subjAgentVersion:
		return n.anyArg(op, func(i int) int { return compareVersion(in.AgentVersion, n.vers[i]) })
	case subjRegisteredAt:
		return n.testTime(in.RegisteredAt, op)
	case subjAgentConnected:
		return n.testString(strconv.FormatBool(in.AgentConnected), op)
	case subjEC2InstanceID:
		return n.testString(in.EC2InstanceID, op)
	case subjAttribute:
		val, ok := in.Attributes[n.name]
		if !ok {
			return false
		}
		if op == opExists {
			return true
		}
		if op >= opGt && op <= opLe {
			return n.anyArg(op, func(i int) int { return compareValue(val, n.args[i], n.nums[i], n.isNum[i]) })
		}
		return n.testString(val, op)
	}
	return false
}

// anyArg applies op with cmp (which compares the instance's value with
// argument i: <0, 0, >0); for "in" it holds if any argument is equal.
func (n *cmpNode) anyArg(op operator, cmp func(i int) int) bool {
	if op == opIn {
		for i := range n.args {
			if cmp(i) == 0 {
				return true
			}
		}
		return false
	}
	return holds(op, cmp(0))
}

func holds(op operator, c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	return false
}

func (n *cmpNode) testString(s string, op operator) bool {
	switch op {
	case opEq:
		return s == n.args[0]
	case opIn:
		for _, a := range n.args {
			if s == a {
				return true
			}
		}
		return false
	case opMatches:
		return n.re.MatchString(s)
	}
	return false
}

// testGroups evaluates task:group over the set of groups with a task on the
// instance: "task:group == g" holds when the instance hosts a task of g
// [DG:cluster-query-language] (affinity example).
func (n *cmpNode) testGroups(v *view, op operator) bool {
	switch op {
	case opEq:
		return v.groupCount(n.args[0]) > 0
	case opIn:
		for _, a := range n.args {
			if v.groupCount(a) > 0 {
				return true
			}
		}
		return false
	case opExists:
		return v.hasGroups()
	case opMatches:
		if v.extra > 0 && n.re.MatchString(v.group) {
			return true
		}
		for g, c := range v.inst.Groups { // order-independent: the result is a boolean
			if c > 0 && n.re.MatchString(g) {
				return true
			}
		}
	}
	return false
}

// testTime compares an instant with a registeredAt span.
func (n *cmpNode) testTime(t time.Time, op operator) bool {
	within := func(s timeSpan) bool { return !t.Before(s.from) && t.Before(s.to) }
	switch op {
	case opEq:
		return within(n.spans[0])
	case opIn:
		for _, s := range n.spans {
			if within(s) {
				return true
			}
		}
		return false
	case opLt:
		return t.Before(n.spans[0].from)
	case opLe:
		return t.Before(n.spans[0].to)
	case opGt:
		return !t.Before(n.spans[0].to)
	case opGe:
		return !t.Before(n.spans[0].from)
	}
	return false
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareVersion compares an agent version string such as "1.87.0" with a
// parsed version, component by component; missing components count as 0 and
// a component's non-digit tail (1.87.0-beta) is ignored. It does not
// allocate.
func compareVersion(s string, want []int) int {
	i := 0
	for k := 0; k < len(want) || i < len(s); k++ {
		got := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			got = got*10 + int(s[i]-'0')
			i++
		}
		for i < len(s) && s[i] != '.' {
			i++
		}
		if i < len(s) {
			i++ // the dot
		}
		w := 0
		if k < len(want) {
			w = want[k]
		}
		if c := cmpInt(got, w); c != 0 {
			return c
		}
		if k >= len(want) && i >= len(s) {
			break
		}
	}
	return 0
}

// compareValue orders an attribute value against an argument: numerically
// when both are numbers, as strings otherwise (ecsbox's choice; the guide
// lists the ordering operators without saying how attribute values order).
func compareValue(val, arg string, argNum float64, argIsNum bool) int {
	if argIsNum {
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			switch {
			case f < argNum:
				return -1
			case f > argNum:
				return 1
			}
			return 0
		}
	}
	switch {
	case val < arg:
		return -1
	case val > arg:
		return 1
	}
	return 0
}
