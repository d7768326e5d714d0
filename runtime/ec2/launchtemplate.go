package ec2

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Launch templates [EC2-UG:ec2-launch-templates], [EC2-API:CreateLaunchTemplate]:
// named, immutable, numbered versions of launch parameters. Version 1 is
// made with the template and is its default and latest; each new version
// gets the next number; ModifyLaunchTemplate moves the default. Auto
// Scaling launches from them through ResolveLaunchTemplate.
//
// A version keeps its data as DescribeLaunchTemplateVersions shows it
// (ResponseLaunchTemplateData). The request form and the response form of
// the data share their member names, so a version is made by a JSON round
// trip and, with a SourceVersion, by overlaying the request's top-level
// members on the source's: "If you specify additional launch parameters for
// the new version, they overwrite any corresponding launch parameters
// inherited from the source version" [EC2-API:CreateLaunchTemplateVersion].
// Members whose request and response shapes differ in name are dropped
// (none that a launch uses).

// Launch template error codes [EC2-API:errors-overview].
const (
	InvalidLaunchTemplateNameMalformed     = "InvalidLaunchTemplateName.MalformedException"
	InvalidLaunchTemplateNameAlreadyExists = "InvalidLaunchTemplateName.AlreadyExistsException"
	InvalidLaunchTemplateNameNotFound      = "InvalidLaunchTemplateName.NotFoundException"
	InvalidLaunchTemplateIDNotFound        = "InvalidLaunchTemplateId.NotFound"
	InvalidLaunchTemplateIDVersionNotFound = "InvalidLaunchTemplateId.VersionNotFound"
	InvalidUserDataMalformed               = "InvalidUserData.Malformed"
)

type launchTemplate struct {
	seq            int
	id, name       string
	created        time.Time
	tags           map[string]string
	defaultVersion int
	versions       []*templateVersion // versions[i].number == i+1
}

type templateVersion struct {
	number      int
	description string
	created     time.Time
	data        ResponseLaunchTemplateData
}

// LaunchTemplateInfo describes a launch template for other services.
type LaunchTemplateInfo struct {
	ID, Name                      string
	DefaultVersion, LatestVersion int
}

func (t *launchTemplate) info() LaunchTemplateInfo {
	return LaunchTemplateInfo{ID: t.id, Name: t.name, DefaultVersion: t.defaultVersion, LatestVersion: len(t.versions)}
}

