package ecs

import (
	"reflect"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func tdARN(k string) string { return "arn:aws:ecs:us-east-1:123456789012:task-definition/" + k }

func listingECS(t *testing.T) *ECS {
	e := newTestECS()
	for _, f := range []string{"web", "api", "web", "batch", "web", "api"} {
		mustRegister(t, e, ec2Request(f))
	}
	// Revision 10 sorts after 9 numerically, not as a string.
	for range 8 {
		mustRegister(t, e, ec2Request("batch"))
	}
	e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:2")})
	e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("api:1")})
	e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("api:2")})
	return e
}

func TestListTaskDefinitions(t *testing.T) {
	e := listingECS(t)
	list := func(in *ListTaskDefinitionsRequest) []string {
		t.Helper()
		out, err := e.ListTaskDefinitions(in)
		if err != nil {
			t.Fatal(err)
		}
		return out.TaskDefinitionArns
	}
	batch := []string{}
	for i := 1; i <= 9; i++ {
		batch = append(batch, tdARN("batch:"+itoaTest(i)))
	}
	want := append(append([]string{}, batch...), tdARN("web:1"), tdARN("web:3"))
	if got := list(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("ASC\n%v\nwant\n%v", got, want)
	}
	desc := []string{tdARN("web:3"), tdARN("web:1")}
	for i := 9; i >= 1; i-- {
		desc = append(desc, tdARN("batch:"+itoaTest(i)))
	}
	if got := list(&ListTaskDefinitionsRequest{Sort: aws.String("DESC")}); !reflect.DeepEqual(got, desc) {
		t.Errorf("DESC\n%v\nwant\n%v", got, desc)
	}
	if got := list(&ListTaskDefinitionsRequest{Status: aws.String("INACTIVE")}); !reflect.DeepEqual(got, []string{tdARN("api:1"), tdARN("api:2"), tdARN("web:2")}) {
		t.Errorf("INACTIVE %v", got)
	}
	// familyPrefix is the full family name [API:ListTaskDefinitionsRequest].
	if got := list(&ListTaskDefinitionsRequest{FamilyPrefix: aws.String("we")}); len(got) != 0 {
		t.Errorf("prefix 'we' %v", got)
	}
	if got := list(&ListTaskDefinitionsRequest{FamilyPrefix: aws.String("web")}); !reflect.DeepEqual(got, []string{tdARN("web:1"), tdARN("web:3")}) {
		t.Errorf("family web %v", got)
	}

	// Pagination walks the same listing in both orders.
	for _, sort := range []string{"ASC", "DESC"} {
		var all []string
		var token *string
		for pages := 0; ; pages++ {
			out, err := e.ListTaskDefinitions(&ListTaskDefinitionsRequest{Sort: aws.String(sort), MaxResults: aws.Int(4), NextToken: token})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.TaskDefinitionArns) > 4 || pages > 5 {
				t.Fatalf("page of %d", len(out.TaskDefinitionArns))
			}
			all = append(all, out.TaskDefinitionArns...)
			if token = out.NextToken; token == nil {
				break
			}
		}
		w := want
		if sort == "DESC" {
			w = desc
		}
		if !reflect.DeepEqual(all, w) {
			t.Errorf("%s pages\n%v\nwant\n%v", sort, all, w)
		}
	}

	for _, tt := range []struct {
		in   *ListTaskDefinitionsRequest
		code string
		msg  string
	}{
		{&ListTaskDefinitionsRequest{Status: aws.String("DELETED")}, "InvalidParameterException",
			"1 validation error detected: Value 'DELETED' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE, DELETE_IN_PROGRESS]"},
		{&ListTaskDefinitionsRequest{Sort: aws.String("UP")}, "InvalidParameterException",
			"1 validation error detected: Value 'UP' at 'sort' failed to satisfy constraint: Member must satisfy enum value set: [ASC, DESC]"},
		{&ListTaskDefinitionsRequest{MaxResults: aws.Int(101)}, "InvalidParameterException", "maxResults must be between 1 and 100."},
		{&ListTaskDefinitionsRequest{MaxResults: aws.Int(0)}, "InvalidParameterException", "maxResults must be between 1 and 100."},
		{&ListTaskDefinitionsRequest{NextToken: aws.String("garbage!")}, "InvalidParameterException",
			"Invalid nextToken. Pass the nextToken value returned by the previous call of the same operation."},
	} {
		_, err := e.ListTaskDefinitions(tt.in)
		wantAWSError(t, err, tt.code, tt.msg)
	}
	// A token of another operation is refused.
	fam, _ := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{MaxResults: aws.Int(1)})
	_, err := e.ListTaskDefinitions(&ListTaskDefinitionsRequest{NextToken: fam.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid nextToken. Pass the nextToken value returned by the previous call of the same operation.")
}

func itoaTest(i int) string { return string(rune('0' + i)) }

func TestListTaskDefinitionFamilies(t *testing.T) {
	e := listingECS(t)
	mustRegister(t, e, ec2Request("web-admin"))
	// api has no ACTIVE revision left.
	for _, tt := range []struct {
		in   *ListTaskDefinitionFamiliesRequest
		want []string
	}{
		{nil, []string{"api", "batch", "web", "web-admin"}},
		{&ListTaskDefinitionFamiliesRequest{Status: aws.String("ALL")}, []string{"api", "batch", "web", "web-admin"}},
		{&ListTaskDefinitionFamiliesRequest{Status: aws.String("ACTIVE")}, []string{"batch", "web", "web-admin"}},
		{&ListTaskDefinitionFamiliesRequest{Status: aws.String("INACTIVE")}, []string{"api"}},
		{&ListTaskDefinitionFamiliesRequest{FamilyPrefix: aws.String("web")}, []string{"web", "web-admin"}},
	} {
		out, err := e.ListTaskDefinitionFamilies(tt.in)
		if err != nil || !reflect.DeepEqual(out.Families, tt.want) {
			t.Errorf("%+v: %v %v, want %v", tt.in, out, err, tt.want)
		}
	}
	// Deleted families are still listed (DELETE_IN_PROGRESS keeps the name).
	e.DeleteTaskDefinitions(&DeleteTaskDefinitionsRequest{TaskDefinitions: []string{"api:1", "api:2"}})
	out, _ := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{Status: aws.String("INACTIVE")})
	if !reflect.DeepEqual(out.Families, []string{"api"}) {
		t.Errorf("after delete %v", out.Families)
	}
	p1, _ := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{MaxResults: aws.Int(3)})
	p2, _ := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{MaxResults: aws.Int(3), NextToken: p1.NextToken})
	if !reflect.DeepEqual(p1.Families, []string{"api", "batch", "web"}) || !reflect.DeepEqual(p2.Families, []string{"web-admin"}) || p2.NextToken != nil {
		t.Errorf("pages %v %v", p1.Families, p2.Families)
	}
	// The same request gives the same token.
	p1b, _ := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{MaxResults: aws.Int(3)})
	if *p1.NextToken != *p1b.NextToken {
		t.Error("token not deterministic")
	}
	_, err := e.ListTaskDefinitionFamilies(&ListTaskDefinitionFamiliesRequest{Status: aws.String("DELETE_IN_PROGRESS")})
	wantAWSError(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'DELETE_IN_PROGRESS' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE, ALL]")
}
