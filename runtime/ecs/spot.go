package ecs

import (
	"math"
	"time"
)

// Fargate capacity and Fargate Spot interruptions (reference 1.5).

const (
	// spotWarning: Fargate Spot gives a two-minute warning before it
	// reclaims the capacity [DG:fargate-capacity-providers].
	spotWarning = 2 * time.Minute
	// Stop codes of an interrupted Spot task: TerminationNotice on the
	// warning, SpotInterruption on the final STOPPED state (reference 1.5;
	// the split is ecsbox's reading, unconfirmed).
	stopTerminationNotice = "TerminationNotice"
	stopSpotInterruption  = "SpotInterruption"
	reasonSpotInterrupted = "Your Spot Task was interrupted."
)

// SetFargateCapacity makes FARGATE or FARGATE_SPOT capacity available or
// unavailable (sim.set_fargate_capacity). Without capacity new tasks fail
// with Fargate's capacity error and services keep retrying; there is no
// fallback from FARGATE_SPOT to FARGATE (reference 1.5, 14 b).
func (e *ECS) SetFargateCapacity(provider string, available bool) error {
	cp, ok := e.providers[provider]
	if !ok || !cp.fargate {
		return invalidParam("%s is not a Fargate capacity provider: use FARGATE or FARGATE_SPOT", provider)
	}
	if cp.available == available {
		return nil
	}
	cp.available = available
	state := "unavailable"
	if available {
		state = "available again"
	}
	e.sim.Recordf("sim", "FargateCapacity", cp.arn, "%s capacity is %s", provider, state)
	if available {
		for _, name := range e.clusterNames() {
			e.reconcileCluster(e.clusters[name])
		}
	}
	return nil
}

// InterruptSpot interrupts a running FARGATE_SPOT task
// (sim.interrupt_spot): the warning sets desiredStatus STOPPED with stop
// code TerminationNotice and stoppedReason "Your Spot Task was
// interrupted.", SIGTERM reaches the containers, and the task is STOPPED
// when they have exited or when the two minutes are up, with stop code
// SpotInterruption [DG:fargate-capacity-providers].
func (e *ECS) InterruptSpot(taskRef string) error {
	var t *task
	for _, name := range e.clusterNames() {
		if found, ok := e.lookupTask(e.clusters[name], taskRef); ok {
			t = found
		}
	}
	if t == nil {
		return invalidParam("The referenced task was not found.")
	}
	if t.provider == nil || !t.provider.spot || t.lastStatus != taskRunning || t.desiredStatus != taskRunning {
		return invalidParam("task %s is not a running FARGATE_SPOT task", t.id)
	}
	e.interrupt(t)
	return nil
}

func (e *ECS) interrupt(t *task) {
	e.sim.Recordf("ecs", "SpotInterruptionWarning", t.arn, "task %s (%s) gets a Fargate Spot interruption warning: two minutes", t.id, familyRevision(t.def))
	for _, c := range t.containers {
		if c.stopTimeout > spotWarning {
			c.stopTimeout = spotWarning
		}
	}
	e.stopTask(t, stopTerminationNotice, reasonSpotInterrupted)
	e.sim.After(spotWarning, "spot capacity reclaimed", func() {
		for _, c := range t.containers {
			if c.lastStatus == taskRunning {
				e.containerEnded(t, c, exit{code: sigkillExitCode, signal: "SIGKILL", why: "(Fargate Spot capacity reclaimed)"})
			}
		}
	})
}

// SetSpotInterruptionRate sets how often Fargate Spot tasks are
// interrupted: perTaskHour interruptions per task-hour on average, drawn
// from the seeded generator for each Spot task when it starts running (0:
// never, the default).
func (e *ECS) SetSpotInterruptionRate(perTaskHour float64) error {
	if perTaskHour < 0 || math.IsNaN(perTaskHour) {
		return invalidParam("the interruption rate cannot be negative")
	}
	e.spotRate = perTaskHour
	return nil
}

// scheduleSpotInterruption draws when a Spot task that just started
// running will be interrupted: an exponential wait with the rate.
func (e *ECS) scheduleSpotInterruption(t *task) {
	if e.spotRate <= 0 || t.provider == nil || !t.provider.spot {
		return
	}
	wait := time.Duration(e.sim.Rand().ExpFloat64() / e.spotRate * float64(time.Hour))
	e.after(t, wait, "spot interruption", func() {
		if t.lastStatus == taskRunning && t.desiredStatus == taskRunning {
			e.interrupt(t)
		}
	})
}
