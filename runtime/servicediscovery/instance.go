package servicediscovery

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Attributes Cloud Map gives meaning to [CloudMap-API:RegisterInstance].
const (
	AttrIPv4 = "AWS_INSTANCE_IPV4"
	AttrPort = "AWS_INSTANCE_PORT"
)

// unhealthyDelay: after an UpdateInstanceCustomHealthStatus to UNHEALTHY,
// "Cloud Map waits for 30 seconds. If another
// UpdateInstanceCustomHealthStatus request doesn't arrive during that time
// to change the status back to healthy, Cloud Map stops routing traffic to
// the resource." [CloudMap-API:HealthCheckCustomConfig]
const unhealthyDelay = 30 * time.Second

type instance struct {
	id               string
	attrs            map[string]string
	creatorRequestID string
	// health is HEALTHY or UNHEALTHY for a service with a custom health
	// check, "" (UNKNOWN) otherwise.
	health  string
	pending *sim.Timer // an UNHEALTHY report waiting its 30 seconds
}

func (svc *service) find(id string) *instance {
	for _, in := range svc.instances {
		if in.id == id {
			return in
		}
	}
	return nil
}

// RegisterInstance registers (or re-registers, replacing the attributes) an
// instance. A service with A records needs AWS_INSTANCE_IPV4, one with SRV
// records AWS_INSTANCE_PORT too. The operation succeeds at once.
func (s *ServiceDiscovery) RegisterInstance(in *RegisterInstanceRequest) (*RegisterInstanceResponse, error) {
	if in == nil {
		in = &RegisterInstanceRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	id := aws.ToString(in.InstanceId)
	if id == "" || len(id) > 64 {
		// text not verified
		return nil, invalid("InstanceId must be 1 to 64 characters")
	}
	if ip, ok := in.Attributes[AttrIPv4]; ok {
		if a, err := netip.ParseAddr(ip); err != nil || !a.Is4() {
			// text not verified
			return nil, invalid("Invalid value for %s: %s", AttrIPv4, ip)
		}
	}
	if p, ok := in.Attributes[AttrPort]; ok {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
			// text not verified
			return nil, invalid("Invalid value for %s: %s", AttrPort, p)
		}
	}
	if svc.dns != nil {
		for _, r := range svc.dns.DnsRecords {
			switch aws.ToString(r.Type) {
			case RecordTypeA:
				if in.Attributes[AttrIPv4] == "" {
					// text not verified
					return nil, invalid("%s is required for a service with A records", AttrIPv4)
				}
			case RecordTypeSRV:
				if in.Attributes[AttrPort] == "" {
					// text not verified
					return nil, invalid("%s is required for a service with SRV records", AttrPort)
				}
			}
		}
	}
	op := s.newOperation(OperationTypeREGISTERINSTANCE, map[string]string{OperationTargetTypeNAMESPACE: svc.namespace.id,
		OperationTargetTypeSERVICE: svc.id, OperationTargetTypeINSTANCE: id}, 0, func() {
		inst := svc.find(id)
		if inst == nil {
			inst = &instance{id: id}
			// ecsbox's choice: an instance of a service with a custom
			// health check starts HEALTHY, until its registrant reports.
			if svc.customHealth {
				inst.health = HealthStatusHEALTHY
			}
			svc.instances = append(svc.instances, inst)
		}
		inst.attrs = maps.Clone(in.Attributes)
		inst.creatorRequestID = aws.ToString(in.CreatorRequestId)
		svc.revision++
		s.sim.Recordf("servicediscovery", "InstanceRegistered", svc.arn, "service %s.%s: instance %s registered (%s)",
			svc.name, svc.namespace.name, id, address(inst.attrs))
	})
	return &RegisterInstanceResponse{OperationId: aws.String(op.id)}, nil
}

func address(attrs map[string]string) string {
	ip, port := attrs[AttrIPv4], attrs[AttrPort]
	switch {
	case ip != "" && port != "":
		return ip + ":" + port
	case ip != "":
		return ip
	}
	return "no address"
}

