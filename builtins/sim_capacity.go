package builtins

import (
	"fmt"

	"go.starlark.net/starlark"
)

// The sandbox's handles on capacity that AWS does not expose: Fargate's
// capacity, Spot interruptions, and what a scenario costs.

// capacityMembers are the sim module's capacity functions.
func (in *Interp) capacityMembers() starlark.StringDict {
	return starlark.StringDict{
		"set_fargate_capacity":       starlark.NewBuiltin("sim.set_fargate_capacity", in.simSetFargateCapacity),
		"interrupt_spot":             starlark.NewBuiltin("sim.interrupt_spot", in.simInterruptSpot),
		"set_spot_interruption_rate": starlark.NewBuiltin("sim.set_spot_interruption_rate", in.simSetSpotRate),
		"cost":                       starlark.NewBuiltin("sim.cost", in.simCost),
	}
}

func init() {
	for name, d := range capacityDocs {
		docs[name] = d
	}
}

var capacityDocs = map[string]doc{
	"sim.set_fargate_capacity": {"sim.set_fargate_capacity(provider, available)", []string{"provider", "available"},
		"Makes FARGATE or FARGATE_SPOT capacity available (True) or not (False). Without it,\n" +
			"run_task reports \"Capacity is unavailable at this time...\" in failures and services\n" +
			"keep retrying; Spot tasks never fall back to FARGATE (as in AWS)."},
	"sim.interrupt_spot": {"sim.interrupt_spot(task)", []string{"task"},
		"Interrupts a running FARGATE_SPOT task (its ARN or ID, or a task dict): the\n" +
			"two-minute warning (stopCode TerminationNotice, \"Your Spot Task was interrupted.\"),\n" +
			"SIGTERM to its containers, STOPPED with stopCode SpotInterruption. A service\n" +
			"replaces it on Spot when Spot has capacity."},
	"sim.set_spot_interruption_rate": {"sim.set_spot_interruption_rate(per_task_hour)", []string{"per_task_hour"},
		"Interrupts Fargate Spot tasks at random, per_task_hour interruptions per task-hour on\n" +
			"average, drawn from the run's seed for each Spot task when it starts (0: never)."},
	"sim.cost": {"sim.cost()", nil,
		"Returns what the scenario's compute cost so far, in US dollars, by provider:\n" +
			"{\"FARGATE\": ..., \"FARGATE_SPOT\": ..., \"EC2\": ..., \"total\": ..., \"as_of\": \"2025-01\"}.\n" +
			"Fargate tasks are billed by vCPU and memory from their image pull to their stop,\n" +
			"EC2 instances by type while running, per second with a one-minute minimum, at\n" +
			"us-east-1 list prices (runtime/pricing)."},
}

func (in *Interp) simSetFargateCapacity(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var provider string
	var available bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "provider", &provider, "available", &available); err != nil {
		return nil, err
	}
	return starlark.None, in.cloud.ECS.SetFargateCapacity(provider, available)
}

func (in *Interp) simInterruptSpot(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "task", &x); err != nil {
		return nil, err
	}
	ref, err := taskRef(x)
	if err != nil {
		return nil, err
	}
	return starlark.None, in.cloud.ECS.InterruptSpot(ref)
}

// taskRef reads a task reference: an ARN or ID string, or a task dict.
func taskRef(x starlark.Value) (string, error) {
	switch v := x.(type) {
	case starlark.String:
		return string(v), nil
	case *starlark.Dict:
		arn, found, _ := v.Get(starlark.String("taskArn"))
		if s, ok := arn.(starlark.String); found && ok {
			return string(s), nil
		}
	}
	return "", fmt.Errorf("got %s, want a task ARN or a task dict", x.Type())
}

func (in *Interp) simSetSpotRate(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var rate starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "per_task_hour", &rate); err != nil {
		return nil, err
	}
	f, ok := starlark.AsFloat(rate)
	if !ok {
		return nil, fmt.Errorf("per_task_hour must be a number")
	}
	return starlark.None, in.cloud.ECS.SetSpotInterruptionRate(f)
}

func (in *Interp) simCost(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	c := in.cloud.ECS.Cost()
	d := starlark.NewDict(5)
	for _, k := range []string{"FARGATE", "FARGATE_SPOT", "EC2"} {
		d.SetKey(starlark.String(k), starlark.Float(round4(c.ByProvider[k])))
	}
	d.SetKey(starlark.String("total"), starlark.Float(round4(c.Total)))
	d.SetKey(starlark.String("as_of"), starlark.String(c.AsOf))
	return d, nil
}

// round4 keeps costs to a hundredth of a cent, so outputs stay readable
// and stable.
func round4(f float64) float64 {
	return float64(int64(f*10000+0.5)) / 10000
}
