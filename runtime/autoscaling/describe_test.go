package autoscaling

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestDescribePagination(t *testing.T) {
	fx := newFixture(t)
	for _, n := range []string{"c", "a", "b"} {
		fx.group(n, 1, 1, nil, func(in *CreateAutoScalingGroupType) {
			in.Tags = []Tag{{Key: aws.String("env"), Value: aws.String("prod-" + n)}}
		})
	}
	fx.advance(time.Minute)
	var names []string
	var token *string
	for {
		out, err := fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{MaxRecords: aws.Int(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.AutoScalingGroups {
			names = append(names, aws.ToString(g.AutoScalingGroupName))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(names) != 3 || names[0] != "a" || names[2] != "c" {
		t.Errorf("pages gave %v", names)
	}
	out, err := fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{Filters: []Filter{{Name: aws.String("tag:env"), Values: []string{"prod-b"}}}})
	if err != nil || len(out.AutoScalingGroups) != 1 || aws.ToString(out.AutoScalingGroups[0].AutoScalingGroupName) != "b" {
		t.Errorf("tag filter: %v %+v", err, out)
	}
	_, err = fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{MaxRecords: aws.Int(101)})
	wantAWSError(t, err, ValidationError, "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100")
	_, err = fx.as.DescribeAutoScalingGroups(&AutoScalingGroupNamesType{NextToken: aws.String("garbage")})
	wantAWSError(t, err, InvalidNextToken, "The token 'garbage' is invalid.")

	inst, err := fx.as.DescribeAutoScalingInstances(&DescribeAutoScalingInstancesType{})
	if err != nil || len(inst.AutoScalingInstances) != 3 || aws.ToString(inst.AutoScalingInstances[0].HealthStatus) != "HEALTHY" ||
		aws.ToString(inst.AutoScalingInstances[0].LifecycleState) != "InService" || aws.ToString(inst.AutoScalingInstances[0].ImageId) != ecsAMI {
		t.Errorf("instances: %v %+v", err, inst)
	}
}
