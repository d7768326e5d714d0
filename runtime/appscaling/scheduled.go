package appscaling

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// scheduledAction is a scheduled action of a target.
type scheduledAction struct {
	t          *target
	name, arn  string
	schedule   string
	timezone   *string
	loc        *time.Location
	start, end *time.Time
	minCap     *int
	maxCap     *int
	created    time.Time
	parsed     *schedule
	timer      *sim.Timer
	// next is the next run, zero when there is none.
	next time.Time
}

// scheduledActionARN is arn:aws:autoscaling:<region>:<account>:
// scheduledAction:<uuid>:resource/<namespace>/<resource ID>:
// scheduledActionName/<name> ([AAS-UG:scheduled-scaling-additional-cli-commands]).
func (a *AppScaling) scheduledActionARN(t *target, name string) string {
	return fmt.Sprintf("arn:aws:autoscaling:%s:%s:scheduledAction:%s:resource/%s/%s:scheduledActionName/%s",
		a.id.Region, a.id.AccountID, t.arnID, t.namespace, t.resourceID, name)
}

// loadLocation resolves a Timezone. The IANA database is compiled into
// ecsbox (time/tzdata), so a name means the same on every machine; Go's
// database may differ in detail from the Joda-Time one AWS uses
// [AAS-API:PutScheduledActionRequest].
func loadLocation(tz *string) (*time.Location, error) {
	if tz == nil {
		return time.UTC, nil
	}
	if *tz == "" || *tz == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", *tz)
	}
	return time.LoadLocation(*tz)
}

// PutScheduledAction creates or updates a scheduled action. On update,
// members left out keep their values, except StartTime and EndTime, which
// are removed when left out [AAS-API:PutScheduledAction] ("If you don't
// specify start and end times, the old values are deleted").
func (a *AppScaling) PutScheduledAction(in *PutScheduledActionRequest) (*PutScheduledActionResponse, error) {
	if in == nil {
		in = &PutScheduledActionRequest{}
	}
	t, err := a.lookupTarget(in.ServiceNamespace, in.ResourceId, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	name := aws.ToString(in.ScheduledActionName)
	if err := checkScheduledActionName(name); err != nil {
		return nil, err
	}
	old := t.scheduled[name]
	s := &scheduledAction{t: t, name: name, arn: a.scheduledActionARN(t, name), created: a.now()}
	if old != nil {
		s.created, s.schedule, s.timezone, s.minCap, s.maxCap = old.created, old.schedule, old.timezone, old.minCap, old.maxCap
	}
	if in.Schedule != nil {
		s.schedule = *in.Schedule
	}
	if in.Timezone != nil {
		s.timezone = aws.String(*in.Timezone)
	}
	if sta := in.ScalableTargetAction; sta != nil && (sta.MinCapacity != nil || sta.MaxCapacity != nil) {
		s.minCap, s.maxCap = copyInt(sta.MinCapacity), copyInt(sta.MaxCapacity)
	}
	if in.StartTime != nil {
		v := in.StartTime.Time
		s.start = &v
	}
	if in.EndTime != nil {
		v := in.EndTime.Time
		s.end = &v
	}
	if s.schedule == "" {
		// text not verified
		return nil, validation("Schedule is required when creating a scheduled action")
	}
	if s.minCap == nil && s.maxCap == nil {
		// Users have recorded this text from PutScheduledAction
		// (aws-cloudformation/community-registry-extensions#255).
		return nil, validation("At least one of minimum capacity and maximum capacity should be provided")
	}
	for _, v := range []*int{s.minCap, s.maxCap} {
		if v != nil && *v < 0 {
			// text not verified
			return nil, validation("Capacity cannot be less than 0 in ScalableTargetAction")
		}
	}
	if s.minCap != nil && s.maxCap != nil && *s.minCap > *s.maxCap {
		// text not verified
		return nil, validation("Minimum capacity cannot be greater than maximum capacity")
	}
	if s.start != nil && s.end != nil && !s.end.After(*s.start) {
		// text not verified
		return nil, validation("EndTime must be later than StartTime")
	}
	if s.loc, err = loadLocation(s.timezone); err != nil {
		// text not verified
		return nil, validation("Invalid Timezone: %s", aws.ToString(s.timezone))
	}
	if s.parsed, err = parseSchedule(s.schedule, s.loc); err != nil {
		// text not verified
		return nil, validation("Invalid schedule expression %s: %v", s.schedule, err)
	}
	if old != nil {
		old.stop()
	}
	t.scheduled[name] = s
	a.arm(s)
	verb := "created"
	if old != nil {
		verb = "updated"
	}
	next := "it will not run"
	if !s.next.IsZero() {
		next = "next run " + s.next.UTC().Format(aws.TimeLayout)
	}
	a.record("ScheduledActionPut", t.resourceID, fmt.Sprintf("scheduled action %s of %s %s: %s, %s, %s", name, t.resourceID, verb, s.schedule, rangeText(s.minCap, s.maxCap), next))
	return &PutScheduledActionResponse{}, nil
}

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	return aws.Int(*p)
}

