package placement

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Explanation records why each instance was or was not used, and how each
// task's instance was chosen. It answers "why is this task not placed?"
// (Instances: each rejection with its reason and numbers) and "why did it
// land there?" (Tasks: the winner's score per strategy and how many
// candidates each strategy kept).
type Explanation struct {
	Group string
	Count int
	// Strategies are as requested; Ranking are those that rank, in order:
	// the list up to its first random rule (none requested: random).
	Strategies, Ranking []Strategy
	Constraints         []Constraint
	// Instances has one entry per input instance, in input order, as it
	// stood when placement ended.
	Instances []InstanceVerdict
	// Tasks has one entry per task placed.
	Tasks []TaskDecision
	// Closest is the index of the closest matching instance when a task
	// could not be placed, -1 otherwise.
	Closest int
}

// Verdict is an instance's standing.
type Verdict int

const (
	// VerdictCandidate: the instance passed every check and could take
	// another task.
	VerdictCandidate Verdict = iota
	// VerdictRejected: a check failed (InstanceVerdict.Check says which).
	VerdictRejected
	// VerdictSkipped: the instance is not ACTIVE, so it is never considered
	// [DG:container-instance-draining].
	VerdictSkipped
)

func (v Verdict) String() string {
	return [...]string{"candidate", "rejected", "skipped"}[v]
}

// InstanceVerdict is one instance's row of the explanation.
type InstanceVerdict struct {
	ID, AZ, Status string
	Verdict        Verdict
	// Check is the first failed check and Failed the number of failed
	// checks, for a rejected instance.
	Check  Check
	Failed int
	// After is the number of tasks this request had placed when the
	// instance was rejected: 0 when it was rejected from the start.
	After int
	// Placed is the number of this request's tasks placed on the instance.
	Placed int
}

// TaskDecision is how one task's instance was chosen.
type TaskDecision struct {
	Instance   int // index into the instances
	Candidates int // instances that passed every check
	// Scores[j] is the chosen instance's score for Ranking[j]: the
	// remaining CPU or memory after the task for binpack, the tasks of the
	// group already on the instance (spread instanceId) or on instances with
	// its attribute value (spread attribute) for spread. Lower won.
	Scores [MaxStrategies]int64
	// Kept[j] is the number of candidates still tied with the winner after
	// Ranking[0..j].
	Kept [MaxStrategies]int
	// Ties is the number of candidates tied on every strategy; the seeded
	// generator chose among them.
	Ties int
	// Rows are every candidate's scores, with Request.ExplainAll only.
	Rows []CandidateScores
}

// CandidateScores is one candidate's scores for one task.
type CandidateScores struct {
	Instance int
	Scores   [MaxStrategies]int64
}

// String prints the explanation as tables: the request, each instance's
// verdict, then each task's choice. The output depends only on the
// explanation, so it is stable for a given seed.
func (e Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "placed %d of %d task(s)", len(e.Tasks), e.Count)
	if e.Group != "" {
		fmt.Fprintf(&b, " of group %s", e.Group)
	}
	b.WriteString("\nconstraints: ")
	if len(e.Constraints) == 0 {
		b.WriteString("none")
	}
	for i, c := range e.Constraints {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.String())
	}
	b.WriteString("\nranking: ")
	for _, s := range e.Ranking {
		b.WriteString(s.String())
		b.WriteString(", then ")
	}
	b.WriteString("random among ties\n\n")

	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "INSTANCE\tAZ\tPLACED\tVERDICT")
	for i, v := range e.Instances {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", v.ID, dash(v.AZ), v.Placed, e.verdictText(i))
	}
	w.Flush()

	if len(e.Tasks) > 0 {
		b.WriteString("\n")
		w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "TASK\tINSTANCE\tAZ\tWHY")
		for k, d := range e.Tasks {
			v := e.Instances[d.Instance]
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", k+1, v.ID, dash(v.AZ), e.whyText(d))
		}
		w.Flush()
		for k, d := range e.Tasks {
			if len(d.Rows) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\ntask %d candidates:\n", k+1)
			w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprint(w, "INSTANCE")
			for _, s := range e.Ranking {
				fmt.Fprintf(w, "\t%s", s)
			}
			fmt.Fprintln(w)
			for _, r := range d.Rows {
				name := e.Instances[r.Instance].ID
				if r.Instance == d.Instance {
					name += " (chosen)"
				}
				fmt.Fprint(w, name)
				for j := range e.Ranking {
					fmt.Fprintf(w, "\t%d", r.Scores[j])
				}
				fmt.Fprintln(w)
			}
			w.Flush()
		}
	}
	if n := e.Count - len(e.Tasks); n > 0 {
		fmt.Fprintf(&b, "\n%d task(s) not placed: no container instance met all of the task's requirements", n)
		if e.Closest >= 0 {
			v := e.Instances[e.Closest]
			fmt.Fprintf(&b, "; closest matching %s failed %d check(s), first %s", v.ID, v.Failed, v.Check)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (e Explanation) verdictText(i int) string {
	v := e.Instances[i]
	switch v.Verdict {
	case VerdictSkipped:
		return "skipped: status " + v.Status
	case VerdictRejected:
		s := "rejected: " + v.Check.String()
		if v.After > 0 {
			s = fmt.Sprintf("rejected after task %d: %s", v.After, v.Check)
		}
		if v.Failed > 1 {
			s += fmt.Sprintf(" and %d more", v.Failed-1)
		}
		return s
	}
	return "candidate"
}

// whyText is "spread(attribute:ecs.availability-zone)=0 kept 2/3,
// binpack(memory)=1536 kept 1/3".
func (e Explanation) whyText(d TaskDecision) string {
	var b strings.Builder
	for j, s := range e.Ranking {
		fmt.Fprintf(&b, "%s=%d kept %d/%d, ", s, d.Scores[j], d.Kept[j], d.Candidates)
	}
	switch {
	case d.Ties > 1:
		fmt.Fprintf(&b, "random among %d", d.Ties)
	case len(e.Ranking) == 0:
		b.WriteString("only candidate")
	default:
		b.WriteString("best")
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
