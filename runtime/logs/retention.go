package logs

import (
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// retentionDays are the values PutRetentionPolicy accepts (the model's Days
// shape: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
// 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653").
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func validRetention(days int) bool {
	for _, d := range retentionDays {
		if d == days {
			return true
		}
	}
	return false
}

// retentionError is AWS's refusal of another value: the standard validation
// text naming the enum, as emulators that copied AWS word it (e.g.
// localstack-style mocks: "1 validation error detected: Value at
// 'retentionInDays' failed to satisfy constraint: Member must satisfy enum
// value set: [1, 3, 5, ...]"). The exact form (whether the value is quoted
// after "Value") is not verified.
func retentionError(days int) error {
	vals := make([]string, len(retentionDays))
	for i, d := range retentionDays {
		vals[i] = strconv.Itoa(d)
	}
	// text not verified
	return invalidParam("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		days, strings.Join(vals, ", "))
}

// PutRetentionPolicy sets how many days a group keeps its events. Expired
// events go at the next daily sweep (see sweep).
func (l *Logs) PutRetentionPolicy(in *PutRetentionPolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &PutRetentionPolicyRequest{}
	}
	if in.RetentionInDays == nil {
		// text not verified (botocore checks required members; this guards
		// direct Go callers)
		return nil, invalidParam("1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null")
	}
	// Validation comes before the look-up, as for the name.
	if err := checkGroupName("logGroupName", aws.ToString(in.LogGroupName)); err != nil {
		return nil, err
	}
	days := *in.RetentionInDays
	if !validRetention(days) {
		return nil, retentionError(days)
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	g.retention = days
	l.sim.Recordf("logs", "RetentionPolicySet", l.groupARNBare(g.name), "log group %s keeps events for %d days", g.name, days)
	l.startSweep()
	return nil, nil
}

// DeleteRetentionPolicy makes a group's events never expire.
func (l *Logs) DeleteRetentionPolicy(in *DeleteRetentionPolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteRetentionPolicyRequest{}
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	if g.retention != 0 {
		g.retention = 0
		l.sim.Recordf("logs", "RetentionPolicyDeleted", l.groupARNBare(g.name), "log group %s keeps events forever", g.name)
	}
	return nil, nil
}

// day is the retention unit.
const day = 24 * time.Hour

// The retention sweep. AWS does not delete events the moment they expire
// ("typically up to 72 hours after that" [API:PutRetentionPolicy]); ecsbox
// sweeps once a day at 00:00 UTC of the simulated clock and deletes, in
// every group with a policy, the events whose timestamp is older than the
// retention. Between sweeps expired events can still be read, as in AWS.
// The sweep is scheduled only while some group has a policy.
func (l *Logs) startSweep() {
	if l.sweeping {
		return
	}
	l.sweeping = true
	next := l.sim.Now().Truncate(day).Add(day)
	l.sim.At(next, "logs retention sweep", l.sweep)
}

func (l *Logs) sweep() {
	now := l.sim.Now()
	active := false
	for _, name := range l.groupNames() {
		g := l.groups[name]
		if g.retention == 0 {
			continue
		}
		active = true
		if n := l.expire(g, ms(now.Add(-time.Duration(g.retention)*day))); n > 0 {
			l.sim.Recordf("logs", "LogEventsExpired", l.groupARNBare(g.name), "retention sweep deleted %d events older than %d days from log group %s", n, g.retention, g.name)
		}
	}
	if !active {
		l.sweeping = false
		return
	}
	l.sim.At(now.Add(day), "logs retention sweep", l.sweep)
}

// expire deletes a group's events with a timestamp before cutoff (epoch ms)
// and returns how many went.
func (l *Logs) expire(g *group, cutoff int64) int {
	n := 0
	for _, sn := range g.streamNames() {
		s := g.streams[sn]
		i := 0
		for i < len(s.events) && s.events[i].ts < cutoff {
			i++
		}
		if i > 0 {
			n += i
			s.events = append([]event(nil), s.events[i:]...)
		}
	}
	return n
}
