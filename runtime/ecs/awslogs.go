package ecs

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/iam"
)

// The awslogs log driver [DG:using_awslogs], reference 12: a container
// whose logConfiguration uses awslogs writes its output to the log group
// awslogs-group, in the stream <awslogs-stream-prefix>/<container>/<task
// ID> (the container's ID when there is no prefix, on EC2). The credentials
// are the task execution role's on Fargate and the instance role's on EC2;
// awslogs-create-group=true also needs logs:CreateLogGroup, which
// AmazonECSTaskExecutionRolePolicy does not grant (reference 10.1).

// awslogsTarget is where one container's output goes.
type awslogsTarget struct {
	group, stream string
}

// setupLogs creates the log streams of the task's awslogs containers, or
// says why the task cannot start.
func (e *ECS) setupLogs(t *task) string {
	if e.logs == nil {
		return ""
	}
	principal := e.logPrincipal(t)
	for i, cd := range t.def.ContainerDefinitions {
		lc := cd.LogConfiguration
		if lc == nil || deref(lc.LogDriver) != LogDriverAwslogs {
			continue
		}
		c := t.containers[i]
		group := lc.Options[awslogsGroup]
		stream := c.runtimeID
		if prefix := lc.Options[awslogsStreamPrefix]; prefix != "" {
			stream = prefix + "/" + c.name + "/" + t.id
		}
		if !e.logs.GroupExists(group) {
			if lc.Options[awslogsCreateGroup] != "true" {
				// text not verified: the shape users report for a missing group
				return "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
			}
			if denied := e.denied(principal, "logs:CreateLogGroup", e.logGroupARN(group)); denied != "" {
				// text not verified
				return "ResourceInitializationError: failed to validate logger args: create log group has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: " + denied + " : exit status 1"
			}
			if err := e.logs.EnsureGroup(group); err != nil {
				return "ResourceInitializationError: failed to validate logger args: " + err.Error()
			}
		}
		if denied := e.denied(principal, "logs:CreateLogStream", e.logGroupARN(group)+":log-stream:"+stream); denied != "" {
			// text not verified
			return "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: " + denied + " : exit status 1"
		}
		if err := e.logs.EnsureStream(group, stream); err != nil {
			return "ResourceInitializationError: failed to validate logger args: " + err.Error()
		}
		c.logTo = &awslogsTarget{group: group, stream: stream}
	}
	return ""
}

// logPrincipal is the session whose credentials the log driver uses: the
// execution role's on Fargate, the instance role's on EC2.
func (e *ECS) logPrincipal(t *task) string {
	if t.launchType == launchFargate || t.instance == nil {
		return e.sessionARN(e.executionRole(t), t.id)
	}
	if inst, ok := e.ec2.Instance(t.instance.ec2ID); ok {
		if role, ok := e.iam.InstanceProfileRole(inst.IamInstanceProfile); ok {
			return e.sessionARN(role, inst.ID)
		}
	}
	return ""
}

// executionRole is the task's execution role ARN (or "").
func (e *ECS) executionRole(t *task) string {
	if t.overrides != nil && t.overrides.ExecutionRoleArn != nil {
		return *t.overrides.ExecutionRoleArn
	}
	return deref(t.def.ExecutionRoleArn)
}

// denied says why principal may not do action on resource, or "".
func (e *ECS) denied(principal, action, resource string) string {
	if e.iam == nil {
		return ""
	}
	if principal == "" {
		return "no credentials: the task has no role to act as"
	}
	if d := e.iam.Evaluate(principal, action, resource); !d.Allowed {
		return e.iam.AccessDeniedMessage(principal, action, resource)
	}
	return ""
}

func (e *ECS) logGroupARN(group string) string {
	return "arn:aws:logs:" + e.id.Region + ":" + e.id.AccountID + ":log-group:" + group
}

// logLine writes a line of a container's output to its log stream.
func (e *ECS) logLine(c *container, format string, args ...any) {
	if c.logTo == nil || e.logs == nil {
		return
	}
	_ = e.logs.Write(c.logTo.group, c.logTo.stream, e.sim.Now(), fmt.Sprintf(format, args...))
}

// startupLine is what the simulated workload prints when it starts.
func startupLine(c *container, ports []int) string {
	w := parseWorkload(c.command)
	switch {
	case w.exitsNow, w.runFor > 0:
		return fmt.Sprintf("ecsbox workload: running %q", strings.Join(c.command, " "))
	case len(ports) > 0:
		return fmt.Sprintf("ecsbox workload: serving HTTP on port %d", ports[0])
	}
	return "ecsbox workload: started"
}

// line is the simulated workload's last line: the exit code, and the signal
// when one ended the process, worded like startupLine. A process killed by a
// signal exits with 128 + the signal's number (137 for SIGKILL, 143 for
// SIGTERM); one that handles SIGTERM exits with its own code.
func (x exit) line() string {
	switch {
	case x.signal == "":
		return fmt.Sprintf("ecsbox workload: exited with code %d", x.code)
	case x.code > 128 && x.signal == "SIGKILL":
		return fmt.Sprintf("ecsbox workload: killed by SIGKILL %s, exit code %d", x.why, x.code)
	case x.code > 128:
		return fmt.Sprintf("ecsbox workload: terminated by %s %s, exit code %d", x.signal, x.why, x.code)
	}
	return fmt.Sprintf("ecsbox workload: received %s %s, exited with code %d", x.signal, x.why, x.code)
}

// stressLines are what the stress tool prints: its start, and its end
// after the timeout (stress 1.0.4's wording).
func (e *ECS) stressLines(t *task, c *container, p stressProcess, vm int, timeout time.Duration) {
	e.logLine(c, "stress: info: [%d] dispatching hogs: %d cpu, 0 io, %d vm, 0 hdd", 100+len(c.stress), p.cpuWorkers, vm)
	if timeout > 0 && timeout < 100*365*24*time.Hour {
		e.after(t, timeout, "stress done", func() {
			e.logLine(c, "stress: info: [%d] successful run completed in %ds", 100+len(c.stress), int(timeout/time.Second))
		})
	}
}

// sessionARN is the assumed-role ARN of a session of role (a name or an
// ARN) named session, as AWS names the caller in AccessDenied messages:
// ECS names task role and execution role sessions after the task ID, and
// an instance profile's session is the instance ID
// [IAM-UG:reference_identifiers]. An empty or unknown role is returned as
// it is.
func (e *ECS) sessionARN(role, session string) string {
	if role == "" || e.iam == nil {
		return role
	}
	if arn, ok := e.iam.RoleARN(role); ok {
		return iam.AssumedRoleARN(arn, session)
	}
	return role
}
