package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// ImageInfo describes a public AMI of the catalogue.
type ImageInfo struct {
	ID           string
	Name         string
	Description  string
	Architecture string // "x86_64" or "arm64"
	Platform     string // "linux"
	// ECSOptimized is true for the ECS-optimized AMIs, which run the ECS
	// agent at boot (reference section 9.3).
	ECSOptimized bool
	OwnerID      string
	OwnerAlias   string
	CreationDate string
	// OS, ImageVersion, ECSAgentVersion, ECSRuntimeVersion and
	// SourceImageName are what the AMI's public SSM parameter reports
	// (the last three only for ECS-optimized AMIs).
	OS                string
	ImageVersion      string
	ECSAgentVersion   string
	ECSRuntimeVersion string
	SourceImageName   string
	// Parameter is the public SSM parameter that names this AMI as the
	// recommended or latest one, e.g.
	// /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended.
	Parameter string
	// DeprecationTime is when the AMI is deprecated, if set.
	DeprecationTime string
}

// Owners of Amazon's public AMIs: the ECS-optimized AMIs are published by
// account 591542846629 and Amazon Linux by 137112412989, both with the
// owner alias "amazon" (the owner filters that users of these AMIs write,
// e.g. in cattle-ops/terraform-aws-gitlab-runner's examples).
const (
	ecsAMIOwner         = "591542846629"
	amazonLinuxAMIOwner = "137112412989"
)

// The catalogue reflects the releases current at the simulation's default
// start (2025-01-01): ECS-optimized AMI 20241115 with agent 1.88.0 and
// Docker 25.0.6 on Amazon Linux 2023.6.20241111.0, the combination AWS
// reported in the parameter
// /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended in November
// 2024 (quoted in seqeralabs' docs). The Amazon Linux 2 values follow the
// same release (not verified). The names and descriptions follow AWS's
// patterns; the AMI IDs are ecsbox's own, fixed for us-east-1 and derived
// from the region and name elsewhere, so that a run is reproducible.
var imageCatalogue = []struct {
	key string // stable key for the fixed us-east-1 IDs
	ImageInfo
}{
	{"ecs-al2023-x86_64", ImageInfo{
		Name: "al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64", Description: "Amazon Linux AMI 2023.0.20241115 x86_64 ECS HVM EBS",
		Architecture: "x86_64", ECSOptimized: true, OwnerID: ecsAMIOwner, CreationDate: "2024-11-15T19:21:38.000Z",
		OS: "Amazon Linux 2023", ImageVersion: "2023.0.20241115", ECSAgentVersion: "1.88.0", ECSRuntimeVersion: "Docker version 25.0.6",
		SourceImageName: "al2023-ami-minimal-2023.6.20241111.0-kernel-6.1-x86_64",
		Parameter:       "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended",
		DeprecationTime: "2026-11-15T19:21:38.000Z",
	}},
	{"ecs-al2023-arm64", ImageInfo{
		Name: "al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-arm64", Description: "Amazon Linux AMI 2023.0.20241115 arm64 ECS HVM EBS",
		Architecture: "arm64", ECSOptimized: true, OwnerID: ecsAMIOwner, CreationDate: "2024-11-15T19:21:41.000Z",
		OS: "Amazon Linux 2023", ImageVersion: "2023.0.20241115", ECSAgentVersion: "1.88.0", ECSRuntimeVersion: "Docker version 25.0.6",
		SourceImageName: "al2023-ami-minimal-2023.6.20241111.0-kernel-6.1-arm64",
		Parameter:       "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended",
		DeprecationTime: "2026-11-15T19:21:41.000Z",
	}},
	{"ecs-al2-x86_64", ImageInfo{
		Name: "amzn2-ami-ecs-hvm-2.0.20241115-x86_64-ebs", Description: "Amazon Linux AMI 2.0.20241115 x86_64 ECS HVM GP2",
		Architecture: "x86_64", ECSOptimized: true, OwnerID: ecsAMIOwner, CreationDate: "2024-11-15T19:20:55.000Z",
		OS: "Amazon Linux 2", ImageVersion: "2.0.20241115", ECSAgentVersion: "1.88.0", ECSRuntimeVersion: "Docker version 25.0.6",
		SourceImageName: "amzn2-ami-minimal-hvm-2.0.20241113.1-x86_64-ebs",
		Parameter:       "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended",
		DeprecationTime: "2026-11-15T19:20:55.000Z",
	}},
	{"ecs-al2-arm64", ImageInfo{
		Name: "amzn2-ami-ecs-hvm-2.0.20241115-arm64-ebs", Description: "Amazon Linux AMI 2.0.20241115 arm64 ECS HVM GP2",
		Architecture: "arm64", ECSOptimized: true, OwnerID: ecsAMIOwner, CreationDate: "2024-11-15T19:20:58.000Z",
		OS: "Amazon Linux 2", ImageVersion: "2.0.20241115", ECSAgentVersion: "1.88.0", ECSRuntimeVersion: "Docker version 25.0.6",
		SourceImageName: "amzn2-ami-minimal-hvm-2.0.20241113.1-arm64-ebs",
		Parameter:       "/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended",
		DeprecationTime: "2026-11-15T19:20:58.000Z",
	}},
	{"al2023-x86_64", ImageInfo{
		Name: "al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64", Description: "Amazon Linux 2023 AMI 2023.6.20241111.0 x86_64 HVM kernel-6.1",
		Architecture: "x86_64", OwnerID: amazonLinuxAMIOwner, CreationDate: "2024-11-08T23:01:52.000Z",
		OS: "Amazon Linux 2023", ImageVersion: "2023.6.20241111.0",
		Parameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
	}},
	{"al2023-arm64", ImageInfo{
		Name: "al2023-ami-2023.6.20241111.0-kernel-6.1-arm64", Description: "Amazon Linux 2023 AMI 2023.6.20241111.0 arm64 HVM kernel-6.1",
		Architecture: "arm64", OwnerID: amazonLinuxAMIOwner, CreationDate: "2024-11-08T23:01:49.000Z",
		OS: "Amazon Linux 2023", ImageVersion: "2023.6.20241111.0",
		Parameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
	}},
}

