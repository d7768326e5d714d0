package autoscaling

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// activity is a scaling activity of a group.
type activity struct {
	seq      int
	groupARN string
	a        Activity
}

// activityRetention is how long activities stay describable: "activities
// that are up to six weeks old" [ASG-API:DescribeScalingActivities].
const activityRetention = 6 * 7 * 24 * time.Hour

// Progress of an activity. AWS reports 0 to 100 without saying what the
// steps are; ecsbox shows 30 while an instance launches or shuts down and
// 100 at the end.
const inFlightProgress = 30

// newActivity starts an activity: InProgress from now.
func (a *AutoScaling) newActivity(g *group, description, cause, details string) *activity {
	a.seq++
	act := &activity{seq: a.seq, groupARN: g.arn, a: Activity{
		ActivityId:           aws.String(a.sim.UUID()),
		AutoScalingGroupName: aws.String(g.name),
		AutoScalingGroupARN:  aws.String(g.arn),
		Description:          aws.String(description),
		Cause:                aws.String(cause),
		StartTime:            aws.NewTime(a.now()),
		StatusCode:           aws.String(ScalingActivityStatusCodeInProgress),
		Progress:             aws.Int(inFlightProgress),
		Details:              aws.String(details),
	}}
	a.activities = append(a.activities, act)
	return act
}

func (act *activity) succeed(at time.Time) {
	act.a.StatusCode = aws.String(ScalingActivityStatusCodeSuccessful)
	act.a.Progress = aws.Int(100)
	act.a.EndTime = aws.NewTime(at)
}

func (act *activity) fail(at time.Time, msg string) {
	act.a.StatusCode = aws.String(ScalingActivityStatusCodeFailed)
	act.a.StatusMessage = aws.String(msg)
	act.a.Progress = aws.Int(100)
	act.a.EndTime = aws.NewTime(at)
}

// cancel ends the launch of an instance that was terminated before it was
// InService.
func (act *activity) cancel(at time.Time) {
	act.a.StatusCode = aws.String(ScalingActivityStatusCodeCancelled)
	act.a.Progress = aws.Int(100)
	act.a.EndTime = aws.NewTime(at)
}

// shape returns a copy of the activity as the API shows it; with state,
// it carries AutoScalingGroupState (InService or Deleted), which AWS shows
// when deleted groups are asked for.
func (act *activity) shape(state bool) *Activity {
	out := act.a
	if state {
		out.AutoScalingGroupState = aws.String("Deleted")
	}
	return &out
}

// DescribeScalingActivities lists activities newest first: of one group or
// of every group, of the last six weeks, those of deleted groups (and of
// earlier groups of the same name) only with IncludeDeletedGroups
// [ASG-API:DescribeScalingActivities]. MaxRecords is at most 100, the
// default 100. An unknown group name gives an empty list.
func (a *AutoScaling) DescribeScalingActivities(in *DescribeScalingActivitiesType) (*ActivitiesType, error) {
	if in == nil {
		in = &DescribeScalingActivitiesType{}
	}
	if len(in.Filters) > 0 {
		// text not verified
		return nil, validation("ecsbox does not simulate the Filters of DescribeScalingActivities yet")
	}
	a.pruneActivities()
	deleted := aws.ToBool(in.IncludeDeletedGroups)
	var keys []string
	byKey := map[string]*activity{}
	for i := len(a.activities) - 1; i >= 0; i-- {
		act := a.activities[i]
		name := aws.ToString(act.a.AutoScalingGroupName)
		if in.AutoScalingGroupName != nil && name != *in.AutoScalingGroupName {
			continue
		}
		live := a.groups[name] != nil && a.groups[name].arn == act.groupARN
		if !live && !deleted {
			continue
		}
		if len(in.ActivityIds) > 0 && !contains(in.ActivityIds, aws.ToString(act.a.ActivityId)) {
			continue
		}
		k := pageKey(1e11 - act.seq)
		keys = append(keys, k)
		byKey[k] = act
	}
	page, next, err := paginate("DescribeScalingActivities", keys, in.MaxRecords, in.NextToken, 100, 100)
	if err != nil {
		return nil, err
	}
	out := &ActivitiesType{Activities: []Activity{}, NextToken: next}
	for _, k := range page {
		act := byKey[k]
		shape := act.shape(false)
		if deleted {
			name := aws.ToString(act.a.AutoScalingGroupName)
			if g := a.groups[name]; g != nil && g.arn == act.groupARN {
				shape.AutoScalingGroupState = aws.String("InService")
			} else {
				shape.AutoScalingGroupState = aws.String("Deleted")
			}
		}
		out.Activities = append(out.Activities, *shape)
	}
	return out, nil
}

func (a *AutoScaling) pruneActivities() {
	cut := a.now().Add(-activityRetention)
	i := 0
	for i < len(a.activities) && a.activities[i].a.StartTime.Before(cut) && a.activities[i].a.EndTime != nil {
		i++
	}
	a.activities = a.activities[i:]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
