package ecr

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// image is one image manifest stored in a repository, named by its digest;
// tags point at images through repository.tags.
type image struct {
	digest    string
	manifest  string
	mediaType string // the manifest's
	artifact  string // the config's media type, DescribeImages' artifactMediaType
	size      int64
	pushedAt  time.Time
	seq       int       // push order, for listings and ties
	lastPull  time.Time // zero until pulled
	scan      *scanState
}

// key orders images in listings: by first push.
func (im *image) key() string { return fmt.Sprintf("%012d", im.seq) }

// Digest returns "sha256:<hex>" of manifest, the digest ECR and docker
// compute for an image.
func Digest(manifest []byte) string {
	sum := sha256.Sum256(manifest)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// manifestInfo is what ECR reads from a manifest: its media type, its
// config's media type, and the size of its layers.
type manifestInfo struct {
	MediaType string `json:"mediaType"`
	Config    struct {
		MediaType string `json:"mediaType"`
		Size      int64  `json:"size"`
	} `json:"config"`
	Layers []struct {
		Size int64 `json:"size"`
	} `json:"layers"`
}

// parseManifest reads a manifest. imageSizeInBytes is the sum of the
// (compressed) layer sizes [ECR-API:ImageDetail]; a manifest without layers
// counts its own length.
func parseManifest(text string) (manifestInfo, int64, error) {
	var m manifestInfo
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		// text not verified
		return m, 0, invalidParam("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
	}
	var size int64
	for _, l := range m.Layers {
		size += l.Size
	}
	if len(m.Layers) == 0 {
		size = int64(len(text))
	}
	return m, size, nil
}

// imageIDString renders an image ID as ECR's not-found messages show it.
func imageIDString(id ImageIdentifier) string {
	d, t := "null", "null"
	if id.ImageDigest != nil {
		d = *id.ImageDigest
	}
	if id.ImageTag != nil {
		t = *id.ImageTag
	}
	return fmt.Sprintf("{imageDigest:'%s', imageTag:'%s'}", d, t)
}

// store puts a manifest in a repository under tag ("" for none): the step
// that PutImage and a docker push share. size < 0 means "from the manifest".
func (r *ECR) store(rp *repository, manifest, mediaType, tag string, size int64) (*image, error) {
	info, manifestSize, err := parseManifest(manifest)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		size = manifestSize
	}
	digest := Digest([]byte(manifest))
	existing := rp.images[digest]
	if tag == "" && existing != nil {
		// text not verified
		return nil, awserr.Newf(ImageAlreadyExistsException, "Image with digest '%s' already exists in the repository with name '%s' in registry with id '%s'", digest, rp.name, r.id.AccountID)
	}
	var moved string
	if tag != "" {
		if old, ok := rp.tags[tag]; ok {
			if old == digest {
				// moto's text (moto/ecr tests), which follows AWS's; not verified
				return nil, awserr.Newf(ImageAlreadyExistsException, "Image with digest '%s' and tag '%s' already exists in the repository with name '%s' in registry with id '%s'", digest, tag, rp.name, r.id.AccountID)
			}
			if rp.tagImmutable(tag) {
				// The registry's text, as docker prints it after "tag invalid: "
				// ([CR#862], moby/buildkit#3776); the API is assumed to say the same.
				return nil, awserr.Newf(ImageTagAlreadyExistsException, "The image tag '%s' already exists in the '%s' repository and cannot be overwritten because the repository is immutable.", tag, rp.name)
			}
			moved = old
		}
	}
	im := existing
	if im == nil {
		if mediaType == "" {
			mediaType = info.MediaType
		}
		if mediaType == "" {
			mediaType = MediaTypeDockerManifest
		}
		r.pushes++
		im = &image{digest: digest, manifest: manifest, mediaType: mediaType, artifact: info.Config.MediaType,
			size: size, pushedAt: r.sim.Now(), seq: r.pushes}
		rp.images[digest] = im
	}
	where := rp.name + "@" + short(digest)
	if tag != "" {
		rp.tags[tag] = digest
		where = rp.name + ":" + tag
	}
	r.sim.Recordf("ecr", "ImagePushed", rp.name, "image %s pushed as %s (%d bytes)", short(digest), where, im.size)
	if moved != "" {
		rest := "now untagged"
		if t := rp.tagsOf(moved); len(t) > 0 {
			rest = fmt.Sprintf("still tagged %v", t)
		}
		r.sim.Recordf("ecr", "TagMoved", rp.name, "tag %s moved from image %s (%s)", tag, short(moved), rest)
	}
	if existing == nil && rp.scanOnPush {
		r.startScan(rp, im)
	}
	return im, nil
}

