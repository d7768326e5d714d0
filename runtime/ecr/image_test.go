package ecr

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestPutImageDigestSizeAndTags(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	d1 := put(t, r, "web", 1, "v1")
	if d1 != Digest([]byte(manifest(1, 1000))) || !strings.HasPrefix(d1, "sha256:") || len(d1) != 71 {
		t.Fatalf("digest %s is not the manifest's sha256", d1)
	}
	// Moving a mutable tag leaves the old image untagged.
	put(t, r, "web", 2, "v1")
	if got := tagsByImage(t, r, "web"); !reflect.DeepEqual(got, []string{"-", "v1"}) {
		t.Errorf("tags = %v, want [- v1]", got)
	}
	// The same image and tag again is refused.
	_, err := r.PutImage(&PutImageRequest{RepositoryName: aws.String("web"), ImageManifest: aws.String(manifest(2, 2000)), ImageTag: aws.String("v1")})
	wantAWSError(t, err, ImageAlreadyExistsException, "Image with digest '"+Digest([]byte(manifest(2, 2000)))+"' and tag 'v1' already exists in the repository with name 'web' in registry with id '123456789012'")
	// A second tag on an existing image.
	put(t, r, "web", 2, "latest")
	out, _ := r.DescribeImages(&DescribeImagesRequest{RepositoryName: aws.String("web"), ImageIds: []ImageIdentifier{{ImageTag: aws.String("latest")}}})
	d := out.ImageDetails[0]
	if !reflect.DeepEqual(d.ImageTags, []string{"latest", "v1"}) || *d.ImageSizeInBytes != 2000 || *d.ImageManifestMediaType != MediaTypeDockerManifest || *d.ArtifactMediaType != MediaTypeDockerConfig {
		t.Errorf("detail = %+v", d)
	}
	_, err = r.PutImage(&PutImageRequest{RepositoryName: aws.String("web"), ImageManifest: aws.String(manifest(3, 1)), ImageDigest: aws.String(d1)})
	wantAWSError(t, err, ImageDigestDoesNotMatchException, "")
	_, err = r.PutImage(&PutImageRequest{RepositoryName: aws.String("web"), ImageManifest: aws.String("not json")})
	wantAWSError(t, err, InvalidParameterException, "")
	_, err = r.PutImage(&PutImageRequest{RepositoryName: aws.String("nope"), ImageManifest: aws.String(manifest(3, 1))})
	wantAWSError(t, err, RepositoryNotFoundException, "The repository with name 'nope' does not exist in the registry with id '123456789012'")
}

func TestTagImmutability(t *testing.T) {
	wildcard := func(f string) []ImageTagMutabilityExclusionFilter {
		return []ImageTagMutabilityExclusionFilter{{FilterType: aws.String("WILDCARD"), Filter: aws.String(f)}}
	}
	tests := []struct {
		mutability string
		filters    []ImageTagMutabilityExclusionFilter
		tag        string
		immutable  bool
	}{
		{"MUTABLE", nil, "v1", false},
		{"IMMUTABLE", nil, "v1", true},
		{"IMMUTABLE", nil, "latest", true},
		{"IMMUTABLE_WITH_EXCLUSION", wildcard("latest"), "latest", false},
		{"IMMUTABLE_WITH_EXCLUSION", wildcard("latest"), "v1", true},
		{"MUTABLE_WITH_EXCLUSION", wildcard("release-*"), "release-1", true},
		{"MUTABLE_WITH_EXCLUSION", wildcard("release-*"), "dev", false},
	}
	for _, tt := range tests {
		t.Run(tt.mutability+"/"+tt.tag, func(t *testing.T) {
			r, _ := newTestECR()
			_, err := r.CreateRepository(&CreateRepositoryRequest{RepositoryName: aws.String("web"),
				ImageTagMutability: aws.String(tt.mutability), ImageTagMutabilityExclusionFilters: tt.filters})
			if err != nil {
				t.Fatal(err)
			}
			put(t, r, "web", 1, tt.tag)
			_, err = r.PutImage(&PutImageRequest{RepositoryName: aws.String("web"), ImageManifest: aws.String(manifest(2, 1)), ImageTag: aws.String(tt.tag)})
			if !tt.immutable {
				if err != nil {
					t.Fatalf("moving the tag: %v", err)
				}
				return
			}
			wantAWSError(t, err, ImageTagAlreadyExistsException,
				"The image tag '"+tt.tag+"' already exists in the 'web' repository and cannot be overwritten because the repository is immutable.")
			// docker push words it as the CLI prints it
			_, err = r.Push("web", tt.tag, []byte(manifest(3, 1)), 1)
			want := "tag invalid: The image tag '" + tt.tag + "' already exists in the 'web' repository and cannot be overwritten because the repository is immutable."
			if err == nil || err.Error() != want {
				t.Errorf("Push: %v\nwant %s", err, want)
			}
		})
	}
}

