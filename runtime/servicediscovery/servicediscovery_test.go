package servicediscovery

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/internal/apitest"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTest(t *testing.T) (*ServiceDiscovery, *sim.Sim) {
	t.Helper()
	s := sim.New(sim.Config{})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity()}), s
}

func advance(t *testing.T, s *sim.Sim, d time.Duration) {
	t.Helper()
	if err := s.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// namespaceAndService creates a private DNS namespace (waiting for its
// operation) and a service with A and SRV records.
func namespaceAndService(t *testing.T, sd *ServiceDiscovery, s *sim.Sim, custom bool) (string, string) {
	t.Helper()
	op, err := sd.CreatePrivateDnsNamespace(&CreatePrivateDnsNamespaceRequest{Name: aws.String("local"), Vpc: aws.String("vpc-1")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := sd.GetOperation(&GetOperationRequest{OperationId: op.OperationId})
	if *got.Operation.Status != "SUBMITTED" {
		t.Fatalf("operation at once: %s", *got.Operation.Status)
	}
	advance(t, s, NamespaceCreationTime)
	got, _ = sd.GetOperation(&GetOperationRequest{OperationId: op.OperationId})
	if *got.Operation.Status != "SUCCESS" {
		t.Fatalf("operation after %s: %s", NamespaceCreationTime, *got.Operation.Status)
	}
	nsID := got.Operation.Targets["NAMESPACE"]
	in := &CreateServiceRequest{Name: aws.String("web"), NamespaceId: aws.String(nsID),
		DnsConfig: &DnsConfig{DnsRecords: []DnsRecord{{Type: aws.String("A"), TTL: aws.Int64(10)}, {Type: aws.String("SRV"), TTL: aws.Int64(10)}}}}
	if custom {
		in.HealthCheckCustomConfig = &HealthCheckCustomConfig{}
	}
	svc, err := sd.CreateService(in)
	if err != nil {
		t.Fatal(err)
	}
	return nsID, *svc.Service.Id
}

func TestDiscovery(t *testing.T) {
	sd, s := newTest(t)
	nsID, svcID := namespaceAndService(t, sd, s, true)
	ns, _ := sd.GetNamespace(&GetNamespaceRequest{Id: aws.String(nsID)})
	if *ns.Namespace.Type != "DNS_PRIVATE" || *ns.Namespace.ServiceCount != 1 || ns.Namespace.Properties.DnsProperties.HostedZoneId == nil {
		t.Fatalf("namespace: %+v", ns.Namespace)
	}
	for i, ip := range []string{"172.31.0.10", "172.31.16.11", "172.31.32.12"} {
		if err := sd.Register(svcID, "task-"+string(rune('a'+i)), ip, 8080, map[string]string{"AVAILABILITY_ZONE": "us-east-1a"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := sd.RegisterInstance(&RegisterInstanceRequest{ServiceId: aws.String(svcID), InstanceId: aws.String("x"),
		Attributes: map[string]string{AttrIPv4: "172.31.0.9"}})
	wantCode(t, err, InvalidInput) // SRV needs a port

	out, err := sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web")})
	if err != nil || len(out.Instances) != 3 || out.Instances[0].Attributes[AttrPort] != "8080" || *out.Instances[0].HealthStatus != "HEALTHY" {
		t.Fatalf("discover: %v %+v", err, out)
	}
	// UNHEALTHY takes 30 seconds.
	if err := sd.SetHealthy(svcID, "task-a", false); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 29*time.Second)
	out, _ = sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web")})
	if len(out.Instances) != 3 {
		t.Fatalf("unhealthy before 30 s: %d instances", len(out.Instances))
	}
	advance(t, s, time.Second)
	out, _ = sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web")})
	if len(out.Instances) != 2 {
		t.Fatalf("healthy after 30 s: %d instances", len(out.Instances))
	}
	all, _ := sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web"), HealthStatus: aws.String("ALL")})
	if len(all.Instances) != 3 {
		t.Fatalf("ALL: %d", len(all.Instances))
	}
	st, _ := sd.GetInstancesHealthStatus(&GetInstancesHealthStatusRequest{ServiceId: aws.String(svcID)})
	if st.Status["task-a"] != "UNHEALTHY" || st.Status["task-b"] != "HEALTHY" {
		t.Fatalf("health: %v", st.Status)
	}
	for _, id := range []string{"task-b", "task-c"} {
		sd.SetHealthy(svcID, id, false)
	}
	advance(t, s, 30*time.Second)
	fo, _ := sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web"), HealthStatus: aws.String("HEALTHY_OR_ELSE_ALL")})
	if len(fo.Instances) != 3 {
		t.Fatalf("fail open: %d", len(fo.Instances))
	}
	_, err = sd.DeleteService(&DeleteServiceRequest{Id: aws.String(svcID)})
	wantCode(t, err, ResourceInUse)
	for _, id := range []string{"task-a", "task-b", "task-c"} {
		if err := sd.Deregister(svcID, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sd.DeleteService(&DeleteServiceRequest{Id: aws.String(svcID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := sd.DeleteNamespace(&DeleteNamespaceRequest{Id: aws.String(nsID)}); err != nil {
		t.Fatal(err)
	}
}

// TestNoHealthCheck: a service without a health check returns every
// instance, UNKNOWN, whatever HealthStatus asks.
func TestNoHealthCheck(t *testing.T) {
	sd, s := newTest(t)
	_, svcID := namespaceAndService(t, sd, s, false)
	sd.Register(svcID, "t1", "172.31.0.10", 80, nil)
	out, _ := sd.DiscoverInstances(&DiscoverInstancesRequest{NamespaceName: aws.String("local"), ServiceName: aws.String("web"), HealthStatus: aws.String("UNHEALTHY")})
	if len(out.Instances) != 1 || *out.Instances[0].HealthStatus != "UNKNOWN" {
		t.Fatalf("discover: %+v", out.Instances)
	}
	err := sd.SetHealthy(svcID, "t1", true)
	wantCode(t, err, CustomHealthNotFound)
	_, err = sd.CreatePrivateDnsNamespace(&CreatePrivateDnsNamespaceRequest{Name: aws.String("local"), Vpc: aws.String("vpc-1")})
	wantCode(t, err, NamespaceAlreadyExists)
}

func TestHTTPNamespace(t *testing.T) {
	sd, s := newTest(t)
	op, _ := sd.CreateHttpNamespace(&CreateHttpNamespaceRequest{Name: aws.String("apps")})
	advance(t, s, NamespaceCreationTime)
	got, _ := sd.GetOperation(&GetOperationRequest{OperationId: op.OperationId})
	svc, err := sd.CreateService(&CreateServiceRequest{Name: aws.String("api"), NamespaceId: aws.String(got.Operation.Targets["NAMESPACE"])})
	if err != nil || *svc.Service.Type != "HTTP" {
		t.Fatalf("service: %v %+v", err, svc)
	}
	list, _ := sd.ListNamespaces(&ListNamespacesRequest{Filters: []NamespaceFilter{{Name: aws.String("TYPE"), Values: []string{"HTTP"}}}})
	if len(list.Namespaces) != 1 || *list.Namespaces[0].Name != "apps" {
		t.Fatalf("list: %+v", list.Namespaces)
	}
}

func TestOperationsNeverPanic(t *testing.T) {
	sd, _ := newTest(t)
	apitest.NeverPanics(t, sd)
}