// short abbreviates a digest for the timeline: sha256: and 12 hex digits.
func short(digest string) string {
	if len(digest) > 19 {
		return digest[:19]
	}
	return digest
}

// PutImage stores an image manifest, optionally under a tag. The digest is
// the sha256 of the manifest; a given imageDigest must match it.
func (r *ECR) PutImage(in *PutImageRequest) (*PutImageResponse, error) {
	if in == nil {
		in = &PutImageRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	manifest := aws.ToString(in.ImageManifest)
	if in.ImageDigest != nil && *in.ImageDigest != Digest([]byte(manifest)) {
		// text not verified
		return nil, awserr.Newf(ImageDigestDoesNotMatchException, "The image digest '%s' does not match the digest of the image manifest, '%s'", *in.ImageDigest, Digest([]byte(manifest)))
	}
	if len(aws.ToString(in.ImageTag)) > 300 {
		return nil, invalidParam("Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length less than or equal to 300'")
	}
	im, err := r.store(rp, manifest, aws.ToString(in.ImageManifestMediaType), aws.ToString(in.ImageTag), -1)
	if err != nil {
		return nil, err
	}
	return &PutImageResponse{Image: &Image{
		RegistryId:             aws.String(r.id.AccountID),
		RepositoryName:         aws.String(rp.name),
		ImageId:                &ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: in.ImageTag},
		ImageManifest:          aws.String(im.manifest),
		ImageManifestMediaType: aws.String(im.mediaType),
	}}, nil
}

// find resolves an image ID in a repository: by digest, by tag, or by both
// (which must agree). The failure code and reason are BatchGetImage's and
// BatchDeleteImage's.
func (rp *repository) find(id ImageIdentifier) (*image, string, string) {
	if id.ImageDigest == nil && id.ImageTag == nil {
		// text not verified
		return nil, ImageFailureCodeMissingDigestAndTag, "Invalid request parameters: both tag and digest cannot be null"
	}
	if id.ImageDigest != nil && !digestPattern.MatchString(*id.ImageDigest) {
		// text not verified
		return nil, ImageFailureCodeInvalidImageDigest, "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"
	}
	digest := aws.ToString(id.ImageDigest)
	if id.ImageTag != nil {
		d, ok := rp.tags[*id.ImageTag]
		if !ok {
			return nil, ImageFailureCodeImageNotFound, notFoundReason
		}
		if digest != "" && d != digest {
			// text not verified
			return nil, ImageFailureCodeImageTagDoesNotMatchDigest, "Invalid request parameters: given tag does not map to the given digest"
		}
		digest = d
	}
	im, ok := rp.images[digest]
	if !ok {
		return nil, ImageFailureCodeImageNotFound, notFoundReason
	}
	return im, "", ""
}

// notFoundReason is the failureReason of ImageNotFound (aws/aws-cli#6424).
const notFoundReason = "Requested image not found"

var digestPattern = regexp.MustCompile(`^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$`)

func failure(id ImageIdentifier, code, reason string) ImageFailure {
	return ImageFailure{ImageId: &id, FailureCode: aws.String(code), FailureReason: aws.String(reason)}
}