func TestListImagesAndFilters(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	put(t, r, "web", 1, "")
	put(t, r, "web", 2, "v2")
	put(t, r, "web", 2, "latest")
	put(t, r, "web", 3, "v3")
	ids := func(status string, max int) []string {
		in := &ListImagesRequest{RepositoryName: aws.String("web")}
		if status != "" {
			in.Filter = &ListImagesFilter{TagStatus: aws.String(status)}
		}
		var got []string
		for {
			if max > 0 {
				in.MaxResults = aws.Int(max)
			}
			out, err := r.ListImages(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range out.ImageIds {
				got = append(got, aws.ToString(id.ImageTag))
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	if got := ids("", 0); !reflect.DeepEqual(got, []string{"", "latest", "v2", "v3"}) {
		t.Errorf("ANY = %q", got)
	}
	if got := ids("", 1); !reflect.DeepEqual(got, []string{"", "latest", "v2", "v3"}) {
		t.Errorf("ANY by pages of 1 = %q", got)
	}
	if got := ids("TAGGED", 0); !reflect.DeepEqual(got, []string{"latest", "v2", "v3"}) {
		t.Errorf("TAGGED = %q", got)
	}
	if got := ids("UNTAGGED", 0); !reflect.DeepEqual(got, []string{""}) {
		t.Errorf("UNTAGGED = %q", got)
	}
	_, err := r.ListImages(&ListImagesRequest{RepositoryName: aws.String("web"), Filter: &ListImagesFilter{TagStatus: aws.String("tagged")}})
	wantAWSError(t, err, InvalidParameterException, "")
	out, _ := r.DescribeImages(&DescribeImagesRequest{RepositoryName: aws.String("web"), MaxResults: aws.Int(2)})
	if len(out.ImageDetails) != 2 || out.NextToken == nil {
		t.Errorf("DescribeImages page = %d images, next %v", len(out.ImageDetails), out.NextToken)
	}
	_, err = r.DescribeImages(&DescribeImagesRequest{RepositoryName: aws.String("web"), ImageIds: []ImageIdentifier{{ImageTag: aws.String("v9")}}})
	wantAWSError(t, err, ImageNotFoundException, "The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'web' in the registry with id '123456789012'")
}

func TestBatchDeleteImage(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	d1 := put(t, r, "web", 1, "v1")
	put(t, r, "web", 1, "stable")
	d2 := put(t, r, "web", 2, "v2")
	out, err := r.BatchDeleteImage(&BatchDeleteImageRequest{RepositoryName: aws.String("web"), ImageIds: []ImageIdentifier{
		{ImageTag: aws.String("v1")},           // untags; the image keeps "stable"
		{ImageTag: aws.String("nope")},         // not found
		{},                                     // neither
		{ImageDigest: aws.String("sha256:zz")}, // bad digest
		{ImageDigest: aws.String(d2)},          // deletes v2's image
		{ImageTag: aws.String("stable"), ImageDigest: aws.String(d2)}, // mismatch (d2 is gone: not found)
	}})
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, id := range out.ImageIds {
		deleted = append(deleted, aws.ToString(id.ImageTag)+"@"+aws.ToString(id.ImageDigest)[:10])
	}
	if !reflect.DeepEqual(deleted, []string{"v1@" + d1[:10], "v2@" + d2[:10]}) {
		t.Errorf("deleted = %v", deleted)
	}
	var failures []string
	for _, f := range out.Failures {
		failures = append(failures, *f.FailureCode+": "+*f.FailureReason)
	}
	want := []string{
		"ImageNotFound: Requested image not found",
		"MissingDigestAndTag: Invalid request parameters: both tag and digest cannot be null",
		"InvalidImageDigest: Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
		"ImageTagDoesNotMatchDigest: Invalid request parameters: given tag does not map to the given digest",
	}
	if !reflect.DeepEqual(failures, want) {
		t.Errorf("failures =\n%q\nwant\n%q", failures, want)
	}
	// Removing the last tag removes the image.
	if _, err := r.BatchDeleteImage(&BatchDeleteImageRequest{RepositoryName: aws.String("web"), ImageIds: []ImageIdentifier{{ImageTag: aws.String("stable")}}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsByImage(t, r, "web"); len(got) != 0 {
		t.Errorf("left %v", got)
	}
}

func TestBatchGetImage(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	d := put(t, r, "web", 1, "v1")
	out, err := r.BatchGetImage(&BatchGetImageRequest{RepositoryName: aws.String("web"), ImageIds: []ImageIdentifier{{ImageTag: aws.String("v1")}, {ImageTag: aws.String("v2")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Images) != 1 || *out.Images[0].ImageId.ImageDigest != d || *out.Images[0].ImageManifest != manifest(1, 1000) {
		t.Errorf("images = %+v", out.Images)
	}
	if len(out.Failures) != 1 || *out.Failures[0].FailureCode != "ImageNotFound" {
		t.Errorf("failures = %+v", out.Failures)
	}
}

func TestAuthorizationTokenExpiresAfter12Hours(t *testing.T) {
	r, s := newTestECR()
	out, err := r.GetAuthorizationToken(&GetAuthorizationTokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	a := out.AuthorizationData[0]
	if *a.ProxyEndpoint != "https://123456789012.dkr.ecr.us-east-1.amazonaws.com" || a.ExpiresAt.String() != "2025-01-01T12:00:00.000Z" {
		t.Errorf("data = %s %s", *a.ProxyEndpoint, a.ExpiresAt)
	}
	raw, err := base64.StdEncoding.DecodeString(*a.AuthorizationToken)
	user, password, ok := strings.Cut(string(raw), ":")
	if err != nil || !ok || user != "AWS" {
		t.Fatalf("token %q does not decode to AWS:<password>", raw)
	}
	if !r.ValidToken(password) || r.ValidToken("guess") || r.TokenExpired(password) {
		t.Fatal("a fresh token is not valid")
	}
	advance(t, s, 12*time.Hour-time.Second)
	if !r.ValidToken(password) {
		t.Error("the token expired early")
	}
	advance(t, s, time.Second)
	if r.ValidToken(password) || !r.TokenExpired(password) {
		t.Error("the token is still valid after 12 hours")
	}
	if p := r.LoginPassword(); !r.ValidToken(p) || p == password {
		t.Error("get-login-password gives no new valid password")
	}
	_, err = r.GetAuthorizationToken(&GetAuthorizationTokenRequest{RegistryIds: []string{"111122223333"}})
	wantAWSError(t, err, "NotSimulated", "")
}

func TestResolveImageAndPull(t *testing.T) {
	r, s := newTestECR()
	mustCreate(t, r, "web", "")
	d := put(t, r, "web", 1, "v1")
	host := r.RegistryHost()
	advance(t, s, time.Hour)
	for _, ref := range []string{host + "/web:v1", host + "/web@" + d} {
		info, err := r.ResolveImage(ref)
		if err != nil || info.Digest != d || info.SizeBytes != 1000 {
			t.Fatalf("ResolveImage(%s) = %+v, %v", ref, info, err)
		}
	}
	out, _ := r.DescribeImages(&DescribeImagesRequest{RepositoryName: aws.String("web")})
	if got := out.ImageDetails[0].LastRecordedPullTime; got == nil || got.String() != "2025-01-01T01:00:00.000Z" {
		t.Errorf("lastRecordedPullTime = %v", got)
	}
	tests := []struct{ ref, want string }{
		{host + "/web:v2", "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + host + "/web:v2: " + host + "/web:v2: not found"},
		{host + "/nope:v1", "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + host + "/nope:v1: " + host + "/nope:v1: not found"},
	}
	for _, tt := range tests {
		_, err := r.ResolveImage(tt.ref)
		var pe *PullError
		if !errors.As(err, &pe) || err.Error() != tt.want || !errors.Is(err, ErrImageNotFound) {
			t.Errorf("ResolveImage(%s) = %v\nwant %s", tt.ref, err, tt.want)
		}
	}
	_, err := r.Push("nope", "v1", []byte(manifest(1, 1)), 1)
	if err == nil || err.Error() != "name unknown: The repository with name 'nope' does not exist in the registry with id '123456789012'" {
		t.Errorf("Push to a missing repository: %v", err)
	}
	// pushing the same image and tag again is a no-op
	if d2, err := r.Push("web", "v1", []byte(manifest(1, 1000)), 1000); err != nil || d2 != d {
		t.Errorf("re-push = %s, %v", d2, err)
	}
}

func TestParseImageRef(t *testing.T) {
	tests := []struct {
		ref  string
		want ImageRef
	}{
		{"nginx", ImageRef{Repository: "nginx", Tag: "latest"}},
		{"python:3.12", ImageRef{Repository: "python", Tag: "3.12"}},
		{"public.ecr.aws/nginx/nginx:1.27", ImageRef{Host: "public.ecr.aws", Repository: "nginx/nginx", Tag: "1.27"}},
		{"localhost:5000/app", ImageRef{Host: "localhost:5000", Repository: "app", Tag: "latest"}},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/a/b@sha256:ab", ImageRef{Host: "123456789012.dkr.ecr.us-east-1.amazonaws.com", Repository: "a/b", Digest: "sha256:ab"}},
	}
	for _, tt := range tests {
		if got := ParseImageRef(tt.ref); got != tt.want {
			t.Errorf("ParseImageRef(%s) = %+v", tt.ref, got)
		}
	}
	if !IsECRImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1") || IsECRImage("nginx") || IsECRImage("public.ecr.aws/nginx/nginx") {
		t.Error("IsECRImage")
	}
}

func TestScans(t *testing.T) {
	r, s := newTestECR()
	_, err := r.CreateRepository(&CreateRepositoryRequest{RepositoryName: aws.String("web"), ImageScanningConfiguration: &ImageScanningConfiguration{ScanOnPush: aws.Bool(true)}})
	if err != nil {
		t.Fatal(err)
	}
	put(t, r, "web", 1, "v1")
	id := &ImageIdentifier{ImageTag: aws.String("v1")}
	out, err := r.DescribeImageScanFindings(&DescribeImageScanFindingsRequest{RepositoryName: aws.String("web"), ImageId: id})
	if err != nil || *out.ImageScanStatus.Status != "IN_PROGRESS" || out.ImageScanFindings != nil {
		t.Fatalf("before completion: %+v, %v", out, err)
	}
	advance(t, s, ScanDuration)
	out, _ = r.DescribeImageScanFindings(&DescribeImageScanFindingsRequest{RepositoryName: aws.String("web"), ImageId: id})
	f := out.ImageScanFindings
	if *out.ImageScanStatus.Status != "COMPLETE" || len(f.Findings) < 2 || len(f.Findings) > 5 {
		t.Fatalf("after: %+v", out)
	}
	total := 0
	for _, n := range f.FindingSeverityCounts {
		total += n
	}
	if total != len(f.Findings) {
		t.Errorf("counts %v do not add up to %d findings", f.FindingSeverityCounts, len(f.Findings))
	}
	if !reflect.DeepEqual(findingsFor("sha256:x"), findingsFor("sha256:x")) || reflect.DeepEqual(findingsFor("sha256:x"), findingsFor("sha256:y")) {
		t.Error("findings are not a function of the digest")
	}
	_, err = r.StartImageScan(&StartImageScanRequest{RepositoryName: aws.String("web"), ImageId: id})
	wantAWSError(t, err, LimitExceededException, "The scan quota per image has been exceeded. Wait and try again.")
	advance(t, s, 24*time.Hour)
	if _, err := r.StartImageScan(&StartImageScanRequest{RepositoryName: aws.String("web"), ImageId: id}); err != nil {
		t.Errorf("a scan a day later: %v", err)
	}
	put(t, r, "web", 2, "v2")
	mustCreate(t, r, "plain", "")
	put(t, r, "plain", 3, "v3")
	_, err = r.DescribeImageScanFindings(&DescribeImageScanFindingsRequest{RepositoryName: aws.String("plain"), ImageId: &ImageIdentifier{ImageTag: aws.String("v3")}})
	wantAWSError(t, err, ScanNotFoundException, "")
}
