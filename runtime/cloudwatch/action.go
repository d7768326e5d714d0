package cloudwatch

import (
	"slices"
	"strings"
	"time"
)

// ActionEvent is one invocation of an alarm action, as a handler receives it.
type ActionEvent struct {
	ActionARN, AlarmName, AlarmARN string
	// State is the alarm's state (the state whose action list names
	// ActionARN); PreviousState is the state before the transition, or the
	// same state when an Auto Scaling action is invoked again.
	State, PreviousState string
	Reason               string
	Time                 time.Time
	// Datapoints are the values that decided the state, oldest first.
	Datapoints []float64
}

type actionHandler struct {
	prefix string
	fn     func(ActionEvent)
}

// OnAction registers fn for the action ARNs that start with prefix, e.g.
// "arn:aws:autoscaling:" for EC2 Auto Scaling and Application Auto Scaling
// policies. When several prefixes match, the longest wins; among equal
// prefixes, the first registered. An action no handler matches is recorded
// in the alarm's history as not delivered, and is not an error: "CloudWatch
// doesn't test or validate the actions that you specify"
// [CW-UG:AlarmThatSendsEmail].
//
// Handlers run synchronously during the alarm evaluation (or SetAlarmState)
// that invokes them, after the alarm's new state is recorded; they may call
// back into CloudWatch.
func (c *CloudWatch) OnAction(prefix string, fn func(ActionEvent)) {
	c.handlers = append(c.handlers, actionHandler{prefix: prefix, fn: fn})
}

func (c *CloudWatch) handlerFor(arn string) func(ActionEvent) {
	var best *actionHandler
	for i := range c.handlers {
		h := &c.handlers[i]
		if strings.HasPrefix(arn, h.prefix) && (best == nil || len(h.prefix) > len(best.prefix)) {
			best = h
		}
	}
	if best == nil {
		return nil
	}
	return best.fn
}

// autoScalingActionPrefix marks the actions that repeat: "For Auto Scaling
// actions, the alarm continues to invoke the action for every period that
// the alarm remains in the new state. For Amazon SNS notifications, no
// additional actions are invoked." [CW-UG:AlarmThatSendsEmail]; also "Except
// for Auto Scaling actions, the actions happen only on state transitions,
// and are not performed again if the condition persists for hours or days."
// [CW-UG:alarm-actions]. EC2 Auto Scaling and Application Auto Scaling
// policy ARNs both start with arn:aws:autoscaling:.
const autoScalingActionPrefix = "arn:aws:autoscaling:"

func (a *alarm) actionsFor(state string) []string {
	switch state {
	case StateValueOK:
		return a.cfg.OKActions
	case StateValueALARM:
		return a.cfg.AlarmActions
	case StateValueINSUFFICIENTDATA:
		return a.cfg.InsufficientDataActions
	}
	return nil
}

// repeatsActions reports whether an evaluation that keeps the state invokes
// anything: an Auto Scaling action of the current state, actions enabled
// (resolved in repeats).
func (a *alarm) repeatsActions() bool { return a.repeats[stateIndex(a.state)] }

// invokeActions runs the actions of the alarm's current state: all of them
// after a transition, only the Auto Scaling ones when repeat is set. Nothing
// runs while actions are disabled.
func (c *CloudWatch) invokeActions(a *alarm, previous string, datapoints []float64, repeat bool) {
	if !a.actionsEnabled() {
		return
	}
	arns := slices.Clone(a.actionsFor(a.state))
	for _, arn := range arns {
		if repeat && !strings.HasPrefix(arn, autoScalingActionPrefix) {
			continue
		}
		fn := c.handlerFor(arn)
		c.addActionHistory(a, arn, fn != nil)
		if fn == nil {
			if !repeat {
				c.sim.Record("cloudwatch", "AlarmActionNotDelivered", a.arn,
					"alarm "+a.name+": action "+arn+" not delivered (ecsbox does not simulate "+actionService(arn)+" actions)")
			}
			continue
		}
		fn(ActionEvent{
			ActionARN: arn, AlarmName: a.name, AlarmARN: a.arn,
			State: a.state, PreviousState: previous, Reason: a.reason,
			Time: c.now(), Datapoints: slices.Clone(datapoints),
		})
	}
}