// DeregisterInstance removes an instance.
func (s *ServiceDiscovery) DeregisterInstance(in *DeregisterInstanceRequest) (*DeregisterInstanceResponse, error) {
	if in == nil {
		in = &DeregisterInstanceRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	inst := svc.find(aws.ToString(in.InstanceId))
	if inst == nil {
		return nil, instanceNotFound(aws.ToString(in.InstanceId))
	}
	op := s.newOperation(OperationTypeDEREGISTERINSTANCE, map[string]string{OperationTargetTypeNAMESPACE: svc.namespace.id,
		OperationTargetTypeSERVICE: svc.id, OperationTargetTypeINSTANCE: inst.id}, 0, func() {
		if inst.pending != nil {
			inst.pending.Stop()
		}
		svc.instances = slices.DeleteFunc(svc.instances, func(x *instance) bool { return x == inst })
		svc.revision++
		s.sim.Recordf("servicediscovery", "InstanceDeregistered", svc.arn, "service %s.%s: instance %s deregistered", svc.name, svc.namespace.name, inst.id)
	})
	return &DeregisterInstanceResponse{OperationId: aws.String(op.id)}, nil
}

func instanceNotFound(id string) error {
	// text not verified
	return awserr.Newf(InstanceNotFound, "Instance not found: %s", id)
}

// GetInstance describes an instance.
func (s *ServiceDiscovery) GetInstance(in *GetInstanceRequest) (*GetInstanceResponse, error) {
	if in == nil {
		in = &GetInstanceRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	inst := svc.find(aws.ToString(in.InstanceId))
	if inst == nil {
		return nil, instanceNotFound(aws.ToString(in.InstanceId))
	}
	out := &Instance{Id: aws.String(inst.id), Attributes: maps.Clone(inst.attrs), CreatedByAccount: aws.String(s.id.AccountID)}
	if inst.creatorRequestID != "" {
		out.CreatorRequestId = aws.String(inst.creatorRequestID)
	}
	return &GetInstanceResponse{ResourceOwner: aws.String(s.id.AccountID), Instance: out}, nil
}

// ListInstances lists a service's instances in registration order.
func (s *ServiceDiscovery) ListInstances(in *ListInstancesRequest) (*ListInstancesResponse, error) {
	if in == nil {
		in = &ListInstancesRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	keys := make([]string, len(svc.instances))
	for i := range keys {
		keys[i] = fmt.Sprintf("%06d", i)
	}
	page, next, err := paginate("ListInstances", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListInstancesResponse{ResourceOwner: aws.String(s.id.AccountID), Instances: []InstanceSummary{}, NextToken: next}
	for _, k := range page {
		i, _ := strconv.Atoi(k)
		inst := svc.instances[i]
		out.Instances = append(out.Instances, InstanceSummary{Id: aws.String(inst.id), Attributes: maps.Clone(inst.attrs), CreatedByAccount: aws.String(s.id.AccountID)})
	}
	return out, nil
}

func (inst *instance) status() string {
	if inst.health == "" {
		return HealthStatusUNKNOWN
	}
	return inst.health
}

// DiscoverInstances resolves a service, by namespace and service names, to
// its instances: by default the healthy ones (services without a health
// check return every instance, as UNKNOWN), filtered by QueryParameters
// (attributes that must be equal) [CloudMap-API:DiscoverInstances].
func (s *ServiceDiscovery) DiscoverInstances(in *DiscoverInstancesRequest) (*DiscoverInstancesResponse, error) {
	if in == nil {
		in = &DiscoverInstancesRequest{}
	}
	ns := s.namespaceByName(aws.ToString(in.NamespaceName))
	if ns == nil {
		return nil, namespaceNotFound(aws.ToString(in.NamespaceName))
	}
	var svc *service
	for _, x := range s.services {
		if x.namespace == ns && x.name == aws.ToString(in.ServiceName) {
			svc = x
		}
	}
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceName))
	}
	limit := 100 // [CloudMap-API:DiscoverInstances] MaxResults: "If you don't specify a value, Cloud Map returns up to 100 instances."
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 1000 {
			// text not verified
			return nil, invalid("MaxResults must be between 1 and 1000")
		}
		limit = *in.MaxResults
	}
	filter := aws.ToString(in.HealthStatus)
	if filter == "" {
		filter = HealthStatusFilterHEALTHY
	}
	match := func(inst *instance, params map[string]string) bool {
		for k, v := range params {
			if inst.attrs[k] != v {
				return false
			}
		}
		return true
	}
	var found []*instance
	for _, inst := range svc.instances {
		if match(inst, in.QueryParameters) {
			found = append(found, inst)
		}
	}
	if svc.customHealth {
		healthy := slices.DeleteFunc(slices.Clone(found), func(x *instance) bool { return x.health != HealthStatusHEALTHY })
		switch filter {
		case HealthStatusFilterHEALTHY:
			found = healthy
		case HealthStatusFilterUNHEALTHY:
			found = slices.DeleteFunc(found, func(x *instance) bool { return x.health != HealthStatusUNHEALTHY })
		case HealthStatusFilterHEALTHYORELSEALL:
			if len(healthy) > 0 {
				found = healthy
			}
		}
	}
	if len(in.OptionalParameters) > 0 {
		var preferred []*instance
		for _, inst := range found {
			if match(inst, in.OptionalParameters) {
				preferred = append(preferred, inst)
			}
		}
		if len(preferred) > 0 {
			found = preferred
		}
	}
	out := &DiscoverInstancesResponse{Instances: []HttpInstanceSummary{}, InstancesRevision: aws.Int64(svc.revision)}
	for _, inst := range found[:min(limit, len(found))] {
		out.Instances = append(out.Instances, HttpInstanceSummary{InstanceId: aws.String(inst.id), NamespaceName: aws.String(ns.name),
			ServiceName: aws.String(svc.name), HealthStatus: aws.String(inst.status()), Attributes: maps.Clone(inst.attrs)})
	}
	return out, nil
}

