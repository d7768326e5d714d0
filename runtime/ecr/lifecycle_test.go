package ecr

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

const policyPrefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: "

func TestLifecyclePolicyValidation(t *testing.T) {
	rule := func(priority int, selection string) string {
		return fmt.Sprintf(`{"rulePriority":%d,"selection":%s,"action":{"type":"expire"}}`, priority, selection)
	}
	untagged := `{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1}`
	tests := []struct {
		name, text, want string // want: the message after the prefix, "" when accepted
	}{
		{"accepted", `{"rules":[` + rule(1, `{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3}`) + "," + rule(2, untagged) + `]}`, ""},
		{"not json", `{"rules":`, "Could not map policyString into LifecyclePolicy."},
		{"not an object", `[1]`, "Could not map policyString into LifecyclePolicy."},
		{"no rules", `{"rule":[]}`, `object has missing required properties (["rules"])`},
		{"empty rules", `{"rules":[]}`, "array is too short: must have at least 1 elements but instance has 0 elements"},
		{"rule not object", `{"rules":[1]}`, `instance type (integer) does not match any allowed primitive type (allowed: ["object"])`},
		{"missing members", `{"rules":[{"selection":{}}]}`, `object has missing required properties (["action","rulePriority"])`},
		{"unknown member", `{"rules":[{"rulePriority":1,"selection":` + untagged + `,"action":{"type":"expire"},"enabled":true}]}`, `object instance has properties which are not allowed by the schema: (["enabled"])`},
		{"priority 0", `{"rules":[` + rule(0, untagged) + `]}`, "numeric instance is lower than the required minimum (minimum: 1, found: 0)"},
		{"priority string", `{"rules":[{"rulePriority":"1","selection":` + untagged + `,"action":{"type":"expire"}}]}`, `instance type (string) does not match any allowed primitive type (allowed: ["integer"])`},
		{"action type", `{"rules":[{"rulePriority":1,"selection":` + untagged + `,"action":{"type":"delete"}}]}`, `instance value (delete) not found in enum :(possible values: ["expire","transition"])`},
		{"tag status", `{"rules":[` + rule(1, `{"tagStatus":"TAGGED","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3}`) + `]}`, `instance value (TAGGED) not found in enum :(possible values: ["any","tagged","untagged"])`},
		{"count type", `{"rules":[` + rule(1, `{"tagStatus":"untagged","countType":"imageCountLessThan","countNumber":3}`) + `]}`, "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"countUnit with count", `{"rules":[` + rule(1, `{"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":3}`) + `]}`, "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"no countUnit with days", `{"rules":[` + rule(1, `{"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":3}`) + `]}`, "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"hours", `{"rules":[` + rule(1, `{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"hours","countNumber":3}`) + `]}`, `instance value (hours) not found in enum :(possible values: ["days"])`},
		{"count 0", `{"rules":[` + rule(1, `{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":0}`) + `]}`, "numeric instance is lower than the required minimum (minimum: 1, found: 0)"},
		{"tagged without lists", `{"rules":[` + rule(1, `{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":3}`) + `]}`, "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."},
		{"untagged with list", `{"rules":[` + rule(1, `{"tagStatus":"untagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3}`) + `]}`, "tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED."},
		{"five wildcards", `{"rules":[` + rule(1, `{"tagStatus":"tagged","tagPatternList":["*a*b*c*d*"],"countType":"imageCountMoreThan","countNumber":3}`) + `]}`, "tagPatternList can contain at most 4 wildcards (*) per string: *a*b*c*d*"},
		{"duplicate priority", `{"rules":[` + rule(1, untagged) + "," + rule(1, `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3}`) + `]}`, "rulePriority must be unique: 1 is used by more than one rule."},
		{"two untagged", `{"rules":[` + rule(1, untagged) + "," + rule(2, untagged) + `]}`, "Only one rule can select Untagged images per storage class."},
		{"any first", `{"rules":[` + rule(1, `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3}`) + "," + rule(2, untagged) + `]}`, "Rule for tagStatus=ANY must have the lowest priority per storage class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLifecyclePolicy(tt.text)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAWSError(t, err, InvalidParameterException, policyPrefix+tt.want+"'")
		})
	}
	_, err := parseLifecyclePolicy(`{"rules":[{"rulePriority":1,"selection":` + untagged + `,"action":{"type":"transition","targetStorageClass":"archive"}}]}`)
	wantAWSError(t, err, "NotSimulated", "")
}

