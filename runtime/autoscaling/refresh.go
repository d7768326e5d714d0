package autoscaling

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Instance refresh [ASG-UG:asg-instance-refresh]: a rolling replacement of
// a group's instances, the way a new launch template version (a new AMI, a
// new instance type) reaches instances that are already running. The
// refresh terminates a batch of old instances, lets the group launch their
// replacements (from the desired configuration when one is given), waits
// until the replacements are InService and warmed up, and goes on. The
// batch keeps at least MinHealthyPercentage (default 90) of the desired
// capacity healthy: batch = max(1, healthy − ceil(desired × min% / 100)).
// When every old instance is gone the refresh is Successful and the group
// takes the desired configuration.
//
// Scale-in protected instances follow ScaleInProtectedInstances: Ignore
// skips them, Refresh replaces them, Wait (the default) waits up to an
// hour for the protection to go and then fails. SkipMatching leaves
// instances that already match the desired configuration.

// refreshWaitForProtected is how long a Wait refresh waits for protected
// instances: "waits one hour for you to remove scale-in protection.
// Otherwise, the instance refresh will fail." [ASG-API:RefreshPreferences].
const refreshWaitForProtected = time.Hour

type refresh struct {
	id        string
	g         *group
	status    string
	reason    string
	start     time.Time
	end       time.Time
	prefs     RefreshPreferences
	desired   *DesiredConfiguration
	target    *ltRef   // the desired launch template, if any
	old       []string // instances to replace, in the order they go
	total     int
	waitSince time.Time
	timer     *sim.Timer
}

func (r *refresh) active() bool {
	return r.status == InstanceRefreshStatusPending || r.status == InstanceRefreshStatusInProgress
}

func (g *group) activeRefresh() *refresh {
	for _, r := range g.refreshes {
		if r.active() {
			return r
		}
	}
	return nil
}

