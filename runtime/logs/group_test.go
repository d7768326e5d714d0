package logs

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestCreateLogGroupNames(t *testing.T) {
	long := strings.Repeat("a", 512)
	tests := []struct {
		name, code, message string
	}{
		{"/ecs/web", "", ""},
		{"/aws/lambda/fn", "", ""},
		{"a.b-c_d/e#f09", "", ""},
		{long, "", ""},
		{long + "a", InvalidParameterException, "1 validation error detected: Value '" + long + "a' at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512"},
		{"", InvalidParameterException, "1 validation error detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"testServiceName:latest-metrics", InvalidParameterException, `1 validation error detected: Value 'testServiceName:latest-metrics' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"with space", InvalidParameterException, `1 validation error detected: Value 'with space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"é", InvalidParameterException, ""},
		{"aws/reserved", InvalidParameterException, "Log group names can't start with the string aws/."},
	}
	for _, tt := range tests {
		l, _ := newTestLogs()
		_, err := l.CreateLogGroup(&CreateLogGroupRequest{LogGroupName: aws.String(tt.name)})
		wantErr(t, err, tt.code, tt.message)
		if tt.code == "" && !l.GroupExists(tt.name) {
			t.Errorf("%q: group not created", tt.name)
		}
	}
}

func TestLogGroupLifecycle(t *testing.T) {
	l, s := newTestLogs()
	advance(t, s, 90*time.Second)
	_, err := l.CreateLogGroup(&CreateLogGroupRequest{
		LogGroupName: aws.String("/ecs/web"), KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/k"),
		Tags: map[string]string{"team": "a"},
	})
	wantErr(t, err, "", "")
	_, err = l.CreateLogGroup(&CreateLogGroupRequest{LogGroupName: aws.String("/ecs/web")})
	wantErr(t, err, ResourceAlreadyExistsException, "The specified log group already exists")
	_, err = l.CreateLogGroup(&CreateLogGroupRequest{LogGroupName: aws.String("x"), LogGroupClass: aws.String("COLD")})
	wantErr(t, err, InvalidParameterException, "1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")

	out, err := l.DescribeLogGroups(&DescribeLogGroupsRequest{})
	wantErr(t, err, "", "")
	b, _ := json.Marshal(out)
	want := `{"logGroups":[{"logGroupName":"/ecs/web","creationTime":1735689690000,"metricFilterCount":0,` +
		`"arn":"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*","storedBytes":0,` +
		`"kmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/k","logGroupClass":"STANDARD",` +
		`"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web"}]}`
	if string(b) != want {
		t.Errorf("DescribeLogGroups:\n got %s\nwant %s", b, want)
	}

	tags, err := l.ListTagsForResource(&ListTagsForResourceRequest{ResourceArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web")})
	wantErr(t, err, "", "")
	if tags.Tags["team"] != "a" || len(tags.Tags) != 1 {
		t.Errorf("tags = %v", tags.Tags)
	}
	arn := aws.String("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web")
	_, err = l.TagResource(&TagResourceRequest{ResourceArn: arn, Tags: map[string]string{"env": "prod"}})
	wantErr(t, err, "", "")
	_, err = l.UntagResource(&UntagResourceRequest{ResourceArn: arn, TagKeys: []string{"team"}})
	wantErr(t, err, "", "")
	tags, _ = l.ListTagsForResource(&ListTagsForResourceRequest{ResourceArn: arn})
	if len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Errorf("tags after tag/untag = %v", tags.Tags)
	}
	many := map[string]string{}
	for i := range 50 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	_, err = l.TagResource(&TagResourceRequest{ResourceArn: arn, Tags: many})
	wantErr(t, err, TooManyTagsException, "")
	_, err = l.ListTagsForResource(&ListTagsForResourceRequest{ResourceArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:nope")})
	wantErr(t, err, ResourceNotFoundException, "The specified log group does not exist.")

	_, err = l.DeleteLogGroup(&DeleteLogGroupRequest{LogGroupName: aws.String("/ecs/web")})
	wantErr(t, err, "", "")
	_, err = l.DeleteLogGroup(&DeleteLogGroupRequest{LogGroupName: aws.String("/ecs/web")})
	wantErr(t, err, ResourceNotFoundException, "The specified log group does not exist.")
	_, err = l.DeleteLogGroup(&DeleteLogGroupRequest{LogGroupName: aws.String("bad:name")})
	wantErr(t, err, InvalidParameterException, "")
}

func TestDeletionProtection(t *testing.T) {
	l, _ := newTestLogs()
	_, err := l.CreateLogGroup(&CreateLogGroupRequest{LogGroupName: aws.String("keep"), DeletionProtectionEnabled: aws.Bool(true)})
	wantErr(t, err, "", "")
	_, err = l.DeleteLogGroup(&DeleteLogGroupRequest{LogGroupName: aws.String("keep")})
	wantErr(t, err, ValidationException, "")
	if !l.GroupExists("keep") {
		t.Error("protected group deleted")
	}
}

func TestDescribeLogGroupsFilters(t *testing.T) {
	l, _ := newTestLogs()
	for _, n := range []string{"/ecs/web", "/ecs/api", "DataLogs", "aws/DataLogs", "GroupDataLogs", "datalogs"} {
		l.createGroup(n, LogGroupClassSTANDARD, "", false, nil)
	}
	l.createGroup("cold", LogGroupClassINFREQUENTACCESS, "", false, nil)
	names := func(in *DescribeLogGroupsRequest) string {
		t.Helper()
		out, err := l.DescribeLogGroups(in)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, g := range out.LogGroups {
			ns = append(ns, *g.LogGroupName)
		}
		return strings.Join(ns, " ")
	}
	tests := []struct {
		in   *DescribeLogGroupsRequest
		want string
	}{
		{&DescribeLogGroupsRequest{}, "/ecs/api /ecs/web DataLogs GroupDataLogs aws/DataLogs cold datalogs"},
		{&DescribeLogGroupsRequest{LogGroupNamePrefix: aws.String("/ecs/")}, "/ecs/api /ecs/web"},
		// The API reference's example: DataLogs matches DataLogs,
		// aws/DataLogs and GroupDataLogs, not datalogs.
		{&DescribeLogGroupsRequest{LogGroupNamePattern: aws.String("DataLogs")}, "DataLogs GroupDataLogs aws/DataLogs"},
		{&DescribeLogGroupsRequest{LogGroupClass: aws.String(LogGroupClassINFREQUENTACCESS)}, "cold"},
		{&DescribeLogGroupsRequest{LogGroupIdentifiers: []string{"cold", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web"}}, "/ecs/web cold"},
	}
	for _, tt := range tests {
		if got := names(tt.in); got != tt.want {
			b, _ := json.Marshal(tt.in)
			t.Errorf("%s: got %q, want %q", b, got, tt.want)
		}
	}
	// With a pattern only arn, creationTime and logGroupName come back.
	out, _ := l.DescribeLogGroups(&DescribeLogGroupsRequest{LogGroupNamePattern: aws.String("cold")})
	if g := out.LogGroups[0]; g.StoredBytes != nil || g.LogGroupClass != nil || g.Arn == nil || g.CreationTime == nil {
		t.Errorf("pattern result carries more than arn, creationTime, logGroupName: %+v", g)
	}

	_, err := l.DescribeLogGroups(&DescribeLogGroupsRequest{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
	wantErr(t, err, InvalidParameterException, "")
	_, err = l.DescribeLogGroups(&DescribeLogGroupsRequest{Limit: aws.Int(51)})
	wantErr(t, err, InvalidParameterException, "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50")
	_, err = l.DescribeLogGroups(&DescribeLogGroupsRequest{LogGroupNamePrefix: aws.String("Fn::Join")})
	wantErr(t, err, InvalidParameterException, `1 validation error detected: Value 'Fn::Join' at 'logGroupNamePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`)
	_, err = l.DescribeLogGroups(&DescribeLogGroupsRequest{NextToken: aws.String("garbage")})
	wantErr(t, err, InvalidParameterException, "The specified nextToken is invalid.")

	// Pages of 3 cover the 7 groups once, in order.
	var all []string
	var token *string
	for range 10 {
		out, err := l.DescribeLogGroups(&DescribeLogGroupsRequest{Limit: aws.Int(3), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			all = append(all, *g.LogGroupName)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if got := strings.Join(all, " "); got != "/ecs/api /ecs/web DataLogs GroupDataLogs aws/DataLogs cold datalogs" {
		t.Errorf("paged listing = %q", got)
	}
}