func rangeText(lo, hi *int) string {
	var p []string
	if lo != nil {
		p = append(p, fmt.Sprintf("min %d", *lo))
	}
	if hi != nil {
		p = append(p, fmt.Sprintf("max %d", *hi))
	}
	return strings.Join(p, ", ")
}

// checkScheduledActionName applies the model's pattern: no leading or
// trailing space, no control characters, none of : / | ([AAS-API:PutScheduledActionRequest]).
func checkScheduledActionName(name string) error {
	bad := len(name) > 256 || strings.HasPrefix(name, " ") || strings.HasSuffix(name, " ") || strings.ContainsAny(name, ":/|")
	for _, r := range name {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			bad = true
		}
	}
	if bad {
		// The standard wording of AWS JSON validation; text not verified.
		return validation("1 validation error detected: Value '%s' at 'scheduledActionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!((^[ ]+.*)|(.*([\\u0000-\\u001f]|[\\u007f-\\u009f]|[:/|])+.*)|(.*[ ]+$))).+", name)
	}
	return nil
}

// arm schedules the action's next run on the clock.
func (a *AppScaling) arm(s *scheduledAction) {
	now := a.now()
	next, ok := s.parsed.next(now, s.start, s.end, s.created, s.loc)
	if !ok {
		s.next = time.Time{}
		return
	}
	s.next = next
	s.timer = a.sim.AfterFunc(next.Sub(now), "appscaling scheduled action "+s.name, func() { a.run(s) })
}

func (s *scheduledAction) stop() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.next = time.Time{}
}

// run performs a scheduled action: the target's range becomes the action's,
// and the desired count is brought inside it. Scheduled actions ignore
// cooldowns (reference 8.2) and do not start any.
func (a *AppScaling) run(s *scheduledAction) {
	t := s.t
	defer a.arm(s)
	if aws.ToBool(t.suspended.ScheduledScalingSuspended) {
		a.explain(t.resourceID, fmt.Sprintf("scheduled action %s (%s) not run: scheduled scaling is suspended on the target", s.name, s.schedule))
		return
	}
	lo, hi := t.min, t.max
	if s.minCap != nil {
		lo = *s.minCap
	}
	if s.maxCap != nil {
		hi = *s.maxCap
	}
	if lo > hi {
		// AWS warns that setting one bound may need the other too
		// ([AAS-UG:scheduled-scaling-policy-overview]); ecsbox leaves the
		// range as it was.
		a.explain(t.resourceID, fmt.Sprintf("scheduled action %s (%s) not run: it would set min %d above max %d", s.name, s.schedule, lo, hi))
		return
	}
	t.min, t.max = lo, hi
	a.minMaxActivity(t, s.minCap, s.maxCap, s.name)
	line := fmt.Sprintf("scheduled action %s (%s) → min %d, max %d", s.name, s.schedule, lo, hi)
	desired, _, err := a.capacity(t)
	switch {
	case err != nil:
		a.explain(t.resourceID, line+fmt.Sprintf("; the capacity could not be read: %v", err))
	case desired < lo:
		a.explain(t.resourceID, line+fmt.Sprintf(" → desired %d is below min: set desired count %d → %d", desired, desired, lo))
		a.setDesired(t, desired, lo, fmt.Sprintf("minimum capacity was set to %d", lo), "")
	case desired > hi:
		a.explain(t.resourceID, line+fmt.Sprintf(" → desired %d is above max: set desired count %d → %d", desired, desired, hi))
		a.setDesired(t, desired, hi, fmt.Sprintf("maximum capacity was set to %d", hi), "")
	default:
		a.explain(t.resourceID, line+fmt.Sprintf(" → desired %d is inside the range", desired))
	}
}

