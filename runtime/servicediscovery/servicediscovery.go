// Package servicediscovery simulates AWS Cloud Map: namespaces (private DNS
// and HTTP), services in them, and instances registered in services, which
// DiscoverInstances resolves to the healthy ones. ECS registers its tasks'
// addresses here for services with serviceRegistries.
//
// Each exported method named after an API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its response struct, or an *awserr.Error with Cloud Map's code.
// Creating and deleting namespaces and registering instances are
// operations, as in Cloud Map: they return an OperationId that GetOperation
// follows to SUCCESS.
//
// Simulated operations and where they live:
//
//	namespace.go   CreatePrivateDnsNamespace, CreateHttpNamespace,
//	               GetNamespace, ListNamespaces, DeleteNamespace,
//	               GetOperation, ListOperations
//	service.go     CreateService, GetService, ListServices, DeleteService
//	instance.go    RegisterInstance, DeregisterInstance, GetInstance,
//	               ListInstances, DiscoverInstances,
//	               GetInstancesHealthStatus, UpdateInstanceCustomHealthStatus
//
// Other services use the Go API: Register, Deregister, SetHealthy and
// ServiceInfo (ECS serviceRegistries).
package servicediscovery

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// NamespaceCreationTime is how long creating a namespace takes (its
// operation is SUBMITTED, then SUCCESS). Cloud Map documents no duration;
// creating a private DNS namespace (a Route 53 hosted zone) takes about a
// minute in practice, and ecsbox takes 30 seconds for every namespace.
const NamespaceCreationTime = 30 * time.Second

// Cloud Map error codes (service-2.json error shapes).
const (
	InvalidInput           = "InvalidInput"
	NamespaceAlreadyExists = "NamespaceAlreadyExists"
	NamespaceNotFound      = "NamespaceNotFound"
	ServiceAlreadyExists   = "ServiceAlreadyExists"
	ServiceNotFound        = "ServiceNotFound"
	InstanceNotFound       = "InstanceNotFound"
	OperationNotFound      = "OperationNotFound"
	ResourceInUse          = "ResourceInUse"
	CustomHealthNotFound   = "CustomHealthNotFound"
)

// Config configures the service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
}

// ServiceDiscovery is the simulated Cloud Map of one account and region.
type ServiceDiscovery struct {
	sim *sim.Sim
	id  aws.Identity

	namespaces []*namespace // in creation order
	services   []*service   // in creation order
	operations []*operation // in creation order
	// pending holds the names of namespaces being created.
	pending map[string]bool
}

// New returns Cloud Map with no namespaces.
func New(cfg Config) *ServiceDiscovery {
	if cfg.Identity.AccountID == "" {
		cfg.Identity.AccountID = aws.DefaultAccountID
	}
	if cfg.Identity.Region == "" {
		cfg.Identity.Region = aws.DefaultRegion
	}
	return &ServiceDiscovery{sim: cfg.Sim, id: cfg.Identity, pending: map[string]bool{}}
}

func (s *ServiceDiscovery) arn(resource string) string {
	return awserr.MakeARN("servicediscovery", s.id.Region, s.id.AccountID, resource)
}

// newID draws a Cloud Map ID: a prefix and 16 characters of lower-case
// base 32 (ns-e4anhexample0004, srv-e4anhexample0001 in AWS's examples).
func (s *ServiceDiscovery) newID(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[s.sim.Rand().IntN(len(alphabet))]
	}
	return prefix + string(b)
}

func invalid(format string, args ...any) error { return awserr.Newf(InvalidInput, format, args...) }

// operation is an asynchronous change: SUBMITTED until done, then SUCCESS.
type operation struct {
	id, typ, status string
	targets         map[string]string
	created, update time.Time
}

// newOperation records an operation; done runs it after d (at once when d
// is 0) and marks it SUCCESS.
func (s *ServiceDiscovery) newOperation(typ string, targets map[string]string, d time.Duration, done func()) *operation {
	op := &operation{id: s.sim.Hex(32) + "-" + s.sim.Hex(8), typ: typ, status: OperationStatusSUBMITTED, targets: targets,
		created: s.sim.Now(), update: s.sim.Now()}
	s.operations = append(s.operations, op)
	finish := func() {
		if done != nil {
			done()
		}
		op.status, op.update = OperationStatusSUCCESS, s.sim.Now()
	}
	if d <= 0 {
		finish()
	} else {
		s.sim.After(d, "servicediscovery "+typ, finish)
	}
	return op
}