// lifecycleFixture pushes images one hour apart: name -> tags ("" untagged).
func lifecycleFixture(t *testing.T, images [][2]string) (*ECR, map[string]string) {
	t.Helper()
	r, s := newTestECR()
	mustCreate(t, r, "web", "")
	digests := map[string]string{}
	for i, im := range images {
		tags := strings.Split(im[1], ",")
		d := put(t, r, "web", i+1, tags[0])
		for _, tag := range tags[1:] {
			put(t, r, "web", i+1, tag)
		}
		digests[d] = im[0]
		advance(t, s, time.Hour)
	}
	return r, digests
}

func TestLifecycleEvaluation(t *testing.T) {
	images := [][2]string{
		{"a", "v1"}, {"b", "v2"}, {"c", ""}, {"d", "v3,prod-3"}, {"e", "v4"}, {"f", ""}, {"g", "dev-1"}, {"h", "v5"},
	}
	type want map[string]int // image name -> rule priority that expires it
	tests := []struct {
		name  string
		rules string
		age   time.Duration // extra time after the pushes
		want  want
	}{
		{"keep last 2 v-tagged", `{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}`,
			0, want{"a": 1, "b": 1, "d": 1}},
		{"pattern", `{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":4},"action":{"type":"expire"}}`,
			0, want{"a": 1}},
		{"every prefix must match", `{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v","prod"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}`,
			0, want{}},
		{"untagged after a day: not yet", `{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}`,
			0, want{}},
		{"untagged after a day", `{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}`,
			20 * time.Hour, want{"c": 1}}, // c is 25h old, f 22h
		{"untagged count", `{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}`,
			0, want{"c": 1}},
		// The any rule counts every image (8), newest first, and would expire
		// the 5 oldest; but images the prod rule selects (d) are protected
		// from a lower-priority rule.
		{"any protects higher selections", `{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}},
			{"rulePriority":9,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}`,
			0, want{"a": 9, "b": 9, "c": 9, "e": 9}},
		// Rule 1 expires a and b; rule 2 still counts them (v1..v5: 5 images,
		// keep 4 would expire a), but an image is expired once, by rule 1.
		{"lower rules still count expired images", `{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},
			{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":4},"action":{"type":"expire"}}`,
			0, want{"a": 1, "b": 1}},
		{"priorities need not be contiguous", `{"rulePriority":10,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
			{"rulePriority":20,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}`,
			20 * time.Hour, want{"c": 10, "a": 20, "b": 20, "d": 20}}, // e is exactly 24h old: not more than a day
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, names := lifecycleFixture(t, images)
			advance(t, r.sim, tt.age)
			rules, err := parseLifecyclePolicy(`{"rules":[` + tt.rules + `]}`)
			if err != nil {
				t.Fatal(err)
			}
			got := want{}
			for _, e := range evaluate(r.repos["web"], rules, r.sim.Now()) {
				got[names[e.image.digest]] = e.priority
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("expired %v, want %v", got, tt.want)
			}
		})
	}
}

const keepThreePolicy = `{"rules":[
 {"rulePriority":1,"description":"keep the last 3 releases","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},
 {"rulePriority":2,"description":"untagged after a day","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`

