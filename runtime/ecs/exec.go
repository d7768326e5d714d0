package ecs

import (
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cmdline"
)

// ECS Exec. execute_command opens an SSM session into a running container
// [API:ExecuteCommand]; in ecsbox the command also acts on the workload
// model, so that the course notes' experiment works:
//
//	stress --cpu N [--vm N --vm-bytes B] [--timeout D]
//	                   N workers of one vCPU each (and N × B of memory) for
//	                   D (until the task stops without --timeout), with the
//	                   stress tool's options and suffixes
//	kill 1, kill -9 1  ends the container's main process
//	anything else      runs and changes nothing
//
// The conditions AWS checks: the task was started with
// enableExecuteCommand, it and the container are RUNNING, the command is
// interactive, and the task role may open the SSM channels.

// execActions are what the task role needs for ECS Exec
// [DG:ecs-exec] (ssmmessages channel actions).
var execActions = []string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}

// ExecuteCommand runs a command in a container of a running task.
func (e *ECS) ExecuteCommand(in *ExecuteCommandRequest) (*ExecuteCommandResponse, error) {
	if in == nil {
		in = &ExecuteCommandRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if !aws.ToBool(in.Interactive) {
		// The API accepts only interactive sessions [API:ExecuteCommandRequest];
		// text not verified
		return nil, invalidParam("Interactive is the only mode supported currently.")
	}
	t, ok := e.lookupTask(c, deref(in.Task))
	if !ok {
		// text not verified
		return nil, invalidParam("The specified task could not be found.")
	}
	if !t.enableExecuteCommand || t.lastStatus != taskRunning {
		// The text AWS returns when the task was not started with ECS Exec
		// (https://github.com/aws-containers/amazon-ecs-exec-checker/issues/26).
		return nil, invalidParam("The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.")
	}
	ctr := t.containers[0]
	if name := deref(in.Container); name != "" {
		ctr = nil
		for _, cand := range t.containers {
			if cand.name == name {
				ctr = cand
			}
		}
		if ctr == nil {
			// text not verified
			return nil, invalidParam("The specified container %s could not be found in the task.", name)
		}
	} else if len(t.containers) > 1 {
		// text not verified
		return nil, invalidParam("The task has more than one container: specify the container.")
	}
	if ctr.lastStatus != taskRunning {
		// text not verified
		return nil, invalidParam("The container %s is not running.", ctr.name)
	}
	if problem := e.execDenied(t); problem != "" {
		// What users see when the task role lacks the ssmmessages permissions
		// (amazon-ecs-exec-checker): the agent cannot connect.
		e.sim.Recordf("ecs", "ExecuteCommandFailed", t.arn, "execute command on task %s failed: %s", t.id, problem)
		return nil, awsErr("TargetNotConnectedException", "The execute command failed due to an internal error. Try again later.")
	}
	command := deref(in.Command)
	if t.real != nil {
		e.execReal(t, ctr, command) // driver.go
	} else {
		e.runInContainer(t, ctr, command)
	}
	session := e.sim.UUID()
	return &ExecuteCommandResponse{
		ClusterArn:    aws.String(c.arn),
		ContainerArn:  aws.String(ctr.arn),
		ContainerName: aws.String(ctr.name),
		Interactive:   aws.Bool(true),
		TaskArn:       aws.String(t.arn),
		Session: &Session{
			SessionId:  aws.String("ecs-execute-command-" + session),
			StreamUrl:  aws.String("wss://ssmmessages." + e.id.Region + ".amazonaws.com/v1/data-channel/ecs-execute-command-" + session + "?role=publish_subscribe&cell-number=AAEAAQ"),
			TokenValue: aws.String(e.sim.Hex(64)),
		},
	}, nil
}

// execDenied says why the task role cannot open the SSM channels, or "".
func (e *ECS) execDenied(t *task) string {
	role := deref(t.def.TaskRoleArn)
	if t.overrides != nil && t.overrides.TaskRoleArn != nil {
		role = *t.overrides.TaskRoleArn
	}
	if role == "" {
		return "the task has no task role, so the SSM agent in it has no credentials"
	}
	if e.iam == nil {
		return ""
	}
	for _, action := range execActions {
		if d := e.iam.Evaluate(role, action, "*"); !d.Allowed {
			return e.iam.AccessDeniedMessage(e.sessionARN(role, t.id), action, "*")
		}
	}
	return ""
}

// runInContainer applies a command to the workload model.
func (e *ECS) runInContainer(t *task, c *container, command string) {
	words := strings.Fields(command)
	if len(words) >= 3 && (words[0] == "sh" || words[0] == "/bin/sh" || words[0] == "bash" || words[0] == "/bin/bash") && words[1] == "-c" {
		words = strings.Fields(strings.Trim(strings.Join(words[2:], " "), `"'`))
	}
	e.sim.Recordf("ecs", "ExecuteCommand", t.arn, "executed %q in container %s of task %s", command, c.name, t.id)
	if len(words) == 0 {
		return
	}
	switch words[0] {
	case "stress", "/usr/bin/stress":
		p, timeout, ok := parseStress(words[1:])
		if !ok {
			return
		}
		vm := 0
		if p.memoryMiB > 0 {
			vm = 1
		}
		e.stressLines(t, c, p, vm, timeout)
		if timeout == 0 {
			timeout = 100 * 365 * 24 * time.Hour // until the task stops
		}
		p.until = e.sim.Now().Add(timeout)
		c.stress = append(c.stress, p)
		e.startSampler()
		e.checkMemory(t.cluster)
	case "kill":
		if len(words) >= 2 && words[len(words)-1] == "1" {
			// PID 1 dies of the signal: 128 + its number, as Docker reports.
			x := exit{code: 128 + 15, signal: "SIGTERM", why: "(" + strings.Join(words, " ") + ")"}
			if len(words) == 3 && (words[1] == "-9" || words[1] == "-KILL" || words[1] == "-SIGKILL") {
				x.code, x.signal = sigkillExitCode, "SIGKILL"
			}
			c := c
			e.after(t, 0, "process killed", func() { e.containerEnded(t, c, x) })
		}
	}
}

// parseStress reads a stress command line (cmdline.ParseStress) as the
// load it puts on the container.
func parseStress(args []string) (p stressProcess, timeout time.Duration, ok bool) {
	s, err := cmdline.ParseStress(args)
	if err != nil {
		return p, 0, false
	}
	p.cpuWorkers = s.CPU
	p.memoryMiB = float64(s.VM) * float64(s.VMBytes) / (1 << 20)
	return p, s.Timeout, true
}