// BatchGetImage returns the manifests of the requested images. It does not
// count as a pull: docker and ECS pulls (ResolveImage) update
// lastRecordedPullTime.
func (r *ECR) BatchGetImage(in *BatchGetImageRequest) (*BatchGetImageResponse, error) {
	if in == nil {
		in = &BatchGetImageRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if len(in.ImageIds) > 100 {
		// the form users quote for BatchDeleteImage (fujiwara/ecrm#3)
		return nil, invalidParam("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100'")
	}
	out := &BatchGetImageResponse{Images: []Image{}, Failures: []ImageFailure{}}
	for _, id := range in.ImageIds {
		im, code, reason := rp.find(id)
		if im == nil {
			out.Failures = append(out.Failures, failure(id, code, reason))
			continue
		}
		out.Images = append(out.Images, Image{
			RegistryId:             aws.String(r.id.AccountID),
			RepositoryName:         aws.String(rp.name),
			ImageId:                &ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: id.ImageTag},
			ImageManifest:          aws.String(im.manifest),
			ImageManifestMediaType: aws.String(im.mediaType),
		})
	}
	return out, nil
}

// sortedImages lists a repository's images in push order.
func (rp *repository) sortedImages() []*image {
	out := make([]*image, 0, len(rp.images))
	for _, im := range rp.images {
		out = append(out, im)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// tagStatusFilter checks a TAGGED | UNTAGGED | ANY filter value and returns
// a predicate on the number of tags.
func tagStatusFilter(v *string) (func(tags int) bool, error) {
	switch aws.ToString(v) {
	case "", TagStatusANY:
		return func(int) bool { return true }, nil
	case TagStatusTAGGED:
		return func(n int) bool { return n > 0 }, nil
	case TagStatusUNTAGGED:
		return func(n int) bool { return n == 0 }, nil
	}
	// text not verified
	return nil, invalidParam("Invalid parameter at 'tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]'")
}

// detail renders an image as DescribeImages shows it.
func (r *ECR) detail(rp *repository, im *image) ImageDetail {
	d := ImageDetail{
		RegistryId:             aws.String(r.id.AccountID),
		RepositoryName:         aws.String(rp.name),
		ImageDigest:            aws.String(im.digest),
		ImageSizeInBytes:       aws.Int64(im.size),
		ImagePushedAt:          aws.NewTime(im.pushedAt),
		ImageManifestMediaType: aws.String(im.mediaType),
	}
	if tags := rp.tagsOf(im.digest); len(tags) > 0 {
		d.ImageTags = tags
	}
	if im.artifact != "" {
		d.ArtifactMediaType = aws.String(im.artifact)
	}
	if !im.lastPull.IsZero() {
		d.LastRecordedPullTime = aws.NewTime(im.lastPull)
	}
	if im.scan != nil {
		d.ImageScanStatus = r.scanStatus(im.scan)
		d.ImageScanFindingsSummary = r.scanSummary(im.scan)
	}
	return d
}

// DescribeImages describes the requested images, or all of them in push
// order (filtered by tag status), a page at a time.
func (r *ECR) DescribeImages(in *DescribeImagesRequest) (*DescribeImagesResponse, error) {
	if in == nil {
		in = &DescribeImagesRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	var status *string
	if in.Filter != nil {
		status = in.Filter.TagStatus
	}
	keep, err := tagStatusFilter(status)
	if err != nil {
		return nil, err
	}
	out := &DescribeImagesResponse{ImageDetails: []ImageDetail{}}
	if len(in.ImageIds) > 0 {
		for _, id := range in.ImageIds {
			im, _, _ := rp.find(id)
			if im == nil {
				// moto's text (moto/ecr/exceptions.py); not verified against AWS
				return nil, awserr.Newf(ImageNotFoundException, "The image with imageId %s does not exist within the repository with name '%s' in the registry with id '%s'", imageIDString(id), rp.name, r.id.AccountID)
			}
			out.ImageDetails = append(out.ImageDetails, r.detail(rp, im))
		}
		return out, nil
	}
	byKey := map[string]*image{}
	var keys []string
	for _, im := range rp.sortedImages() {
		if keep(len(rp.tagsOf(im.digest))) {
			byKey[im.key()] = im
			keys = append(keys, im.key())
		}
	}
	page, next, err := paginate("DescribeImages", keys, in.MaxResults, maxPageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	for _, k := range page {
		out.ImageDetails = append(out.ImageDetails, r.detail(rp, byKey[k]))
	}
	out.NextToken = next
	return out, nil
}

// ListImages lists image IDs in push order: one per tag of a tagged image
// (digest and tag), one (digest only) per untagged image.
func (r *ECR) ListImages(in *ListImagesRequest) (*ListImagesResponse, error) {
	if in == nil {
		in = &ListImagesRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	var status *string
	if in.Filter != nil {
		status = in.Filter.TagStatus
	}
	keep, err := tagStatusFilter(status)
	if err != nil {
		return nil, err
	}
	byKey := map[string]ImageIdentifier{}
	var keys []string
	for _, im := range rp.sortedImages() {
		tags := rp.tagsOf(im.digest)
		if !keep(len(tags)) {
			continue
		}
		if len(tags) == 0 {
			k := im.key()
			byKey[k] = ImageIdentifier{ImageDigest: aws.String(im.digest)}
			keys = append(keys, k)
		}
		for _, t := range tags {
			k := im.key() + "/" + t
			byKey[k] = ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: aws.String(t)}
			keys = append(keys, k)
		}
	}
	page, next, err := paginate("ListImages", keys, in.MaxResults, maxPageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListImagesResponse{ImageIds: []ImageIdentifier{}, NextToken: next}
	for _, k := range page {
		out.ImageIds = append(out.ImageIds, byKey[k])
	}
	return out, nil
}

// BatchDeleteImage deletes images by digest (the image and all its tags) or
// untags them by tag (the image goes with its last tag) [ECR-API:BatchDeleteImage].
// An ID with both a tag and a digest is treated as the tag, once they agree.
func (r *ECR) BatchDeleteImage(in *BatchDeleteImageRequest) (*BatchDeleteImageResponse, error) {
	if in == nil {
		in = &BatchDeleteImageRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if len(in.ImageIds) > 100 {
		// fujiwara/ecrm#3 quotes this text
		return nil, invalidParam("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100'")
	}
	out := &BatchDeleteImageResponse{ImageIds: []ImageIdentifier{}, Failures: []ImageFailure{}}
	for _, id := range in.ImageIds {
		im, code, reason := rp.find(id)
		if im == nil {
			out.Failures = append(out.Failures, failure(id, code, reason))
			continue
		}
		if id.ImageTag != nil {
			delete(rp.tags, *id.ImageTag)
			out.ImageIds = append(out.ImageIds, ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: aws.String(*id.ImageTag)})
			if len(rp.tagsOf(im.digest)) > 0 {
				r.sim.Recordf("ecr", "ImageUntagged", rp.name, "tag %s removed from image %s", *id.ImageTag, short(im.digest))
				continue
			}
			r.removeImage(rp, im, "its last tag "+*id.ImageTag+" was deleted")
			continue
		}
		tags := rp.tagsOf(im.digest)
		for _, t := range tags {
			out.ImageIds = append(out.ImageIds, ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: aws.String(t)})
		}
		if len(tags) == 0 {
			out.ImageIds = append(out.ImageIds, ImageIdentifier{ImageDigest: aws.String(im.digest)})
		}
		r.removeImage(rp, im, "deleted by digest")
	}
	return out, nil
}

// removeImage deletes an image and every tag that names it.
func (r *ECR) removeImage(rp *repository, im *image, why string) {
	for _, t := range rp.tagsOf(im.digest) {
		delete(rp.tags, t)
	}
	delete(rp.images, im.digest)
	if im.scan != nil && im.scan.timer != nil {
		im.scan.timer.Stop()
	}
	r.sim.Recordf("ecr", "ImageDeleted", rp.name, "image %s deleted from %s: %s", short(im.digest), rp.name, why)
}
