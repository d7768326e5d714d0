package iam

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// managedFS holds the AWS managed policies ecsbox knows, one JSON file each,
// with their sources in managed/SOURCES.md.
//
//go:embed managed/*.json
var managedFS embed.FS

// managedPolicy is a managed policy: an AWS managed one (awsManaged, ARN
// arn:aws:iam::aws:policy/<path><name>) or a customer managed one of this
// account.
type managedPolicy struct {
	name, path, id, arn string
	awsManaged          bool
	description         *string
	created, updated    time.Time
	tags                []Tag

	versions    []*policyVersion // oldest first
	defaultID   string
	nextVersion int
	// attachments counts the roles the policy is attached to.
	attachments int
}

type policyVersion struct {
	id      string
	text    string
	doc     *document
	created time.Time
}

func (p *managedPolicy) version(id string) *policyVersion {
	for _, v := range p.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

// out renders the Policy shape. full adds Description and Tags, which
// GetPolicy returns and ListPolicies does not [IAM-API:Policy].
func (p *managedPolicy) out(full bool) Policy {
	o := Policy{
		PolicyName:                    aws.String(p.name),
		PolicyId:                      aws.String(p.id),
		Arn:                           aws.String(p.arn),
		Path:                          aws.String(p.path),
		DefaultVersionId:              aws.String(p.defaultID),
		AttachmentCount:               aws.Int(p.attachments),
		PermissionsBoundaryUsageCount: aws.Int(0),
		IsAttachable:                  aws.Bool(true),
		CreateDate:                    timeOf(p.created),
		UpdateDate:                    timeOf(p.updated),
	}
	if full {
		o.Description = copyString(p.description)
		o.Tags = copyTags(p.tags)
	}
	return o
}

func (v *policyVersion) out(isDefault bool) *PolicyVersion {
	return &PolicyVersion{
		Document:         aws.String(v.text),
		VersionId:        aws.String(v.id),
		IsDefaultVersion: aws.Bool(isDefault),
		CreateDate:       timeOf(v.created),
	}
}

// managedFile is the layout of managed/*.json.
type managedFile struct {
	PolicyName       string
	Path             string
	DefaultVersionId string
	CreateDate       time.Time
	UpdateDate       time.Time
	Description      string
	Document         json.RawMessage
}

// awsManagedPolicies loads the embedded AWS managed policies. Their
// documents are AWS's, so a document that does not parse is a bug in
// managed/ and panics at start-up (and in the tests).
func awsManagedPolicies() []*managedPolicy {
	files, err := fs.Glob(managedFS, "managed/*.json")
	if err != nil {
		panic(err)
	}
	sort.Strings(files)
	var out []*managedPolicy
	for _, f := range files {
		raw, err := managedFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		var m managedFile
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("iam: %s: %v", f, err))
		}
		text, err := json.MarshalIndent(m.Document, "", "  ")
		if err != nil {
			panic(fmt.Sprintf("iam: %s: %v", f, err))
		}
		doc, err := parseDocument(string(text), identityPolicy)
		if err != nil {
			panic(fmt.Sprintf("iam: %s: %v", f, err))
		}
		p := &managedPolicy{
			name: m.PolicyName, path: m.Path, awsManaged: true,
			id:      stableID("ANPA", m.PolicyName),
			arn:     "arn:aws:iam::aws:policy" + m.Path + m.PolicyName,
			created: m.CreateDate, updated: m.UpdateDate,
			defaultID: m.DefaultVersionId,
		}
		if m.Description != "" {
			p.description = aws.String(m.Description)
		}
		// Only the default version is known; older versions are not kept.
		p.versions = []*policyVersion{{id: m.DefaultVersionId, text: string(text), doc: doc, created: m.UpdateDate}}
		out = append(out, p)
	}
	return out
}

func (p *managedPolicy) defaultVersion() *policyVersion { return p.version(p.defaultID) }

// AWS managed policies that the other services refer to by ARN. The paths
// are AWS's: service-role/ for the policies of service roles, and
// aws-service-role/ for those of service-linked roles (managed/SOURCES.md).
const (
	PolicyAdministratorAccess              = "arn:aws:iam::aws:policy/AdministratorAccess"
	PolicyECSForEC2Role                    = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
	PolicyECSTaskExecutionRole             = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	PolicyECSFullAccess                    = "arn:aws:iam::aws:policy/AmazonECS_FullAccess"
	PolicyECSAutoscaleRole                 = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceAutoscaleRole"
	PolicySSMManagedInstanceCore           = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
	PolicyECSServiceRole                   = "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"
	PolicyECRReadOnly                      = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
	PolicyECRPowerUser                     = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"
	PolicyCloudWatchLogsFullAccess         = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
	PolicyApplicationAutoscalingECSService = "arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoscalingECSServicePolicy"
	PolicyAutoScalingServiceRole           = "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"
)
