package appscaling

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// decision is one line of a target's explanation: what came in (alarm,
// metric, running count), the formula, and what was done or why not. The
// text of a target tracking decision is a ttLine, worded when read.
type decision struct {
	at   time.Time
	text fmt.Stringer
}

// plainText is the text of a decision worded at once.
type plainText string

func (s plainText) String() string { return string(s) }

// maxDecisions bounds the explanation kept per resource.
const maxDecisions = 50

// decisionLog holds the last maxDecisions decisions of a resource in a
// ring: an alarm in ALARM makes a decision every minute, and a ring takes
// them without reallocating.
type decisionLog struct {
	ring    [maxDecisions]decision
	next, n int
}

func (l *decisionLog) add(d decision) {
	l.ring[l.next] = d
	l.next = (l.next + 1) % maxDecisions
	l.n = min(l.n+1, maxDecisions)
}

// all returns the decisions, oldest first.
func (l *decisionLog) all() []decision {
	if l == nil {
		return nil
	}
	first := (l.next - l.n + maxDecisions) % maxDecisions
	out := make([]decision, 0, l.n)
	for i := range l.n {
		out = append(out, l.ring[(first+i)%maxDecisions])
	}
	return out
}

func (a *AppScaling) explain(resourceID, text string) {
	a.explainLater(resourceID, plainText(text))
}

// explainLater records a decision whose text is worded when Explain reads it.
func (a *AppScaling) explainLater(resourceID string, text fmt.Stringer) {
	l := a.decisions[resourceID]
	if l == nil {
		l = new(decisionLog)
		a.decisions[resourceID] = l
	}
	l.add(decision{at: a.now(), text: text})
}

// Explain returns a readable account of the recent scaling decisions of a
// resource (service/<cluster>/<service>), oldest first: each alarm action
// with its inputs and formula, each decision not to act and why (cooldown,
// suspension, bounds), each scheduled action. For example:
//
//	2025-01-01T00:04:00.000Z  cpu50: CPUUtilization 82.4 > 50 for 3 minutes → AlarmHigh → desired = ceil(2 × 82.4 / 50) = 4 → want 4; set desired count 2 → 4
func (a *AppScaling) Explain(resourceID string) string {
	var b strings.Builder
	var ts []*target
	for _, t := range a.sortedTargets() {
		if t.resourceID == resourceID {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		fmt.Fprintf(&b, "%s is not a registered scalable target\n", resourceID)
	}
	for _, t := range ts {
		fmt.Fprintf(&b, "scalable target %s (%s): min %d, max %d%s\n", t.resourceID, t.dimension, t.min, t.max, suspendedText(t))
		for _, name := range sortedKeys(t.policies) {
			p := t.policies[name]
			if p.tt != nil {
				in := "scale-in enabled"
				if p.scaleInDisabled() {
					in = "scale-in disabled"
				}
				fmt.Fprintf(&b, "  policy %s: target tracking %s at %s, cooldowns out %s / in %s, %s\n",
					name, metricLabel(p.tt), fmtNum(aws.ToFloat64(p.tt.TargetValue)), p.scaleOutCooldown(), p.scaleInCooldown(), in)
			} else {
				fmt.Fprintf(&b, "  policy %s: step scaling %s, %d steps, cooldown %s\n",
					name, aws.ToString(p.step.AdjustmentType), len(p.step.StepAdjustments), p.scaleOutCooldown())
			}
		}
		for _, name := range sortedKeys(t.scheduled) {
			s := t.scheduled[name]
			next := "no further run"
			if !s.next.IsZero() {
				next = "next run " + s.next.UTC().Format(aws.TimeLayout)
			}
			fmt.Fprintf(&b, "  scheduled action %s: %s, %s\n", name, s.schedule, next)
		}
	}
	ds := a.decisions[resourceID].all()
	if len(ds) == 0 {
		b.WriteString("no scaling decisions yet\n")
	}
	for _, d := range ds {
		fmt.Fprintf(&b, "%s  %s\n", d.at.UTC().Format(aws.TimeLayout), d.text.String())
	}
	return b.String()
}
