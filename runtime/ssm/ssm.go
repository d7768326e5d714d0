// Package ssm simulates the part of AWS Systems Manager Parameter Store that
// ECS users meet: the public parameters that name the recommended
// ECS-optimized AMIs and the latest Amazon Linux AMIs, and the account's
// own String parameters.
//
// Simulated operations: GetParameter, GetParameters, PutParameter.
//
// The public parameters are derived from the EC2 AMI catalogue
// (runtime/ec2 images.go), so that the IDs they return are AMIs that
// RunInstances accepts.
package ssm

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the SSM service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	EC2      *ec2.EC2
}

// SSM is the simulated Parameter Store of one account and region.
type SSM struct {
	sim    *sim.Sim
	id     aws.Identity
	public map[string]*param
	own    map[string]*param
}

type param struct {
	name, typ, value, dataType, arn, description string
	version                                      int64
	modified                                     time.Time
}

// Error codes [SSM-API:GetParameter], [SSM-API:PutParameter].
const (
	ParameterNotFound      = "ParameterNotFound"
	ParameterAlreadyExists = "ParameterAlreadyExists"
	ValidationException    = "ValidationException"
)

// publicVersion is the Version ecsbox shows for every public parameter; AWS
// shows how often it has updated each (61 for
// /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended in
// eu-central-1 in November 2024, the example this catalogue follows).
const publicVersion = 61

// New returns the Parameter Store of an account, with the public parameters
// of the EC2 AMI catalogue.
func New(cfg Config) *SSM {
	s := &SSM{sim: cfg.Sim, id: cfg.Identity, public: map[string]*param{}, own: map[string]*param{}}
	if cfg.EC2 != nil {
		for _, img := range cfg.EC2.Images() {
			s.addImage(img)
		}
	}
	return s
}

