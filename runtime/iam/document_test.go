package iam

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseDocumentErrors(t *testing.T) {
	const allow = `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`
	cases := []struct {
		name, doc string
		kind      docKind
		want      string
	}{
		{"not JSON", `{"Version":`, identityPolicy, errSyntax},
		{"not an object", `[]`, identityPolicy, errSyntax},
		{"unknown top element", `{"Version":"2012-10-17","Statement":` + allow + `,"Extra":1}`, identityPolicy, errSyntax},
		{"bad version", `{"Version":"2012-10-18","Statement":` + allow + `}`, identityPolicy, errSyntax},
		{"no statement", `{"Version":"2012-10-17"}`, identityPolicy, errSyntax},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, identityPolicy, errSyntax},
		{"statement not an object", `{"Version":"2012-10-17","Statement":["x"]}`, identityPolicy, errSyntax},
		{"no effect", `{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}`, identityPolicy, errSyntax},
		{"bad effect", `{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"s3:*","Resource":"*"}}`, identityPolicy, errSyntax},
		{"action and notaction", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}}`, identityPolicy, errSyntax},
		{"action not strings", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}}`, identityPolicy, errSyntax},
		{"unknown statement element", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}}`, identityPolicy, errSyntax},
		{"unknown condition operator", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Nope":{"a:b":"c"}}}}`, identityPolicy, errSyntax},
		{"principal in identity policy", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, identityPolicy, errHasPrincipal},
		{"no version", `{"Statement":` + allow + `}`, identityPolicy, errVersion},
		{"old version", `{"Version":"2008-10-17","Statement":` + allow + `}`, identityPolicy, errVersion},
		{"lower-case effect", `{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, identityPolicy, errLegacy},
		{"duplicate sid", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, identityPolicy, errSidUnique},
		{"no action", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`, identityPolicy, errNoActions},
		{"empty action list", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, identityPolicy, errNoActions},
		{"resource not an ARN", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, identityPolicy, `Resource bucket must be in ARN format or "*".`},
		{"action without vendor", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ListBucket","Resource":"*"}}`, identityPolicy, errVendor},
		{"two colons", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:a:b","Resource":"*"}}`, identityPolicy, errOneColon},
		{"bad vendor", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s_3:Get","Resource":"*"}}`, identityPolicy, "Vendor s_3 is not valid"},
		{"no resource", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`, identityPolicy, errNoResources},
		{"trust action", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"}}`, trustPolicy, errTrustActions},
		{"trust resource", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, trustPolicy, errTrustResource},
		{"trust without principal", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, trustPolicy, errMissingPrinc},
		{"bad principal", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"ec2","Action":"sts:AssumeRole"}}`, trustPolicy, errSyntax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseDocument(c.doc, c.kind)
			wantErr(t, err, MalformedPolicyDocument, c.want)
		})
	}
}

func TestParseDocumentAccepts(t *testing.T) {
	cases := []struct {
		name, doc string
		kind      docKind
	}{
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, identityPolicy},
		{"lists, NotAction, NotResource", `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*"],"NotResource":["arn:aws:s3:::b/*"]}]}`, identityPolicy},
		{"condition values of every scalar type", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"StringLike":{"a:b":["x","y"]}}}}`, identityPolicy},
		{"trust 2008 without Sid value", ec2Trust, trustPolicy},
		{"trust without version", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:TagSession"]}}`, trustPolicy},
		{"URL-encoded, as IAM returns documents", url.PathEscape(ecsTasks), trustPolicy},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseDocument(c.doc, c.kind); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStatementPositions(t *testing.T) {
	doc := strings.Join([]string{
		`{`,
		`  "Version": "2012-10-17",`,
		`  "Statement": [`,
		`    {"Effect": "Allow", "Action": "s3:*", "Resource": "*",`,
		`     "Condition": {"StringEquals": {"a:b": "{"}}},`,
		`    {`,
		`      "Effect": "Deny", "Action": ["s3:Delete*"], "Resource": ["*"]`,
		`    }`,
		`  ]`,
		`}`,
	}, "\n")
	d, err := parseDocument(doc, identityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]position{{{4, 5}, {5, 49}}, {{6, 5}, {8, 5}}}
	for k, s := range d.statements {
		if got := [2]position{s.start, s.end}; got != want[k] {
			t.Errorf("statement %d at %v, want %v", k+1, got, want[k])
		}
	}
	single, err := parseDocument(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, identityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if s := single.statements[0]; s.start != (position{1, 37}) || s.end != (position{1, 85}) {
		t.Errorf("single statement at %v..%v", s.start, s.end)
	}
}
