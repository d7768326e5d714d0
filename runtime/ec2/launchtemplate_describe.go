package ec2

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// DescribeLaunchTemplates lists launch templates in creation order, all of
// them or those named by ID or name, filtered by launch-template-name,
// create-time and tags. MaxResults is 1 to 200 [EC2-API:DescribeLaunchTemplates].
// A name that does not exist is refused: "At least one of the launch
// templates specified in the request does not exist." (text as moto words
// it, not verified); an ID that does not exist is refused as elsewhere.
func (e *EC2) DescribeLaunchTemplates(in *DescribeLaunchTemplatesRequest) (*DescribeLaunchTemplatesResult, error) {
	if in == nil {
		in = &DescribeLaunchTemplatesRequest{}
	}
	for _, id := range in.LaunchTemplateIds {
		if e.templateByID(id) == nil {
			return nil, templateNotFoundByID(id)
		}
	}
	for _, name := range in.LaunchTemplateNames {
		if e.templateByName(name) == nil {
			return nil, awserr.New(InvalidLaunchTemplateNameNotFound, "At least one of the launch templates specified in the request does not exist.")
		}
	}
	var keys []string
	byKey := map[string]*launchTemplate{}
	for _, t := range e.templates {
		if len(in.LaunchTemplateIds)+len(in.LaunchTemplateNames) > 0 &&
			!slices.Contains(in.LaunchTemplateIds, t.id) && !slices.Contains(in.LaunchTemplateNames, t.name) {
			continue
		}
		ok, err := matchFilters(in.Filters, templateFilter(t))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%09d", t.seq)
			keys = append(keys, k)
			byKey[k] = t
		}
	}
	page, next, err := paginate("DescribeLaunchTemplates", keys, in.MaxResults, in.NextToken, 1, 200, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeLaunchTemplatesResult{LaunchTemplates: []LaunchTemplate{}, NextToken: next}
	for _, k := range page {
		out.LaunchTemplates = append(out.LaunchTemplates, *e.templateShape(byKey[k]))
	}
	return out, nil
}

func templateFilter(t *launchTemplate) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "launch-template-name":
			return []string{t.name}, true
		case "create-time":
			return []string{aws.NewTime(t.created).String()}, true
		}
		return tagFilter(t.tags, name)
	}
}

// describeVersionsUsage is EC2's refusal of a DescribeLaunchTemplateVersions
// call that names no template and asks for more than $Latest and $Default
// (text as moto words it, which looks copied from AWS; not verified).
const describeVersionsUsage = "To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers."

// DescribeLaunchTemplateVersions lists versions [EC2-API:DescribeLaunchTemplateVersions]:
// of one template (all of them, those of Versions — numbers, $Latest,
// $Default — or the range MinVersion..MaxVersion), or, without a template,
// the $Latest and/or $Default version of every template. Versions are
// listed by template, then by version number.
func (e *EC2) DescribeLaunchTemplateVersions(in *DescribeLaunchTemplateVersionsRequest) (*DescribeLaunchTemplateVersionsResult, error) {
	if in == nil {
		in = &DescribeLaunchTemplateVersionsRequest{}
	}
	type pick struct {
		t *launchTemplate
		v *templateVersion
	}
	var picks []pick
	if aws.ToString(in.LaunchTemplateId) == "" && aws.ToString(in.LaunchTemplateName) == "" {
		if len(in.Versions) == 0 {
			return nil, awserr.New(MissingParameter, describeVersionsUsage)
		}
		for _, v := range in.Versions {
			if v != "$Latest" && v != "$Default" {
				return nil, invalidValue(describeVersionsUsage)
			}
		}
		for _, t := range e.templates {
			for _, alias := range []string{"$Latest", "$Default"} {
				if slices.Contains(in.Versions, alias) {
					v, _ := t.version(alias)
					if len(picks) == 0 || picks[len(picks)-1].v != v {
						picks = append(picks, pick{t, v})
					}
				}
			}
		}
	} else {
		t, err := e.findTemplate(in.LaunchTemplateId, in.LaunchTemplateName)
		if err != nil {
			return nil, err
		}
		lo, hi, err := versionRange(t, in.MinVersion, in.MaxVersion)
		if err != nil {
			return nil, err
		}
		want := map[int]bool{}
		for _, s := range in.Versions {
			v, err := t.version(s)
			if err != nil {
				return nil, err
			}
			want[v.number] = true
		}
		for _, v := range t.versions {
			if (len(want) == 0 || want[v.number]) && v.number >= lo && v.number <= hi {
				picks = append(picks, pick{t, v})
			}
		}
	}
	var keys []string
	byKey := map[string]pick{}
	for _, p := range picks {
		ok, err := matchFilters(in.Filters, versionFilter(p.t, p.v))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%09d/%09d", p.t.seq, p.v.number)
			keys = append(keys, k)
			byKey[k] = p
		}
	}
	page, next, err := paginate("DescribeLaunchTemplateVersions", keys, in.MaxResults, in.NextToken, 1, 200, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeLaunchTemplateVersionsResult{LaunchTemplateVersions: []LaunchTemplateVersion{}, NextToken: next}
	for _, k := range page {
		p := byKey[k]
		out.LaunchTemplateVersions = append(out.LaunchTemplateVersions, *e.versionShape(p.t, p.v))
	}
	return out, nil
}

// versionRange reads MinVersion and MaxVersion ("the version number after
// which" and "up to which"; ecsbox includes MinVersion itself, as moto and
// the console do). A bound that is not a number is refused (text not
// verified).
func versionRange(t *launchTemplate, minV, maxV *string) (int, int, error) {
	lo, hi := 1, len(t.versions)
	for _, b := range []struct {
		p   *string
		dst *int
	}{{minV, &lo}, {maxV, &hi}} {
		if b.p == nil {
			continue
		}
		n, err := strconv.Atoi(*b.p)
		if err != nil {
			return 0, 0, invalidValue("Invalid launch template version %s.", *b.p)
		}
		*b.dst = n
	}
	return lo, hi, nil
}

func versionFilter(t *launchTemplate, v *templateVersion) filterFunc {
	return func(name string) ([]string, bool) {
		d := &v.data
		switch name {
		case "is-default-version":
			return []string{boolString(v.number == t.defaultVersion)}, true
		case "image-id":
			return []string{aws.ToString(d.ImageId)}, true
		case "instance-type":
			return []string{aws.ToString(d.InstanceType)}, true
		case "create-time":
			return []string{aws.NewTime(v.created).String()}, true
		case "iam-instance-profile":
			if d.IamInstanceProfile != nil {
				return []string{aws.ToString(d.IamInstanceProfile.Arn)}, true
			}
			return nil, true
		}
		return nil, false
	}
}
