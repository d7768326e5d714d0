package builtins

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sim.set_traffic takes a load balancer by name, ARN or the dict the API
// returned, and refuses what it cannot use with a clear error.
func TestSimSetTraffic(t *testing.T) {
	script := `
vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
created = elbv2.create_load_balancer(Name = "web", Subnets = subnets)
lb = created["LoadBalancers"][0]
tg = elbv2.create_target_group(Name = "web", Protocol = "HTTP", Port = 80, VpcId = vpc)
sim.set_traffic(load_balancer = created, rps = 10)
sim.set_traffic(load_balancer = lb, rps = 10.5)
sim.set_traffic(load_balancer = "web", rps = 10, path = "/api")
sim.set_traffic(target_group = tg, rps = 5)
for call, want in [
    (lambda: sim.set_traffic(rps = 1), "give load_balancer or target_group"),
    (lambda: sim.set_traffic(load_balancer = "web", target_group = tg, rps = 1), "not both"),
    (lambda: sim.set_traffic(load_balancer = "web", rps = "many"), "rps must be a number"),
    (lambda: sim.set_traffic(load_balancer = 3, rps = 1), "must be an ARN, a name or a dict"),
    (lambda: sim.set_traffic(load_balancer = "nope", rps = 1), "LoadBalancerNotFound"),
    (lambda: sim.set_traffic(load_balancer = "web", rps = -1), "requests per second"),
]:
    err = catch(call)
    if want not in err:
        fail("got %r, want %r" % (err, want))
`
	dir := t.TempDir()
	path := filepath.Join(dir, "main.star")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := New(Config{Dir: dir, Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := in.ExecFile(context.Background(), path); err != nil {
		t.Fatal(FormatError(err))
	}
}
