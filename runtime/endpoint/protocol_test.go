package endpoint_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Raw requests, as a client without an SDK sends them, and the exact
// shapes of the answers.
func TestWireShapes(t *testing.T) {
	a := newAccount(t)
	auth := func(svc string) string {
		return "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/" + svc + "/aws4_request, SignedHeaders=host, Signature=00"
	}
	query := func(svc string, form url.Values) *http.Request {
		req, _ := http.NewRequest("POST", a.url+"/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", auth(svc))
		return req
	}
	jsonReq := func(target, body string) *http.Request {
		req, _ := http.NewRequest("POST", a.url+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("Authorization", auth("ecs"))
		return req
	}
	tests := []struct {
		name   string
		req    *http.Request
		status int
		want   []string
	}{
		{"json missing member", jsonReq("AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition", `{"containerDefinitions":[]}`), 400,
			[]string{`{"__type":"ValidationException","message":"1 validation error detected: Value null at 'family' failed to satisfy constraint: Member must not be null"}`}},
		{"json unknown operation", jsonReq("AmazonEC2ContainerServiceV20141113.Nope", `{}`), 400, []string{`"__type":"UnknownOperationException"`}},
		{"json timestamps are epoch seconds", jsonReq("AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
			`{"family":"f","containerDefinitions":[{"name":"a","image":"nginx","memory":128}]}`), 200, []string{`"registeredAt":1735689600,`}},
		{"query list and map members", query("iam", url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"r"},
			"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
			"Tags.member.1.Key":        {"team"}, "Tags.member.1.Value": {"web"}}), 200,
			[]string{`<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateRoleResult><Role>`,
				`<Tags><member><Key>team</Key><Value>web</Value></member></Tags>`, `<CreateDate>2025-01-01T00:00:00.000Z</CreateDate>`,
				`</CreateRoleResult><ResponseMetadata><RequestId>`}},
		{"query missing member", query("iam", url.Values{"Action": {"GetRole"}, "Version": {"2010-05-08"}}), 400,
			[]string{`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value null at &#39;RoleName&#39; failed to satisfy constraint: Member must not be null</Message></Error><RequestId>`}},
		{"query error status from the model", query("iam", url.Values{"Action": {"GetRole"}, "Version": {"2010-05-08"}, "RoleName": {"nobody"}}), 404,
			[]string{`<Code>NoSuchEntity</Code>`}},
		{"query by version, unsigned", func() *http.Request {
			r := query("", url.Values{"Action": {"DescribeAutoScalingGroups"}, "Version": {"2011-01-01"}, "AutoScalingGroupNames.member.1": {"x"}})
			r.Header.Del("Authorization")
			return r
		}(), 200, []string{`<DescribeAutoScalingGroupsResult><AutoScalingGroups></AutoScalingGroups></DescribeAutoScalingGroupsResult>`}},
		{"query unknown action", query("iam", url.Values{"Action": {"Nope"}, "Version": {"2010-05-08"}}), 400,
			[]string{`<Code>InvalidAction</Code><Message>The action Nope is not valid for this web service.</Message>`}},
		{"ec2 items and locationNames", query("ec2", url.Values{"Action": {"DescribeAvailabilityZones"}, "Version": {"2016-11-15"}, "ZoneName.1": {"us-east-1b"}}), 200,
			[]string{`<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>`,
				`<availabilityZoneInfo><item>`, `<zoneName>us-east-1b</zoneName>`}},
		{"ec2 missing member", query("ec2", url.Values{"Action": {"RunInstances"}, "Version": {"2016-11-15"}, "MaxCount": {"1"}}), 400,
			[]string{`<Response><Errors><Error><Code>MissingParameter</Code><Message>The request must contain the parameter MinCount</Message></Error></Errors><RequestID>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body lacks %s:\n%s", w, body)
				}
			}
		})
	}
}
