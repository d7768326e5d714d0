package ecr

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Lifecycle policy documents [ECR-UG:lifecycle_policy_parameters]:
//
//	{"rules": [{"rulePriority": 1, "description": "...",
//	            "selection": {"tagStatus": "tagged|untagged|any",
//	                          "tagPrefixList": [...], "tagPatternList": [...],
//	                          "countType": "imageCountMoreThan|sinceImagePushed",
//	                          "countUnit": "days", "countNumber": 30},
//	            "action": {"type": "expire"}}]}
//
// ECR validates a document against a JSON schema first and reports schema
// violations in the words of its validator ("object has missing required
// properties", "instance failed to match exactly one schema (matched 0 out of
// 2)"), then checks the rules against each other.

// lifecycleRule is one validated rule.
type lifecycleRule struct {
	priority    int
	description string
	tagStatus   string // tagged | untagged | any
	prefixes    []string
	patterns    []string
	countType   string // imageCountMoreThan | sinceImagePushed
	countNumber int
}

const (
	maxLifecyclePolicyLength = 30720 // [ECR-API:LifecyclePolicyText]; botocore checks the minimum, 100
	maxWildcardsPerPattern   = 4     // [ECR-UG:lifecycle_policy_parameters]
)

// policyError is a refusal of a lifecycle policy document, in the form ECR
// gives them all (cloudposse/terraform-aws-ecr#158, getmoto/moto's
// EcrLifecyclePolicyValidator, and users' reports of the rule checks).
func policyError(format string, args ...any) error {
	return awserr.Newf(InvalidParameterException, "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: %s'", fmt.Sprintf(format, args...))
}

// jsonList renders names as the schema validator lists them: ["a","b"].
func jsonList(names []string) string {
	sort.Strings(names)
	b, _ := json.Marshal(names)
	return string(b)
}

// jsonType names the JSON type of a decoded value as the validator does.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return "number"
		}
		return "integer"
	}
	return "unknown"
}

// checkObject checks that v is an object with every required property and
// no property outside allowed.
func checkObject(v any, required, allowed []string) (map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["object"])`, jsonType(v))
	}
	var missing, extra []string
	for _, r := range required {
		if _, ok := obj[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, policyError("object has missing required properties (%s)", jsonList(missing))
	}
	for k := range obj {
		if !oneOf(k, allowed) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		return nil, policyError("object instance has properties which are not allowed by the schema: (%s)", jsonList(extra))
	}
	return obj, nil
}

func positiveInt(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok || jsonType(v) != "integer" {
		return 0, policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["integer"])`, jsonType(v))
	}
	i, err := n.Int64()
	if err != nil || i < 1 {
		return 0, policyError("numeric instance is lower than the required minimum (minimum: 1, found: %s)", n)
	}
	return int(i), nil
}

