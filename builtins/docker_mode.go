package builtins

import "github.com/ecsbox/ecsbox/runtime/containers"

// Docker mode (Config.Docker; `ecsbox run --docker`): ECS tasks run as real
// containers on a Docker Engine, ECS staying the control plane. The clock
// then follows the wall clock: sim.advance("1m") takes a minute, and
// sim.run_until's timeout is real time, so scenarios read sim.docker to
// choose short durations. The docker module keeps the simulated engine's
// builds, pushes and pulls (the registry is the simulated ECR) and tags the
// names it makes on the real engine, so tasks that use them run.

// enableDockerMode switches the interpreter's account to docker mode when
// the configuration has a driver.
func (in *Interp) enableDockerMode() {
	d := in.cfg.Docker
	if d == nil {
		return
	}
	in.cloud.DockerMode(d)
	if sim, ok := in.docker.(*containers.Simulated); ok {
		in.docker = containers.NewDockerEngine(sim, d)
	}
}
