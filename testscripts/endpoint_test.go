package testscripts

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestEndpoint runs the scripts of endpoint/: `ecsbox serve` driven by
// clients nobody here wrote, Debian's AWS CLI (/usr/bin/aws) and boto3
// (/usr/bin/python3), each behind its condition ([exec:/usr/bin/aws],
// [boto3]). Extra commands:
//
//	freeport VAR      sets $VAR to a free loopback TCP port
//	waitserve PORT    waits (up to 10 s) until ecsbox serve answers on PORT
func TestEndpoint(t *testing.T) {
	p := params("endpoint")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		// The CLI and boto3 read no files of the machine's user, and any
		// credentials do: ecsbox does not verify signatures.
		env.Setenv("AWS_ACCESS_KEY_ID", "ecsbox")
		env.Setenv("AWS_SECRET_ACCESS_KEY", "ecsbox")
		env.Setenv("AWS_DEFAULT_REGION", "us-east-1")
		env.Setenv("AWS_CONFIG_FILE", "/dev/null")
		env.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
		env.Setenv("AWS_PAGER", "")
		return nil
	}
	p.Cmds["freeport"] = freeportCmd
	p.Cmds["waitserve"] = waitserveCmd
	p.Condition = func(cond string) (bool, error) {
		if cond == "boto3" {
			return haveBoto3(), nil
		}
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	testscript.Run(t, p)
}

func freeportCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}

func waitserveCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitserve PORT")
	}
	url := "http://127.0.0.1:" + args[0] + "/_ecsbox/health"
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("ecsbox serve did not answer on %s", url)
}

var boto3Once = sync.OnceValue(func() bool {
	return exec.Command("/usr/bin/python3", "-c", "import boto3").Run() == nil
})

func haveBoto3() bool { return boto3Once() }
