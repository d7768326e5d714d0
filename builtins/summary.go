package builtins

import (
	"fmt"
	"math"
	"strings"
	gotime "time"

	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Summary is what a run did, as `ecsbox run` prints it at the end and
// writes it to --out's summary.json: the checks and thresholds, the
// simulated time, the tasks, the scaling activities and the cost by
// capacity provider.
type Summary struct {
	Checks     []CheckResult     `json:"checks"`
	Thresholds []ThresholdResult `json:"thresholds"`
	// ThresholdsPassed is false when a threshold failed or was never
	// evaluated: the run then exits 1.
	ThresholdsPassed bool   `json:"thresholdsPassed"`
	Start            string `json:"start"`
	End              string `json:"end"`
	// Elapsed is the simulated time, as Go writes durations ("1h30m0s").
	Elapsed        string         `json:"elapsed"`
	ElapsedSeconds float64        `json:"elapsedSeconds"`
	TasksStarted   int            `json:"tasksStarted"`
	TasksStopped   int            `json:"tasksStopped"`
	ScalingActions ScalingActions `json:"scalingActions"`
	// CostByProvider is what sim.cost() says: FARGATE, FARGATE_SPOT and EC2
	// (instances), in US dollars, rounded to a hundredth of a cent.
	CostByProvider []ProviderCost `json:"costByProvider"`
	CostTotal      float64        `json:"costTotal"`
}

// CheckResult counts the evaluations of one check.
type CheckResult struct {
	Name   string `json:"name"`
	Passes int    `json:"passes"`
	Fails  int    `json:"fails"`
}

// ThresholdResult is one declared threshold: it passed if it was evaluated
// and never false.
type ThresholdResult struct {
	Name      string `json:"name"`
	Passes    int    `json:"passes"`
	Fails     int    `json:"fails"`
	Evaluated bool   `json:"evaluated"`
	Passed    bool   `json:"passed"`
}

// ScalingActions counts the scaling activities of the run: Application Auto
// Scaling's (a service's desired count set by a policy or a scheduled
// action) and EC2 Auto Scaling's (an instance launched or terminated).
type ScalingActions struct {
	ApplicationAutoScaling int `json:"applicationAutoScaling"`
	EC2AutoScaling         int `json:"ec2AutoScaling"`
}

// ProviderCost is what one capacity provider cost over the run.
type ProviderCost struct {
	Provider string  `json:"provider"`
	USD      float64 `json:"usd"`
}

// providerCosts is the cost by capacity provider, as sim.cost() reports it
// (runtime/ecs/cost.go), in sim.cost()'s order.
func providerCosts(c *runtime.Cloud) ([]ProviderCost, float64) {
	cost := c.ECS.Cost()
	var out []ProviderCost
	for _, p := range []string{"FARGATE", "FARGATE_SPOT", "EC2"} {
		out = append(out, ProviderCost{p, hundredthOfCent(cost.ByProvider[p])})
	}
	return out, hundredthOfCent(cost.Total)
}

// UsedChecks reports whether the script called check or threshold: `ecsbox
// run` prints the summary only then.
func (in *Interp) UsedChecks() bool { return in.score.used }

// Summary returns what the run did so far.
func (in *Interp) Summary() Summary {
	s := in.cloud.Sim
	sum := Summary{
		Checks:           []CheckResult{},
		Thresholds:       []ThresholdResult{},
		ThresholdsPassed: true,
		Start:            aws.NewTime(s.Start()).String(),
		End:              aws.NewTime(s.Now()).String(),
		Elapsed:          s.Elapsed().String(),
		ElapsedSeconds:   s.Elapsed().Seconds(),
	}
	sum.CostByProvider, sum.CostTotal = providerCosts(in.cloud)
	for _, o := range in.score.checks {
		sum.Checks = append(sum.Checks, CheckResult{o.name, o.passes, o.fails})
	}
	for _, o := range in.score.thresholds {
		r := ThresholdResult{Name: o.name, Passes: o.passes, Fails: o.fails, Evaluated: o.passes+o.fails > 0}
		r.Passed = r.Evaluated && o.fails == 0
		sum.ThresholdsPassed = sum.ThresholdsPassed && r.Passed
		sum.Thresholds = append(sum.Thresholds, r)
	}
	for _, e := range s.Timeline() {
		switch {
		case e.Service == "ecs" && e.Kind == "TaskRunning":
			sum.TasksStarted++
		case e.Service == "ecs" && e.Kind == "TaskStopped":
			sum.TasksStopped++
		case e.Service == "application-autoscaling" && e.Kind == "ScalingActivity":
			sum.ScalingActions.ApplicationAutoScaling++
		case e.Service == "autoscaling" && (e.Kind == "InstanceLaunching" || e.Kind == "InstanceTerminating"):
			sum.ScalingActions.EC2AutoScaling++
		}
	}
	return sum
}

// FailedThresholds names the thresholds that failed, with why, for the
// error line `ecsbox run` prints: `"p95" (false 2 of 3 times)`,
// `"scales out" (never evaluated)`.
func (s Summary) FailedThresholds() []string {
	var out []string
	for _, t := range s.Thresholds {
		switch {
		case !t.Evaluated:
			out = append(out, fmt.Sprintf("%q (never evaluated)", t.Name))
		case !t.Passed:
			out = append(out, fmt.Sprintf("%q (false %d of %d times)", t.Name, t.Fails, t.Passes+t.Fails))
		}
	}
	return out
}

// Text renders the summary as `ecsbox run` prints it, k6-like:
//
//	checks ............ 2 passed, 1 failed
//	  ✓ web reaches 3 tasks
//	  ✗ cpu under 80 % ........ 2 of 3 passed
//	thresholds ........ 1 passed, 0 failed
//	  ✓ scales out within 5 minutes
//	simulated time .... 1h30m0s (2025-01-01T00:00:00.000Z to 2025-01-01T01:30:00.000Z)
//	tasks ............. 4 started, 1 stopped
//	scaling actions ... 2 Application Auto Scaling, 0 EC2 Auto Scaling
func (s Summary) Text() string {
	var b strings.Builder
	b.WriteString("\n")
	row := func(label, value string) {
		fmt.Fprintf(&b, "%s %s %s\n", label, strings.Repeat(".", max(3, 18-len(label))), value)
	}
	width := 0
	for _, c := range s.Checks {
		width = max(width, len([]rune(c.Name)))
	}
	for _, t := range s.Thresholds {
		width = max(width, len([]rune(t.Name)))
	}
	item := func(ok bool, name, detail string) {
		mark := "✓"
		if !ok {
			mark = "✗"
		}
		if detail == "" {
			fmt.Fprintf(&b, "  %s %s\n", mark, name)
			return
		}
		fmt.Fprintf(&b, "  %s %s %s %s\n", mark, name, strings.Repeat(".", width+3-len([]rune(name))), detail)
	}
	if len(s.Checks) > 0 {
		passed, failed := 0, 0
		for _, c := range s.Checks {
			passed += c.Passes
			failed += c.Fails
		}
		row("checks", fmt.Sprintf("%d passed, %d failed", passed, failed))
		for _, c := range s.Checks {
			detail := ""
			if c.Fails > 0 || c.Passes > 1 {
				detail = fmt.Sprintf("%d of %d passed", c.Passes, c.Passes+c.Fails)
			}
			item(c.Fails == 0, c.Name, detail)
		}
	}
	if len(s.Thresholds) > 0 {
		passed := 0
		for _, t := range s.Thresholds {
			if t.Passed {
				passed++
			}
		}
		row("thresholds", fmt.Sprintf("%d passed, %d failed", passed, len(s.Thresholds)-passed))
		for _, t := range s.Thresholds {
			detail := ""
			switch {
			case !t.Evaluated:
				detail = "never evaluated"
			case !t.Passed:
				detail = fmt.Sprintf("false %d of %d times", t.Fails, t.Passes+t.Fails)
			}
			item(t.Passed, t.Name, detail)
		}
	}
	elapsed, _ := gotime.ParseDuration(s.Elapsed)
	row("simulated time", fmt.Sprintf("%s (%s to %s)", elapsed, s.Start, s.End))
	row("tasks", fmt.Sprintf("%d started, %d stopped", s.TasksStarted, s.TasksStopped))
	row("scaling actions", fmt.Sprintf("%d Application Auto Scaling, %d EC2 Auto Scaling", s.ScalingActions.ApplicationAutoScaling, s.ScalingActions.EC2AutoScaling))
	if s.CostTotal > 0 {
		var parts []string
		for _, c := range s.CostByProvider {
			if c.USD > 0 {
				parts = append(parts, fmt.Sprintf("%s $%.4f", c.Provider, c.USD))
			}
		}
		row("cost", fmt.Sprintf("$%.4f (%s)", s.CostTotal, strings.Join(parts, ", ")))
	}
	return b.String()
}

// hundredthOfCent rounds dollars to a hundredth of a cent, as sim.cost does.
func hundredthOfCent(usd float64) float64 { return math.Round(usd*10000) / 10000 }
