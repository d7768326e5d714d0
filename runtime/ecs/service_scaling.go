package ecs

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// What Application Auto Scaling needs of ECS: a service is the scalable
// target "service/<cluster>/<service>" whose dimension is
// ecs:service:DesiredCount [AAS-API:RegisterScalableTargetRequest].

// serviceByResourceID finds the ACTIVE service a resource ID names.
func (e *ECS) serviceByResourceID(resourceID string) (*service, error) {
	parts := strings.Split(resourceID, "/")
	if len(parts) != 3 || parts[0] != "service" {
		return nil, awserr.Newf("ValidationException", "Unsupported resource ID %s: an ECS service is service/<cluster>/<service>.", resourceID) // text not verified
	}
	c, err := e.lookupCluster(parts[1])
	if err != nil {
		return nil, err
	}
	return e.activeService(c, parts[2])
}

// ServiceCapacity returns the desired count and the number of running
// tasks of the service a resource ID names.
func (e *ECS) ServiceCapacity(resourceID string) (desired, running int, err error) {
	s, err := e.serviceByResourceID(resourceID)
	if err != nil {
		return 0, 0, err
	}
	running, _ = s.counts(nil)
	return s.desiredCount, running, nil
}

// SetServiceDesiredCount sets a service's desired count, as Application
// Auto Scaling does through UpdateService; cause says why, for the timeline.
func (e *ECS) SetServiceDesiredCount(resourceID string, desired int, cause string) error {
	s, err := e.serviceByResourceID(resourceID)
	if err != nil {
		return err
	}
	if s.desiredCount == desired {
		return nil
	}
	e.sim.Recordf("ecs", "ServiceDesiredCountChanged", s.arn, "service %s desired count %d → %d (%s)", s.name, s.desiredCount, desired, cause)
	s.desiredCount = desired
	e.scheduleReconcile(s, 0)
	return nil
}

// DeploymentInProgress reports whether the service is rolling out a
// deployment: Application Auto Scaling does not scale in meanwhile
// [DG:service-auto-scaling].
func (e *ECS) DeploymentInProgress(resourceID string) bool {
	s, err := e.serviceByResourceID(resourceID)
	if err != nil {
		return false
	}
	return len(s.deployments) > 1 || s.primary().rolloutState == "IN_PROGRESS"
}