func stringEnum(v any, allowed []string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["string"])`, jsonType(v))
	}
	if !oneOf(s, allowed) {
		return "", policyError("instance value (%s) not found in enum :(possible values: %s)", s, jsonList(append([]string{}, allowed...)))
	}
	return s, nil
}

func stringList(v any) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["array"])`, jsonType(v))
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["string"])`, jsonType(e))
		}
		out = append(out, s)
	}
	return out, nil
}

// parseLifecyclePolicy validates a lifecycle policy document and returns its
// rules in priority order.
func parseLifecyclePolicy(text string) ([]lifecycleRule, error) {
	if len(text) > maxLifecyclePolicyLength {
		return nil, invalidParam("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length less than or equal to %d'", maxLifecyclePolicyLength)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil || dec.More() {
		return nil, policyError("Could not map policyString into LifecyclePolicy.")
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, policyError("Could not map policyString into LifecyclePolicy.")
	}
	rawRules, ok := top["rules"]
	if !ok {
		return nil, policyError(`object has missing required properties (["rules"])`)
	}
	list, ok := rawRules.([]any)
	if !ok {
		return nil, policyError(`instance type (%s) does not match any allowed primitive type (allowed: ["array"])`, jsonType(rawRules))
	}
	if len(list) == 0 {
		// text not verified (the validator's wording for minItems)
		return nil, policyError("array is too short: must have at least 1 elements but instance has 0 elements")
	}
	var rules []lifecycleRule
	for _, raw := range list {
		rule, err := parseRule(raw)
		if err != nil {
			return nil, err
		}
		rules = append(rules, rule)
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].priority < rules[j].priority })
	return rules, checkRuleSet(rules)
}

// parseRule validates one rule against the schema.
func parseRule(raw any) (lifecycleRule, error) {
	var rule lifecycleRule
	obj, err := checkObject(raw, []string{"action", "rulePriority", "selection"}, []string{"action", "description", "rulePriority", "selection"})
	if err != nil {
		return rule, err
	}
	if rule.priority, err = positiveInt(obj["rulePriority"]); err != nil {
		return rule, err
	}
	if d, ok := obj["description"].(string); ok {
		rule.description = d
	}
	action, err := checkObject(obj["action"], []string{"type"}, []string{"targetStorageClass", "type"})
	if err != nil {
		return rule, err
	}
	typ, err := stringEnum(action["type"], []string{"expire", "transition"})
	if err != nil {
		return rule, err
	}
	if typ != "expire" {
		return rule, awserr.New(awserr.NotSimulated, "ecsbox does not simulate lifecycle rules with action type transition (ECR archive) yet; use expire")
	}
	sel, err := checkObject(obj["selection"], []string{"countNumber", "countType", "tagStatus"},
		[]string{"countNumber", "countType", "countUnit", "tagPatternList", "tagPrefixList", "tagStatus"})
	if err != nil {
		return rule, err
	}
	if rule.tagStatus, err = stringEnum(sel["tagStatus"], []string{"any", "tagged", "untagged"}); err != nil {
		return rule, err
	}
	// countType selects one of two sub-schemas: imageCountMoreThan without
	// countUnit, sinceImagePushed with countUnit "days". Anything else
	// matches neither (the verified text of cloudposse/terraform-aws-ecr#158).
	countType, _ := sel["countType"].(string)
	unit, hasUnit := sel["countUnit"]
	switch {
	case countType == "imageCountMoreThan" && !hasUnit:
	case countType == "sinceImagePushed" && hasUnit:
		if _, err := stringEnum(unit, []string{"days"}); err != nil {
			return rule, err
		}
	default:
		return rule, policyError("instance failed to match exactly one schema (matched 0 out of 2)")
	}
	rule.countType = countType
	if rule.countNumber, err = positiveInt(sel["countNumber"]); err != nil {
		return rule, err
	}
	if v, ok := sel["tagPrefixList"]; ok {
		if rule.prefixes, err = stringList(v); err != nil {
			return rule, err
		}
	}
	if v, ok := sel["tagPatternList"]; ok {
		if rule.patterns, err = stringList(v); err != nil {
			return rule, err
		}
	}
	switch rule.tagStatus {
	case "tagged":
		if len(rule.prefixes) == 0 && len(rule.patterns) == 0 {
			// as users quote it (a deployment runbook on GitHub); the wrapper is assumed
			return rule, policyError("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
		}
	default:
		if len(rule.prefixes) > 0 || len(rule.patterns) > 0 {
			// text not verified
			return rule, policyError("tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.")
		}
	}
	for _, p := range rule.patterns {
		if strings.Count(p, "*") > maxWildcardsPerPattern {
			// text not verified; the limit is [ECR-UG:lifecycle_policy_parameters]
			return rule, policyError("tagPatternList can contain at most %d wildcards (*) per string: %s", maxWildcardsPerPattern, p)
		}
	}
	return rule, nil
}

// checkRuleSet applies the checks across rules: unique priorities, one
// untagged rule, the any rule last.
func checkRuleSet(rules []lifecycleRule) error {
	untagged := 0
	for i, r := range rules {
		if i > 0 && rules[i-1].priority == r.priority {
			// text not verified; uniqueness is [ECR-UG:lifecycle_policy_parameters]
			return policyError("rulePriority must be unique: %d is used by more than one rule.", r.priority)
		}
		if r.tagStatus == "untagged" {
			untagged++
		}
		if r.tagStatus == "any" && i != len(rules)-1 {
			// verified wording of the current service (a deployment guide on GitHub)
			return policyError("Rule for tagStatus=ANY must have the lowest priority per storage class")
		}
	}
	if untagged > 1 {
		// aws-samples/amazon-ecr-kms-replication notes, and a later "per storage
		// class" form of the same text (project-planton issue); the later form
		return policyError("Only one rule can select Untagged images per storage class.")
	}
	return nil
}
