package servicediscovery

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

type service struct {
	id, arn, name, description, typ string
	namespace                       *namespace
	dns                             *DnsConfig
	customHealth                    bool
	created                         time.Time
	creatorRequestID                string
	instances                       []*instance // registration order
	revision                        int64
}

// CreateService creates a service in a namespace: with DNS records (A
// and/or SRV) in a DNS namespace, and optionally a custom health check
// (HealthCheckCustomConfig), whose status the registrant (ECS) reports.
func (s *ServiceDiscovery) CreateService(in *CreateServiceRequest) (*CreateServiceResponse, error) {
	if in == nil {
		in = &CreateServiceRequest{}
	}
	nsID := aws.ToString(in.NamespaceId)
	if nsID == "" && in.DnsConfig != nil {
		nsID = aws.ToString(in.DnsConfig.NamespaceId)
	}
	ns := s.namespaceByID(nsID)
	if ns == nil {
		return nil, namespaceNotFound(nsID)
	}
	name := aws.ToString(in.Name)
	if name == "" {
		// text not verified
		return nil, invalid("Name is required")
	}
	for _, svc := range s.services {
		if svc.namespace == ns && svc.name == name {
			// text not verified
			return nil, awserr.Newf(ServiceAlreadyExists, "Service already exists: %s", svc.id)
		}
	}
	if in.HealthCheckConfig != nil {
		// Route 53 health checks are for public DNS namespaces
		// [CloudMap-API:CreateService]; ecsbox simulates none.
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate Route 53 health checks (HealthCheckConfig); use HealthCheckCustomConfig")
	}
	svc := &service{id: s.newID("srv-"), name: name, description: aws.ToString(in.Description), namespace: ns,
		customHealth: in.HealthCheckCustomConfig != nil, created: s.sim.Now(), creatorRequestID: aws.ToString(in.CreatorRequestId)}
	svc.arn = s.arn("service/" + svc.id)
	switch {
	case ns.typ == NamespaceTypeHTTP:
		if in.DnsConfig != nil {
			// text not verified
			return nil, invalid("DnsConfig is not supported for services in an HTTP namespace")
		}
		svc.typ = ServiceTypeHTTP
	case in.DnsConfig == nil:
		svc.typ = ServiceTypeHTTP
	default:
		if len(in.DnsConfig.DnsRecords) == 0 {
			// text not verified
			return nil, invalid("DnsRecords is required")
		}
		for _, r := range in.DnsConfig.DnsRecords {
			switch t := aws.ToString(r.Type); t {
			case RecordTypeA, RecordTypeSRV:
			case RecordTypeAAAA, RecordTypeCNAME:
				return nil, awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate %s records", t)
			default:
				// text not verified
				return nil, invalid("Invalid DNS record type %s", t)
			}
		}
		dns := *in.DnsConfig
		dns.DnsRecords = slices.Clone(in.DnsConfig.DnsRecords)
		if dns.RoutingPolicy == nil {
			dns.RoutingPolicy = aws.String(RoutingPolicyMULTIVALUE) // [CloudMap-API:DnsConfig] default MULTIVALUE
		}
		dns.NamespaceId = nil
		svc.dns = &dns
		svc.typ = ServiceTypeDNSHTTP
	}
	s.services = append(s.services, svc)
	s.sim.Recordf("servicediscovery", "ServiceCreated", svc.arn, "service %s.%s (%s) created", svc.name, ns.name, svc.id)
	return &CreateServiceResponse{Service: s.serviceShape(svc)}, nil
}

func (s *ServiceDiscovery) serviceByID(id string) *service {
	for _, svc := range s.services {
		if svc.id == id {
			return svc
		}
	}
	return nil
}

func serviceNotFound(id string) error {
	// text not verified
	return awserr.Newf(ServiceNotFound, "Service not found: %s", id)
}

func (s *ServiceDiscovery) serviceShape(svc *service) *Service {
	out := &Service{Id: aws.String(svc.id), Arn: aws.String(svc.arn), ResourceOwner: aws.String(s.id.AccountID), Name: aws.String(svc.name),
		NamespaceId: aws.String(svc.namespace.id), InstanceCount: aws.Int(len(svc.instances)), Type: aws.String(svc.typ),
		DnsConfig: svc.dns, CreateDate: aws.NewTime(svc.created), CreatedByAccount: aws.String(s.id.AccountID)}
	if svc.description != "" {
		out.Description = aws.String(svc.description)
	}
	if svc.customHealth {
		// FailureThreshold is deprecated and always 1
		// [CloudMap-API:HealthCheckCustomConfig].
		out.HealthCheckCustomConfig = &HealthCheckCustomConfig{FailureThreshold: aws.Int(1)}
	}
	if svc.creatorRequestID != "" {
		out.CreatorRequestId = aws.String(svc.creatorRequestID)
	}
	return out
}

