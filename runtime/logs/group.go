package logs

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// logGroupClasses are the model's LogGroupClass values; STANDARD is the
// default [API:CreateLogGroup].
var logGroupClasses = []string{LogGroupClassSTANDARD, LogGroupClassINFREQUENTACCESS, LogGroupClassDELIVERY}

// maxTags is how many tags a log group may carry [API:TagResource].
const maxTags = 50

// CreateLogGroup creates a log group. Its events never expire until a
// retention policy is set [API:CreateLogGroup].
func (l *Logs) CreateLogGroup(in *CreateLogGroupRequest) (*struct{}, error) {
	if in == nil {
		in = &CreateLogGroupRequest{}
	}
	name := aws.ToString(in.LogGroupName)
	if err := checkGroupName("logGroupName", name); err != nil {
		return nil, err
	}
	if strings.HasPrefix(name, "aws/") {
		// "Log group names can't start with the string aws/" [API:CreateLogGroup];
		// text not verified
		return nil, invalidParam("Log group names can't start with the string aws/.")
	}
	class := LogGroupClassSTANDARD
	if in.LogGroupClass != nil {
		class = *in.LogGroupClass
		if !oneOf(class, logGroupClasses) {
			return nil, enumError("logGroupClass", class, logGroupClasses)
		}
	}
	if len(in.Tags) > maxTags {
		return nil, tooManyTags(l.groupARNBare(name))
	}
	if _, ok := l.groups[name]; ok {
		return nil, awserr.New(ResourceAlreadyExistsException, msgGroupExists)
	}
	l.createGroup(name, class, aws.ToString(in.KmsKeyId), aws.ToBool(in.DeletionProtectionEnabled), in.Tags)
	return nil, nil
}

func (l *Logs) createGroup(name, class, kmsKeyID string, protection bool, tags map[string]string) *group {
	g := &group{
		name: name, created: l.sim.Now(), class: class, kmsKeyID: kmsKeyID,
		protection: protection, tags: map[string]string{}, streams: map[string]*stream{},
	}
	for k, v := range tags {
		g.tags[k] = v
	}
	l.groups[name] = g
	l.sim.Recordf("logs", "LogGroupCreated", l.groupARNBare(name), "log group %s created", name)
	return g
}

