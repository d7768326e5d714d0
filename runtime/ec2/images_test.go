package ec2

import (
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestImageCatalogue(t *testing.T) {
	e, _ := newTestEC2()
	seen := map[string]bool{}
	for _, img := range e.Images() {
		if !validID("ami", img.ID) || seen[img.ID] {
			t.Errorf("bad or duplicate ID %q", img.ID)
		}
		seen[img.ID] = true
		if img.Platform != "linux" || img.OwnerAlias != "amazon" || (img.Architecture != "x86_64" && img.Architecture != "arm64") {
			t.Errorf("image %+v", img)
		}
		if img.ECSOptimized != strings.Contains(img.Name, "-ecs-") || img.ECSOptimized != strings.HasPrefix(img.Parameter, "/aws/service/ecs/") {
			t.Errorf("image %s: ECSOptimized %v, parameter %s", img.Name, img.ECSOptimized, img.Parameter)
		}
		if !strings.Contains(img.Name, img.Architecture) {
			t.Errorf("image %s is %s", img.Name, img.Architecture)
		}
	}
	if len(seen) != 6 {
		t.Fatalf("%d images", len(seen))
	}
	img, ok := e.Image(ecsAMI)
	if !ok || img.Name != "al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64" || !img.ECSOptimized {
		t.Fatalf("Image(%s) = %+v", ecsAMI, img)
	}
	// other regions get other, stable IDs
	a, b := imagesFor("eu-west-1"), imagesFor("eu-west-1")
	if a[0].ID == img.ID || a[0].ID != b[0].ID || !validID("ami", a[0].ID) {
		t.Fatalf("eu-west-1 ID %s", a[0].ID)
	}
}

func TestDescribeImages(t *testing.T) {
	e, _ := newTestEC2()
	names := func(out *DescribeImagesResult) string {
		var s []string
		for _, i := range out.Images {
			s = append(s, aws.ToString(i.Name))
		}
		return strings.Join(s, ",")
	}
	out, err := e.DescribeImages(&DescribeImagesRequest{Owners: []string{"amazon"}, Filters: []Filter{
		{Name: aws.String("name"), Values: []string{"al2023-ami-ecs-hvm-*"}},
		{Name: aws.String("architecture"), Values: []string{"arm64"}},
	}})
	if err != nil || names(out) != "al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-arm64" {
		t.Fatalf("DescribeImages = %s, %v", names(out), err)
	}
	out, _ = e.DescribeImages(&DescribeImagesRequest{Owners: []string{"self"}})
	if len(out.Images) != 0 {
		t.Fatalf("self owns %s", names(out))
	}
	out, _ = e.DescribeImages(&DescribeImagesRequest{ImageIds: []string{ecsAMI}})
	if len(out.Images) != 1 || aws.ToString(out.Images[0].Architecture) != "x86_64" || aws.ToString(out.Images[0].OwnerId) != "591542846629" {
		t.Fatalf("by ID: %+v", out)
	}
	_, err = e.DescribeImages(&DescribeImagesRequest{ImageIds: []string{"ami-0c55b159cbfafe1f0"}})
	wantAWSError(t, err, InvalidAMIIDNotFound, "The image id '[ami-0c55b159cbfafe1f0]' does not exist")
	_, err = e.DescribeImages(&DescribeImagesRequest{ImageIds: []string{"ami-xyz"}})
	wantAWSError(t, err, InvalidAMIIDMalformed, `Invalid id: "ami-xyz" (expecting "ami-...")`)
	_, err = e.DescribeImages(&DescribeImagesRequest{ImageIds: []string{ecsAMI}, MaxResults: aws.Int(5)})
	wantAWSError(t, err, InvalidParameterCombination, "The parameter imageIdsSet cannot be used with the parameter maxResults")
}
