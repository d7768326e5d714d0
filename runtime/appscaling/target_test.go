package appscaling

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func regReq(ns, rid, dim string, lo, hi *int) *RegisterScalableTargetRequest {
	return &RegisterScalableTargetRequest{ServiceNamespace: aws.String(ns), ResourceId: aws.String(rid), ScalableDimension: aws.String(dim), MinCapacity: lo, MaxCapacity: hi}
}

func TestRegisterScalableTargetRefusals(t *testing.T) {
	tests := []struct {
		name      string
		in        *RegisterScalableTargetRequest
		code, msg string
	}{
		{"namespace not simulated", regReq("dynamodb", "table/t", "dynamodb:table:ReadCapacityUnits", aws.Int(1), aws.Int(2)),
			awserr.NotSimulated, "ecsbox does not simulate Application Auto Scaling for service namespace dynamodb yet; only ecs (ECS services) is simulated"},
		{"namespace outside the enum", regReq("kafkaa", web, dimensionECS, aws.Int(1), aws.Int(2)), ValidationException,
			"1 validation error detected: Value 'kafkaa' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [" + strings.Join(allNamespaces, ", ") + "]"},
		{"dimension outside the enum", regReq("ecs", web, "ecs:service:Count", aws.Int(1), aws.Int(2)), ValidationException,
			"1 validation error detected: Value 'ecs:service:Count' at 'scalableDimension' failed to satisfy constraint: Member must satisfy enum value set: [" + strings.Join(allDimensions, ", ") + "]"},
		{"dimension of another namespace", regReq("ecs", web, "dynamodb:table:ReadCapacityUnits", aws.Int(1), aws.Int(2)), ValidationException,
			"Unsupported service namespace, resource type or scalable dimension"},
		{"resource ID not service/cluster/service", regReq("ecs", "service/web", dimensionECS, aws.Int(1), aws.Int(2)), ValidationException,
			"Unsupported service namespace, resource type or scalable dimension"},
		{"new target without max", regReq("ecs", web, dimensionECS, aws.Int(1), nil), ValidationException,
			"MinCapacity and MaxCapacity are required for registering a new scalable target"},
		{"min above max", regReq("ecs", web, dimensionECS, aws.Int(5), aws.Int(2)), ValidationException,
			"Minimum capacity cannot be greater than maximum capacity"},
		{"negative min", regReq("ecs", web, dimensionECS, aws.Int(-1), aws.Int(2)), ValidationException,
			"Minimum capacity cannot be less than 0"},
		{"service missing", regReq("ecs", "service/demo/nope", dimensionECS, aws.Int(1), aws.Int(2)), ValidationException,
			"ECS service doesn't exist: service/demo/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.a.RegisterScalableTarget(tt.in)
			wantAWSError(t, err, tt.code, tt.msg)
		})
	}
}

func TestRegisterScalableTargetUpdateAndClamp(t *testing.T) {
	f := newFixture(t)
	out, err := f.a.RegisterScalableTarget(regReq("ecs", web, dimensionECS, aws.Int(3), aws.Int(10)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(*out.ScalableTargetARN, "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/") || len(*out.ScalableTargetARN) != len("arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/")+36 {
		t.Errorf("ARN = %s", *out.ScalableTargetARN)
	}
	// Desired 2 < min 3: brought up, with the cause AWS writes.
	if got := f.res.services[web].desired; got != 3 {
		t.Fatalf("desired = %d, want 3", got)
	}
	acts := f.activities(t, false)
	if len(acts) != 1 || *acts[0].Cause != "minimum capacity was set to 3" || *acts[0].Description != "Setting desired count to 3." {
		t.Fatalf("activities: %+v", acts)
	}
	// An update changes only what it names; the ARN stays.
	out2, err := f.a.RegisterScalableTarget(&RegisterScalableTargetRequest{
		ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS),
		MaxCapacity: aws.Int(2), MinCapacity: aws.Int(1),
		SuspendedState: &SuspendedState{DynamicScalingInSuspended: aws.Bool(true)},
	})
	if err != nil || *out2.ScalableTargetARN != *out.ScalableTargetARN {
		t.Fatalf("update: %v %v", out2, err)
	}
	if got := f.res.services[web].desired; got != 2 {
		t.Fatalf("desired = %d, want 2 (max was set to 2)", got)
	}
	if c := *f.activities(t, false)[0].Cause; c != "maximum capacity was set to 2" {
		t.Errorf("cause = %q", c)
	}
	if _, err := f.a.RegisterScalableTarget(&RegisterScalableTargetRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), MinCapacity: aws.Int(5)}); err == nil {
		t.Fatal("min 5 above the kept max 2 was accepted")
	}
	d, _ := f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs")})
	st := d.ScalableTargets[0]
	if *st.MinCapacity != 1 || *st.MaxCapacity != 2 || !*st.SuspendedState.DynamicScalingInSuspended || *st.SuspendedState.ScheduledScalingSuspended ||
		*st.RoleARN != "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService" {
		t.Fatalf("target: %+v", st)
	}
}

func TestDescribeScalableTargetsFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		rid := fmt.Sprintf("service/demo/s%d", i)
		f.res.services[rid] = &fakeService{desired: 1, running: 1}
		f.register(t, rid, 1, 3)
	}
	var got []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs"), MaxResults: aws.Int(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range out.ScalableTargets {
			got = append(got, *st.ResourceId)
		}
		if token = out.NextToken; token == nil {
			if pages != 2 {
				t.Errorf("pages = %d, want 3", pages+1)
			}
			break
		}
	}
	if strings.Join(got, " ") != "service/demo/s0 service/demo/s1 service/demo/s2 service/demo/s3 service/demo/s4" {
		t.Fatalf("listing: %v", got)
	}
	out, _ := f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs"), ResourceIds: []string{"service/demo/s3", "service/demo/x"}})
	if len(out.ScalableTargets) != 1 || *out.ScalableTargets[0].ResourceId != "service/demo/s3" {
		t.Fatalf("filter: %+v", out.ScalableTargets)
	}
	out, _ = f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("dynamodb")})
	if out.ScalableTargets == nil || len(out.ScalableTargets) != 0 {
		t.Fatalf("another namespace: %+v", out.ScalableTargets)
	}
	_, err := f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs"), MaxResults: aws.Int(51)})
	wantAWSError(t, err, ValidationException, "MaxResults must be between 1 and 50")
	_, err = f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs"), NextToken: aws.String("bogus")})
	wantAWSError(t, err, InvalidNextTokenException, "Invalid NextToken")
}

func TestDeregisterScalableTarget(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 5)
	f.put(t, ttRequest(web, "cpu", 50))
	if _, err := f.a.PutScheduledAction(&PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("nightly"), Schedule: aws.String("cron(0 22 * * ? *)"),
		ScalableTargetAction: &ScalableTargetAction{MinCapacity: aws.Int(0)}}); err != nil {
		t.Fatal(err)
	}
	if len(f.alarms.alarms) != 2 {
		t.Fatalf("alarms: %v", f.alarms.names())
	}
	if _, err := f.a.DeregisterScalableTarget(&DeregisterScalableTargetRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS)}); err != nil {
		t.Fatal(err)
	}
	if len(f.alarms.alarms) != 0 || len(f.a.policyByARN) != 0 {
		t.Fatalf("left: alarms %v, policies %d", f.alarms.names(), len(f.a.policyByARN))
	}
	_, err := f.a.DeregisterScalableTarget(&DeregisterScalableTargetRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS)})
	wantAWSError(t, err, ObjectNotFoundException, "No scalable target found for service namespace: ecs, resource ID: service/demo/web, scalable dimension: ecs:service:DesiredCount")
	_, err = f.a.PutScalingPolicy(ttRequest(web, "cpu", 50))
	wantAWSError(t, err, ObjectNotFoundException, "No scalable target registered for service namespace: ecs, resource ID: service/demo/web, scalable dimension: ecs:service:DesiredCount")
	// The scheduled action's timer was stopped: nothing runs at 22:00.
	f.advance(t, 24*3600*1e9)
	if len(f.res.setCalls) != 0 {
		t.Fatalf("set calls after deregistering: %v", f.res.setCalls)
	}
}
