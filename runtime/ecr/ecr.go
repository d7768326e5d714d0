// Package ecr simulates the private Amazon ECR registry of one account in
// one region: repositories, images pushed by manifest, tag mutability, basic
// image scans, lifecycle policies applied on the simulated clock, repository
// policies, and the authorization tokens that docker login uses.
//
// Simulated operations: CreateRepository, DescribeRepositories,
// DeleteRepository, GetAuthorizationToken, PutImage, BatchGetImage,
// DescribeImages, ListImages, BatchDeleteImage, PutImageTagMutability,
// PutImageScanningConfiguration, StartImageScan, DescribeImageScanFindings,
// PutLifecyclePolicy, GetLifecyclePolicy, DeleteLifecyclePolicy,
// StartLifecyclePolicyPreview, GetLifecyclePolicyPreview,
// SetRepositoryPolicy, GetRepositoryPolicy.
//
// Go API for the other parts of ecsbox (registry.go): RegistryHost,
// IsECRImage, ResolveImage (ECS image pulls, with the CannotPullContainerError
// texts), Push (the docker client's push, with the docker CLI's texts),
// LoginPassword (the AWS CLI's get-login-password) and ValidToken.
//
// Files: repository.go (repositories, names, mutability, policies),
// image.go (PutImage and the image listings), auth.go (tokens), scan.go
// (basic scanning), lifecycle*.go (policy validation, evaluation, preview and
// the daily application), registry.go (the Go API above).
//
// References: [ECR-API] botocore's ecr/2015-09-21/service-2.json; [ECR-UG:page]
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/<page>.html; the
// behaviour reference (ecs-behavior.md section 11) collects the facts.
package ecr

import (
	"fmt"
	"sort"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the registry.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
}

// ECR is the private registry of one account and region. Like the other
// services it is driven by one goroutine (the simulation's).
type ECR struct {
	sim    *sim.Sim
	id     aws.Identity
	repos  map[string]*repository
	tokens map[string]time.Time // password -> expiry
	pushes int                  // push sequence, orders images pushed at the same instant
}

// New returns an empty registry.
func New(cfg Config) *ECR {
	if cfg.Identity.AccountID == "" {
		cfg.Identity = aws.DefaultIdentity()
	}
	return &ECR{sim: cfg.Sim, id: cfg.Identity, repos: map[string]*repository{}, tokens: map[string]time.Time{}}
}

// Error codes, spelled as the model's error shapes [ECR-API].
const (
	RepositoryAlreadyExistsException        = "RepositoryAlreadyExistsException"
	RepositoryNotFoundException             = "RepositoryNotFoundException"
	RepositoryNotEmptyException             = "RepositoryNotEmptyException"
	RepositoryPolicyNotFoundException       = "RepositoryPolicyNotFoundException"
	ImageAlreadyExistsException             = "ImageAlreadyExistsException"
	ImageTagAlreadyExistsException          = "ImageTagAlreadyExistsException"
	ImageDigestDoesNotMatchException        = "ImageDigestDoesNotMatchException"
	ImageNotFoundException                  = "ImageNotFoundException"
	LifecyclePolicyNotFoundException        = "LifecyclePolicyNotFoundException"
	LifecyclePolicyPreviewNotFoundException = "LifecyclePolicyPreviewNotFoundException"
	ScanNotFoundException                   = "ScanNotFoundException"
	LimitExceededException                  = "LimitExceededException"
	InvalidParameterException               = awserr.InvalidParameterException
)

// Media types of the Docker image manifest (schema 2) and image config, the
// ones docker push sends and ECR reports.
const (
	MediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerConfig   = "application/vnd.docker.container.image.v1+json"
)

// Page sizes: DescribeRepositories, DescribeImages and ListImages accept
// maxResults 1-1000 and return up to 100 items without it; the lifecycle
// preview accepts 1-100 [ECR-API:MaxResults], [ECR-API:LifecyclePreviewMaxResults].
const (
	defaultPageSize    = 100
	maxPageSize        = 1000
	previewMaxPageSize = 100
)

// RegistryID is the account ID, which names the registry in the API.
func (r *ECR) RegistryID() string { return r.id.AccountID }

// RegistryHost is the registry's host name:
// <account>.dkr.ecr.<region>.amazonaws.com [ECR-UG:Registries].
func (r *ECR) RegistryHost() string {
	return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com", r.id.AccountID, r.id.Region)
}

// checkRegistry refuses a registryId that is not this account's: ecsbox
// simulates one account, so another account's registry is out of reach.
func (r *ECR) checkRegistry(registryID *string) error {
	if registryID == nil || *registryID == r.id.AccountID {
		return nil
	}
	return awserr.Newf(awserr.NotSimulated, "ecsbox simulates only the registry of account %s; registryId '%s' is another account's", r.id.AccountID, *registryID)
}

// repo returns the repository called name, or AWS's RepositoryNotFound.
func (r *ECR) repo(registryID, name *string) (*repository, error) {
	if err := r.checkRegistry(registryID); err != nil {
		return nil, err
	}
	rp, ok := r.repos[aws.ToString(name)]
	if !ok {
		return nil, r.repoNotFound(aws.ToString(name))
	}
	return rp, nil
}

func (r *ECR) repoNotFound(name string) error {
	// Text quoted in the brief and by users, e.g. aws-actions/amazon-ecr-login#166.
	return awserr.Newf(RepositoryNotFoundException, "The repository with name '%s' does not exist in the registry with id '%s'", name, r.id.AccountID)
}

// sortedRepoNames lists the repositories by name.
func (r *ECR) sortedRepoNames() []string {
	names := make([]string, 0, len(r.repos))
	for n := range r.repos {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func invalidParam(format string, args ...any) error {
	return awserr.Newf(InvalidParameterException, format, args...)
}
