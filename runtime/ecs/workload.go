package ecs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/cmdline"
)

// The simulated workload: what the process in a container does, read from
// its command. ecsbox does not run images (real containers are the docker
// mode's job), so a container's command decides its behaviour:
//
//	sleep N, sh -c "sleep N"     exits 0 after N seconds; as PID 1 it ignores
//	                             SIGTERM, so a stop waits for the stop
//	                             timeout and SIGKILL (exit code 137)
//	exit N, sh -c "exit N"       exits with code N as soon as it starts
//	true, false                  exit 0, exit 1
//	anything else                a server: runs until stopped, and exits 0
//	                             one second after SIGTERM
//
// Exit code 137 is 128 + SIGKILL, as Docker reports a killed process.
type workload struct {
	// runFor is how long the process runs before exiting by itself; zero
	// means it runs until stopped.
	runFor   time.Duration
	exitCode int
	// exitsNow: the process exits as soon as it starts.
	exitsNow bool
	// ignoresSIGTERM: a stop waits for SIGKILL after the stop timeout.
	ignoresSIGTERM bool
}

// gracefulExit is how long the default server takes to exit after SIGTERM.
const gracefulExit = time.Second

// sigkillExitCode is the exit code of a process killed by SIGKILL.
const sigkillExitCode = 137

// An exit is how a container's process ended: its exit code, and the signal
// that ended it or made it exit, for the line its log stream gets.
type exit struct {
	code int
	// signal is "SIGTERM" or "SIGKILL" when a signal ended the process; ""
	// when it ended by itself.
	signal string
	// why says where the signal came from, as the log line words it.
	why string
}

// exitedOnSIGTERM is the default server's graceful exit when its task stops.
var exitedOnSIGTERM = exit{code: 0, signal: "SIGTERM", why: "(the task is stopping)"}

// killedAfterStopTimeout is the end of a process that ignored SIGTERM: the
// agent sends SIGKILL once the container's stop timeout has passed.
func killedAfterStopTimeout(timeout time.Duration) exit {
	return exit{code: sigkillExitCode, signal: "SIGKILL", why: fmt.Sprintf("after the %ds stop timeout", int(timeout/time.Second))}
}

func parseWorkload(command []string) workload {
	words := command
	if len(words) == 3 && (words[0] == "sh" || words[0] == "/bin/sh" || words[0] == "bash" || words[0] == "/bin/bash") && words[1] == "-c" {
		words = strings.Fields(words[2])
	}
	if len(words) == 0 {
		return workload{}
	}
	switch words[0] {
	case "sleep", "/bin/sleep":
		if len(words) == 2 {
			if d, ok := cmdline.Seconds(words[1]); ok {
				return workload{runFor: d, ignoresSIGTERM: true}
			}
		}
	case "exit":
		code := 0
		if len(words) == 2 {
			if n, err := strconv.Atoi(words[1]); err == nil {
				code = n & 0xff
			}
		}
		return workload{exitsNow: true, exitCode: code}
	case "true", "/bin/true":
		return workload{exitsNow: true}
	case "false", "/bin/false":
		return workload{exitsNow: true, exitCode: 1}
	}
	return workload{}
}
