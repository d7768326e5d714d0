package servicediscovery

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

type namespace struct {
	id, arn, name, typ, description string
	vpc, hostedZone                 string
	created                         time.Time
	creatorRequestID                string
}

// CreatePrivateDnsNamespace creates a namespace whose services are
// resolvable by DNS in a VPC (and by DiscoverInstances).
func (s *ServiceDiscovery) CreatePrivateDnsNamespace(in *CreatePrivateDnsNamespaceRequest) (*CreatePrivateDnsNamespaceResponse, error) {
	if in == nil {
		in = &CreatePrivateDnsNamespaceRequest{}
	}
	if aws.ToString(in.Vpc) == "" {
		// text not verified
		return nil, invalid("Vpc is required for a private DNS namespace")
	}
	op, err := s.createNamespace(aws.ToString(in.Name), NamespaceTypeDNSPRIVATE, aws.ToString(in.Description), aws.ToString(in.Vpc), aws.ToString(in.CreatorRequestId))
	if err != nil {
		return nil, err
	}
	return &CreatePrivateDnsNamespaceResponse{OperationId: aws.String(op.id)}, nil
}

// CreateHttpNamespace creates a namespace whose services are discoverable
// only with DiscoverInstances.
func (s *ServiceDiscovery) CreateHttpNamespace(in *CreateHttpNamespaceRequest) (*CreateHttpNamespaceResponse, error) {
	if in == nil {
		in = &CreateHttpNamespaceRequest{}
	}
	op, err := s.createNamespace(aws.ToString(in.Name), NamespaceTypeHTTP, aws.ToString(in.Description), "", aws.ToString(in.CreatorRequestId))
	if err != nil {
		return nil, err
	}
	return &CreateHttpNamespaceResponse{OperationId: aws.String(op.id)}, nil
}

func (s *ServiceDiscovery) createNamespace(name, typ, desc, vpc, creatorRequestID string) (*operation, error) {
	if name == "" {
		// text not verified
		return nil, invalid("Name is required")
	}
	if s.namespaceByName(name) != nil || s.pending[name] {
		// text not verified
		return nil, awserr.Newf(NamespaceAlreadyExists, "Namespace with name %s already exists", name)
	}
	ns := &namespace{id: s.newID("ns-"), name: name, typ: typ, description: desc, vpc: vpc, creatorRequestID: creatorRequestID}
	ns.arn = s.arn("namespace/" + ns.id)
	if typ != NamespaceTypeHTTP {
		ns.hostedZone = "Z" + strings.ToUpper(s.sim.Hex(13))
	}
	s.pending[name] = true
	op := s.newOperation(OperationTypeCREATENAMESPACE, map[string]string{OperationTargetTypeNAMESPACE: ns.id}, NamespaceCreationTime, func() {
		delete(s.pending, name)
		ns.created = s.sim.Now()
		s.namespaces = append(s.namespaces, ns)
		s.sim.Recordf("servicediscovery", "NamespaceCreated", ns.arn, "namespace %s (%s, %s) created", ns.name, ns.id, ns.typ)
	})
	return op, nil
}

func (s *ServiceDiscovery) namespaceByName(name string) *namespace {
	for _, ns := range s.namespaces {
		if ns.name == name {
			return ns
		}
	}
	return nil
}

func (s *ServiceDiscovery) namespaceByID(id string) *namespace {
	for _, ns := range s.namespaces {
		if ns.id == id {
			return ns
		}
	}
	return nil
}

func namespaceNotFound(id string) error {
	// text not verified
	return awserr.Newf(NamespaceNotFound, "Namespace not found: %s", id)
}

func (s *ServiceDiscovery) properties(ns *namespace) *NamespaceProperties {
	p := &NamespaceProperties{HttpProperties: &HttpProperties{HttpName: aws.String(ns.name)}}
	if ns.hostedZone != "" {
		p.DnsProperties = &DnsProperties{HostedZoneId: aws.String(ns.hostedZone), SOA: &SOA{TTL: aws.Int64(15)}}
	}
	return p
}

func (s *ServiceDiscovery) serviceCount(ns *namespace) int {
	n := 0
	for _, svc := range s.services {
		if svc.namespace == ns {
			n++
		}
	}
	return n
}

// GetNamespace describes a namespace.
func (s *ServiceDiscovery) GetNamespace(in *GetNamespaceRequest) (*GetNamespaceResponse, error) {
	if in == nil {
		in = &GetNamespaceRequest{}
	}
	ns := s.namespaceByID(aws.ToString(in.Id))
	if ns == nil {
		return nil, namespaceNotFound(aws.ToString(in.Id))
	}
	out := &Namespace{Id: aws.String(ns.id), Arn: aws.String(ns.arn), ResourceOwner: aws.String(s.id.AccountID), Name: aws.String(ns.name),
		Type: aws.String(ns.typ), ServiceCount: aws.Int(s.serviceCount(ns)), Properties: s.properties(ns), CreateDate: aws.NewTime(ns.created)}
	if ns.description != "" {
		out.Description = aws.String(ns.description)
	}
	if ns.creatorRequestID != "" {
		out.CreatorRequestId = aws.String(ns.creatorRequestID)
	}
	return &GetNamespaceResponse{Namespace: out}, nil
}

