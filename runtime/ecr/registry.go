package ecr

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// The registry as clients see it: image references, pulls (ECS, docker) and
// pushes (docker). These are Go API for the rest of ecsbox, not AWS actions.

// ecrHostPattern matches the host of any private ECR registry:
// <account>.dkr.ecr.<region>.amazonaws.com [ECR-UG:Registries] (FIPS and
// China endpoints included).
var ecrHostPattern = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)

// IsECRImage reports whether an image reference names an image in a private
// ECR registry (any account's), which ECS pulls with the task execution role.
func IsECRImage(ref string) bool {
	host, _, ok := strings.Cut(ref, "/")
	return ok && ecrHostPattern.MatchString(host)
}

// ImageRef is a parsed image reference: host/repository[:tag][@digest].
type ImageRef struct {
	Host, Repository, Tag, Digest string
}

// String formats the reference as docker does.
func (r ImageRef) String() string {
	s := r.Repository
	if r.Host != "" {
		s = r.Host + "/" + s
	}
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// ParseImageRef splits an image reference. A reference with neither tag nor
// digest means the tag "latest", as docker reads it. The host is the first
// component when it looks like one (has a "." or ":", or is localhost).
func ParseImageRef(ref string) ImageRef {
	var out ImageRef
	rest := ref
	if i := strings.Index(rest, "@"); i >= 0 {
		out.Digest = rest[i+1:]
		rest = rest[:i]
	}
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		out.Host = first
		rest = after
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.Contains(rest[i:], "/") {
		out.Tag = rest[i+1:]
		rest = rest[:i]
	}
	out.Repository = rest
	if out.Tag == "" && out.Digest == "" {
		out.Tag = "latest"
	}
	return out
}

// ImageInfo describes an image in the registry, as a pull finds it.
type ImageInfo struct {
	Ref        string // the reference as asked
	Repository string
	Tags       []string
	Digest     string
	SizeBytes  int64
	PushedAt   time.Time
	Manifest   string
	MediaType  string
}

// ErrImageNotFound is what a PullError wraps: the repository, tag or digest
// is not in the registry.
var ErrImageNotFound = errors.New("image not found")

// PullError is the failure to pull an image from ECR. Its text is the one
// ECS shows in a task's stoppedReason when Fargate (containerd) cannot
// resolve the reference: "CannotPullContainerError: pull image manifest has
// been retried 5 time(s): failed to resolve ref <ref>: <ref>: not found"
// (the form of aws/containers-roadmap#2687 and deepfence/terraform-aws-cloud-
// scanner#13; ECS retries the pull 5 times on Fargate; exact text not
// verified for a missing tag). The EC2 agent's Docker-era wording was
// "CannotPullContainerError: API error (404): repository ... not found"
// [DG:task_cannot_pull_image].
type PullError struct {
	Ref               string
	Repository        string
	RepositoryMissing bool // the repository does not exist; otherwise its tag or digest does not
}

func (e *PullError) Error() string {
	return fmt.Sprintf("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref %s: %s: not found", e.Ref, e.Ref)
}

func (e *PullError) Unwrap() error { return ErrImageNotFound }

// lookup finds the image a reference names in this registry.
func (r *ECR) lookup(ref string) (*repository, *image, error) {
	p := ParseImageRef(ref)
	if p.Host != r.RegistryHost() {
		return nil, nil, &PullError{Ref: ref, Repository: p.Repository, RepositoryMissing: true}
	}
	rp, ok := r.repos[p.Repository]
	if !ok {
		return nil, nil, &PullError{Ref: ref, Repository: p.Repository, RepositoryMissing: true}
	}
	digest := p.Digest // with both, the digest decides, as docker resolves it
	if digest == "" {
		digest = rp.tags[p.Tag]
	}
	im, ok := rp.images[digest]
	if !ok {
		return nil, nil, &PullError{Ref: ref, Repository: p.Repository}
	}
	return rp, im, nil
}

// ResolveImage finds the image an ECS task or a docker pull names
// (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:...),
// records the pull (lastRecordedPullTime), and returns its digest and size.
// A missing repository, tag or digest is a *PullError.
func (r *ECR) ResolveImage(ref string) (ImageInfo, error) {
	rp, im, err := r.lookup(ref)
	if err != nil {
		return ImageInfo{}, err
	}
	im.lastPull = r.sim.Now()
	return ImageInfo{
		Ref: ref, Repository: rp.name, Tags: rp.tagsOf(im.digest), Digest: im.digest,
		SizeBytes: im.size, PushedAt: im.pushedAt, Manifest: im.manifest, MediaType: im.mediaType,
	}, nil
}

// Push stores an image the docker client pushes: its manifest under tag in
// repository repo, with the image's size. It returns the manifest's digest.
// Errors are worded as the docker CLI prints the registry's answer:
//
//	name unknown: The repository with name 'x' does not exist in the registry with id '123456789012'
//	tag invalid: The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable.
//
// (aws-actions/amazon-ecr-login#166, [CR#862]). Pushing the same manifest
// under the same tag again succeeds and changes nothing, as docker push does.
func (r *ECR) Push(repo, tag string, manifest []byte, sizeBytes int64) (string, error) {
	rp, ok := r.repos[repo]
	if !ok {
		return "", fmt.Errorf("name unknown: The repository with name '%s' does not exist in the registry with id '%s'", repo, r.id.AccountID)
	}
	digest := Digest(manifest)
	if tag != "" && rp.tags[tag] == digest {
		return digest, nil
	}
	if tag == "" && rp.images[digest] != nil {
		return digest, nil
	}
	if _, err := r.store(rp, string(manifest), MediaTypeDockerManifest, tag, sizeBytes); err != nil {
		var aerr *awserr.Error
		if errors.As(err, &aerr) && aerr.Code == ImageTagAlreadyExistsException {
			return "", fmt.Errorf("tag invalid: %s", aerr.Message)
		}
		return "", err
	}
	return digest, nil
}
