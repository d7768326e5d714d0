package ec2

import (
	"encoding/base64"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func b64(s string) *string { return aws.String(base64.StdEncoding.EncodeToString([]byte(s))) }

func createTemplate(t *testing.T, e *EC2, name string, data *RequestLaunchTemplateData) *LaunchTemplate {
	t.Helper()
	out, err := e.CreateLaunchTemplate(&CreateLaunchTemplateRequest{LaunchTemplateName: aws.String(name), LaunchTemplateData: data})
	if err != nil {
		t.Fatalf("CreateLaunchTemplate: %v", err)
	}
	return out.LaunchTemplate
}

func TestCreateLaunchTemplateRefusals(t *testing.T) {
	nameRule := "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _."
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		name, tmpl string
		data       *RequestLaunchTemplateData
		code, msg  string
	}{
		{"short name", "ab", &RequestLaunchTemplateData{}, InvalidLaunchTemplateNameMalformed, nameRule},
		{"long name", string(long), &RequestLaunchTemplateData{}, InvalidLaunchTemplateNameMalformed, nameRule},
		{"space in name", "my template", &RequestLaunchTemplateData{}, InvalidLaunchTemplateNameMalformed, nameRule},
		{"no data", "ecs-template", nil, MissingParameter,
			"No launch template data was provided. Launch template data is required to create a launch template."},
		{"duplicate", "taken", &RequestLaunchTemplateData{}, InvalidLaunchTemplateNameAlreadyExists, "Launch template name already in use."},
		{"plain user data", "ecs-template", &RequestLaunchTemplateData{UserData: aws.String("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config")},
			InvalidUserDataMalformed, "Invalid BASE64 encoding of user data."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newTestEC2()
			createTemplate(t, e, "taken", &RequestLaunchTemplateData{})
			_, err := e.CreateLaunchTemplate(&CreateLaunchTemplateRequest{LaunchTemplateName: aws.String(tc.tmpl), LaunchTemplateData: tc.data})
			wantAWSError(t, err, tc.code, tc.msg)
		})
	}
}

func TestCreateLaunchTemplateAcceptsBase64Forms(t *testing.T) {
	text := "#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for name, ud := range map[string]string{
		"padded":   enc,
		"wrapped":  enc[:20] + "\n" + enc[20:],
		"unpadded": base64.RawStdEncoding.EncodeToString([]byte(text)),
	} {
		t.Run(name, func(t *testing.T) {
			e, _ := newTestEC2()
			createTemplate(t, e, "ecs", &RequestLaunchTemplateData{ImageId: aws.String(ecsAMI), UserData: aws.String(ud)})
			spec, _, err := e.ResolveLaunchTemplate("ecs", "$Default")
			if err != nil {
				t.Fatal(err)
			}
			if spec.UserData != text {
				t.Errorf("user data %q, want %q", spec.UserData, text)
			}
		})
	}
}

