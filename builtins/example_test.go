package builtins_test

import (
	"context"
	"fmt"
	"os"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/ecs"
)

// Example embeds ecsbox in a Go program: a script and Go code share one
// simulated account.
func Example() {
	cloud := runtime.New(runtime.Config{Seed: 42})
	in, err := builtins.New(builtins.Config{Cloud: cloud, Stdout: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer in.Close()

	script := `
c = ecs.create_cluster(clusterName = "demo")["cluster"]
print(c["clusterName"], c["status"])
sim.advance("15m")
`
	if _, err := in.ExecSource(context.Background(), "demo.star", []byte(script)); err != nil {
		fmt.Println(builtins.FormatError(err))
		return
	}
	out, err := cloud.ECS.DescribeClusters(&ecs.DescribeClustersRequest{Clusters: []string{"demo"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.Clusters[0].ClusterArn, cloud.Sim.Now().Format("15:04"))
	// Output:
	// demo ACTIVE
	// arn:aws:ecs:us-east-1:123456789012:cluster/demo 00:15
}