// DescribeLogGroups lists log groups in ASCII order of name
// [API:DescribeLogGroups], filtered by a name prefix, a case-sensitive
// substring pattern, a class or a list of identifiers. With
// logGroupNamePattern only arn, creationTime and logGroupName are returned,
// as AWS documents.
func (l *Logs) DescribeLogGroups(in *DescribeLogGroupsRequest) (*DescribeLogGroupsResponse, error) {
	if in == nil {
		in = &DescribeLogGroupsRequest{}
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		// The two are mutually exclusive [API:DescribeLogGroupsRequest];
		// text not verified
		return nil, invalidParam("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	if in.LogGroupNamePrefix != nil {
		if err := checkGroupName("logGroupNamePrefix", *in.LogGroupNamePrefix); err != nil {
			return nil, err
		}
	}
	if p := aws.ToString(in.LogGroupNamePattern); p != "" {
		for _, r := range p {
			if !validGroupNameChar(r) {
				return nil, invalidParam("1 validation error detected: Value '%s' at 'logGroupNamePattern' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*", p)
			}
		}
	}
	if in.LogGroupClass != nil && !oneOf(*in.LogGroupClass, logGroupClasses) {
		return nil, enumError("logGroupClass", *in.LogGroupClass, logGroupClasses)
	}
	limit, err := checkLimit(in.Limit, describeLimit, describeLimit)
	if err != nil {
		return nil, err
	}
	var wanted map[string]bool
	if in.LogGroupIdentifiers != nil {
		wanted = map[string]bool{}
		for _, id := range in.LogGroupIdentifiers {
			n, err := l.groupNameOf(id)
			if err != nil {
				return nil, err
			}
			wanted[n] = true
		}
	}
	var keys []string
	for _, name := range l.groupNames() {
		g := l.groups[name]
		switch {
		case in.LogGroupNamePrefix != nil && !strings.HasPrefix(name, *in.LogGroupNamePrefix),
			in.LogGroupNamePattern != nil && !strings.Contains(name, *in.LogGroupNamePattern),
			in.LogGroupClass != nil && g.class != *in.LogGroupClass,
			wanted != nil && !wanted[name]:
			continue
		}
		keys = append(keys, name)
	}
	page, next, err := paginate("DescribeLogGroups", keys, limit, in.NextToken, ascending)
	if err != nil {
		return nil, err
	}
	out := &DescribeLogGroupsResponse{LogGroups: []LogGroup{}, NextToken: next}
	for _, name := range page {
		out.LogGroups = append(out.LogGroups, l.describeGroup(l.groups[name], in.LogGroupNamePattern != nil))
	}
	return out, nil
}

func (l *Logs) describeGroup(g *group, brief bool) LogGroup {
	lg := LogGroup{
		LogGroupName: aws.String(g.name),
		CreationTime: aws.Int64(ms(g.created)),
		Arn:          aws.String(l.groupARN(g.name)),
	}
	if brief {
		return lg
	}
	if g.retention > 0 {
		// AWS shows retentionInDays only when a policy is set.
		lg.RetentionInDays = aws.Int(g.retention)
	}
	lg.MetricFilterCount = aws.Int(0)
	lg.StoredBytes = aws.Int64(g.storedBytes())
	if g.kmsKeyID != "" {
		lg.KmsKeyId = aws.String(g.kmsKeyID)
	}
	lg.LogGroupClass = aws.String(g.class)
	lg.LogGroupArn = aws.String(l.groupARNBare(g.name))
	if g.protection {
		lg.DeletionProtectionEnabled = aws.Bool(true)
	}
	return lg
}

// DeleteLogGroup deletes a log group with its streams and events
// [API:DeleteLogGroup].
func (l *Logs) DeleteLogGroup(in *DeleteLogGroupRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteLogGroupRequest{}
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	if g.protection {
		// Deletion protection "blocks all deletion operations"
		// [API:CreateLogGroupRequest]; the model lists ValidationException for
		// DeleteLogGroup. text not verified
		return nil, awserr.Newf(ValidationException, "Cannot delete log group %s because deletion protection is enabled.", g.name)
	}
	delete(l.groups, g.name)
	l.sim.Recordf("logs", "LogGroupDeleted", l.groupARNBare(g.name), "log group %s deleted with %d log streams", g.name, len(g.streams))
	return nil, nil
}

// groupOfARN finds the log group a tagging operation names. Only log groups
// (and destinations, which ecsbox does not simulate) take tags
// [API:TagResource].
func (l *Logs) groupOfARN(arn string) (*group, error) {
	a, err := awserr.ParseARN(arn)
	if err != nil || a.Service != "logs" {
		// text not verified
		return nil, invalidParam("Invalid resource ARN: %s", arn)
	}
	if !strings.HasPrefix(a.Resource, "log-group:") || a.Region != l.id.Region || a.AccountID != l.id.AccountID {
		return nil, noGroup()
	}
	g, ok := l.groups[strings.TrimSuffix(strings.TrimPrefix(a.Resource, "log-group:"), ":*")]
	if !ok {
		return nil, noGroup()
	}
	return g, nil
}

func tooManyTags(arn string) error {
	// A resource can have no more than 50 tags [API:TooManyTagsException];
	// text not verified
	return awserr.Newf(TooManyTagsException, "A resource can have no more than %d tags.", maxTags)
}

// TagResource adds or replaces tags of a log group.
func (l *Logs) TagResource(in *TagResourceRequest) (*struct{}, error) {
	if in == nil {
		in = &TagResourceRequest{}
	}
	g, err := l.groupOfARN(aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	merged := map[string]bool{}
	for k := range g.tags {
		merged[k] = true
	}
	for k := range in.Tags {
		merged[k] = true
	}
	if len(merged) > maxTags {
		return nil, tooManyTags(aws.ToString(in.ResourceArn))
	}
	for k, v := range in.Tags {
		g.tags[k] = v
	}
	return nil, nil
}

// UntagResource removes tags from a log group; absent keys are ignored.
func (l *Logs) UntagResource(in *UntagResourceRequest) (*struct{}, error) {
	if in == nil {
		in = &UntagResourceRequest{}
	}
	g, err := l.groupOfARN(aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	for _, k := range in.TagKeys {
		delete(g.tags, k)
	}
	return nil, nil
}

// ListTagsForResource returns a log group's tags.
func (l *Logs) ListTagsForResource(in *ListTagsForResourceRequest) (*ListTagsForResourceResponse, error) {
	if in == nil {
		in = &ListTagsForResourceRequest{}
	}
	g, err := l.groupOfARN(aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	tags := make(map[string]string, len(g.tags))
	for k, v := range g.tags {
		tags[k] = v
	}
	return &ListTagsForResourceResponse{Tags: tags}, nil
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
