package awsmodel

import (
	"regexp"
	"strings"
)

// The rules botocore's xform_name applies to turn an operation name into the
// boto3 method name (botocore/utils.py): a trailing run of capitals plus "s"
// (ARNs) is lowered as one word, then words are split at capitals.
var (
	specialCaseTransform = regexp.MustCompile(`[A-Z]{2,}s$`)
	firstCap             = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap               = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	partialRenames       = strings.NewReplacer("ipv_6", "ipv6")
)

// SnakeName returns the boto3 method name of an operation name:
// RegisterTaskDefinition becomes register_task_definition.
func SnakeName(name string) string {
	if strings.Contains(name, "_") {
		return name
	}
	if m := specialCaseTransform.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "_" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}_${2}")
	s = strings.ToLower(endCap.ReplaceAllString(s, "${1}_${2}"))
	return partialRenames.Replace(s)
}
