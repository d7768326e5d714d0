package appscaling

import (
	"fmt"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// activity is a scaling activity of a target.
type activity struct {
	targetKey string
	notScaled bool
	a         ScalingActivity
}

// activityRetention is how long activities stay describable: "from the
// previous six weeks" [AAS-API:DescribeScalingActivities].
const activityRetention = 6 * 7 * 24 * time.Hour

// setDesired sets the resource's desired count and records the scaling
// activity, with AWS's texts: Description "Setting desired count to 1.",
// StatusMessage "Successfully set desired count to 1. Change successfully
// fulfilled by ecs." (examples-1.json, DescribeScalingActivities). ECS accepts
// a new desired count at once, so the activity ends when it starts (AWS shows
// EndTime some seconds later). description overrides the Description.
func (a *AppScaling) setDesired(t *target, from, to int, cause, description string) {
	now := a.now()
	if description == "" {
		description = fmt.Sprintf("Setting desired count to %d.", to)
	}
	act := &activity{targetKey: t.key(), a: ScalingActivity{
		ActivityId:        aws.String(a.sim.UUID()),
		ServiceNamespace:  aws.String(t.namespace),
		ResourceId:        aws.String(t.resourceID),
		ScalableDimension: aws.String(t.dimension),
		Description:       aws.String(description),
		Cause:             aws.String(cause),
		StartTime:         aws.NewTime(now),
		EndTime:           aws.NewTime(now),
	}}
	var err error
	if a.resources == nil {
		err = fmt.Errorf("no resource service is connected")
	} else {
		err = a.resources.SetCapacity(t.namespace, t.resourceID, t.dimension, to, cause)
	}
	if err != nil {
		act.a.StatusCode = aws.String(ScalingActivityStatusCodeFailed)
		// text not verified
		act.a.StatusMessage = aws.String(fmt.Sprintf("Failed to set desired count to %d. Reason: %v", to, err))
		a.record("ScalingActivity", t.resourceID, fmt.Sprintf("%s: failed to set desired count %d → %d (%s): %v", t.resourceID, from, to, cause, err))
	} else {
		act.a.StatusCode = aws.String(ScalingActivityStatusCodeSuccessful)
		act.a.StatusMessage = aws.String(fmt.Sprintf("Successfully set desired count to %d. Change successfully fulfilled by %s.", to, t.namespace))
		a.record("ScalingActivity", t.resourceID, fmt.Sprintf("%s: desired count %d → %d (%s)", t.resourceID, from, to, cause))
	}
	a.addActivity(t, act)
}

// addActivity appends an activity of target t and remembers it as the
// target's latest.
func (a *AppScaling) addActivity(t *target, act *activity) {
	a.activities = append(a.activities, act)
	t.lastActivity = act
}

// minMaxActivity records the activity of a scheduled action that sets the
// target's range: Description "Setting min capacity to 5 and max capacity to
// 10", Cause "scheduled action name my-second-scheduled-action was
// triggered", StatusMessage "Successfully set min capacity to 5 and max
// capacity to 10", no EndTime ([AAS-UG:scheduled-scaling-additional-cli-commands]).
// With only one bound the texts name that bound alone (text not verified).
func (a *AppScaling) minMaxActivity(t *target, minCap, maxCap *int, actionName string) {
	what := ""
	switch {
	case minCap != nil && maxCap != nil:
		what = fmt.Sprintf("min capacity to %d and max capacity to %d", *minCap, *maxCap)
	case minCap != nil:
		what = fmt.Sprintf("min capacity to %d", *minCap)
	default:
		what = fmt.Sprintf("max capacity to %d", aws.ToInt(maxCap))
	}
	cause := fmt.Sprintf("scheduled action name %s was triggered", actionName)
	a.addActivity(t, &activity{targetKey: t.key(), a: ScalingActivity{
		ActivityId:        aws.String(a.sim.UUID()),
		ServiceNamespace:  aws.String(t.namespace),
		ResourceId:        aws.String(t.resourceID),
		ScalableDimension: aws.String(t.dimension),
		Description:       aws.String("Setting " + what),
		Cause:             aws.String(cause),
		StartTime:         aws.NewTime(a.now()),
		StatusCode:        aws.String(ScalingActivityStatusCodeSuccessful),
		StatusMessage:     aws.String("Successfully set " + what),
	}})
	a.record("ScalingActivity", t.resourceID, fmt.Sprintf("%s: %s set %s", t.resourceID, actionName, what))
}

// notScaled records a not scaled activity: Description "Attempting to scale
// due to alarm triggered", StatusCode Failed, and the machine-readable
// reason ([AAS-UG:application-auto-scaling-scaling-activities]). An alarm in
// ALARM invokes its policy every minute; one not scaled activity stands for
// a run of identical ones (ecsbox's choice, to keep the list readable).
// Decisions that have no reason code (a cooldown, a suspension, another
// policy disagreeing) leave no activity; Explain shows them.
func (a *AppScaling) notScaled(t *target, cause string, why NotScaledReason) {
	if why.Code == nil {
		return
	}
	if last := t.lastActivity; last != nil && last.notScaled && aws.ToString(last.a.Cause) == cause &&
		len(last.a.NotScaledReasons) == 1 && sameReason(last.a.NotScaledReasons[0], why) {
		return
	}
	a.addActivity(t, &activity{targetKey: t.key(), notScaled: true, a: ScalingActivity{
		ActivityId:        aws.String(a.sim.UUID()),
		ServiceNamespace:  aws.String(t.namespace),
		ResourceId:        aws.String(t.resourceID),
		ScalableDimension: aws.String(t.dimension),
		Description:       aws.String("Attempting to scale due to alarm triggered"),
		Cause:             aws.String(cause),
		StartTime:         aws.NewTime(a.now()),
		StatusCode:        aws.String(ScalingActivityStatusCodeFailed),
		NotScaledReasons:  []NotScaledReason{why},
	}})
}

func sameReason(x, y NotScaledReason) bool {
	return aws.ToString(x.Code) == aws.ToString(y.Code) && aws.ToInt(x.MaxCapacity) == aws.ToInt(y.MaxCapacity) &&
		aws.ToInt(x.MinCapacity) == aws.ToInt(y.MinCapacity) && aws.ToInt(x.CurrentCapacity) == aws.ToInt(y.CurrentCapacity)
}

// DescribeScalingActivities lists a namespace's scaling activities of the
// last six weeks, newest first, optionally of one resource and dimension.
// Not scaled activities are included only when asked for
// [AAS-API:DescribeScalingActivities].
func (a *AppScaling) DescribeScalingActivities(in *DescribeScalingActivitiesRequest) (*DescribeScalingActivitiesResponse, error) {
	if in == nil {
		in = &DescribeScalingActivitiesRequest{}
	}
	ns := aws.ToString(in.ServiceNamespace)
	if !oneOf(ns, allNamespaces) {
		return nil, enumError("serviceNamespace", ns, allNamespaces)
	}
	a.pruneActivities()
	var keys []string
	byID := map[string]*activity{}
	for i := len(a.activities) - 1; i >= 0; i-- {
		act := a.activities[i]
		if aws.ToString(act.a.ServiceNamespace) != ns ||
			(in.ResourceId != nil && aws.ToString(act.a.ResourceId) != *in.ResourceId) ||
			(in.ScalableDimension != nil && aws.ToString(act.a.ScalableDimension) != *in.ScalableDimension) ||
			(act.notScaled && !aws.ToBool(in.IncludeNotScaledActivities)) {
			continue
		}
		id := aws.ToString(act.a.ActivityId)
		keys = append(keys, id)
		byID[id] = act
	}
	page, next, err := paginate("DescribeScalingActivities", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &DescribeScalingActivitiesResponse{ScalingActivities: []ScalingActivity{}, NextToken: next}
	for _, id := range page {
		out.ScalingActivities = append(out.ScalingActivities, *clone(&byID[id].a))
	}
	return out, nil
}

func (a *AppScaling) pruneActivities() {
	cut := a.now().Add(-activityRetention)
	i := 0
	for i < len(a.activities) && a.activities[i].a.StartTime.Before(cut) {
		i++
	}
	a.activities = a.activities[i:]
}
