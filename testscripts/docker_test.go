package testscripts

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ecsbox/ecsbox/runtime/containers"
)

// The scripts in docker/ run ecsbox in docker mode against the Docker
// Engine of the environment. [docker] is true when the engine answers a
// ping (asked once, 2 s at most). Without an engine TestDocker skips,
// except under ECSBOX_REQUIRE_DOCKER=1 (.ci/run), where it fails.
//
// The test binary cannot be the workload image's process (run in a
// container, it would run the tests), so TestDocker builds a static ecsbox
// and points ECSBOX_WORKLOAD_BINARY at it.

var (
	dockerOnce sync.Once
	dockerErr  error
)

func dockerAvailable() error {
	dockerOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cli, err := containers.Connect(ctx)
		if err == nil {
			cli.Close()
		}
		dockerErr = err
	})
	return dockerErr
}

// condition answers testscript's custom conditions: docker.
func condition(cond string) (bool, error) {
	if cond == "docker" {
		return dockerAvailable() == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func dockerParams(t *testing.T) testscript.Params {
	if err := dockerAvailable(); err != nil {
		if os.Getenv("ECSBOX_REQUIRE_DOCKER") == "1" {
			t.Fatalf("ECSBOX_REQUIRE_DOCKER=1 but no Docker Engine: %v", err)
		}
		t.Skipf("no Docker Engine: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ecsbox")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/ecsbox/ecsbox/cmd/ecsbox")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the workload binary: %v\n%s", err, out)
	}
	p := params("docker")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv(containers.WorkloadBinaryEnv, bin)
		env.Setenv("DOCKER_HOST", os.Getenv("DOCKER_HOST"))
		return setup(env)
	}
	return p
}
