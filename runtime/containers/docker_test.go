package containers_test

// Tests of docker mode against a real Docker Engine. They skip when no
// daemon answers, except under ECSBOX_REQUIRE_DOCKER=1 (.ci/run), where
// they fail instead. Each test starts its own run (its own driver), so they
// run in parallel; the slowest (an EC2 instance boots for 30 s of real
// time) sets the pace.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/internal/testlock"
	"github.com/ecsbox/ecsbox/runtime/containers"
)

var (
	pingOnce  sync.Once
	pingError error
	buildOnce sync.Once
	buildErr  error
	binary    string
)

// requireDocker skips the test when no Docker Engine answers (fails under
// ECSBOX_REQUIRE_DOCKER=1), and makes sure the workload binary is built.
func requireDocker(t testing.TB) {
	t.Helper()
	pingOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cli, err := containers.Connect(ctx)
		if err == nil {
			cli.Close()
		}
		pingError = err
	})
	if pingError != nil {
		if os.Getenv("ECSBOX_REQUIRE_DOCKER") == "1" {
			t.Fatalf("ECSBOX_REQUIRE_DOCKER=1 but no Docker Engine: %v", pingError)
		}
		t.Skipf("no Docker Engine: %v", pingError)
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ecsbox-workload-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "ecsbox")
		cmd := exec.Command("go", "build", "-o", binary, "github.com/ecsbox/ecsbox/cmd/ecsbox")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// newRun starts a driver and an interpreter in docker mode over a script
// directory; the run's objects are removed when the test ends, and the test
// checks none is left.
func newRun(t *testing.T) (*builtins.Interp, *containers.Docker) {
	t.Helper()
	requireDocker(t)
	d, err := containers.NewDocker(context.Background(), containers.DockerConfig{WorkloadBinary: binary})
	if err != nil {
		t.Fatal(err)
	}
	in, err := builtins.New(builtins.Config{Dir: t.TempDir(), Docker: d, Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cli, err := containers.Connect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer cli.Close()
		if left, err := containers.Leftovers(ctx, cli, d.RunID()); err != nil || len(left) > 0 {
			t.Errorf("after Close, the run left %v (%v)", left, err)
		}
	})
	return in, d
}

// run executes src and returns its globals.
func run(t *testing.T, in *builtins.Interp, src string) starlark.StringDict {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g, err := in.ExecSource(ctx, "test.star", []byte(src))
	if err != nil {
		t.Fatal(builtins.FormatError(err))
	}
	return g
}

func str(t *testing.T, g starlark.StringDict, name string) string {
	t.Helper()
	v, ok := g[name]
	if !ok {
		t.Fatalf("the script set no %s", name)
	}
	if s, ok := starlark.AsString(v); ok {
		return s
	}
	return v.String()
}

