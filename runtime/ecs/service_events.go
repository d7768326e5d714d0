package ecs

import (
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// Service events: DescribeServices keeps the 100 newest; a message that
// repeats is suppressed until its cause changes or 6 hours pass
// [DG:service-event-messages], reference 7.6.
const (
	maxServiceEvents    = 100
	duplicateSuppressed = 6 * time.Hour
)

// say adds a service event, unless the same message was said less than six
// hours ago while its cause lasted (resolve ends a cause).
func (e *ECS) say(s *service, message string) {
	now := e.sim.Now()
	if last, ok := s.lastSaid[message]; ok && now.Sub(last) < duplicateSuppressed {
		return
	}
	s.lastSaid[message] = now
	e.sayEach(s, message)
}

// sayEach adds a service event that is said every time it happens, such
// as a target registered for each task: each names a different task's
// work, so duplicate suppression does not apply.
func (e *ECS) sayEach(s *service, message string) {
	ev := ServiceEvent{Id: aws.String(e.sim.UUID()), CreatedAt: aws.NewTime(e.sim.Now()), Message: aws.String(message)}
	s.events = append([]ServiceEvent{ev}, s.events...)
	if len(s.events) > maxServiceEvents {
		s.events = s.events[:maxServiceEvents]
	}
	e.sim.Record("ecs", "ServiceEvent", s.arn, message)
}

// The texts of the scheduler's events, reference 7.6 (sources there).
func startedMessage(s *service, tasks []*task) string {
	return s.prefix() + " has started " + itoa(len(tasks)) + " tasks:" + taskList(tasks) + "."
}

func stoppedMessage(s *service, tasks []*task) string {
	return s.prefix() + " has stopped " + itoa(len(tasks)) + " running tasks:" + taskList(tasks) + "."
}

func (s *service) prefix() string { return "(service " + s.name + ")" }

func taskList(tasks []*task) string {
	var b strings.Builder
	for _, t := range tasks {
		b.WriteString(" (task " + t.id + ")")
	}
	return b.String()
}

func steadyMessage(s *service) string { return s.prefix() + " has reached a steady state." }

func deploymentCompletedMessage(s *service, d *deployment) string {
	// observed in the console and in CLI output; not in the fetched docs
	return s.prefix() + " (deployment " + d.id + ") deployment completed."
}

func deadlockMessage(s *service) string {
	return s.prefix() + " was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
}

func throttleMessage(s *service) string {
	return s.prefix() + " is unable to consistently start tasks successfully."
}

// placementFailedMessage words a placement failure as the service event
// does, naming the closest matching container instance and what it lacked
// (reference 3.5; the memory wording is by analogy with CPU's).
func placementFailedMessage(s *service, closest *placement.Failure, noInstances bool) string {
	const troubleshooting = " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	if noInstances || closest == nil {
		return "service " + s.name + " was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster." + troubleshooting
	}
	id := closest.ARN[strings.LastIndexByte(closest.ARN, '/')+1:]
	var what string
	switch closest.Reason {
	case placement.ReasonCPU:
		what = "The closest matching (container-instance " + id + ") has insufficient CPU units available."
	case placement.ReasonMemory:
		what = "The closest matching (container-instance " + id + ") has insufficient memory available."
	case placement.ReasonPorts:
		what = "The closest matching (container-instance " + id + ") is already using a port required by your task."
	default:
		what = "The closest matching (container-instance " + id + ") encountered error \"" + closest.Reason + "\"."
	}
	return s.prefix() + " was unable to place a task because no container instance met all of its requirements. " + what + troubleshooting
}

// resolve forgets that messages starting with prefix were said: their cause
// is over, so the next occurrence is news again.
func (s *service) resolve(prefix string) {
	for msg := range s.lastSaid {
		if strings.HasPrefix(msg, prefix) {
			delete(s.lastSaid, msg)
		}
	}
}
