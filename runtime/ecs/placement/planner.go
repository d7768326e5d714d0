package placement

import "slices"

// planner holds one Place call: the request, the instances, and a working
// copy of everything placement changes, as flat per-instance arrays so that
// ranking a candidate is a few array reads.
type planner struct {
	req   *Request
	inst  []Instance
	cons  []constraint
	ports []Port // the task's static host ports, normalised

	levels []level

	// Working state per instance, updated by each placement. cpu, mem and
	// grp are int64 because ranking levels read them directly.
	cpu, mem, grp []int64 // remaining CPU, remaining memory, tasks of the group
	eni, running  []int   // free ENI slots, runningTasksCount
	placed        []int   // tasks this request put there

	verdicts []InstanceVerdict
	// feasible lists the candidates; pos[i] is i's place in it, -1 when i is
	// not a candidate.
	feasible []int32
	pos      []int32
	ties     []int32 // scratch for choose

	order []int          // the placements, in order
	tasks []TaskDecision // one per placement
}

func newPlanner(req *Request, instances []Instance, cons []constraint) *planner {
	n := len(instances)
	p := &planner{
		req: req, inst: instances, cons: cons, ports: hostPorts(req.Task.HostPorts),
		cpu: make([]int64, n), mem: make([]int64, n), grp: make([]int64, n),
		eni: make([]int, n), running: make([]int, n), placed: make([]int, n),
		verdicts: make([]InstanceVerdict, n),
		feasible: make([]int32, 0, n), pos: make([]int32, n),
	}
	for i := range instances {
		in := &instances[i]
		p.cpu[i], p.mem[i] = int64(in.RemainingCPU), int64(in.RemainingMemory)
		p.grp[i] = int64(in.Groups[req.Task.Group])
		p.eni[i], p.running[i] = in.FreeENIs, in.RunningTasks
	}
	if c := min(req.Count, 1<<16); c > 0 {
		p.order, p.tasks = make([]int, 0, c), make([]TaskDecision, 0, c)
	}
	strategies := req.Strategies
	if len(strategies) == 0 {
		strategies = DefaultRunTaskStrategies
	}
	p.rankingLevels(strategies)
	for i := range instances {
		in := &instances[i]
		v := &p.verdicts[i]
		v.ID, v.AZ, v.Status = instanceName(in), in.Attributes[attrAZ], in.Status
		p.pos[i] = -1
		if in.Status != "ACTIVE" {
			v.Verdict = VerdictSkipped
			continue
		}
		if t := p.check(i); t.failed > 0 {
			v.Verdict, v.Check, v.Failed = VerdictRejected, t.first, t.failed
			continue
		}
		v.Verdict = VerdictCandidate
		p.pos[i] = int32(len(p.feasible))
		p.feasible = append(p.feasible, int32(i))
	}
	return p
}

func instanceName(in *Instance) string {
	switch {
	case in.ID != "":
		return in.ID
	case in.EC2InstanceID != "":
		return in.EC2InstanceID
	}
	return in.ARN
}

// run places tasks until Count are placed or no candidate is left.
func (p *planner) run() {
	for len(p.order) < p.req.Count && len(p.feasible) > 0 {
		c, d := p.choose()
		p.commit(int(c))
		p.order = append(p.order, int(c))
		p.tasks = append(p.tasks, d)
	}
}

// choose ranks the candidates lexicographically by the levels' scores
// (lower is better) and picks at random among those tied on all of them.
// It also counts, per level, how many candidates were still tied with the
// winner, which is what the explanation shows ("334 of 1000 kept").
func (p *planner) choose() (int32, TaskDecision) {
	d := TaskDecision{Candidates: len(p.feasible)}
	levels := p.levels
	nl := len(levels)
	var best [MaxStrategies]int64
	var kept [MaxStrategies]int
	ties := p.ties[:0]
	if nl == 0 {
		// Random only: every candidate ties.
		ties = append(ties, p.feasible...)
	} else {
		ties = p.rank(&best, &kept, ties)
	}
	p.ties = ties
	pick := ties[0]
	if len(ties) > 1 && p.req.Rand != nil {
		pick = ties[p.req.Rand.IntN(len(ties))]
	}
	d.Instance, d.Ties = int(pick), len(ties)
	for j := range levels {
		d.Scores[j] = levels[j].shown(pick)
		d.Kept[j] = kept[j]
	}
	if p.req.ExplainAll {
		d.Rows = p.rows()
	}
	return pick, d
}

