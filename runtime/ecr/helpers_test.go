package ecr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/internal/apitest"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTestECR() (*ECR, *sim.Sim) {
	s := sim.New(sim.Config{})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity()}), s
}

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("got %v, want %s: %s", err, code, msg)
	}
}

func mustCreate(t *testing.T, r *ECR, name string, mutability string) {
	t.Helper()
	in := &CreateRepositoryRequest{RepositoryName: aws.String(name)}
	if mutability != "" {
		in.ImageTagMutability = aws.String(mutability)
	}
	if _, err := r.CreateRepository(in); err != nil {
		t.Fatalf("CreateRepository(%s): %v", name, err)
	}
}

// manifest returns a distinct schema-2 manifest whose layers weigh size bytes.
func manifest(n int, size int64) string {
	return fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",`+
		`"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1000,"digest":"sha256:%064d"},`+
		`"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"sha256:%064d"}]}`, n, size, n)
}

// put stores manifest n under tag ("" for none) and returns its digest.
func put(t *testing.T, r *ECR, repo string, n int, tag string) string {
	t.Helper()
	in := &PutImageRequest{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest(n, 1000*int64(n)))}
	if tag != "" {
		in.ImageTag = aws.String(tag)
	}
	out, err := r.PutImage(in)
	if err != nil {
		t.Fatalf("PutImage(%s, %d, %q): %v", repo, n, tag, err)
	}
	return *out.Image.ImageId.ImageDigest
}

func advance(t *testing.T, s *sim.Sim, d time.Duration) {
	t.Helper()
	if err := s.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

// tagsByImage lists "tags" of each image in push order, "-" for untagged.
func tagsByImage(t *testing.T, r *ECR, repo string) []string {
	t.Helper()
	out, err := r.DescribeImages(&DescribeImagesRequest{RepositoryName: aws.String(repo)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range out.ImageDetails {
		if len(d.ImageTags) == 0 {
			got = append(got, "-")
		} else {
			got = append(got, strings.Join(d.ImageTags, ","))
		}
	}
	return got
}

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	apitest.NeverPanics(t, r)
}