// DescribeScheduledActions lists a namespace's scheduled actions, optionally
// of one resource and dimension and with given names, by resource ID,
// dimension, then name.
func (a *AppScaling) DescribeScheduledActions(in *DescribeScheduledActionsRequest) (*DescribeScheduledActionsResponse, error) {
	if in == nil {
		in = &DescribeScheduledActionsRequest{}
	}
	ns := aws.ToString(in.ServiceNamespace)
	if !oneOf(ns, allNamespaces) {
		return nil, enumError("serviceNamespace", ns, allNamespaces)
	}
	var keys []string
	byKey := map[string]*scheduledAction{}
	for _, t := range a.sortedTargets() {
		if t.namespace != ns || (in.ResourceId != nil && t.resourceID != *in.ResourceId) ||
			(in.ScalableDimension != nil && t.dimension != *in.ScalableDimension) {
			continue
		}
		for _, name := range sortedKeys(t.scheduled) {
			if len(in.ScheduledActionNames) > 0 && !oneOf(name, in.ScheduledActionNames) {
				continue
			}
			k := t.key() + "\x00" + name
			keys = append(keys, k)
			byKey[k] = t.scheduled[name]
		}
	}
	page, next, err := paginate("DescribeScheduledActions", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &DescribeScheduledActionsResponse{ScheduledActions: []ScheduledAction{}, NextToken: next}
	for _, k := range page {
		out.ScheduledActions = append(out.ScheduledActions, byKey[k].describe())
	}
	return out, nil
}

func (s *scheduledAction) describe() ScheduledAction {
	sa := ScheduledAction{
		ScheduledActionName: aws.String(s.name),
		ScheduledActionARN:  aws.String(s.arn),
		ServiceNamespace:    aws.String(s.t.namespace),
		Schedule:            aws.String(s.schedule),
		ResourceId:          aws.String(s.t.resourceID),
		ScalableDimension:   aws.String(s.t.dimension),
		ScalableTargetAction: &ScalableTargetAction{
			MinCapacity: copyInt(s.minCap),
			MaxCapacity: copyInt(s.maxCap),
		},
		CreationTime: aws.NewTime(s.created),
	}
	if s.timezone != nil {
		sa.Timezone = aws.String(*s.timezone)
	}
	if s.start != nil {
		sa.StartTime = aws.NewTime(*s.start)
	}
	if s.end != nil {
		sa.EndTime = aws.NewTime(*s.end)
	}
	return sa
}

// DeleteScheduledAction deletes a scheduled action and its future runs.
func (a *AppScaling) DeleteScheduledAction(in *DeleteScheduledActionRequest) (*DeleteScheduledActionResponse, error) {
	if in == nil {
		in = &DeleteScheduledActionRequest{}
	}
	ns, rid, dim := aws.ToString(in.ServiceNamespace), aws.ToString(in.ResourceId), aws.ToString(in.ScalableDimension)
	if err := checkTriple(ns, rid, dim); err != nil {
		return nil, err
	}
	name := aws.ToString(in.ScheduledActionName)
	t := a.targets[targetKey(ns, rid, dim)]
	var s *scheduledAction
	if t != nil {
		s = t.scheduled[name]
	}
	if s == nil {
		// Shaped like the other not-found texts; text not verified.
		return nil, notFound("No scheduled action found for service namespace: %s, resource ID: %s, scalable dimension: %s, scheduled action name: %s", ns, rid, dim, name)
	}
	a.removeScheduled(t, s)
	return &DeleteScheduledActionResponse{}, nil
}

func (a *AppScaling) removeScheduled(t *target, s *scheduledAction) {
	s.stop()
	delete(t.scheduled, s.name)
	a.record("ScheduledActionDeleted", t.resourceID, fmt.Sprintf("scheduled action %s of %s deleted", s.name, t.resourceID))
}
