package elbv2

import (
	"slices"
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// maxTags per resource [ELB-API:AddTags] ("Each resource can have a maximum
// of 50 tags").
const maxTags = 50

// tagMap reads a Tags list, refusing a key given twice ("Tag key was
// specified more than once: x", text not verified).
func tagMap(tags []Tag) (map[string]string, error) {
	m := map[string]string{}
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if _, dup := m[k]; dup {
			return nil, awserr.Newf(DuplicateTagKeys, "Tag key was specified more than once: %s", k)
		}
		m[k] = aws.ToString(t.Value)
	}
	if len(m) > maxTags {
		// text not verified
		return nil, awserr.Newf(TooManyTags, "A resource can have at most %d tags", maxTags)
	}
	return m, nil
}

func tagList(m map[string]string) []Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []Tag{}
	for _, k := range keys {
		out = append(out, Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// tagsOf finds the tags of a load balancer, target group, listener or rule
// by ARN, with the not-found error of that kind of resource.
func (e *ELBv2) tagsOf(arn string) (*map[string]string, error) {
	switch {
	case strings.Contains(arn, ":loadbalancer/"):
		if lb := e.lbByARN(arn); lb != nil {
			return &lb.tags, nil
		}
		return nil, lbNotFound()
	case strings.Contains(arn, ":targetgroup/"):
		if tg := e.tgByARN(arn); tg != nil {
			return &tg.tags, nil
		}
		return nil, tgNotFound()
	case strings.Contains(arn, ":listener/"):
		if l := e.listenerByARN(arn); l != nil {
			return &l.tags, nil
		}
		return nil, listenerNotFound()
	case strings.Contains(arn, ":listener-rule/"):
		if r := e.ruleByARN(arn); r != nil {
			return &r.tags, nil
		}
		return nil, ruleNotFound()
	}
	// text not verified
	return nil, validation("'%s' is not a valid resource ARN", arn)
}

// AddTags adds or replaces tags of resources.
func (e *ELBv2) AddTags(in *AddTagsInput) (*AddTagsOutput, error) {
	if in == nil {
		in = &AddTagsInput{}
	}
	add, err := tagMap(in.Tags)
	if err != nil {
		return nil, err
	}
	var targets []*map[string]string
	for _, arn := range in.ResourceArns {
		m, err := e.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		n := len(*m)
		for k := range add {
			if _, ok := (*m)[k]; !ok {
				n++
			}
		}
		if n > maxTags {
			return nil, awserr.Newf(TooManyTags, "A resource can have at most %d tags", maxTags)
		}
		targets = append(targets, m)
	}
	for _, m := range targets {
		if *m == nil {
			*m = map[string]string{}
		}
		for k, v := range add {
			(*m)[k] = v
		}
	}
	return &AddTagsOutput{}, nil
}

// RemoveTags removes tags from resources.
func (e *ELBv2) RemoveTags(in *RemoveTagsInput) (*RemoveTagsOutput, error) {
	if in == nil {
		in = &RemoveTagsInput{}
	}
	for _, arn := range in.ResourceArns {
		m, err := e.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		for _, k := range in.TagKeys {
			delete(*m, k)
		}
	}
	return &RemoveTagsOutput{}, nil
}

// DescribeTags lists the tags of resources, in the order asked.
func (e *ELBv2) DescribeTags(in *DescribeTagsInput) (*DescribeTagsOutput, error) {
	if in == nil {
		in = &DescribeTagsInput{}
	}
	out := &DescribeTagsOutput{TagDescriptions: []TagDescription{}}
	for _, arn := range slices.Compact(slices.Clone(in.ResourceArns)) {
		m, err := e.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		out.TagDescriptions = append(out.TagDescriptions, TagDescription{ResourceArn: aws.String(arn), Tags: tagList(*m)})
	}
	return out, nil
}