func TestCreateLaunchTemplateWarnsAboutUnknownImageAndType(t *testing.T) {
	e, _ := newTestEC2()
	out, err := e.CreateLaunchTemplate(&CreateLaunchTemplateRequest{
		LaunchTemplateName: aws.String("bad"),
		LaunchTemplateData: &RequestLaunchTemplateData{ImageId: aws.String("ami-00000000000000000"), InstanceType: aws.String("t9.huge")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Warning == nil || len(out.Warning.Errors) != 2 {
		t.Fatalf("warning %+v, want two errors", out.Warning)
	}
	if got := aws.ToString(out.Warning.Errors[0].Code); got != InvalidAMIIDNotFound {
		t.Errorf("first warning %s", got)
	}
	if got := aws.ToInt64(out.LaunchTemplate.DefaultVersionNumber); got != 1 {
		t.Errorf("default version %d", got)
	}
}

func TestLaunchTemplateVersionsAndResolution(t *testing.T) {
	e, _ := newTestEC2()
	lt := createTemplate(t, e, "ecs", &RequestLaunchTemplateData{
		ImageId:            aws.String(ecsAMI),
		InstanceType:       aws.String("t3.medium"),
		IamInstanceProfile: &LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ecsInstanceRole")},
		UserData:           b64("echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"),
		TagSpecifications: []LaunchTemplateTagSpecificationRequest{{
			ResourceType: aws.String("instance"), Tags: []Tag{{Key: aws.String("Name"), Value: aws.String("ecs")}},
		}},
	})
	id := aws.ToString(lt.LaunchTemplateId)
	// Version 2 from version 1: only the instance type changes.
	v2, err := e.CreateLaunchTemplateVersion(&CreateLaunchTemplateVersionRequest{
		LaunchTemplateName: aws.String("ecs"), SourceVersion: aws.String("1"),
		LaunchTemplateData: &RequestLaunchTemplateData{InstanceType: aws.String("m5.large")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(v2.LaunchTemplateVersion.VersionNumber); got != 2 {
		t.Fatalf("version %d", got)
	}
	// Version 3 without a source: only what it says.
	if _, err := e.CreateLaunchTemplateVersion(&CreateLaunchTemplateVersionRequest{
		LaunchTemplateId:   aws.String(id),
		LaunchTemplateData: &RequestLaunchTemplateData{ImageId: aws.String(ecsAMI)},
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref, version string
		wantVersion  int
		wantType     string
		wantProfile  string
		wantUserData string
	}{
		{"ecs", "", 1, "t3.medium", "ecsInstanceRole", "echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"},
		{"ecs", "$Default", 1, "t3.medium", "ecsInstanceRole", "echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"},
		{id, "$Latest", 3, "", "", ""},
		{id, "2", 2, "m5.large", "ecsInstanceRole", "echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config"},
	} {
		spec, n, err := e.ResolveLaunchTemplate(tc.ref, tc.version)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.ref, tc.version, err)
		}
		if n != tc.wantVersion || spec.InstanceType != tc.wantType || spec.IamInstanceProfile != tc.wantProfile || spec.UserData != tc.wantUserData {
			t.Errorf("%s %q: version %d %+v", tc.ref, tc.version, n, spec)
		}
		if spec.ImageID != ecsAMI {
			t.Errorf("%s %q: image %q", tc.ref, tc.version, spec.ImageID)
		}
	}
	spec, _, _ := e.ResolveLaunchTemplate("ecs", "1")
	if spec.Tags["Name"] != "ecs" {
		t.Errorf("instance tags %v", spec.Tags)
	}

	// Moving the default.
	mod, err := e.ModifyLaunchTemplate(&ModifyLaunchTemplateRequest{LaunchTemplateName: aws.String("ecs"), DefaultVersion: aws.String("2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(mod.LaunchTemplate.DefaultVersionNumber) != 2 || aws.ToInt64(mod.LaunchTemplate.LatestVersionNumber) != 3 {
		t.Errorf("after modify: %+v", mod.LaunchTemplate)
	}
	if _, n, _ := e.ResolveLaunchTemplate("ecs", "$Default"); n != 2 {
		t.Errorf("$Default resolved to %d", n)
	}

	// Refusals.
	for _, tc := range []struct {
		ref, version, code, msg string
	}{
		{"ecs", "7", InvalidLaunchTemplateIDVersionNotFound, "Could not find the specified version 7 for the launch template with ID " + id + "."},
		{"ecs", "latest", InvalidLaunchTemplateIDVersionNotFound, "Could not find the specified version latest for the launch template with ID " + id + "."},
		{"nope", "1", InvalidLaunchTemplateNameNotFound, "The specified launch template, with template name nope, does not exist."},
		{"lt-0123456789abcdef0", "1", InvalidLaunchTemplateIDNotFound, "The specified launch template, with template ID lt-0123456789abcdef0, does not exist."},
	} {
		_, _, err := e.ResolveLaunchTemplate(tc.ref, tc.version)
		wantAWSError(t, err, tc.code, tc.msg)
	}
	_, err = e.ModifyLaunchTemplate(&ModifyLaunchTemplateRequest{LaunchTemplateName: aws.String("ecs"), DefaultVersion: aws.String("9")})
	wantAWSError(t, err, InvalidLaunchTemplateIDVersionNotFound, "Could not find the specified version 9 for the launch template with ID "+id+".")
}

func TestSourceVersionOverwritesTopLevelMembers(t *testing.T) {
	e, _ := newTestEC2()
	createTemplate(t, e, "ecs", &RequestLaunchTemplateData{
		ImageId:          aws.String(ecsAMI),
		SecurityGroupIds: []string{e.DefaultSecurityGroup()},
		TagSpecifications: []LaunchTemplateTagSpecificationRequest{{ResourceType: aws.String("instance"), Tags: []Tag{
			{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")},
		}}},
	})
	_, err := e.CreateLaunchTemplateVersion(&CreateLaunchTemplateVersionRequest{
		LaunchTemplateName: aws.String("ecs"), SourceVersion: aws.String("$Latest"),
		LaunchTemplateData: &RequestLaunchTemplateData{TagSpecifications: []LaunchTemplateTagSpecificationRequest{{
			ResourceType: aws.String("instance"), Tags: []Tag{{Key: aws.String("c"), Value: aws.String("3")}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	spec, _, err := e.ResolveLaunchTemplate("ecs", "2")
	if err != nil {
		t.Fatal(err)
	}
	// TagSpecifications is replaced as a whole; the other members stay.
	if len(spec.Tags) != 1 || spec.Tags["c"] != "3" {
		t.Errorf("tags %v, want only c", spec.Tags)
	}
	if spec.ImageID != ecsAMI || len(spec.SecurityGroups) != 1 {
		t.Errorf("inherited members lost: %+v", spec)
	}
}

func TestDescribeLaunchTemplateVersions(t *testing.T) {
	e, _ := newTestEC2()
	createTemplate(t, e, "one", &RequestLaunchTemplateData{InstanceType: aws.String("t3.micro")})
	createTemplate(t, e, "two", &RequestLaunchTemplateData{InstanceType: aws.String("t3.small")})
	for range 3 {
		if _, err := e.CreateLaunchTemplateVersion(&CreateLaunchTemplateVersionRequest{
			LaunchTemplateName: aws.String("one"), SourceVersion: aws.String("$Latest"), LaunchTemplateData: &RequestLaunchTemplateData{},
		}); err != nil {
			t.Fatal(err)
		}
	}
	versions := func(in *DescribeLaunchTemplateVersionsRequest) []string {
		t.Helper()
		out, err := e.DescribeLaunchTemplateVersions(in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range out.LaunchTemplateVersions {
			got = append(got, aws.ToString(v.LaunchTemplateName)+":"+itoa(int(aws.ToInt64(v.VersionNumber))))
		}
		return got
	}
	for _, tc := range []struct {
		name string
		in   *DescribeLaunchTemplateVersionsRequest
		want string
	}{
		{"all of one", &DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one")}, "[one:1 one:2 one:3 one:4]"},
		{"aliases", &DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one"), Versions: []string{"$Latest", "$Default"}}, "[one:1 one:4]"},
		{"range", &DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one"), MinVersion: aws.String("2"), MaxVersion: aws.String("3")}, "[one:2 one:3]"},
		{"account latest", &DescribeLaunchTemplateVersionsRequest{Versions: []string{"$Latest"}}, "[one:4 two:1]"},
		{"default filter", &DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one"),
			Filters: []Filter{{Name: aws.String("is-default-version"), Values: []string{"true"}}}}, "[one:1]"},
	} {
		if got := fmtList(versions(tc.in)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	_, err := e.DescribeLaunchTemplateVersions(&DescribeLaunchTemplateVersionsRequest{Versions: []string{"1"}})
	wantAWSError(t, err, InvalidParameterValue, describeVersionsUsage)

	// Pagination over versions.
	out, err := e.DescribeLaunchTemplateVersions(&DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one"), MaxResults: aws.Int(3)})
	if err != nil || len(out.LaunchTemplateVersions) != 3 || out.NextToken == nil {
		t.Fatalf("page 1: %v %+v", err, out)
	}
	out, err = e.DescribeLaunchTemplateVersions(&DescribeLaunchTemplateVersionsRequest{LaunchTemplateName: aws.String("one"), MaxResults: aws.Int(3), NextToken: out.NextToken})
	if err != nil || len(out.LaunchTemplateVersions) != 1 || out.NextToken != nil {
		t.Fatalf("page 2: %v %+v", err, out)
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

func TestDescribeAndDeleteLaunchTemplates(t *testing.T) {
	e, _ := newTestEC2()
	createTemplate(t, e, "one", &RequestLaunchTemplateData{})
	lt := createTemplate(t, e, "two", &RequestLaunchTemplateData{})
	out, err := e.DescribeLaunchTemplates(&DescribeLaunchTemplatesRequest{
		Filters: []Filter{{Name: aws.String("launch-template-name"), Values: []string{"t*"}}},
	})
	if err != nil || len(out.LaunchTemplates) != 1 || aws.ToString(out.LaunchTemplates[0].LaunchTemplateName) != "two" {
		t.Fatalf("filter: %v %+v", err, out)
	}
	_, err = e.DescribeLaunchTemplates(&DescribeLaunchTemplatesRequest{LaunchTemplateNames: []string{"three"}})
	wantAWSError(t, err, InvalidLaunchTemplateNameNotFound, "At least one of the launch templates specified in the request does not exist.")

	del, err := e.DeleteLaunchTemplate(&DeleteLaunchTemplateRequest{LaunchTemplateId: lt.LaunchTemplateId})
	if err != nil || aws.ToString(del.LaunchTemplate.LaunchTemplateName) != "two" {
		t.Fatalf("delete: %v %+v", err, del)
	}
	_, err = e.DeleteLaunchTemplate(&DeleteLaunchTemplateRequest{LaunchTemplateId: lt.LaunchTemplateId})
	wantAWSError(t, err, InvalidLaunchTemplateIDNotFound, "The specified launch template, with template ID "+aws.ToString(lt.LaunchTemplateId)+", does not exist.")
	// The name is free again.
	createTemplate(t, e, "two", &RequestLaunchTemplateData{})
}

func TestLaunchFromTemplate(t *testing.T) {
	e, _ := newTestEC2()
	createTemplate(t, e, "ecs", &RequestLaunchTemplateData{
		ImageId: aws.String(ecsAMI), InstanceType: aws.String("t3.medium"), KeyName: aws.String("me"),
		SecurityGroups: []string{"default"},
	})
	spec, _, err := e.ResolveLaunchTemplate("ecs", "$Latest")
	if err != nil {
		t.Fatal(err)
	}
	spec.SubnetID = e.DefaultSubnets()[1].ID
	inst, err := e.LaunchInstance(spec)
	if err != nil {
		t.Fatal(err)
	}
	if inst.Type != "t3.medium" || inst.AZ != "us-east-1b" || len(inst.SecurityGroups) != 1 || inst.SecurityGroups[0] != e.DefaultSecurityGroup() {
		t.Errorf("instance %+v", inst)
	}
}