// addImage publishes the parameters of one AMI. An ECS-optimized AMI's
// parameter holds a JSON document, and each of its keys is a parameter
// below it too (…/recommended/image_id); the value AWS returns looks like
//
//	{"ecs_agent_version":"1.88.0","ecs_runtime_version":"Docker version 25.0.6",
//	 "image_id":"ami-0281c9a5cd9de63bd","image_name":"al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64",
//	 "image_version":"2023.0.20241115","os":"Amazon Linux 2023","schema_version":1,
//	 "source_image_name":"al2023-ami-minimal-2023.6.20241111.0-kernel-6.1-x86_64"}
//
// (quoted from an aws ssm get-parameter output in seqeralabs' docs; keys in
// alphabetical order, as Go's encoding/json writes a map). A plain Amazon
// Linux parameter (/aws/service/ami-amazon-linux-latest/...) holds the AMI
// ID.
func (s *SSM) addImage(img ec2.ImageInfo) {
	if img.Parameter == "" {
		return
	}
	modified, _ := time.Parse(time.RFC3339, img.CreationDate)
	if !img.ECSOptimized {
		s.addPublic(img.Parameter, img.ID, modified)
		return
	}
	doc := map[string]any{
		"ecs_agent_version":   img.ECSAgentVersion,
		"ecs_runtime_version": img.ECSRuntimeVersion,
		"image_id":            img.ID,
		"image_name":          img.Name,
		"image_version":       img.ImageVersion,
		"os":                  img.OS,
		"schema_version":      1,
		"source_image_name":   img.SourceImageName,
	}
	b, _ := json.Marshal(doc)
	s.addPublic(img.Parameter, string(b), modified)
	for k, v := range doc {
		var text string
		switch v := v.(type) {
		case string:
			text = v
		default:
			text = strings.TrimSpace(string(mustJSON(v)))
		}
		s.addPublic(img.Parameter+"/"+k, text, modified)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// addPublic adds a public parameter. Public parameters belong to no account:
// their ARN has an empty account field,
// arn:aws:ssm:eu-central-1::parameter/aws/service/... (verified, same
// source), and their DataType is "text" (verified for the JSON parameter;
// not verified for the sub-parameters).
func (s *SSM) addPublic(name, value string, modified time.Time) {
	s.public[name] = &param{
		name: name, typ: "String", value: value, dataType: "text", version: publicVersion, modified: modified,
		arn: "arn:aws:ssm:" + s.id.Region + "::parameter" + name,
	}
}

// PublicParameters returns the names of the public parameters, sorted.
func (s *SSM) PublicParameters() []string {
	names := make([]string, 0, len(s.public))
	for n := range s.public {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *SSM) lookup(name string) *param {
	if p := s.public[name]; p != nil {
		return p
	}
	return s.own[name]
}

func (p *param) apiShape() *Parameter {
	return &Parameter{
		Name:             aws.String(p.name),
		Type:             aws.String(p.typ),
		Value:            aws.String(p.value),
		Version:          aws.Int64(p.version),
		LastModifiedDate: aws.NewTime(p.modified),
		ARN:              aws.String(p.arn),
		DataType:         aws.String(p.dataType),
	}
}

// GetParameter returns one parameter. An unknown name fails with
// ParameterNotFound and an empty message, as AWS returns it ("An error
// occurred (ParameterNotFound) when calling the GetParameter operation: ",
// awslabs/aws-simple-cicd#10).
func (s *SSM) GetParameter(in *GetParameterRequest) (*GetParameterResult, error) {
	if in == nil {
		in = &GetParameterRequest{}
	}
	p := s.lookup(aws.ToString(in.Name))
	if p == nil {
		return nil, awserr.New(ParameterNotFound, "")
	}
	return &GetParameterResult{Parameter: p.apiShape()}, nil
}

// GetParameters returns the parameters it finds, in the order asked, and
// lists the names it does not find under InvalidParameters instead of
// failing [SSM-API:GetParameters].
func (s *SSM) GetParameters(in *GetParametersRequest) (*GetParametersResult, error) {
	if in == nil {
		in = &GetParametersRequest{}
	}
	out := &GetParametersResult{Parameters: []Parameter{}, InvalidParameters: []string{}}
	seen := map[string]bool{}
	for _, name := range in.Names {
		if seen[name] {
			continue
		}
		seen[name] = true
		if p := s.lookup(name); p != nil {
			out.Parameters = append(out.Parameters, *p.apiShape())
		} else {
			out.InvalidParameters = append(out.InvalidParameters, name)
		}
	}
	return out, nil
}

// PutParameter creates or (with Overwrite) updates one of the account's own
// parameters. Each change adds one to its Version.
func (s *SSM) PutParameter(in *PutParameterRequest) (*PutParameterResult, error) {
	if in == nil {
		in = &PutParameterRequest{}
	}
	name := aws.ToString(in.Name)
	bare := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(bare, "aws") || strings.HasPrefix(bare, "ssm") {
		// text not verified
		return nil, awserr.New(ValidationException, `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`)
	}
	typ := aws.ToString(in.Type)
	if typ != "" && typ != "String" && typ != "StringList" && typ != "SecureString" {
		// the standard validation message of JSON-protocol services; text not verified for SSM
		return nil, awserr.Newf(ValidationException, "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", typ)
	}
	dataType := aws.ToString(in.DataType)
	if dataType == "" {
		dataType = "text"
	}
	p := s.own[name]
	switch {
	case p != nil && !aws.ToBool(in.Overwrite):
		// text not verified
		return nil, awserr.New(ParameterAlreadyExists, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	case p == nil && typ == "":
		// text not verified
		return nil, awserr.New(ValidationException, "A parameter type is required when you create a parameter.")
	case p == nil:
		arnName := name
		if !strings.HasPrefix(arnName, "/") {
			arnName = "/" + arnName
		}
		p = &param{name: name, arn: awserr.MakeARN("ssm", s.id.Region, s.id.AccountID, "parameter"+arnName)}
		s.own[name] = p
	}
	if typ != "" {
		p.typ = typ
	}
	p.value = aws.ToString(in.Value)
	p.dataType = dataType
	if in.Description != nil {
		p.description = *in.Description
	}
	p.version++
	p.modified = s.sim.Now()
	s.sim.Recordf("ssm", "ParameterPut", p.arn, "parameter %s version %d", name, p.version)
	return &PutParameterResult{Version: aws.Int64(p.version), Tier: aws.String("Standard")}, nil
}