// GetInstancesHealthStatus returns the health of a service's instances.
func (s *ServiceDiscovery) GetInstancesHealthStatus(in *GetInstancesHealthStatusRequest) (*GetInstancesHealthStatusResponse, error) {
	if in == nil {
		in = &GetInstancesHealthStatusRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	var keys []string
	byKey := map[string]*instance{}
	for i, inst := range svc.instances {
		if len(in.Instances) > 0 && !slices.Contains(in.Instances, inst.id) {
			continue
		}
		k := fmt.Sprintf("%06d", i)
		keys = append(keys, k)
		byKey[k] = inst
	}
	for _, id := range in.Instances {
		if svc.find(id) == nil {
			return nil, instanceNotFound(id)
		}
	}
	page, next, err := paginate("GetInstancesHealthStatus", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &GetInstancesHealthStatusResponse{Status: map[string]string{}, NextToken: next}
	for _, k := range page {
		out.Status[byKey[k].id] = byKey[k].status()
	}
	return out, nil
}

// UpdateInstanceCustomHealthStatus reports an instance's health for a
// service with a custom health check. HEALTHY applies at once; UNHEALTHY
// after 30 seconds unless HEALTHY arrives first.
func (s *ServiceDiscovery) UpdateInstanceCustomHealthStatus(in *UpdateInstanceCustomHealthStatusRequest) (*struct{}, error) {
	if in == nil {
		in = &UpdateInstanceCustomHealthStatusRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.ServiceId))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.ServiceId))
	}
	inst := svc.find(aws.ToString(in.InstanceId))
	if inst == nil {
		return nil, instanceNotFound(aws.ToString(in.InstanceId))
	}
	if !svc.customHealth {
		// text not verified
		return nil, awserr.Newf(CustomHealthNotFound, "Service %s does not have a custom health check", svc.id)
	}
	status := aws.ToString(in.Status)
	switch status {
	case CustomHealthStatusHEALTHY, CustomHealthStatusUNHEALTHY:
	default:
		// text not verified
		return nil, invalid("1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [HEALTHY, UNHEALTHY]", status)
	}
	s.setHealth(svc, inst, status == CustomHealthStatusHEALTHY)
	return nil, nil
}

func (s *ServiceDiscovery) setHealth(svc *service, inst *instance, healthy bool) {
	if inst.pending != nil {
		inst.pending.Stop()
		inst.pending = nil
	}
	if healthy {
		if inst.health != HealthStatusHEALTHY {
			inst.health = HealthStatusHEALTHY
			s.sim.Recordf("servicediscovery", "InstanceHealthy", svc.arn, "service %s.%s: instance %s is HEALTHY", svc.name, svc.namespace.name, inst.id)
		}
		return
	}
	if inst.health == HealthStatusUNHEALTHY {
		return
	}
	inst.pending = s.sim.AfterFunc(unhealthyDelay, "servicediscovery unhealthy "+inst.id, func() {
		inst.pending = nil
		inst.health = HealthStatusUNHEALTHY
		s.sim.Recordf("servicediscovery", "InstanceUnhealthy", svc.arn, "service %s.%s: instance %s is UNHEALTHY", svc.name, svc.namespace.name, inst.id)
	})
}

// Register registers an instance with an IPv4 address and a port (0: none)
// and more attributes, as RegisterInstance does, for ECS. serviceID may be
// the service's ID or ARN.
func (s *ServiceDiscovery) Register(serviceID, instanceID, ip string, port int, attrs map[string]string) error {
	info, ok := s.ServiceInfo(serviceID)
	if !ok {
		return serviceNotFound(serviceID)
	}
	a := maps.Clone(attrs)
	if a == nil {
		a = map[string]string{}
	}
	if ip != "" {
		a[AttrIPv4] = ip
	}
	if port != 0 {
		a[AttrPort] = strconv.Itoa(port)
	}
	_, err := s.RegisterInstance(&RegisterInstanceRequest{ServiceId: aws.String(info.ID), InstanceId: aws.String(instanceID), Attributes: a})
	return err
}

// Deregister removes an instance, as DeregisterInstance does, for ECS.
func (s *ServiceDiscovery) Deregister(serviceID, instanceID string) error {
	info, ok := s.ServiceInfo(serviceID)
	if !ok {
		return serviceNotFound(serviceID)
	}
	_, err := s.DeregisterInstance(&DeregisterInstanceRequest{ServiceId: aws.String(info.ID), InstanceId: aws.String(instanceID)})
	return err
}

// SetHealthy reports an instance's health for a service with a custom
// health check, as UpdateInstanceCustomHealthStatus does, for ECS.
func (s *ServiceDiscovery) SetHealthy(serviceID, instanceID string, healthy bool) error {
	status := CustomHealthStatusUNHEALTHY
	if healthy {
		status = CustomHealthStatusHEALTHY
	}
	info, ok := s.ServiceInfo(serviceID)
	if !ok {
		return serviceNotFound(serviceID)
	}
	_, err := s.UpdateInstanceCustomHealthStatus(&UpdateInstanceCustomHealthStatusRequest{ServiceId: aws.String(info.ID),
		InstanceId: aws.String(instanceID), Status: aws.String(status)})
	return err
}