// ListNamespaces lists namespaces (filters TYPE and NAME, condition EQ).
func (s *ServiceDiscovery) ListNamespaces(in *ListNamespacesRequest) (*ListNamespacesResponse, error) {
	if in == nil {
		in = &ListNamespacesRequest{}
	}
	var keys []string
	byKey := map[string]*namespace{}
	for i, ns := range s.namespaces {
		ok := true
		for _, f := range in.Filters {
			var have string
			switch aws.ToString(f.Name) {
			case NamespaceFilterNameTYPE:
				have = ns.typ
			case NamespaceFilterNameNAME, NamespaceFilterNameHTTPNAME:
				have = ns.name
			case NamespaceFilterNameRESOURCEOWNER:
				have = s.id.AccountID
			default:
				// text not verified
				return nil, invalid("Unknown filter name %s", aws.ToString(f.Name))
			}
			ok = ok && matchFilter(aws.ToString(f.Condition), f.Values, have)
		}
		if ok {
			k := fmt.Sprintf("%06d", i)
			keys = append(keys, k)
			byKey[k] = ns
		}
	}
	page, next, err := paginate("ListNamespaces", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListNamespacesResponse{Namespaces: []NamespaceSummary{}, NextToken: next}
	for _, k := range page {
		ns := byKey[k]
		sum := NamespaceSummary{Id: aws.String(ns.id), Arn: aws.String(ns.arn), ResourceOwner: aws.String(s.id.AccountID), Name: aws.String(ns.name),
			Type: aws.String(ns.typ), ServiceCount: aws.Int(s.serviceCount(ns)), Properties: s.properties(ns), CreateDate: aws.NewTime(ns.created)}
		if ns.description != "" {
			sum.Description = aws.String(ns.description)
		}
		out.Namespaces = append(out.Namespaces, sum)
	}
	return out, nil
}

// matchFilter applies a Cloud Map filter condition (EQ by default, IN,
// BEGINS_WITH).
func matchFilter(cond string, values []string, have string) bool {
	switch cond {
	case FilterConditionBEGINSWITH:
		return slices.ContainsFunc(values, func(v string) bool { return strings.HasPrefix(have, v) })
	default:
		return slices.Contains(values, have)
	}
}

// DeleteNamespace deletes a namespace that has no services.
func (s *ServiceDiscovery) DeleteNamespace(in *DeleteNamespaceRequest) (*DeleteNamespaceResponse, error) {
	if in == nil {
		in = &DeleteNamespaceRequest{}
	}
	ns := s.namespaceByID(aws.ToString(in.Id))
	if ns == nil {
		return nil, namespaceNotFound(aws.ToString(in.Id))
	}
	if s.serviceCount(ns) > 0 {
		// text not verified
		return nil, awserr.Newf(ResourceInUse, "Namespace %s has associated services", ns.id)
	}
	op := s.newOperation(OperationTypeDELETENAMESPACE, map[string]string{OperationTargetTypeNAMESPACE: ns.id}, 0, func() {
		s.namespaces = slices.DeleteFunc(s.namespaces, func(x *namespace) bool { return x == ns })
		s.sim.Recordf("servicediscovery", "NamespaceDeleted", ns.arn, "namespace %s deleted", ns.name)
	})
	return &DeleteNamespaceResponse{OperationId: aws.String(op.id)}, nil
}

func (s *ServiceDiscovery) operationByID(id string) *operation {
	for _, op := range s.operations {
		if op.id == id {
			return op
		}
	}
	return nil
}

// GetOperation describes an operation.
func (s *ServiceDiscovery) GetOperation(in *GetOperationRequest) (*GetOperationResponse, error) {
	if in == nil {
		in = &GetOperationRequest{}
	}
	op := s.operationByID(aws.ToString(in.OperationId))
	if op == nil {
		// text not verified
		return nil, awserr.Newf(OperationNotFound, "Operation not found: %s", aws.ToString(in.OperationId))
	}
	return &GetOperationResponse{Operation: &Operation{Id: aws.String(op.id), OwnerAccount: aws.String(s.id.AccountID), Type: aws.String(op.typ),
		Status: aws.String(op.status), CreateDate: aws.NewTime(op.created), UpdateDate: aws.NewTime(op.update), Targets: op.targets}}, nil
}

// ListOperations lists operations (filters NAMESPACE_ID, SERVICE_ID,
// STATUS, TYPE).
func (s *ServiceDiscovery) ListOperations(in *ListOperationsRequest) (*ListOperationsResponse, error) {
	if in == nil {
		in = &ListOperationsRequest{}
	}
	var keys []string
	byKey := map[string]*operation{}
	for i, op := range s.operations {
		ok := true
		for _, f := range in.Filters {
			var have string
			switch aws.ToString(f.Name) {
			case OperationFilterNameNAMESPACEID:
				have = op.targets[OperationTargetTypeNAMESPACE]
			case OperationFilterNameSERVICEID:
				have = op.targets[OperationTargetTypeSERVICE]
			case OperationFilterNameSTATUS:
				have = op.status
			case OperationFilterNameTYPE:
				have = op.typ
			default:
				return nil, invalid("Unknown filter name %s", aws.ToString(f.Name))
			}
			ok = ok && matchFilter(aws.ToString(f.Condition), f.Values, have)
		}
		if ok {
			k := fmt.Sprintf("%06d", i)
			keys = append(keys, k)
			byKey[k] = op
		}
	}
	page, next, err := paginate("ListOperations", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListOperationsResponse{Operations: []OperationSummary{}, NextToken: next}
	for _, k := range page {
		out.Operations = append(out.Operations, OperationSummary{Id: aws.String(byKey[k].id), Status: aws.String(byKey[k].status)})
	}
	return out, nil
}
