package runtime

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/containers"
)

// dockerBootTime is how long an EC2 instance boots in docker mode. Its
// container instance stands for this machine, which is up already, and
// docker mode runs on the wall clock: the simulated 30 s would be 30 s of
// waiting for nothing. SIM: 2 s.
const dockerBootTime = 2 * time.Second

// DockerMode puts the account in docker mode: the clock follows the wall
// clock, ECS runs its tasks as real containers through d, and instances
// boot in dockerBootTime.
func (c *Cloud) DockerMode(d containers.Driver) {
	c.Sim.FollowWallClock()
	c.ECS.SetDriver(d)
	c.EC2.SetBootTime(dockerBootTime)
}
