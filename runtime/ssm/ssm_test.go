package ssm

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/ecsbox/ecsbox/internal/apitest"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTestSSM() (*SSM, *ec2.EC2) {
	s := sim.New(sim.Config{})
	e := ec2.New(ec2.Config{Sim: s, Identity: aws.DefaultIdentity()})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity(), EC2: e}), e
}

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code || e.Message != msg {
		t.Fatalf("got %v, want %s: %s", err, code, msg)
	}
}

func get(t *testing.T, s *SSM, name string) *Parameter {
	t.Helper()
	out, err := s.GetParameter(&GetParameterRequest{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("GetParameter(%s): %v", name, err)
	}
	return out.Parameter
}

// TestImageParametersAgreeWithEC2 checks that every AMI parameter names an
// AMI that EC2 knows, of the right kind and architecture.
func TestImageParametersAgreeWithEC2(t *testing.T) {
	s, e := newTestSSM()
	tests := []struct {
		name, os, arch string
		ecs            bool
	}{
		{"/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", "Amazon Linux 2023", "x86_64", true},
		{"/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id", "Amazon Linux 2023", "arm64", true},
		{"/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id", "Amazon Linux 2", "x86_64", true},
		{"/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id", "Amazon Linux 2", "arm64", true},
		{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "Amazon Linux 2023", "x86_64", false},
		{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", "Amazon Linux 2023", "arm64", false},
	}
	for _, tt := range tests {
		p := get(t, s, tt.name)
		img, ok := e.Image(aws.ToString(p.Value))
		if !ok {
			t.Errorf("%s = %s, not an EC2 AMI", tt.name, aws.ToString(p.Value))
			continue
		}
		if img.OS != tt.os || img.Architecture != tt.arch || img.ECSOptimized != tt.ecs {
			t.Errorf("%s names %+v", tt.name, img)
		}
		if aws.ToString(p.Type) != "String" || aws.ToString(p.DataType) != "text" ||
			aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1::parameter"+tt.name || aws.ToInt64(p.Version) != publicVersion {
			t.Errorf("%s = %+v", tt.name, p)
		}
	}
}

func TestRecommendedJSON(t *testing.T) {
	s, e := newTestSSM()
	p := get(t, s, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended")
	var doc map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(p.Value)), &doc); err != nil {
		t.Fatal(err)
	}
	img, _ := e.Image(doc["image_id"].(string))
	want := map[string]any{
		"ecs_agent_version":   "1.88.0",
		"ecs_runtime_version": "Docker version 25.0.6",
		"image_id":            img.ID,
		"image_name":          "al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64",
		"image_version":       "2023.0.20241115",
		"os":                  "Amazon Linux 2023",
		"schema_version":      float64(1),
		"source_image_name":   "al2023-ami-minimal-2023.6.20241111.0-kernel-6.1-x86_64",
	}
	if !reflect.DeepEqual(doc, want) {
		t.Fatalf("value = %v\nwant %v", doc, want)
	}
	// the document's keys are parameters too
	if v := aws.ToString(get(t, s, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/ecs_agent_version").Value); v != "1.88.0" {
		t.Fatalf("ecs_agent_version = %q", v)
	}
	if v := aws.ToString(get(t, s, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/schema_version").Value); v != "1" {
		t.Fatalf("schema_version = %q", v)
	}
	if got := p.LastModifiedDate.String(); got != "2024-11-15T19:21:38.000Z" {
		t.Fatalf("LastModifiedDate = %s", got)
	}
}

func TestGetParameters(t *testing.T) {
	s, _ := newTestSSM()
	out, err := s.GetParameters(&GetParametersRequest{Names: []string{
		"/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
		"/nope",
		"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
		"/nope",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 2 || aws.ToString(out.Parameters[1].Name) != "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" ||
		!reflect.DeepEqual(out.InvalidParameters, []string{"/nope"}) {
		t.Fatalf("GetParameters = %+v", out)
	}
	_, err = s.GetParameter(&GetParameterRequest{Name: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2024/recommended")})
	wantAWSError(t, err, ParameterNotFound, "")
	if got := err.Error(); got != "ParameterNotFound" {
		t.Fatalf("error prints %q", got)
	}
}

func TestPutParameter(t *testing.T) {
	s, _ := newTestSSM()
	out, err := s.PutParameter(&PutParameterRequest{Name: aws.String("/app/db/host"), Value: aws.String("db.internal"), Type: aws.String("String")})
	if err != nil || aws.ToInt64(out.Version) != 1 || aws.ToString(out.Tier) != "Standard" {
		t.Fatalf("PutParameter = %+v, %v", out, err)
	}
	p := get(t, s, "/app/db/host")
	if aws.ToString(p.Value) != "db.internal" || aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host" {
		t.Fatalf("parameter = %+v", p)
	}
	_, err = s.PutParameter(&PutParameterRequest{Name: aws.String("/app/db/host"), Value: aws.String("x")})
	wantAWSError(t, err, ParameterAlreadyExists, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	out, _ = s.PutParameter(&PutParameterRequest{Name: aws.String("/app/db/host"), Value: aws.String("db2"), Overwrite: aws.Bool(true)})
	if aws.ToInt64(out.Version) != 2 || aws.ToString(get(t, s, "/app/db/host").Value) != "db2" {
		t.Fatalf("overwrite: %+v", out)
	}
	_, err = s.PutParameter(&PutParameterRequest{Name: aws.String("plain"), Value: aws.String("x")})
	wantAWSError(t, err, ValidationException, "A parameter type is required when you create a parameter.")
	_, err = s.PutParameter(&PutParameterRequest{Name: aws.String("/aws/service/mine"), Value: aws.String("x"), Type: aws.String("String")})
	wantAWSError(t, err, ValidationException, `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`)
}

func TestOperationsNeverPanic(t *testing.T) {
	s, _ := newTestSSM()
	apitest.NeverPanics(t, s)
	// a nil EC2 leaves only the account's own parameters
	if n := len(New(Config{Sim: sim.New(sim.Config{}), Identity: aws.DefaultIdentity()}).PublicParameters()); n != 0 {
		t.Fatalf("%d public parameters without EC2", n)
	}
}
