package ecs

import (
	"fmt"
	"slices"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Service discovery: a service's serviceRegistries name AWS Cloud Map
// services; ECS registers each task as an instance (its ID is the task
// ID) while the task is ACTIVATING, with the task's IP address (awsvpc) or
// the instance's and the host port (bridge, host) and the attributes ECS
// adds, reports its health where the Cloud Map service has a custom health
// check, and deregisters it when the task stops [DG:service-discovery].

// validateRegistries checks a service's serviceRegistries, as
// CreateService does.
func (e *ECS) validateRegistries(registries []ServiceRegistry, td *TaskDefinition) error {
	if len(registries) == 0 {
		return nil
	}
	if e.sd == nil {
		return notSimulated("service discovery (serviceRegistries)")
	}
	if len(registries) > 1 {
		// One registry per service [API:ServiceRegistry]; text not verified
		return invalidParam("Only one service registry is supported per service.")
	}
	r := registries[0]
	info, ok := e.sd.ServiceInfo(deref(r.RegistryArn))
	if !ok {
		// text not verified
		return invalidParam("The service registry %s could not be found.", deref(r.RegistryArn))
	}
	mode := networkModeOf(td)
	srv := slices.Contains(info.Records, "SRV")
	if slices.Contains(info.Records, "A") && mode != "awsvpc" {
		// A records need an IP per task: awsvpc only [DG:service-discovery]; text not verified
		return invalidParam("The service registry %s uses A records, which need the awsvpc network mode; use SRV records with the %s network mode.", info.ARN, mode)
	}
	if srv && mode != "awsvpc" && (r.ContainerName == nil || r.ContainerPort == nil) {
		// [API:ServiceRegistry]: bridge and host need containerName and
		// containerPort for SRV records; text not verified
		return invalidParam("The service registry %s uses SRV records: specify containerName and containerPort.", info.ARN)
	}
	return nil
}

// activates reports whether a task has registrations to make before it is
// RUNNING (its service uses load balancers or service discovery).
func (e *ECS) activates(t *task) bool {
	return t.service != nil && (len(t.service.lbs) > 0 || len(t.service.registries) > 0)
}

// registerInstances registers a starting service task in its service's
// Cloud Map services.
func (e *ECS) registerInstances(t *task) {
	s := t.service
	if s == nil || e.sd == nil {
		return
	}
	for _, r := range s.registries {
		ip, port := e.registryAddress(t, r)
		attrs := map[string]string{
			// The attributes ECS adds to the instances it registers
			// [DG:service-discovery].
			"ECS_CLUSTER_NAME":           t.cluster.name,
			"ECS_SERVICE_NAME":           s.name,
			"ECS_TASK_DEFINITION_FAMILY": deref(t.def.Family),
			"AVAILABILITY_ZONE":          t.az,
			"REGION":                     e.id.Region,
		}
		arn := deref(r.RegistryArn)
		if err := e.sd.Register(arn, t.id, ip, port, attrs); err != nil {
			e.sim.Recordf("ecs", "ServiceDiscoveryFailed", t.arn, "task %s could not be registered in %s: %v", t.id, arn, err)
			continue
		}
		if info, ok := e.sd.ServiceInfo(arn); ok && info.CustomHealth {
			_ = e.sd.SetHealthy(arn, t.id, true)
		}
		t.registries = append(t.registries, arn)
		e.sim.Recordf("ecs", "ServiceDiscoveryRegistered", t.arn, "task %s registered in Cloud Map as %s", t.id, addr(ip, port))
	}
}

// registryAddress is the address a task registers: the task's IP and the
// container port (awsvpc), or the instance's IP and the host port bound to
// the registry's container port.
func (e *ECS) registryAddress(t *task, r ServiceRegistry) (string, int) {
	port := aws.ToInt(r.Port)
	if t.eni != nil {
		if port == 0 {
			port = aws.ToInt(r.ContainerPort)
		}
		return t.eni.privateIP, port
	}
	ip := ""
	if t.instance != nil {
		if inst, ok := e.ec2.Instance(t.instance.ec2ID); ok {
			ip = inst.PrivateIP
		}
	}
	if r.ContainerName != nil && r.ContainerPort != nil {
		if _, hostPort := e.targetOf(t, *r.ContainerName, *r.ContainerPort); hostPort != 0 {
			port = hostPort
		}
	}
	return ip, port
}

func addr(ip string, port int) string {
	if port == 0 {
		return ip
	}
	return fmt.Sprintf("%s:%d", ip, port)
}

// deregisterInstances removes a stopping task from Cloud Map.
func (e *ECS) deregisterInstances(t *task) {
	if e.sd == nil {
		return
	}
	for _, arn := range t.registries {
		if err := e.sd.Deregister(arn, t.id); err == nil {
			e.sim.Recordf("ecs", "ServiceDiscoveryDeregistered", t.arn, "task %s deregistered from Cloud Map", t.id)
		}
	}
	t.registries = nil
}
