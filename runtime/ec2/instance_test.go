package ec2

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestRunInstancesDefaults(t *testing.T) {
	e, _ := newTestEC2()
	inst := runOne(t, e, &RunInstancesRequest{})
	sub := e.DefaultSubnets()[0]
	if aws.ToString(inst.InstanceType) != "m1.small" || aws.ToString(inst.SubnetId) != sub.ID ||
		aws.ToString(inst.Placement.AvailabilityZone) != "us-east-1a" || aws.ToString(inst.PrivateIpAddress) != "172.31.0.4" ||
		aws.ToString(inst.PrivateDnsName) != "ip-172-31-0-4.ec2.internal" ||
		aws.ToString(inst.State.Name) != "pending" || aws.ToInt(inst.State.Code) != 0 ||
		aws.ToString(inst.SecurityGroups[0].GroupName) != "default" || aws.ToString(inst.Architecture) != "x86_64" {
		t.Fatalf("instance = %+v", inst)
	}
	if !validID("i", aws.ToString(inst.InstanceId)) || len(inst.NetworkInterfaces) != 1 {
		t.Fatalf("instance = %+v", inst)
	}
	if got, _ := e.Subnet(sub.ID); got.AvailableIPs != 4090 {
		t.Fatalf("primary ENI did not take an address: %d free", got.AvailableIPs)
	}
}

func TestRunInstancesErrors(t *testing.T) {
	e, _ := newTestEC2()
	arm := e.images[1].ID
	tests := []struct {
		name      string
		in        RunInstancesRequest
		code, msg string
	}{
		{"no image", RunInstancesRequest{MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			MissingParameter, "The request must contain the parameter ImageId"},
		{"malformed image", RunInstancesRequest{ImageId: aws.String("{var.ami_id}"), MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			InvalidAMIIDMalformed, `Invalid id: "{var.ami_id}" (expecting "ami-...")`},
		{"unknown image", RunInstancesRequest{ImageId: aws.String("ami-0c55b159cbfafe1f0"), MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			InvalidAMIIDNotFound, "The image id '[ami-0c55b159cbfafe1f0]' does not exist"},
		{"unknown type", RunInstancesRequest{ImageId: aws.String(ecsAMI), InstanceType: aws.String("t3.nano"), MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			InvalidParameterValue, "Invalid value 't3.nano' for InstanceType."},
		{"arm64 AMI on x86 type", RunInstancesRequest{ImageId: aws.String(arm), InstanceType: aws.String("t3.micro"), MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			InvalidParameterValue, "The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI."},
		{"arm64 AMI on the default type", RunInstancesRequest{ImageId: aws.String(arm), MinCount: aws.Int(1), MaxCount: aws.Int(1)},
			InvalidParameterValue, "The architecture 'i386,x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI."},
		{"max 0", RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(0)},
			InvalidParameterValue, "Maximum instance count must be greater than zero"},
		{"min 0", RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(0), MaxCount: aws.Int(1)},
			InvalidParameterValue, "Minimum instance count must be greater than zero"},
		{"min > max", RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(3), MaxCount: aws.Int(2)},
			InvalidParameterValue, "Minimum instance count must be less than or equal to maximum instance count"},
		{"no MinCount", RunInstancesRequest{ImageId: aws.String(ecsAMI), MaxCount: aws.Int(2)},
			MissingParameter, "The request must contain the parameter MinCount"},
		{"unknown subnet", RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(1), SubnetId: aws.String("subnet-0123456789abcdef0")},
			InvalidSubnetIDNotFound, "The subnet ID 'subnet-0123456789abcdef0' does not exist"},
		{"unknown group", RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(1), SecurityGroupIds: []string{"sg-0123456789abcdef0"}},
			InvalidGroupNotFound, "The security group 'sg-0123456789abcdef0' does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.RunInstances(&tt.in)
			wantAWSError(t, err, tt.code, tt.msg)
		})
	}
	if len(e.instances) != 0 {
		t.Fatalf("failed launches left %d instances", len(e.instances))
	}
}

