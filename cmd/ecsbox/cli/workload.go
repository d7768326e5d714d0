package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ecsbox/ecsbox/runtime/cmdline"
)

// The workload: what runs inside ecsbox/workload, the image docker mode
// runs ECS tasks in (runtime/containers/docker_workload.go). `ecsbox
// workload ARGS` is hidden from the help; ARGS are the container's command,
// read the way the simulated workload model reads it
// (runtime/ecs/workload.go), so a task behaves alike in both modes:
//
//	(nothing, or anything else)  an HTTP server on the task's container ports
//	                             (ECSBOX_PORTS, default 80) that answers
//	                             with the task's metadata as JSON; exits 0
//	                             promptly on SIGTERM
//	sleep N                      exits 0 after N seconds (suffixes s m h d);
//	                             ignores SIGTERM, as a shell's sleep does as
//	                             PID 1, so a stop ends with SIGKILL (137)
//	exit N, true, false          exits with N, 0, 1
//	sh -c "...", bash -c "..."   the same commands, as one string
//	stress --cpu N --vm N --vm-bytes B --timeout D
//	                             N goroutines that burn a CPU each, N that
//	                             keep B bytes in use, for D
//	kill [-9|-KILL] PID          signals a process (ECS Exec's kill 1)
//	pause                        the awsvpc pause container: waits for a stop
//
// The binary answers to these names too (sh, sleep, stress, ... are links
// to it in the image), see WorkloadName.

// workloadNames are the program names that run the workload directly.
var workloadNames = map[string]bool{"sh": true, "bash": true, "sleep": true, "true": true, "false": true, "kill": true, "stress": true}

// WorkloadName reports whether argv0 (a program path) is one of the names
// the ecsbox binary answers to inside the workload image; main then runs
// Main(append([]string{"workload", base}, args...)).
func WorkloadName(argv0 string) (string, bool) {
	base := filepath.Base(argv0)
	return base, workloadNames[base]
}

// workloadCommand implements `ecsbox workload ARGS`.
func workloadCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) >= 2 && (args[0] == "sh" || args[0] == "/bin/sh" || args[0] == "bash" || args[0] == "/bin/bash") && args[1] == "-c" {
		if len(args) < 3 {
			fmt.Fprintln(stderr, "sh: -c: option requires an argument")
			return 2
		}
		return workloadScript(args[2], stdout, stderr)
	}
	if len(args) == 0 {
		return serveWorkload(stdout, stderr)
	}
	name := filepath.Base(args[0])
	switch name {
	case "sleep":
		if len(args) == 2 {
			if d, ok := cmdline.Seconds(args[1]); ok {
				signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
				fmt.Fprintf(stdout, "ecsbox workload: sleeping %s\n", d)
				time.Sleep(d)
				return 0
			}
		}
		fmt.Fprintf(stderr, "sleep: invalid time interval %q\n", strings.Join(args[1:], " "))
		return 1
	case "exit":
		code := 0
		if len(args) == 2 {
			n, err := strconv.Atoi(args[1])
			if err != nil {
				fmt.Fprintf(stderr, "sh: exit: Illegal number: %s\n", args[1])
				return 2
			}
			code = n & 0xff
		}
		fmt.Fprintf(stdout, "ecsbox workload: exiting with code %d\n", code)
		return code
	case "true":
		return 0
	case "false":
		return 1
	case "stress":
		return stressWorkload(args[1:], stdout, stderr)
	case "kill":
		return killWorkload(args[1:], stderr)
	case "pause":
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		return 0
	}
	return serveWorkload(stdout, stderr)
}

// workloadScript runs a `sh -c` string: commands separated by ";" or
// "&&" (an "&&" stops at the first failure), each one a workload command;
// "exit N" ends the script with N.
func workloadScript(script string, stdout, stderr io.Writer) int {
	var tokens []string
	for _, w := range cmdline.Words(script) {
		if cut, ok := strings.CutSuffix(w, ";"); ok && w != ";" {
			tokens = append(tokens, cut, ";")
			continue
		}
		tokens = append(tokens, w)
	}
	status := 0
	var cmd []string
	for i := 0; i <= len(tokens); i++ {
		if i < len(tokens) && tokens[i] != ";" && tokens[i] != "&&" {
			cmd = append(cmd, tokens[i])
			continue
		}
		if len(cmd) > 0 {
			status = workloadCommand(cmd, stdout, stderr)
			if cmd[0] == "exit" || (i < len(tokens) && tokens[i] == "&&" && status != 0) {
				return status
			}
		}
		cmd = nil
	}
	return status
}