// templateNamePattern is the name rule of CreateLaunchTemplate: 3 to 128
// characters of [a-zA-Z0-9().\-/_] [EC2-API:CreateLaunchTemplate].
var templateNamePattern = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]{3,128}$`)

// checkTemplateName refuses a malformed name. The text is as
// github-aws-runners/terraform-aws-github-runner#932 (2021) quotes it; an
// older report (awsdocs/aws-cloudformation-user-guide#132) shows "between 3
// and 125 characters", which the API reference no longer says.
func checkTemplateName(name string) error {
	if !templateNamePattern.MatchString(name) {
		return awserr.New(InvalidLaunchTemplateNameMalformed,
			"A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.")
	}
	return nil
}

// checkUserData refuses user data that is not base64: a launch template
// takes it encoded, and boto3 does not encode it for you (unlike
// RunInstances). "Invalid BASE64 encoding of user data." (InvalidUserData
// .Malformed; hashicorp/terraform#18665, pulumi/pulumi-aws#2284). Line
// breaks (base64 without -w0) and missing padding are accepted: AWS was
// seen accepting loosely formed base64 and refusing only characters outside
// the alphabet (getmoto/moto#9543).
func checkUserData(s string) (string, error) {
	decoded, ok := decodeUserData(s)
	if !ok {
		return "", awserr.New(InvalidUserDataMalformed, "Invalid BASE64 encoding of user data.")
	}
	return decoded, nil
}

func decodeUserData(s string) (string, bool) {
	clean := strings.NewReplacer("\n", "", "\r", "").Replace(s)
	if b, err := base64.StdEncoding.DecodeString(clean); err == nil {
		return string(b), true
	}
	if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err == nil {
		return string(b), true
	}
	return "", false
}

// templateByID and templateByName find a live template.
func (e *EC2) templateByID(id string) *launchTemplate {
	for _, t := range e.templates {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (e *EC2) templateByName(name string) *launchTemplate {
	for _, t := range e.templates {
		if t.name == name {
			return t
		}
	}
	return nil
}

// templateNotFoundByID and templateNotFoundByName are EC2's refusals of an
// unknown template: "The specified launch template, with template ID
// lt-019c5be5798f24ca7, does not exist." (aws/karpenter-provider-aws#5665)
// and "The specified launch template, with template name timski, does not
// exist." (getmoto/moto#5477, quoting the AWS CLI).
func templateNotFoundByID(id string) error {
	return awserr.Newf(InvalidLaunchTemplateIDNotFound, "The specified launch template, with template ID %s, does not exist.", id)
}

func templateNotFoundByName(name string) error {
	return awserr.Newf(InvalidLaunchTemplateNameNotFound, "The specified launch template, with template name %s, does not exist.", name)
}

// findTemplate resolves the LaunchTemplateId / LaunchTemplateName pair the
// template operations share. With both, the ID wins (AWS asks for one; what
// it does with both is not documented).
func (e *EC2) findTemplate(id, name *string) (*launchTemplate, error) {
	switch {
	case aws.ToString(id) != "":
		if t := e.templateByID(*id); t != nil {
			return t, nil
		}
		return nil, templateNotFoundByID(*id)
	case aws.ToString(name) != "":
		if t := e.templateByName(*name); t != nil {
			return t, nil
		}
		return nil, templateNotFoundByName(*name)
	}
	// text not verified (the MissingParameter pattern of RunInstances)
	return nil, awserr.New(MissingParameter, "The request must contain the parameter launch template ID or launch template name")
}

// version resolves $Latest, $Default or a version number; "" is $Default.
// An unknown number is refused as AWS words it: "Could not find the
// specified version 1 for the launch template with ID
// lt-0f3e2efa769a315f6." (eksctl-io/eksctl#7786); a version that is not a
// number gets the same refusal (text not verified).
func (t *launchTemplate) version(v string) (*templateVersion, error) {
	switch v {
	case "", "$Default":
		return t.versions[t.defaultVersion-1], nil
	case "$Latest":
		return t.versions[len(t.versions)-1], nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > len(t.versions) || t.versions[n-1] == nil {
		return nil, awserr.Newf(InvalidLaunchTemplateIDVersionNotFound,
			"Could not find the specified version %s for the launch template with ID %s.", v, t.id)
	}
	return t.versions[n-1], nil
}

// versionData turns request data into the stored form, on top of base (the
// source version's data) when there is one. See the file comment.
func versionData(base *ResponseLaunchTemplateData, in *RequestLaunchTemplateData) (ResponseLaunchTemplateData, error) {
	merged := map[string]json.RawMessage{}
	if base != nil {
		if err := roundTrip(base, &merged); err != nil {
			return ResponseLaunchTemplateData{}, err
		}
	}
	over := map[string]json.RawMessage{}
	if err := roundTrip(in, &over); err != nil {
		return ResponseLaunchTemplateData{}, err
	}
	for k, v := range over {
		merged[k] = v
	}
	var out ResponseLaunchTemplateData
	err := roundTrip(merged, &out)
	return out, err
}

func roundTrip(from, to any) error {
	raw, err := json.Marshal(from)
	if err != nil {
		return fmt.Errorf("launch template data: %w", err)
	}
	if err := json.Unmarshal(raw, to); err != nil {
		return fmt.Errorf("launch template data: %w", err)
	}
	return nil
}

// validate checks what a launch template holds as CreateLaunchTemplate
// does: malformed user data is an error; parameters that would fail at
// launch (an unknown AMI or instance type) are returned as the Warning of
// the response, not refused [EC2-API:CreateLaunchTemplateResult: "If the
// launch template contains parameters or parameter combinations that are
// not valid, an error code and an error message are returned for each
// issue that's found"].
func (e *EC2) validate(data *ResponseLaunchTemplateData) (*ValidationWarning, error) {
	if ud := aws.ToString(data.UserData); ud != "" {
		if _, err := checkUserData(ud); err != nil {
			return nil, err
		}
	}
	var problems []ValidationError
	add := func(err error) {
		if ae, ok := err.(*awserr.Error); ok {
			problems = append(problems, ValidationError{Code: aws.String(ae.Code), Message: aws.String(ae.Message)})
		}
	}
	if img := aws.ToString(data.ImageId); img != "" && !strings.HasPrefix(img, "resolve:ssm:") {
		if err := checkImageID(img); err != nil {
			add(err)
		} else if _, ok := e.Image(img); !ok {
			add(imageNotFound([]string{img}))
		}
	}
	if typ := aws.ToString(data.InstanceType); typ != "" {
		if _, ok := e.InstanceType(typ); !ok {
			add(invalidValue("Invalid value '%s' for InstanceType.", typ))
		}
	}
	if len(problems) == 0 {
		return nil, nil
	}
	return &ValidationWarning{Errors: problems}, nil
}

// CreateLaunchTemplate creates a launch template with its version 1, which
// is the default and the latest version.
func (e *EC2) CreateLaunchTemplate(in *CreateLaunchTemplateRequest) (*CreateLaunchTemplateResult, error) {
	if in == nil {
		in = &CreateLaunchTemplateRequest{}
	}
	name := aws.ToString(in.LaunchTemplateName)
	if err := checkTemplateName(name); err != nil {
		return nil, err
	}
	if in.LaunchTemplateData == nil {
		// "No launch template data was provided. Launch template data is
		// required to create a launch template." (MissingParameter,
		// awsdocs/aws-cloudformation-user-guide#453)
		return nil, awserr.New(MissingParameter, "No launch template data was provided. Launch template data is required to create a launch template.")
	}
	if e.templateByName(name) != nil {
		// verified: getmoto/moto#7135 quoting the AWS error
		return nil, awserr.New(InvalidLaunchTemplateNameAlreadyExists, "Launch template name already in use.")
	}
	data, err := versionData(nil, in.LaunchTemplateData)
	if err != nil {
		return nil, err
	}
	warning, err := e.validate(&data)
	if err != nil {
		return nil, err
	}
	e.templateSeq++
	now := e.sim.Now()
	t := &launchTemplate{
		seq: e.templateSeq, id: e.sim.EC2ID("lt"), name: name, created: now,
		tags: tagsFor(in.TagSpecifications, "launch-template"), defaultVersion: 1,
	}
	t.versions = []*templateVersion{{number: 1, description: aws.ToString(in.VersionDescription), created: now, data: data}}
	e.templates = append(e.templates, t)
	e.sim.Recordf("ec2", "LaunchTemplateCreated", t.id, "launch template %s (%s) created with version 1: %s", t.name, t.id, dataSummary(&data))
	return &CreateLaunchTemplateResult{LaunchTemplate: e.templateShape(t), Warning: warning}, nil
}

// tagsFor collects the tags of the TagSpecifications for one resource type.
func tagsFor(specs []TagSpecification, resourceType string) map[string]string {
	tags := map[string]string{}
	for _, s := range specs {
		if aws.ToString(s.ResourceType) == resourceType {
			for _, t := range s.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
		}
	}
	return tags
}

// dataSummary names the launch parameters that matter to a reader of the
// timeline.
func dataSummary(d *ResponseLaunchTemplateData) string {
	var parts []string
	if v := aws.ToString(d.ImageId); v != "" {
		parts = append(parts, v)
	}
	if v := aws.ToString(d.InstanceType); v != "" {
		parts = append(parts, v)
	}
	if len(parts) == 0 {
		return "no image or instance type"
	}
	return strings.Join(parts, ", ")
}

// CreateLaunchTemplateVersion adds a version. With SourceVersion it starts
// from that version's data; without, from nothing. The new version is the
// latest; the default does not move.
func (e *EC2) CreateLaunchTemplateVersion(in *CreateLaunchTemplateVersionRequest) (*CreateLaunchTemplateVersionResult, error) {
	if in == nil {
		in = &CreateLaunchTemplateVersionRequest{}
	}
	t, err := e.findTemplate(in.LaunchTemplateId, in.LaunchTemplateName)
	if err != nil {
		return nil, err
	}
	var base *ResponseLaunchTemplateData
	if in.SourceVersion != nil {
		src, err := t.version(*in.SourceVersion)
		if err != nil {
			return nil, err
		}
		base = &src.data
	}
	req := in.LaunchTemplateData
	if req == nil {
		req = &RequestLaunchTemplateData{}
	}
	data, err := versionData(base, req)
	if err != nil {
		return nil, err
	}
	warning, err := e.validate(&data)
	if err != nil {
		return nil, err
	}
	v := &templateVersion{number: len(t.versions) + 1, description: aws.ToString(in.VersionDescription), created: e.sim.Now(), data: data}
	t.versions = append(t.versions, v)
	e.sim.Recordf("ec2", "LaunchTemplateVersionCreated", t.id, "launch template %s version %d created: %s", t.name, v.number, dataSummary(&data))
	return &CreateLaunchTemplateVersionResult{LaunchTemplateVersion: e.versionShape(t, v), Warning: warning}, nil
}

// ModifyLaunchTemplate sets the default version.
func (e *EC2) ModifyLaunchTemplate(in *ModifyLaunchTemplateRequest) (*ModifyLaunchTemplateResult, error) {
	if in == nil {
		in = &ModifyLaunchTemplateRequest{}
	}
	t, err := e.findTemplate(in.LaunchTemplateId, in.LaunchTemplateName)
	if err != nil {
		return nil, err
	}
	if in.DefaultVersion != nil {
		v, err := t.version(*in.DefaultVersion)
		if err != nil {
			return nil, err
		}
		if v.number != t.defaultVersion {
			e.sim.Recordf("ec2", "LaunchTemplateModified", t.id, "launch template %s default version %d → %d", t.name, t.defaultVersion, v.number)
			t.defaultVersion = v.number
		}
	}
	return &ModifyLaunchTemplateResult{LaunchTemplate: e.templateShape(t)}, nil
}

// DeleteLaunchTemplate deletes a template and all its versions. Auto
// Scaling groups that use it keep their reference and fail their next
// launch, as in AWS.
func (e *EC2) DeleteLaunchTemplate(in *DeleteLaunchTemplateRequest) (*DeleteLaunchTemplateResult, error) {
	if in == nil {
		in = &DeleteLaunchTemplateRequest{}
	}
	t, err := e.findTemplate(in.LaunchTemplateId, in.LaunchTemplateName)
	if err != nil {
		return nil, err
	}
	for i, x := range e.templates {
		if x == t {
			e.templates = append(e.templates[:i], e.templates[i+1:]...)
			break
		}
	}
	e.sim.Recordf("ec2", "LaunchTemplateDeleted", t.id, "launch template %s (%s) deleted", t.name, t.id)
	return &DeleteLaunchTemplateResult{LaunchTemplate: e.templateShape(t)}, nil
}

// templateShape shows a template as the API does.
func (e *EC2) templateShape(t *launchTemplate) *LaunchTemplate {
	return &LaunchTemplate{
		LaunchTemplateId:     aws.String(t.id),
		LaunchTemplateName:   aws.String(t.name),
		CreateTime:           aws.NewTime(t.created),
		CreatedBy:            aws.String(e.id.CallerARN()),
		DefaultVersionNumber: aws.Int64(int64(t.defaultVersion)),
		LatestVersionNumber:  aws.Int64(int64(len(t.versions))),
		Tags:                 apiTags(t.tags),
	}
}

func (e *EC2) versionShape(t *launchTemplate, v *templateVersion) *LaunchTemplateVersion {
	var data ResponseLaunchTemplateData
	_ = roundTrip(&v.data, &data) // a deep copy; the stored data came from JSON
	out := &LaunchTemplateVersion{
		LaunchTemplateId:   aws.String(t.id),
		LaunchTemplateName: aws.String(t.name),
		VersionNumber:      aws.Int64(int64(v.number)),
		CreateTime:         aws.NewTime(v.created),
		CreatedBy:          aws.String(e.id.CallerARN()),
		DefaultVersion:     aws.Bool(v.number == t.defaultVersion),
		LaunchTemplateData: &data,
	}
	if v.description != "" {
		out.VersionDescription = aws.String(v.description)
	}
	return out
}

// LaunchTemplate returns the template with the given ID (lt-...) or name.
func (e *EC2) LaunchTemplate(idOrName string) (LaunchTemplateInfo, bool) {
	if t := e.templateByID(idOrName); t != nil {
		return t.info(), true
	}
	if t := e.templateByName(idOrName); t != nil {
		return t.info(), true
	}
	return LaunchTemplateInfo{}, false
}

// ResolveLaunchTemplate resolves a template (by ID lt-... or by name) and a
// version ($Default, $Latest, a number; "" is $Default) into what
// LaunchInstance takes, with the user data decoded, and returns the version
// number it resolved to. It fails with EC2's errors for a missing template
// or version. SubnetID is empty unless the template's first network
// interface names one: Auto Scaling chooses the subnet.
func (e *EC2) ResolveLaunchTemplate(idOrName, version string) (LaunchSpec, int, error) {
	t := e.templateByID(idOrName)
	if t == nil {
		t = e.templateByName(idOrName)
	}
	if t == nil {
		if strings.HasPrefix(idOrName, "lt-") {
			return LaunchSpec{}, 0, templateNotFoundByID(idOrName)
		}
		return LaunchSpec{}, 0, templateNotFoundByName(idOrName)
	}
	v, err := t.version(version)
	if err != nil {
		return LaunchSpec{}, 0, err
	}
	d := &v.data
	spec := LaunchSpec{
		ImageID:            aws.ToString(d.ImageId),
		InstanceType:       aws.ToString(d.InstanceType),
		SecurityGroups:     append([]string(nil), d.SecurityGroupIds...),
		SecurityGroupNames: append([]string(nil), d.SecurityGroups...),
		KeyName:            aws.ToString(d.KeyName),
		Tags:               map[string]string{},
	}
	if p := d.IamInstanceProfile; p != nil {
		spec.IamInstanceProfile = aws.ToString(p.Arn)
		if spec.IamInstanceProfile == "" {
			spec.IamInstanceProfile = aws.ToString(p.Name)
		}
	}
	if len(d.NetworkInterfaces) > 0 {
		ni := d.NetworkInterfaces[0]
		spec.SubnetID = aws.ToString(ni.SubnetId)
		if len(spec.SecurityGroups) == 0 {
			spec.SecurityGroups = append([]string(nil), ni.Groups...)
		}
	}
	if ud := aws.ToString(d.UserData); ud != "" {
		spec.UserData, _ = decodeUserData(ud) // checked when the version was made
	}
	for _, ts := range d.TagSpecifications {
		if aws.ToString(ts.ResourceType) == "instance" {
			for _, tag := range ts.Tags {
				spec.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
		}
	}
	return spec, v.number, nil
}