func TestRunInstancesCountsAndPlacement(t *testing.T) {
	e, _ := newTestEC2()
	out, err := e.RunInstances(&RunInstancesRequest{
		ImageId: aws.String(e.images[1].ID), InstanceType: aws.String("t4g.small"),
		MinCount: aws.Int(1), MaxCount: aws.Int(3),
		Placement:          &Placement{AvailabilityZone: aws.String("us-east-1c")},
		IamInstanceProfile: &IamInstanceProfileSpecification{Name: aws.String("ecsInstanceRole")},
		KeyName:            aws.String("mykey"),
		TagSpecifications: []TagSpecification{
			{ResourceType: aws.String("instance"), Tags: []Tag{{Key: aws.String("Name"), Value: aws.String("ecs")}}},
			{ResourceType: aws.String("volume"), Tags: []Tag{{Key: aws.String("v"), Value: aws.String("1")}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !validID("r", aws.ToString(out.ReservationId)) || aws.ToString(out.OwnerId) != "123456789012" || len(out.Instances) != 3 {
		t.Fatalf("reservation = %+v", out)
	}
	for i, inst := range out.Instances {
		if aws.ToInt(inst.AmiLaunchIndex) != i || aws.ToString(inst.Placement.AvailabilityZone) != "us-east-1c" ||
			aws.ToString(inst.PrivateIpAddress) != fmt.Sprintf("172.31.32.%d", 4+i) ||
			aws.ToString(inst.IamInstanceProfile.Arn) != "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole" ||
			aws.ToString(inst.KeyName) != "mykey" || len(inst.Tags) != 1 || aws.ToString(inst.Architecture) != "arm64" {
			t.Fatalf("instance %d = %+v", i, inst)
		}
	}
	info, _ := e.Instance(aws.ToString(out.Instances[0].InstanceId))
	if info.IamInstanceProfile != "ecsInstanceRole" || info.Tags["Name"] != "ecs" || info.Type != "t4g.small" || info.Architecture != "arm64" {
		t.Fatalf("InstanceInfo = %+v", info)
	}

	// AZ and subnet must agree
	_, err = e.RunInstances(&RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(1),
		Placement: &Placement{AvailabilityZone: aws.String("us-east-1z")}})
	wantAWSError(t, err, InvalidParameterValue, "Invalid availability zone: [us-east-1z]")
}

func TestRunInstancesLaunchesWhatFits(t *testing.T) {
	e, _ := newTestEC2()
	sub := e.subnets[0]
	for sub.free > 2 {
		if _, err := e.CreateENI(sub.id, "", nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	out, err := e.RunInstances(&RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(1), MaxCount: aws.Int(5)})
	if err != nil || len(out.Instances) != 2 {
		t.Fatalf("launched %v, %v; want the 2 that fit", out, err)
	}
}

func TestUserData(t *testing.T) {
	e, _ := newTestEC2()
	script := "#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	inst := runOne(t, e, &RunInstancesRequest{UserData: aws.String(script)})
	id := aws.ToString(inst.InstanceId)
	info, _ := e.Instance(id)
	if info.UserData != script {
		t.Fatalf("UserData = %q", info.UserData)
	}
	attr, err := e.DescribeInstanceAttribute(&DescribeInstanceAttributeRequest{InstanceId: aws.String(id), Attribute: aws.String("userData")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(attr.UserData.Value); got != base64.StdEncoding.EncodeToString([]byte(script)) {
		t.Fatalf("userData attribute = %q", got)
	}
	attr, _ = e.DescribeInstanceAttribute(&DescribeInstanceAttributeRequest{InstanceId: aws.String(id), Attribute: aws.String("instanceType")})
	if aws.ToString(attr.InstanceType.Value) != "m1.small" {
		t.Fatalf("instanceType attribute = %+v", attr)
	}
	_, err = e.DescribeInstanceAttribute(&DescribeInstanceAttributeRequest{InstanceId: aws.String(id), Attribute: aws.String("colour")})
	wantAWSError(t, err, InvalidParameterValue, "Value (colour) for parameter attribute is invalid. Unknown attribute.")
}

func TestDescribeInstances(t *testing.T) {
	e, _ := newTestEC2()
	a := runOne(t, e, &RunInstancesRequest{InstanceType: aws.String("t3.micro"), TagSpecifications: []TagSpecification{
		{ResourceType: aws.String("instance"), Tags: []Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}}})
	b := runOne(t, e, &RunInstancesRequest{InstanceType: aws.String("c5.large"), SubnetId: aws.String(e.DefaultSubnets()[1].ID)})
	ids := func(out *DescribeInstancesResult) string {
		var s []string
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				s = append(s, aws.ToString(i.InstanceId))
			}
		}
		return strings.Join(s, ",")
	}
	aID, bID := aws.ToString(a.InstanceId), aws.ToString(b.InstanceId)
	tests := []struct {
		name    string
		filters []Filter
		want    string
	}{
		{"all", nil, aID + "," + bID},
		{"type", []Filter{{Name: aws.String("instance-type"), Values: []string{"c5.large"}}}, bID},
		{"type wildcard", []Filter{{Name: aws.String("instance-type"), Values: []string{"t3.*"}}}, aID},
		{"tag", []Filter{{Name: aws.String("tag:env"), Values: []string{"prod"}}}, aID},
		{"tag-key", []Filter{{Name: aws.String("tag-key"), Values: []string{"env"}}}, aID},
		{"state", []Filter{{Name: aws.String("instance-state-name"), Values: []string{"pending"}}}, aID + "," + bID},
		{"state none", []Filter{{Name: aws.String("instance-state-name"), Values: []string{"running"}}}, ""},
		{"az", []Filter{{Name: aws.String("availability-zone"), Values: []string{"us-east-1b"}}}, bID},
		{"subnet", []Filter{{Name: aws.String("subnet-id"), Values: []string{e.DefaultSubnets()[0].ID}}}, aID},
		{"vpc", []Filter{{Name: aws.String("vpc-id"), Values: []string{e.DefaultVPC()}}}, aID + "," + bID},
		{"image", []Filter{{Name: aws.String("image-id"), Values: []string{ecsAMI}}}, aID + "," + bID},
		{"id", []Filter{{Name: aws.String("instance-id"), Values: []string{bID}}}, bID},
		{"and", []Filter{{Name: aws.String("instance-id"), Values: []string{bID}}, {Name: aws.String("tag:env"), Values: []string{"prod"}}}, ""},
	}
	for _, tt := range tests {
		out, err := e.DescribeInstances(&DescribeInstancesRequest{Filters: tt.filters})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := ids(out); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}

	out, _ := e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{bID}})
	if ids(out) != bID || len(out.Reservations) != 1 || aws.ToString(out.Reservations[0].OwnerId) != "123456789012" {
		t.Fatalf("by ID = %+v", out)
	}

	_, err := e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{"i-0123456789abcdef0"}})
	wantAWSError(t, err, InvalidInstanceIDNotFound, "The instance ID 'i-0123456789abcdef0' does not exist")
	_, err = e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{"i-0123456789abcdef0", "i-0123456789abcdef1"}})
	wantAWSError(t, err, InvalidInstanceIDNotFound, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist")
	_, err = e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{"ma1"}})
	wantAWSError(t, err, InvalidInstanceIDMalformed, `Invalid id: "ma1"`)
	_, err = e.DescribeInstances(&DescribeInstancesRequest{InstanceIds: []string{aID}, MaxResults: aws.Int(5)})
	wantAWSError(t, err, InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	_, err = e.DescribeInstances(&DescribeInstancesRequest{MaxResults: aws.Int(1)})
	wantAWSError(t, err, InvalidParameterValue, "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.")
	_, err = e.DescribeInstances(&DescribeInstancesRequest{NextToken: aws.String("garbage")})
	wantAWSError(t, err, InvalidNextToken, "The token 'garbage' is invalid")
}