// usEast1ImageIDs are the fixed IDs of the catalogue in us-east-1.
var usEast1ImageIDs = map[string]string{
	"ecs-al2023-x86_64": "ami-0f3f5e1b8c2d4a6e9",
	"ecs-al2023-arm64":  "ami-0a7c9e2d4b6f8a1c3",
	"ecs-al2-x86_64":    "ami-0c1e3a5b7d9f2e4a6",
	"ecs-al2-arm64":     "ami-0e5a7c9b1d3f5a7c8",
	"al2023-x86_64":     "ami-0b2d4f6a8c0e1a3b5",
	"al2023-arm64":      "ami-0d6f8a0c2e4a6b8d9",
}

// imagesFor returns the catalogue of a region. AMI IDs differ per region
// in AWS too.
func imagesFor(region string) []ImageInfo {
	var out []ImageInfo
	for _, c := range imageCatalogue {
		img := c.ImageInfo
		img.Platform = "linux"
		img.OwnerAlias = "amazon"
		if id, ok := usEast1ImageIDs[c.key]; ok && region == "us-east-1" {
			img.ID = id
		} else {
			sum := sha256.Sum256([]byte(region + "/" + c.key))
			img.ID = "ami-0" + hex.EncodeToString(sum[:])[:16]
		}
		out = append(out, img)
	}
	return out
}

// Image returns the AMI with the given ID.
func (e *EC2) Image(id string) (ImageInfo, bool) {
	for _, img := range e.images {
		if img.ID == id {
			return img, true
		}
	}
	return ImageInfo{}, false
}

// Images returns the catalogue in a fixed order.
func (e *EC2) Images() []ImageInfo { return slices.Clone(e.images) }