// getJSON fetches url, retrying for a few seconds while the server starts.
func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	var last error
	for i := 0; i < 50; i++ {
		res, err := http.Get(url)
		if err == nil {
			var out map[string]any
			err = json.NewDecoder(res.Body).Decode(&out)
			res.Body.Close()
			if err == nil {
				return out
			}
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("GET %s: %v", url, last)
	return nil
}

const fargateWeb = `
ecs.create_cluster(clusterName = "c")
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
ecs.register_task_definition(family = "web", requiresCompatibilities = ["FARGATE"], networkMode = "awsvpc", cpu = "256", memory = "512",
    containerDefinitions = [{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}]}])
arn = ecs.run_task(cluster = "c", taskDefinition = "web", launchType = "FARGATE",
    networkConfiguration = {"awsvpcConfiguration": {"subnets": subnets}})["tasks"][0]["taskArn"]
def task():
    return ecs.describe_tasks(cluster = "c", tasks = [arn])["tasks"][0]
assert.true(sim.run_until(lambda: task()["lastStatus"] == "RUNNING", timeout = "60s"))
ip = task()["containers"][0]["networkInterfaces"][0]["privateIpv4Address"]
`

func TestDockerAwsvpcTaskAnswersOnItsIP(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	in, _ := newRun(t)
	g := run(t, in, fargateWeb)
	ip := str(t, g, "ip")
	if !strings.HasPrefix(ip, "172.31.") {
		t.Fatalf("ENI address %s is not in the default VPC", ip)
	}
	meta := getJSON(t, "http://"+ip+":80/hello")
	if meta["TaskARN"] != str(t, g, "arn") || meta["PrivateIP"] != ip || meta["Path"] != "/hello" {
		t.Errorf("the task at %s answered %v", ip, meta)
	}
}

func TestDockerBridgeTaskAnswersOnTheHost(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	in, _ := newRun(t)
	g := run(t, in, `
EC2_TRUST = json.encode({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
iam.create_role(RoleName = "ecsInstanceRole", AssumeRolePolicyDocument = EC2_TRUST)
iam.attach_role_policy(RoleName = "ecsInstanceRole", PolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
iam.create_instance_profile(InstanceProfileName = "ecsInstanceRole")
iam.add_role_to_instance_profile(InstanceProfileName = "ecsInstanceRole", RoleName = "ecsInstanceRole")
ecs.create_cluster(clusterName = "c")
ami = ssm.get_parameter(Name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"]
ec2.run_instances(ImageId = ami, InstanceType = "t3.medium", MinCount = 1, MaxCount = 1, IamInstanceProfile = {"Name": "ecsInstanceRole"},
    UserData = "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config")
assert.true(sim.run_until(lambda: len(ecs.list_container_instances(cluster = "c")["containerInstanceArns"]) == 1, timeout = "90s"))
ecs.register_task_definition(family = "web", containerDefinitions = [{"name": "web", "image": "nginx", "memory": 128, "cpu": 128,
    "portMappings": [{"containerPort": 8080, "hostPort": 0}], "command": ["nginx", "-g", "daemon off;"]}])
arn = ecs.run_task(cluster = "c", taskDefinition = "web")["tasks"][0]["taskArn"]
def task():
    return ecs.describe_tasks(cluster = "c", tasks = [arn])["tasks"][0]
assert.true(sim.run_until(lambda: task()["lastStatus"] == "RUNNING", timeout = "60s"))
b = task()["containers"][0]["networkBindings"][0]
port = b["hostPort"]
bind = b["bindIP"]
`)
	url := fmt.Sprintf("http://%s:%s/", str(t, g, "bind"), str(t, g, "port"))
	meta := getJSON(t, url)
	if meta["TaskARN"] != str(t, g, "arn") || meta["ContainerName"] != "web" {
		t.Errorf("%s answered %v", url, meta)
	}
}

func TestDockerEssentialExitStopsTheTaskWithItsCodeAndLogs(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	in, _ := newRun(t)
	g := run(t, in, `
TRUST = json.encode({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
iam.create_role(RoleName = "exec", AssumeRolePolicyDocument = TRUST)
iam.attach_role_policy(RoleName = "exec", PolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
ecs.create_cluster(clusterName = "c")
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
ecs.register_task_definition(family = "job", requiresCompatibilities = ["FARGATE"], networkMode = "awsvpc", cpu = "256", memory = "512",
    executionRoleArn = "arn:aws:iam::123456789012:role/exec",
    containerDefinitions = [
        {"name": "main", "image": "busybox", "command": ["sh", "-c", "sleep 1; exit 3"], "essential": True,
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/job", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "job"}}},
        {"name": "side", "image": "busybox", "essential": False},
    ])
logs.create_log_group(logGroupName = "/ecs/job")
arn = ecs.run_task(cluster = "c", taskDefinition = "job", launchType = "FARGATE",
    networkConfiguration = {"awsvpcConfiguration": {"subnets": subnets}})["tasks"][0]["taskArn"]
def task():
    return ecs.describe_tasks(cluster = "c", tasks = [arn])["tasks"][0]
assert.true(sim.run_until(lambda: task()["lastStatus"] == "STOPPED", timeout = "60s"))
t = task()
stop_code = t["stopCode"]
reason = t["stoppedReason"]
codes = {c["name"]: c.get("exitCode") for c in t["containers"]}
main_code = codes["main"]
side_code = codes["side"]
stream = "job/main/" + arn.split("/")[-1]
lines = "\n".join([e["message"] for e in logs.get_log_events(logGroupName = "/ecs/job", logStreamName = stream)["events"]])
`)
	if got := str(t, g, "stop_code"); got != "EssentialContainerExited" {
		t.Errorf("stopCode = %s, want EssentialContainerExited (%s)", got, str(t, g, "reason"))
	}
	if got := str(t, g, "reason"); got != "Essential container in task exited" {
		t.Errorf("stoppedReason = %q", got)
	}
	if got := str(t, g, "main_code"); got != "3" {
		t.Errorf("main's exitCode = %s, want 3", got)
	}
	if got := str(t, g, "side_code"); got != "0" {
		t.Errorf("side's exitCode = %s, want 0 (the HTTP server exits 0 on SIGTERM)", got)
	}
	if got := str(t, g, "lines"); !strings.Contains(got, "ecsbox workload: sleeping 1s") || !strings.Contains(got, "exiting with code 3") {
		t.Errorf("the log stream holds %q", got)
	}
}

func TestDockerRefusesHostAccess(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	in, _ := newRun(t)
	g := run(t, in, `
ecs.create_cluster(clusterName = "c")
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
ecs.register_task_definition(family = "p", requiresCompatibilities = ["FARGATE"], networkMode = "awsvpc", cpu = "256", memory = "512",
    containerDefinitions = [{"name": "p", "image": "busybox", "linuxParameters": {"capabilities": {"add": ["SYS_ADMIN"]}}}])
arn = ecs.run_task(cluster = "c", taskDefinition = "p", launchType = "FARGATE",
    networkConfiguration = {"awsvpcConfiguration": {"subnets": subnets}})["tasks"][0]["taskArn"]
def task():
    return ecs.describe_tasks(cluster = "c", tasks = [arn])["tasks"][0]
assert.true(sim.run_until(lambda: task()["lastStatus"] == "STOPPED", timeout = "30s"))
reason = task()["stoppedReason"]
`)
	if got := str(t, g, "reason"); !strings.Contains(got, "--allow-host") || !strings.Contains(got, "SYS_ADMIN") {
		t.Errorf("stoppedReason = %q", got)
	}
}

// A script that starts a task and waits an hour, for the signal tests.
const longRun = `
ecs.create_cluster(clusterName = "c")
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
ecs.register_task_definition(family = "web", requiresCompatibilities = ["FARGATE"], networkMode = "awsvpc", cpu = "256", memory = "512",
    containerDefinitions = [{"name": "web", "image": "nginx"}])
ecs.run_task(cluster = "c", taskDefinition = "web", launchType = "FARGATE", networkConfiguration = {"awsvpcConfiguration": {"subnets": subnets}})
sim.advance("1h")
`

// startChild runs `ecsbox run --docker` on longRun and waits until its task
// container runs; it returns the child and the label that finds its objects.
func startChild(t *testing.T) (*exec.Cmd, string) {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "long.star")
	if err := os.WriteFile(script, []byte(longRun), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "run", "--docker", script)
	cmd.Env = append(os.Environ(), containers.WorkloadBinaryEnv+"="+binary)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	label := fmt.Sprintf("%s=%d", containers.LabelPID, cmd.Process.Pid)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if n := countLabelled(t, label); n >= 2 { // the pause and the task's container
			return cmd, label
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("the child's task did not start within 30s")
	return nil, ""
}

func countLabelled(t *testing.T, label string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := containers.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", label)})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Items)
}

func TestDockerCtrlCRemovesEverything(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	requireDocker(t)
	cmd, label := startChild(t)
	began := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if took := time.Since(began); took > 20*time.Second {
		t.Errorf("the run took %s to stop after Ctrl-C", took)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit after Ctrl-C: %v, want status 1", err)
	}
	if n := countLabelled(t, label); n != 0 {
		t.Errorf("%d containers remain after Ctrl-C", n)
	}
}

func TestDockerNextStartRemovesWhatAKilledRunLeft(t *testing.T) {
	testlock.Docker(t) // one Docker test at a time: see internal/testlock
	requireDocker(t)
	cmd, label := startChild(t)
	cmd.Process.Kill()
	cmd.Wait()
	if n := countLabelled(t, label); n == 0 {
		t.Fatal("a killed run left nothing to clean up: the test proves nothing")
	}
	d, err := containers.NewDocker(context.Background(), containers.DockerConfig{WorkloadBinary: binary})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if n := countLabelled(t, label); n != 0 {
		t.Errorf("%d containers of the killed run remain after the next start", n)
	}
}