func TestDescribeInstancesPagination(t *testing.T) {
	e, _ := newTestEC2()
	out, err := e.RunInstances(&RunInstancesRequest{ImageId: aws.String(ecsAMI), MinCount: aws.Int(12), MaxCount: aws.Int(12)})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, i := range out.Instances {
		want = append(want, aws.ToString(i.InstanceId))
	}
	var token *string
	pages := 0
	for {
		page, err := e.DescribeInstances(&DescribeInstancesRequest{MaxResults: aws.Int(5), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.Reservations {
			if aws.ToString(r.ReservationId) != aws.ToString(out.ReservationId) {
				t.Fatalf("reservation %s", aws.ToString(r.ReservationId))
			}
			for _, i := range r.Instances {
				got = append(got, aws.ToString(i.InstanceId))
			}
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("%d pages: %v, want %v", pages, got, want)
	}
}

func TestLaunchInstanceIsRunInstances(t *testing.T) {
	e, _ := newTestEC2()
	info, err := e.LaunchInstance(LaunchSpec{
		ImageID: ecsAMI, InstanceType: "m5.large", SubnetID: e.DefaultSubnets()[2].ID,
		IamInstanceProfile: "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
		UserData:           "ECS_CLUSTER=demo", Tags: map[string]string{"aws:autoscaling:groupName": "asg"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if info.State != "pending" || info.AZ != "us-east-1c" || info.PrivateIP != "172.31.32.4" || info.Type != "m5.large" ||
		info.UserData != "ECS_CLUSTER=demo" || len(info.SecurityGroups) != 1 || info.SecurityGroups[0] != e.DefaultSecurityGroup() {
		t.Fatalf("LaunchInstance = %+v", info)
	}
	_, err = e.LaunchInstance(LaunchSpec{ImageID: ecsAMI, InstanceType: "t3.nano"})
	wantAWSError(t, err, InvalidParameterValue, "Invalid value 't3.nano' for InstanceType.")
	if got := e.Instances(); len(got) != 1 || got[0].ID != info.ID {
		t.Fatalf("Instances = %+v", got)
	}
}

func TestInstanceInfoIsACopy(t *testing.T) {
	e, _ := newTestEC2()
	info, _ := e.LaunchInstance(LaunchSpec{ImageID: ecsAMI, Tags: map[string]string{"a": "1"}})
	info.Tags["a"] = "2"
	info.SecurityGroups[0] = "sg-changed"
	again, _ := e.Instance(info.ID)
	if again.Tags["a"] != "1" || again.SecurityGroups[0] == "sg-changed" {
		t.Fatalf("instance changed through a copy: %+v", again)
	}
}

func TestLaunchTimeIsSimulated(t *testing.T) {
	e, s := newTestEC2()
	advance(t, s, 90*time.Second)
	info, _ := e.LaunchInstance(LaunchSpec{ImageID: ecsAMI})
	if !info.LaunchTime.Equal(s.Start().Add(90 * time.Second)) {
		t.Fatalf("LaunchTime = %s", info.LaunchTime)
	}
}