// GetService describes a service.
func (s *ServiceDiscovery) GetService(in *GetServiceRequest) (*GetServiceResponse, error) {
	if in == nil {
		in = &GetServiceRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.Id))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.Id))
	}
	return &GetServiceResponse{Service: s.serviceShape(svc)}, nil
}

// ListServices lists services (filter NAMESPACE_ID).
func (s *ServiceDiscovery) ListServices(in *ListServicesRequest) (*ListServicesResponse, error) {
	if in == nil {
		in = &ListServicesRequest{}
	}
	var keys []string
	byKey := map[string]*service{}
	for i, svc := range s.services {
		ok := true
		for _, f := range in.Filters {
			switch aws.ToString(f.Name) {
			case ServiceFilterNameNAMESPACEID:
				ok = ok && matchFilter(aws.ToString(f.Condition), f.Values, svc.namespace.id)
			case ServiceFilterNameRESOURCEOWNER:
				ok = ok && matchFilter(aws.ToString(f.Condition), f.Values, s.id.AccountID)
			default:
				return nil, invalid("Unknown filter name %s", aws.ToString(f.Name))
			}
		}
		if ok {
			k := fmt.Sprintf("%06d", i)
			keys = append(keys, k)
			byKey[k] = svc
		}
	}
	page, next, err := paginate("ListServices", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListServicesResponse{Services: []ServiceSummary{}, NextToken: next}
	for _, k := range page {
		full := s.serviceShape(byKey[k])
		out.Services = append(out.Services, ServiceSummary{Id: full.Id, Arn: full.Arn, ResourceOwner: full.ResourceOwner, Name: full.Name,
			Type: full.Type, Description: full.Description, InstanceCount: full.InstanceCount, DnsConfig: full.DnsConfig,
			HealthCheckCustomConfig: full.HealthCheckCustomConfig, CreateDate: full.CreateDate, CreatedByAccount: full.CreatedByAccount})
	}
	return out, nil
}

// DeleteService deletes a service that has no instances.
func (s *ServiceDiscovery) DeleteService(in *DeleteServiceRequest) (*DeleteServiceResponse, error) {
	if in == nil {
		in = &DeleteServiceRequest{}
	}
	svc := s.serviceByID(aws.ToString(in.Id))
	if svc == nil {
		return nil, serviceNotFound(aws.ToString(in.Id))
	}
	if len(svc.instances) > 0 {
		// text not verified
		return nil, awserr.Newf(ResourceInUse, "Service %s has associated instances", svc.id)
	}
	s.services = slices.DeleteFunc(s.services, func(x *service) bool { return x == svc })
	s.sim.Recordf("servicediscovery", "ServiceDeleted", svc.arn, "service %s.%s deleted", svc.name, svc.namespace.name)
	return &DeleteServiceResponse{}, nil
}

// ServiceInfo describes a service for other services (ECS checks a
// serviceRegistries entry against it).
type ServiceInfo struct {
	ID, ARN, Name, NamespaceID, NamespaceName string
	// Records are the DNS record types (A, SRV); none in an HTTP
	// namespace.
	Records []string
	// CustomHealth: the service has HealthCheckCustomConfig, so the
	// registrant reports each instance's health (SetHealthy).
	CustomHealth bool
}

// ServiceInfo returns the service with the given ID or ARN.
func (s *ServiceDiscovery) ServiceInfo(idOrARN string) (ServiceInfo, bool) {
	for _, svc := range s.services {
		if svc.id == idOrARN || svc.arn == idOrARN {
			info := ServiceInfo{ID: svc.id, ARN: svc.arn, Name: svc.name, NamespaceID: svc.namespace.id, NamespaceName: svc.namespace.name,
				CustomHealth: svc.customHealth}
			if svc.dns != nil {
				for _, r := range svc.dns.DnsRecords {
					info.Records = append(info.Records, aws.ToString(r.Type))
				}
			}
			return info, true
		}
	}
	return ServiceInfo{}, false
}