// rank scans the candidates once, keeping the best key in best, the
// per-level tie counts in kept, and the candidates tied on every level in
// ties (returned).
func (p *planner) rank(best *[MaxStrategies]int64, kept *[MaxStrategies]int, ties []int32) []int32 {
	levels := p.levels
	nl := len(levels)
	for k, c := range p.feasible {
		if k == 0 {
			for j := range levels {
				best[j], kept[j] = levels[j].score(c), 1
			}
			ties = append(ties, c)
			continue
		}
		j := 0
		var s int64
		for ; j < nl; j++ {
			if s = levels[j].score(c); s != best[j] {
				break
			}
			kept[j]++
		}
		switch {
		case j == nl:
			ties = append(ties, c)
		case s < best[j]:
			best[j], kept[j] = s, 1
			for m := j + 1; m < nl; m++ {
				best[m], kept[m] = levels[m].score(c), 1
			}
			ties = append(ties[:0], c)
		}
	}
	return ties
}

// rows lists every candidate's scores, by instance index.
func (p *planner) rows() []CandidateScores {
	rows := make([]CandidateScores, 0, len(p.feasible))
	for _, c := range p.feasible {
		r := CandidateScores{Instance: int(c)}
		for j := range p.levels {
			r.Scores[j] = p.levels[j].shown(c)
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b CandidateScores) int { return a.Instance - b.Instance })
	return rows
}

// commit puts one task on instance c: it takes the resources, counts the
// task in its group, and checks c again. Only c changed, so no other
// instance's feasibility or binpack score can have; spread-by-attribute
// counts change for c's value and are updated here.
func (p *planner) commit(c int) {
	t := &p.req.Task
	p.cpu[c] -= int64(t.CPU)
	p.mem[c] -= int64(t.Memory)
	if t.NeedsENI {
		p.eni[c]--
	}
	p.running[c]++
	p.grp[c]++
	p.placed[c]++
	for j := range p.levels {
		if l := &p.levels[j]; l.idx != nil {
			l.vals[l.idx[c]]++
		}
	}
	v := &p.verdicts[c]
	v.Placed++
	if r := p.check(c); r.failed > 0 {
		v.Verdict, v.Check, v.Failed, v.After = VerdictRejected, r.first, r.failed, len(p.order)+1
		p.remove(c)
	}
}

// remove takes c out of the candidates (swap with the last).
func (p *planner) remove(c int) {
	k := p.pos[c]
	last := p.feasible[len(p.feasible)-1]
	p.feasible[k] = last
	p.pos[last] = k
	p.feasible = p.feasible[:len(p.feasible)-1]
	p.pos[c] = -1
}

// result assembles the Result: placements, and when some task was not
// placed, the failures and the closest matching instance.
func (p *planner) result() Result {
	r := Result{Placed: p.order}
	closest := -1
	if len(p.order) < p.req.Count {
		for i := range p.verdicts {
			v := &p.verdicts[i]
			if v.Verdict != VerdictRejected {
				continue
			}
			r.Failures = append(r.Failures, Failure{ARN: p.inst[i].ARN, Reason: v.Check.Reason})
			if closest < 0 || v.Failed < p.verdicts[closest].Failed {
				closest = i
			}
		}
		if closest >= 0 {
			r.Closest = &Failure{ARN: p.inst[closest].ARN, Reason: p.verdicts[closest].Check.Reason}
		}
	}
	ranking := make([]Strategy, len(p.levels))
	for j := range p.levels {
		ranking[j] = p.levels[j].strategy
	}
	r.Explanation = Explanation{
		Group:       p.req.Task.Group,
		Count:       p.req.Count,
		Strategies:  slices.Clone(p.req.Strategies),
		Ranking:     ranking,
		Constraints: slices.Clone(p.req.Constraints),
		Instances:   p.verdicts,
		Tasks:       p.tasks,
		Closest:     closest,
	}
	return r
}