// StartInstanceRefresh starts a rolling refresh. Only one refresh runs at a
// time: "An Instance Refresh is already in progress and blocks the
// execution of this Instance Refresh." (text not verified).
func (a *AutoScaling) StartInstanceRefresh(in *StartInstanceRefreshType) (*StartInstanceRefreshAnswer, error) {
	if in == nil {
		in = &StartInstanceRefreshType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if s := aws.ToString(in.Strategy); s != "" && s != RefreshStrategyRolling {
		return nil, awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the %s instance refresh strategy yet", s)
	}
	if g.activeRefresh() != nil {
		return nil, awserr.New(InstanceRefreshInProgress, "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
	}
	r := &refresh{id: a.sim.UUID(), g: g, status: InstanceRefreshStatusPending, start: a.now(), desired: in.DesiredConfiguration}
	if d := in.DesiredConfiguration; d != nil {
		if d.MixedInstancesPolicy != nil {
			return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate MixedInstancesPolicy yet; use LaunchTemplate")
		}
		if d.LaunchTemplate != nil {
			ref, _, err := a.checkTemplate(d.LaunchTemplate)
			if err != nil {
				return nil, err
			}
			r.target = &ref
		}
	}
	if in.Preferences != nil {
		r.prefs = *in.Preferences
	}
	if r.prefs.MinHealthyPercentage == nil {
		r.prefs.MinHealthyPercentage = aws.Int(90) // [ASG-API:RefreshPreferences]
	}
	if r.prefs.InstanceWarmup == nil {
		// "The default is to use the value for the default instance warmup
		// defined for the group. If default instance warmup is null, then
		// InstanceWarmup falls back to the value of the health check grace
		// period." [ASG-API:RefreshPreferences]
		w := g.gracePeriod
		if g.defaultWarmup != nil {
			w = *g.defaultWarmup
		}
		r.prefs.InstanceWarmup = aws.Int(w)
	}
	if r.prefs.SkipMatching == nil {
		r.prefs.SkipMatching = aws.Bool(false)
	}
	if r.prefs.ScaleInProtectedInstances == nil {
		r.prefs.ScaleInProtectedInstances = aws.String(ScaleInProtectedInstancesWait)
	}
	if r.prefs.StandbyInstances == nil {
		r.prefs.StandbyInstances = aws.String(StandbyInstancesWait)
	}
	current := g.lt
	if r.target != nil {
		current = *r.target
	}
	cv := a.resolvedVersion(current)
	for _, m := range g.active() {
		if *r.prefs.SkipMatching && m.lt.id == current.id && m.lt.version == cv {
			continue
		}
		if m.protected && *r.prefs.ScaleInProtectedInstances == ScaleInProtectedInstancesIgnore {
			continue
		}
		r.old = append(r.old, m.id)
	}
	r.total = len(r.old)
	g.refreshes = append(g.refreshes, r)
	a.record("InstanceRefreshStarted", g.name, fmt.Sprintf("%s: instance refresh %s started: %d instance(s) to replace, min healthy %d%%, warm-up %ds",
		g.name, r.id, r.total, *r.prefs.MinHealthyPercentage, *r.prefs.InstanceWarmup))
	a.explain(g.name, fmt.Sprintf("instance refresh %s: replacing %d instance(s)", r.id, r.total))
	r.timer = a.sim.AfterFunc(0, "autoscaling refresh "+g.name, func() { r.timer = nil; a.advanceRefresh(g) })
	return &StartInstanceRefreshAnswer{InstanceRefreshId: aws.String(r.id)}, nil
}

// resolvedVersion returns the number a template reference resolves to now.
func (a *AutoScaling) resolvedVersion(ref ltRef) string {
	_, v, err := a.ec2.ResolveLaunchTemplate(ref.id, ref.version)
	if err != nil {
		return ""
	}
	return fmt.Sprint(v)
}

// advanceRefresh moves the group's active refresh one step, if it can.
func (a *AutoScaling) advanceRefresh(g *group) {
	r := g.activeRefresh()
	if r == nil || g.deleting {
		return
	}
	if _, off := g.suspended["InstanceRefresh"]; off {
		r.reason = "The InstanceRefresh process is suspended." // text not verified
		return
	}
	now := a.now()
	if r.status == InstanceRefreshStatusPending {
		r.status = InstanceRefreshStatusInProgress
	}
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	// Old instances that are still in service, in replacement order.
	var remaining []*member
	for _, id := range r.old {
		if m := g.member(id); m != nil && m.counts() {
			remaining = append(remaining, m)
		}
	}
	// Wait for replacements: launches in flight, instances warming up.
	warm := time.Duration(*r.prefs.InstanceWarmup) * time.Second
	for _, m := range g.active() {
		if slices.Contains(r.old, m.id) {
			continue
		}
		if m.state == LifecycleStatePending || now.Sub(m.inService) < warm {
			// verified: examples-1.json, DescribeInstanceRefreshes
			r.reason = fmt.Sprintf("Waiting for instances to warm up before continuing. For example: %s is warming up.", m.id)
			if m.state == LifecycleStateInService {
				r.timer = a.sim.AfterFunc(m.inService.Add(warm).Sub(now), "autoscaling refresh "+g.name, func() { r.timer = nil; a.advanceRefresh(g) })
			}
			return
		}
	}
	if len(g.active()) != g.desired {
		return // the group is still launching replacements (or scaling)
	}
	if len(remaining) == 0 {
		r.finish(a, InstanceRefreshStatusSuccessful, "")
		if r.target != nil {
			g.lt = *r.target
		}
		return
	}
	var candidates []*member
	for _, m := range remaining {
		if !m.protected || *r.prefs.ScaleInProtectedInstances == ScaleInProtectedInstancesRefresh {
			candidates = append(candidates, m)
		}
	}
	if len(candidates) == 0 {
		// Only protected instances are left (Wait).
		if r.waitSince.IsZero() {
			r.waitSince = now
		}
		if now.Sub(r.waitSince) >= refreshWaitForProtected {
			// text not verified
			r.finish(a, InstanceRefreshStatusFailed, "Instance refresh failed because instances protected from scale in were found and the preference is Wait.")
			return
		}
		r.reason = "Waiting for scale-in protection to be removed from instances." // text not verified
		r.timer = a.sim.AfterFunc(r.waitSince.Add(refreshWaitForProtected).Sub(now), "autoscaling refresh "+g.name, func() { r.timer = nil; a.advanceRefresh(g) })
		return
	}
	r.waitSince = time.Time{}
	healthy := 0
	for _, m := range g.active() {
		if m.state == LifecycleStateInService {
			healthy++
		}
	}
	minHealthy := ceilCapacity(float64(g.desired) * float64(*r.prefs.MinHealthyPercentage) / 100)
	batch := min(max(1, healthy-minHealthy), len(candidates))
	at := stamp(now)
	r.reason = ""
	for _, m := range candidates[:batch] {
		// verified: a recorded EventBridge event in public code
		a.terminate(g, m, fmt.Sprintf("At %s an instance was taken out of service in response to an instance refresh.  At %s instance %s was selected for termination.", at, at, m.id))
	}
	a.explain(g.name, fmt.Sprintf("instance refresh %s: replacing %d of %d remaining (healthy %d, min healthy %d)", r.id, batch, len(remaining), healthy, minHealthy))
	g.launchReason = launchForRefresh
	a.schedule(g, reconcileDelay)
}

func (r *refresh) finish(a *AutoScaling, status, reason string) {
	r.status, r.reason, r.end = status, reason, a.now()
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	a.record("InstanceRefresh"+status, r.g.name, fmt.Sprintf("%s: instance refresh %s %s %s", r.g.name, r.id, status, reason))
	a.explain(r.g.name, fmt.Sprintf("instance refresh %s: %s %s", r.id, status, reason))
}

// progress returns the percentage complete and the instances left. An
// instance counts as updated when its replacement is InService and past
// the warm-up: "When the instance's health status changes to healthy and
// the specified warm-up time passes, the instance is considered updated
// and is added to the percentage complete" [ASG-API:InstanceRefresh].
func (r *refresh) progress(now time.Time) (int, int) {
	if r.status == InstanceRefreshStatusSuccessful || r.total == 0 {
		return 100, 0
	}
	if !r.end.IsZero() {
		now = r.end // a cancelled or failed refresh keeps its last progress
	}
	warm := time.Duration(*r.prefs.InstanceWarmup) * time.Second
	updated := 0
	for _, m := range r.g.active() {
		if slices.Contains(r.old, m.id) || m.state != LifecycleStateInService {
			continue
		}
		if m.inService.Before(r.start) || now.Sub(m.inService) < warm {
			continue // there before the refresh, or still warming up
		}
		updated++
	}
	updated = min(updated, r.total)
	return updated * 100 / r.total, r.total - updated
}

func (r *refresh) shape(now time.Time) InstanceRefresh {
	pct, left := r.progress(now)
	prefs := r.prefs
	out := InstanceRefresh{
		InstanceRefreshId:    aws.String(r.id),
		AutoScalingGroupName: aws.String(r.g.name),
		Status:               aws.String(r.status),
		StartTime:            aws.NewTime(r.start),
		PercentageComplete:   aws.Int(pct),
		InstancesToUpdate:    aws.Int(left),
		Preferences:          &prefs,
		DesiredConfiguration: r.desired,
		Strategy:             aws.String(RefreshStrategyRolling),
		ProgressDetails: &InstanceRefreshProgressDetails{LivePoolProgress: &InstanceRefreshLivePoolProgress{
			PercentageComplete: aws.Int(pct), InstancesToUpdate: aws.Int(left),
		}},
	}
	if r.reason != "" {
		out.StatusReason = aws.String(r.reason)
	}
	if !r.end.IsZero() {
		out.EndTime = aws.NewTime(r.end)
	}
	return out
}

// DescribeInstanceRefreshes lists a group's refreshes, newest first.
// MaxRecords defaults to 50 and is at most 100 [ASG-API:DescribeInstanceRefreshes].
func (a *AutoScaling) DescribeInstanceRefreshes(in *DescribeInstanceRefreshesType) (*DescribeInstanceRefreshesAnswer, error) {
	if in == nil {
		in = &DescribeInstanceRefreshesType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	var keys []string
	byKey := map[string]*refresh{}
	for i := len(g.refreshes) - 1; i >= 0; i-- {
		r := g.refreshes[i]
		if len(in.InstanceRefreshIds) > 0 && !slices.Contains(in.InstanceRefreshIds, r.id) {
			continue
		}
		k := pageKey(1e11 - i)
		keys = append(keys, k)
		byKey[k] = r
	}
	page, next, err := paginate("DescribeInstanceRefreshes", keys, in.MaxRecords, in.NextToken, 50, 100)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceRefreshesAnswer{InstanceRefreshes: []InstanceRefresh{}, NextToken: next}
	for _, k := range page {
		out.InstanceRefreshes = append(out.InstanceRefreshes, byKey[k].shape(a.now()))
	}
	return out, nil
}

// CancelInstanceRefresh cancels the active refresh; instances already
// replaced stay replaced. Without one: "No in progress or pending Instance
// Refresh found for Auto Scaling group <name>" (the first part is quoted in
// public code; the rest not verified).
func (a *AutoScaling) CancelInstanceRefresh(in *CancelInstanceRefreshType) (*CancelInstanceRefreshAnswer, error) {
	if in == nil {
		in = &CancelInstanceRefreshType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	r := g.activeRefresh()
	if r == nil {
		return nil, awserr.Newf(ActiveInstanceRefreshNotFound, "No in progress or pending Instance Refresh found for Auto Scaling group %s", g.name)
	}
	r.finish(a, InstanceRefreshStatusCancelled, "")
	return &CancelInstanceRefreshAnswer{InstanceRefreshId: aws.String(r.id)}, nil
}