// checkImageID refuses an ID that is not of the AMI form: `Invalid id:
// "{var.ami_id}" (expecting "ami-...")` (hashicorp/terraform#22172).
func checkImageID(id string) error {
	if !validID("ami", id) {
		return awserr.Newf(InvalidAMIIDMalformed, "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	return nil
}

// imageNotFound is EC2's refusal of an unknown AMI; EC2 writes the IDs as a
// list: "The image id '[ami-fake123]' does not exist" (aws/aws-sdk#97). The
// plural form is not verified.
func imageNotFound(ids []string) error {
	if len(ids) == 1 {
		return awserr.Newf(InvalidAMIIDNotFound, "The image id '[%s]' does not exist", ids[0])
	}
	return awserr.Newf(InvalidAMIIDNotFound, "The image ids '[%s]' do not exist", strings.Join(ids, ", "))
}

// DescribeImages lists the catalogue's AMIs. Owners accepts "amazon", an
// account ID or "self" (the account owns no AMIs in ecsbox).
func (e *EC2) DescribeImages(in *DescribeImagesRequest) (*DescribeImagesResult, error) {
	if in == nil {
		in = &DescribeImagesRequest{}
	}
	if len(in.ImageIds) > 0 && in.MaxResults != nil {
		// "The parameter imageIdsSet cannot be used with the parameter
		// maxResults" (quoted in a fog-aws workaround)
		return nil, awserr.New(InvalidParameterCombination, "The parameter imageIdsSet cannot be used with the parameter maxResults")
	}
	var missing []string
	for _, id := range in.ImageIds {
		if err := checkImageID(id); err != nil {
			return nil, err
		}
		if _, ok := e.Image(id); !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, imageNotFound(missing)
	}
	var keys []string
	byKey := map[string]ImageInfo{}
	for i, img := range e.images {
		if len(in.ImageIds) > 0 && !slices.Contains(in.ImageIds, img.ID) {
			continue
		}
		if len(in.Owners) > 0 && !slices.ContainsFunc(in.Owners, func(o string) bool { return o == img.OwnerAlias || o == img.OwnerID }) {
			continue
		}
		ok, err := matchFilters(in.Filters, imageFilter(img))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%04d", i)
			keys = append(keys, k)
			byKey[k] = img
		}
	}
	page, next, err := paginate("DescribeImages", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeImagesResult{Images: []Image{}, NextToken: next}
	for _, k := range page {
		out.Images = append(out.Images, byKey[k].apiShape())
	}
	return out, nil
}

func imageFilter(img ImageInfo) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "image-id":
			return []string{img.ID}, true
		case "name":
			return []string{img.Name}, true
		case "description":
			return []string{img.Description}, true
		case "architecture":
			return []string{img.Architecture}, true
		case "owner-alias":
			return []string{img.OwnerAlias}, true
		case "owner-id":
			return []string{img.OwnerID}, true
		case "state":
			return []string{"available"}, true
		case "is-public":
			return []string{"true"}, true
		case "image-type":
			return []string{"machine"}, true
		case "platform": // only "windows" exists, and no catalogue AMI is
			return nil, true
		case "platform-details":
			return []string{"Linux/UNIX"}, true
		case "root-device-type":
			return []string{"ebs"}, true
		case "root-device-name":
			return []string{"/dev/xvda"}, true
		case "virtualization-type":
			return []string{"hvm"}, true
		case "hypervisor":
			return []string{"xen"}, true
		case "ena-support":
			return []string{"true"}, true
		}
		return tagFilter(nil, name)
	}
}

func (img ImageInfo) apiShape() Image {
	out := Image{
		PlatformDetails:    aws.String("Linux/UNIX"),
		UsageOperation:     aws.String("RunInstances"),
		Description:        aws.String(img.Description),
		EnaSupport:         aws.Bool(true),
		Hypervisor:         aws.String("xen"),
		ImageOwnerAlias:    aws.String(img.OwnerAlias),
		Name:               aws.String(img.Name),
		RootDeviceName:     aws.String("/dev/xvda"),
		RootDeviceType:     aws.String("ebs"),
		SriovNetSupport:    aws.String("simple"),
		VirtualizationType: aws.String("hvm"),
		ImageId:            aws.String(img.ID),
		ImageLocation:      aws.String("amazon/" + img.Name),
		State:              aws.String("available"),
		OwnerId:            aws.String(img.OwnerID),
		CreationDate:       aws.String(img.CreationDate),
		Public:             aws.Bool(true),
		Architecture:       aws.String(img.Architecture),
		ImageType:          aws.String("machine"),
	}
	if img.DeprecationTime != "" {
		// ECS-optimized AMIs are deprecated two years after creation
		// [DG:ecs-optimized_AMI].
		out.DeprecationTime = aws.String(img.DeprecationTime)
	}
	if strings.HasPrefix(img.OS, "Amazon Linux 2023") {
		out.BootMode = aws.String("uefi-preferred")
		out.ImdsSupport = aws.String("v2.0")
	}
	return out
}