func TestLifecyclePreviewAndApplication(t *testing.T) {
	r, _ := lifecycleFixture(t, [][2]string{{"a", "v1"}, {"b", ""}, {"c", "v2"}, {"d", "v3"}, {"e", "v4"}, {"f", "v5"}})
	web := aws.String("web")
	_, err := r.GetLifecyclePolicy(&GetLifecyclePolicyRequest{RepositoryName: web})
	wantAWSError(t, err, LifecyclePolicyNotFoundException, "Lifecycle policy does not exist for the repository with name 'web' in the registry with id '123456789012'")
	_, err = r.StartLifecyclePolicyPreview(&StartLifecyclePolicyPreviewRequest{RepositoryName: web})
	wantAWSError(t, err, LifecyclePolicyNotFoundException, "")
	_, err = r.GetLifecyclePolicyPreview(&GetLifecyclePolicyPreviewRequest{RepositoryName: web})
	wantAWSError(t, err, LifecyclePolicyPreviewNotFoundException, "")

	start, err := r.StartLifecyclePolicyPreview(&StartLifecyclePolicyPreviewRequest{RepositoryName: web, LifecyclePolicyText: aws.String(keepThreePolicy)})
	if err != nil || *start.Status != "IN_PROGRESS" {
		t.Fatalf("start = %+v, %v", start, err)
	}
	preview, err := r.GetLifecyclePolicyPreview(&GetLifecyclePolicyPreviewRequest{RepositoryName: web})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range preview.PreviewResults {
		got = append(got, fmt.Sprintf("%v rule %d %s", p.ImageTags, *p.AppliedRulePriority, *p.Action.Type))
	}
	if want := []string{"[v1] rule 1 EXPIRE", "[v2] rule 1 EXPIRE"}; !reflect.DeepEqual(got, want) || *preview.Status != "COMPLETE" || *preview.Summary.ExpiringImageTotalCount != 2 {
		t.Errorf("preview = %v (%s, %d)", got, *preview.Status, *preview.Summary.ExpiringImageTotalCount)
	}
	// Nothing expired by a preview.
	if n := len(tagsByImage(t, r, "web")); n != 6 {
		t.Fatalf("%d images after the preview", n)
	}

	if _, err := r.PutLifecyclePolicy(&PutLifecyclePolicyRequest{RepositoryName: web, LifecyclePolicyText: aws.String(keepThreePolicy)}); err != nil {
		t.Fatal(err)
	}
	advance(t, r.sim, LifecycleFirstEvaluation-time.Second)
	if n := len(tagsByImage(t, r, "web")); n != 6 {
		t.Fatalf("images expired before the first evaluation: %d left", n)
	}
	advance(t, r.sim, time.Second)
	if got := tagsByImage(t, r, "web"); !reflect.DeepEqual(got, []string{"v3", "v4", "v5"}) {
		t.Errorf("after the first evaluation: %v", got)
	}
	pol, _ := r.GetLifecyclePolicy(&GetLifecyclePolicyRequest{RepositoryName: web})
	if pol.LastEvaluatedAt == nil || pol.LastEvaluatedAt.String() != "2025-01-02T06:00:00.000Z" {
		t.Errorf("lastEvaluatedAt = %v", pol.LastEvaluatedAt)
	}
	// A new release: the next daily evaluation keeps the last 3.
	put(t, r, "web", 7, "v6")
	advance(t, r.sim, LifecycleEvaluationInterval)
	if got := tagsByImage(t, r, "web"); !reflect.DeepEqual(got, []string{"v4", "v5", "v6"}) {
		t.Errorf("after the second evaluation: %v", got)
	}
	if _, err := r.DeleteLifecyclePolicy(&DeleteLifecyclePolicyRequest{RepositoryName: web}); err != nil {
		t.Fatal(err)
	}
	put(t, r, "web", 8, "v7")
	advance(t, r.sim, 3*LifecycleEvaluationInterval)
	if n := len(tagsByImage(t, r, "web")); n != 4 {
		t.Errorf("images expired after the policy was deleted: %d left", n)
	}
}
