package ecr

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// repository is one ECR repository and the images in it.
type repository struct {
	name, arn   string
	created     time.Time
	mutability  string
	exclusions  []ImageTagMutabilityExclusionFilter
	scanOnPush  bool
	encryption  EncryptionConfiguration
	resourceTag []Tag
	images      map[string]*image // by digest
	tags        map[string]string // tag -> digest
	policy      string            // repository policy text, "" if none
	lifecycle   *lifecycleState
	preview     *previewState
}

// Repository names: 2-256 characters (botocore checks the minimum) matching
// the model's pattern: lowercase components separated by ".", "_", "__" or
// dashes, namespaces with "/" [ECR-API:RepositoryName].
var repoNamePattern = regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)

const maxRepoNameLength = 256 // [ECR-API:RepositoryName]

// validRepoName checks a repository name as CreateRepository does.
func validRepoName(name string) error {
	if len(name) > maxRepoNameLength {
		// The length refusal is worded like the minimum one users quote
		// ("'must have length greater than or equal to 2'", aws/aws-dotnet-deploy#549);
		// text not verified for the maximum.
		return invalidParam("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length less than or equal to %d'", maxRepoNameLength)
	}
	if !repoNamePattern.MatchString(name) {
		// AWS's text, which quotes an older regular expression than the model's
		// (localstack/localstack#8051, jenkins-x/jx#1344, boto/boto3#3191).
		return invalidParam("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
	}
	return nil
}

var mutabilityValues = []string{ImageTagMutabilityMUTABLE, ImageTagMutabilityIMMUTABLE, ImageTagMutabilityIMMUTABLEWITHEXCLUSION, ImageTagMutabilityMUTABLEWITHEXCLUSION}

// exclusionFilterPattern is [ECR-API:ImageTagMutabilityExclusionFilterValue].
var exclusionFilterPattern = regexp.MustCompile(`^[0-9a-zA-Z._*-]{1,128}$`)

// checkMutability validates imageTagMutability and its exclusion filters,
// and returns the setting to store (MUTABLE when absent). The *_WITH_EXCLUSION
// settings need 1-5 filters; the plain ones take none [ECR-API:CreateRepositoryRequest].
func checkMutability(value *string, filters []ImageTagMutabilityExclusionFilter) (string, error) {
	m := ImageTagMutabilityMUTABLE
	if value != nil {
		m = *value
	}
	if !oneOf(m, mutabilityValues) {
		// text not verified
		return "", invalidParam("Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [%s]'", strings.Join(mutabilityValues, ", "))
	}
	withExclusion := strings.HasSuffix(m, "_WITH_EXCLUSION")
	switch {
	case withExclusion && len(filters) == 0:
		// text not verified
		return "", invalidParam("imageTagMutabilityExclusionFilters must be specified when imageTagMutability is %s", m)
	case !withExclusion && len(filters) > 0:
		// text not verified
		return "", invalidParam("imageTagMutabilityExclusionFilters can only be specified when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION")
	case len(filters) > 5:
		return "", invalidParam("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Member must have length less than or equal to 5'")
	}
	for _, f := range filters {
		if aws.ToString(f.FilterType) != ImageTagMutabilityExclusionFilterTypeWILDCARD {
			// text not verified
			return "", invalidParam("Invalid parameter at 'filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD]'")
		}
		if !exclusionFilterPattern.MatchString(aws.ToString(f.Filter)) {
			// text not verified
			return "", invalidParam("Invalid parameter at 'filter' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$'")
		}
	}
	return m, nil
}

// tagImmutable reports whether tag, once it names an image, may not be moved
// to another: everything in IMMUTABLE, everything but the excluded tags in
// IMMUTABLE_WITH_EXCLUSION, only the excluded tags in MUTABLE_WITH_EXCLUSION.
func (rp *repository) tagImmutable(tag string) bool {
	excluded := false
	for _, f := range rp.exclusions {
		if wildcardMatch(aws.ToString(f.Filter), tag) {
			excluded = true
			break
		}
	}
	switch rp.mutability {
	case ImageTagMutabilityIMMUTABLE:
		return true
	case ImageTagMutabilityIMMUTABLEWITHEXCLUSION:
		return !excluded
	case ImageTagMutabilityMUTABLEWITHEXCLUSION:
		return excluded
	}
	return false
}

// checkEncryption validates an encryption configuration and returns it with
// its default: AES256 when absent [ECR-API:EncryptionConfiguration].
func checkEncryption(ec *EncryptionConfiguration) (EncryptionConfiguration, error) {
	if ec == nil {
		return EncryptionConfiguration{EncryptionType: aws.String(EncryptionTypeAES256)}, nil
	}
	t := aws.ToString(ec.EncryptionType)
	types := []string{EncryptionTypeAES256, EncryptionTypeKMS, EncryptionTypeKMSDSSE}
	if !oneOf(t, types) {
		// text not verified
		return EncryptionConfiguration{}, invalidParam("Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [%s]'", strings.Join(types, ", "))
	}
	if t == EncryptionTypeAES256 && ec.KmsKey != nil {
		// text not verified
		return EncryptionConfiguration{}, invalidParam("Invalid parameter at 'kmsKey': a KMS key can only be specified when encryptionType is KMS or KMS_DSSE")
	}
	out := EncryptionConfiguration{EncryptionType: aws.String(t)}
	if ec.KmsKey != nil {
		out.KmsKey = aws.String(*ec.KmsKey)
	}
	return out, nil
}

// CreateRepository creates a repository in the account's registry.
func (r *ECR) CreateRepository(in *CreateRepositoryRequest) (*CreateRepositoryResponse, error) {
	if in == nil {
		in = &CreateRepositoryRequest{}
	}
	if err := r.checkRegistry(in.RegistryId); err != nil {
		return nil, err
	}
	name := aws.ToString(in.RepositoryName)
	if err := validRepoName(name); err != nil {
		return nil, err
	}
	if _, ok := r.repos[name]; ok {
		// moto's text (moto/ecr/exceptions.py), which follows AWS's; not verified
		return nil, awserr.Newf(RepositoryAlreadyExistsException, "The repository with name '%s' already exists in the registry with id '%s'", name, r.id.AccountID)
	}
	mutability, err := checkMutability(in.ImageTagMutability, in.ImageTagMutabilityExclusionFilters)
	if err != nil {
		return nil, err
	}
	enc, err := checkEncryption(in.EncryptionConfiguration)
	if err != nil {
		return nil, err
	}
	rp := &repository{
		name:        name,
		arn:         awserr.MakeARN("ecr", r.id.Region, r.id.AccountID, "repository/"+name),
		created:     r.sim.Now(),
		mutability:  mutability,
		exclusions:  append([]ImageTagMutabilityExclusionFilter{}, in.ImageTagMutabilityExclusionFilters...),
		encryption:  enc,
		resourceTag: append([]Tag{}, in.Tags...),
		images:      map[string]*image{},
		tags:        map[string]string{},
	}
	if in.ImageScanningConfiguration != nil {
		rp.scanOnPush = aws.ToBool(in.ImageScanningConfiguration.ScanOnPush)
	}
	r.repos[name] = rp
	r.sim.Recordf("ecr", "RepositoryCreated", name, "repository %s created (%s, %s)", r.uri(rp), mutability, aws.ToString(enc.EncryptionType))
	return &CreateRepositoryResponse{Repository: r.describe(rp)}, nil
}

// uri is the repository's URI, the image name docker tags and pushes.
func (r *ECR) uri(rp *repository) string { return r.RegistryHost() + "/" + rp.name }

// describe renders a repository as the API shows it.
func (r *ECR) describe(rp *repository) *Repository {
	enc := rp.encryption
	out := &Repository{
		RepositoryArn:              aws.String(rp.arn),
		RegistryId:                 aws.String(r.id.AccountID),
		RepositoryName:             aws.String(rp.name),
		RepositoryUri:              aws.String(r.uri(rp)),
		CreatedAt:                  aws.NewTime(rp.created),
		ImageTagMutability:         aws.String(rp.mutability),
		ImageScanningConfiguration: &ImageScanningConfiguration{ScanOnPush: aws.Bool(rp.scanOnPush)},
		EncryptionConfiguration:    &enc,
	}
	if len(rp.exclusions) > 0 {
		out.ImageTagMutabilityExclusionFilters = append([]ImageTagMutabilityExclusionFilter{}, rp.exclusions...)
	}
	return out
}

// DescribeRepositories describes the named repositories (in the order named)
// or, without names, all of them by name, a page at a time.
func (r *ECR) DescribeRepositories(in *DescribeRepositoriesRequest) (*DescribeRepositoriesResponse, error) {
	if in == nil {
		in = &DescribeRepositoriesRequest{}
	}
	if err := r.checkRegistry(in.RegistryId); err != nil {
		return nil, err
	}
	out := &DescribeRepositoriesResponse{Repositories: []Repository{}}
	if len(in.RepositoryNames) > 0 {
		for _, n := range in.RepositoryNames {
			rp, ok := r.repos[n]
			if !ok {
				return nil, r.repoNotFound(n)
			}
			out.Repositories = append(out.Repositories, *r.describe(rp))
		}
		return out, nil
	}
	page, next, err := paginate("DescribeRepositories", r.sortedRepoNames(), in.MaxResults, maxPageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	for _, n := range page {
		out.Repositories = append(out.Repositories, *r.describe(r.repos[n]))
	}
	out.NextToken = next
	return out, nil
}

// DeleteRepository deletes a repository; one that still holds images only
// with force.
func (r *ECR) DeleteRepository(in *DeleteRepositoryRequest) (*DeleteRepositoryResponse, error) {
	if in == nil {
		in = &DeleteRepositoryRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if len(rp.images) > 0 && !aws.ToBool(in.Force) {
		// moto's text (moto/ecr/exceptions.py); not verified against AWS
		return nil, awserr.Newf(RepositoryNotEmptyException, "The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images", rp.name, r.id.AccountID)
	}
	out := &DeleteRepositoryResponse{Repository: r.describe(rp)}
	if rp.lifecycle != nil && rp.lifecycle.timer != nil {
		rp.lifecycle.timer.Stop()
	}
	delete(r.repos, rp.name)
	r.sim.Recordf("ecr", "RepositoryDeleted", rp.name, "repository %s deleted with %d image(s)", rp.name, len(rp.images))
	return out, nil
}

// PutImageTagMutability changes a repository's tag mutability. Tags already
// in place stay where they are.
func (r *ECR) PutImageTagMutability(in *PutImageTagMutabilityRequest) (*PutImageTagMutabilityResponse, error) {
	if in == nil {
		in = &PutImageTagMutabilityRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if in.ImageTagMutability == nil {
		// text not verified (botocore requires the member, so only Go callers get here)
		return nil, invalidParam("imageTagMutability is required")
	}
	m, err := checkMutability(in.ImageTagMutability, in.ImageTagMutabilityExclusionFilters)
	if err != nil {
		return nil, err
	}
	rp.mutability = m
	rp.exclusions = append([]ImageTagMutabilityExclusionFilter{}, in.ImageTagMutabilityExclusionFilters...)
	r.sim.Recordf("ecr", "TagMutabilityChanged", rp.name, "repository %s image tags are now %s", rp.name, m)
	out := &PutImageTagMutabilityResponse{
		RegistryId:         aws.String(r.id.AccountID),
		RepositoryName:     aws.String(rp.name),
		ImageTagMutability: aws.String(m),
	}
	if len(rp.exclusions) > 0 {
		out.ImageTagMutabilityExclusionFilters = append([]ImageTagMutabilityExclusionFilter{}, rp.exclusions...)
	}
	return out, nil
}

// PutImageScanningConfiguration turns scan on push on or off.
func (r *ECR) PutImageScanningConfiguration(in *PutImageScanningConfigurationRequest) (*PutImageScanningConfigurationResponse, error) {
	if in == nil {
		in = &PutImageScanningConfigurationRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if in.ImageScanningConfiguration != nil {
		rp.scanOnPush = aws.ToBool(in.ImageScanningConfiguration.ScanOnPush)
	}
	return &PutImageScanningConfigurationResponse{
		RegistryId:                 aws.String(r.id.AccountID),
		RepositoryName:             aws.String(rp.name),
		ImageScanningConfiguration: &ImageScanningConfiguration{ScanOnPush: aws.Bool(rp.scanOnPush)},
	}, nil
}

const maxRepositoryPolicyLength = 10240 // [ECR-API:RepositoryPolicyText]

// SetRepositoryPolicy stores a repository policy: a JSON policy document with
// a Statement. ecsbox keeps it and returns it; it does not evaluate it when
// images are pushed or pulled (the IAM simulation decides access).
func (r *ECR) SetRepositoryPolicy(in *SetRepositoryPolicyRequest) (*SetRepositoryPolicyResponse, error) {
	if in == nil {
		in = &SetRepositoryPolicyRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	text := aws.ToString(in.PolicyText)
	if len(text) > maxRepositoryPolicyLength {
		return nil, invalidParam("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to %d'", maxRepositoryPolicyLength)
	}
	var doc map[string]any
	if json.Unmarshal([]byte(text), &doc) != nil || doc["Statement"] == nil {
		// text not verified
		return nil, invalidParam("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
	}
	rp.policy = text
	r.sim.Recordf("ecr", "RepositoryPolicySet", rp.name, "repository %s has a new repository policy", rp.name)
	return &SetRepositoryPolicyResponse{RegistryId: aws.String(r.id.AccountID), RepositoryName: aws.String(rp.name), PolicyText: aws.String(text)}, nil
}

// GetRepositoryPolicy returns a repository's policy.
func (r *ECR) GetRepositoryPolicy(in *GetRepositoryPolicyRequest) (*GetRepositoryPolicyResponse, error) {
	if in == nil {
		in = &GetRepositoryPolicyRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if rp.policy == "" {
		// moto's text (moto/ecr/exceptions.py); not verified against AWS
		return nil, awserr.Newf(RepositoryPolicyNotFoundException, "Repository policy does not exist for the repository with name '%s' in the registry with id '%s'", rp.name, r.id.AccountID)
	}
	return &GetRepositoryPolicyResponse{RegistryId: aws.String(r.id.AccountID), RepositoryName: aws.String(rp.name), PolicyText: aws.String(rp.policy)}, nil
}

// tagsOf returns the tags that name digest, sorted.
func (rp *repository) tagsOf(digest string) []string {
	var tags []string
	for t, d := range rp.tags {
		if d == digest {
			tags = append(tags, t)
		}
	}
	sort.Strings(tags)
	return tags
}

// wildcardMatch matches s against a pattern in which "*" stands for any run
// of characters (ECR's tag wildcards); every other character is literal.
func wildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	last := parts[len(parts)-1]
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