// serveWorkload is the default workload: an HTTP server on every container
// port of the task, answering with the task's metadata.
func serveWorkload(stdout, stderr io.Writer) int {
	ports := strings.Split(os.Getenv("ECSBOX_PORTS"), ",")
	if ports[0] == "" {
		ports = []string{"80"}
	}
	var requests atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		host, _ := os.Hostname()
		meta := map[string]any{
			"Cluster":          os.Getenv("ECSBOX_CLUSTER"),
			"TaskARN":          os.Getenv("ECSBOX_TASK_ARN"),
			"TaskDefinition":   os.Getenv("ECSBOX_TASK_DEFINITION"),
			"ContainerName":    os.Getenv("ECSBOX_CONTAINER_NAME"),
			"AvailabilityZone": os.Getenv("ECSBOX_AVAILABILITY_ZONE"),
			"PrivateIP":        os.Getenv("ECSBOX_PRIVATE_IP"),
			"Hostname":         host,
			"Path":             r.URL.Path,
			"Requests":         n,
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(meta)
		fmt.Fprintf(stdout, "%s %s %s\n", r.RemoteAddr, r.Method, r.URL.Path)
	})
	var servers []*http.Server
	errs := make(chan error, len(ports))
	for _, p := range ports {
		ln, err := net.Listen("tcp", ":"+p)
		if err != nil {
			fmt.Fprintf(stderr, "ecsbox workload: %v\n", err)
			return 1
		}
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() { errs <- srv.Serve(ln) }()
		fmt.Fprintf(stdout, "ecsbox workload: serving HTTP on port %s\n", p)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case s := <-sig:
		fmt.Fprintf(stdout, "ecsbox workload: %s, shutting down\n", strings.ToUpper(sigName(s)))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		for _, srv := range servers {
			_ = srv.Shutdown(ctx)
		}
		return 0
	case err := <-errs:
		fmt.Fprintf(stderr, "ecsbox workload: %v\n", err)
		return 1
	}
}

func sigName(s os.Signal) string {
	if s == syscall.SIGTERM {
		return "sigterm"
	}
	return "sigint"
}

// stressWorkload burns CPU and holds memory as the stress tool does, with
// its options and its messages (stress 1.0.4).
func stressWorkload(args []string, stdout, stderr io.Writer) int {
	opts, err := cmdline.ParseStress(args)
	if err != nil {
		fmt.Fprintf(stderr, "stress: FAIL: [%d] %v\n", os.Getpid(), err)
		return 1
	}
	cpu, vm, vmBytes, timeout := opts.CPU, opts.VM, opts.VMBytes, opts.Timeout
	pid := os.Getpid()
	fmt.Fprintf(stdout, "stress: info: [%d] dispatching hogs: %d cpu, 0 io, %d vm, 0 hdd\n", pid, cpu, vm)
	start := time.Now()
	for i := 0; i < cpu; i++ {
		go func() {
			x := uint64(1)
			for {
				x = x*6364136223846793005 + 1442695040888963407
				if x == 0 {
					fmt.Fprint(io.Discard, x)
				}
			}
		}()
	}
	for i := 0; i < vm; i++ {
		go func() {
			for {
				b := make([]byte, vmBytes)
				for j := 0; j < len(b); j += 4096 {
					b[j] = 'Z'
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	var done <-chan time.Time
	if timeout > 0 {
		done = time.After(timeout)
	}
	select {
	case <-done:
		fmt.Fprintf(stdout, "stress: info: [%d] successful run completed in %ds\n", pid, int(time.Since(start).Round(time.Second)/time.Second))
		return 0
	case <-sig:
		return 143
	}
}

// killWorkload is kill [-SIGNAL] PID...
func killWorkload(args []string, stderr io.Writer) int {
	sig := syscall.SIGTERM
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch strings.TrimPrefix(strings.TrimPrefix(args[0], "-"), "SIG") {
		case "9", "KILL":
			sig = syscall.SIGKILL
		case "15", "TERM":
		case "2", "INT":
			sig = syscall.SIGINT
		default:
			fmt.Fprintf(stderr, "kill: unknown signal %s\n", args[0])
			return 1
		}
		args = args[1:]
	}
	sort.Strings(args)
	status := 0
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err == nil {
			err = syscall.Kill(pid, sig)
		}
		if err != nil {
			fmt.Fprintf(stderr, "kill: %s: %v\n", a, err)
			status = 1
		}
	}
	return status
}
