package ecs

import (
	"regexp"
	"sort"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Custom attribute rules [API:Attribute], reference 3.4: a name of 1–128
// letters, digits, hyphens, underscores, forward slashes, back slashes or
// periods; a value of 1–128 letters, digits, hyphens, underscores, periods,
// at signs, slashes, back slashes, colons or spaces, not starting or ending
// with white space. A resource takes up to 10 custom attributes
// [DG:task-placement-constraints].
var (
	attributeName  = regexp.MustCompile(`^[a-zA-Z0-9_./\\-]{1,128}$`)
	attributeValue = regexp.MustCompile(`^[a-zA-Z0-9_.@/\\: -]{1,128}$`)
)

const (
	maxCustomAttributes     = 10
	targetContainerInstance = "container-instance"
)

// builtinAttribute reports whether ECS sets the attribute itself; those
// cannot be changed or deleted through PutAttributes/DeleteAttributes.
func (ci *containerInstance) builtinAttribute(name string) bool {
	_, ok := ci.builtin[name]
	return ok
}

func (ci *containerInstance) customCount() int {
	n := 0
	for name := range ci.attributes {
		if !ci.builtinAttribute(name) {
			n++
		}
	}
	return n
}

// attributeTarget finds the container instance an attribute applies to.
func (e *ECS) attributeTarget(c *cluster, a Attribute) (*containerInstance, error) {
	if tt := deref(a.TargetType); tt != "" && tt != targetContainerInstance {
		return nil, enumError("attributes.member.targetType", tt, []string{targetContainerInstance})
	}
	ci, ok := e.lookupInstance(c, deref(a.TargetId))
	if !ok || ci.status == instanceInactive {
		// [API:PutAttributes] lists TargetNotFoundException; text not verified
		return nil, awsErr("TargetNotFoundException", "Could not find %s.", deref(a.TargetId))
	}
	return ci, nil
}

// PutAttributes creates or updates custom attributes of container instances
// [API:PutAttributes].
func (e *ECS) PutAttributes(in *PutAttributesRequest) (*PutAttributesResponse, error) {
	if in == nil {
		in = &PutAttributesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if len(in.Attributes) > maxCustomAttributes {
		// text not verified
		return nil, awsErr("AttributeLimitExceededException", "You can apply up to %d custom attributes per resource.", maxCustomAttributes)
	}
	targets := make([]*containerInstance, len(in.Attributes))
	for i, a := range in.Attributes {
		if !attributeName.MatchString(deref(a.Name)) {
			// text not verified
			return nil, invalidParam("Attribute name '%s' is not valid.", deref(a.Name))
		}
		if a.Value != nil && !validAttributeValue(*a.Value) {
			// text not verified
			return nil, invalidParam("Attribute value '%s' is not valid.", *a.Value)
		}
		ci, err := e.attributeTarget(c, a)
		if err != nil {
			return nil, err
		}
		if ci.builtinAttribute(deref(a.Name)) {
			// text not verified
			return nil, invalidParam("Attribute %s is reserved by Amazon ECS.", deref(a.Name))
		}
		targets[i] = ci
	}
	for i, a := range in.Attributes {
		ci := targets[i]
		if _, exists := ci.attributes[deref(a.Name)]; !exists && ci.customCount() >= maxCustomAttributes {
			// text not verified
			return nil, awsErr("AttributeLimitExceededException", "You can apply up to %d custom attributes per resource.", maxCustomAttributes)
		}
		ci.attributes[deref(a.Name)] = deref(a.Value)
		ci.touch()
	}
	return &PutAttributesResponse{Attributes: e.withTargets(c, in.Attributes, targets)}, nil
}

func validAttributeValue(v string) bool {
	return attributeValue.MatchString(v) && v[0] != ' ' && v[len(v)-1] != ' '
}

// withTargets echoes attributes with their targets as full ARNs.
func (e *ECS) withTargets(c *cluster, attrs []Attribute, targets []*containerInstance) []Attribute {
	out := make([]Attribute, len(attrs))
	for i, a := range attrs {
		out[i] = Attribute{Name: cloneString(a.Name), Value: cloneString(a.Value), TargetType: aws.String(targetContainerInstance), TargetId: aws.String(targets[i].arn)}
	}
	return out
}

// DeleteAttributes deletes custom attributes [API:DeleteAttributes].
func (e *ECS) DeleteAttributes(in *DeleteAttributesRequest) (*DeleteAttributesResponse, error) {
	if in == nil {
		in = &DeleteAttributesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	targets := make([]*containerInstance, len(in.Attributes))
	for i, a := range in.Attributes {
		ci, err := e.attributeTarget(c, a)
		if err != nil {
			return nil, err
		}
		if ci.builtinAttribute(deref(a.Name)) {
			// text not verified
			return nil, invalidParam("Attribute %s is reserved by Amazon ECS.", deref(a.Name))
		}
		targets[i] = ci
	}
	for i, a := range in.Attributes {
		delete(targets[i].attributes, deref(a.Name))
		targets[i].touch()
	}
	return &DeleteAttributesResponse{Attributes: e.withTargets(c, in.Attributes, targets)}, nil
}

// ListAttributes lists the attributes of a cluster's container instances,
// built-in and custom, optionally of one name (and value)
// [API:ListAttributes].
func (e *ECS) ListAttributes(in *ListAttributesRequest) (*ListAttributesResponse, error) {
	if in == nil {
		in = &ListAttributesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if tt := deref(in.TargetType); tt != targetContainerInstance {
		return nil, enumError("targetType", tt, []string{targetContainerInstance})
	}
	if in.AttributeValue != nil && in.AttributeName == nil {
		// text not verified
		return nil, invalidParam("attributeValue requires attributeName.")
	}
	type item struct {
		key  string
		attr Attribute
	}
	var items []item
	for _, ci := range c.instances {
		if ci.status == instanceInactive {
			continue
		}
		for _, a := range ci.attributeList() {
			if in.AttributeName != nil && deref(a.Name) != *in.AttributeName {
				continue
			}
			if in.AttributeValue != nil && deref(a.Value) != *in.AttributeValue {
				continue
			}
			a.TargetType = aws.String(targetContainerInstance)
			a.TargetId = aws.String(ci.arn)
			items = append(items, item{ci.arn + "\x00" + deref(a.Name), a})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
	keys := make([]string, len(items))
	byKey := map[string]Attribute{}
	for i, it := range items {
		keys[i] = it.key
		byKey[it.key] = it.attr
	}
	page, next, err := paginate("ListAttributes", keys, in.MaxResults, in.NextToken, ascending)
	if err != nil {
		return nil, err
	}
	out := &ListAttributesResponse{Attributes: []Attribute{}, NextToken: next}
	for _, k := range page {
		out.Attributes = append(out.Attributes, byKey[k])
	}
	return out, nil
}
