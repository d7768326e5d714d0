package ec2

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// filterFunc returns the values a resource has for a filter name, and
// whether the resource type knows that filter at all.
type filterFunc func(name string) ([]string, bool)

// matchFilters reports whether a resource passes every filter. As in EC2,
// filters combine with AND, the values of one filter with OR, and values may
// use the wildcards * and ? [EC2-UG:Using_Filtering]. An unknown filter
// name is refused.
func matchFilters(filters []Filter, get filterFunc) (bool, error) {
	for _, f := range filters {
		name := aws.ToString(f.Name)
		have, known := get(name)
		if !known {
			// text not verified
			return false, invalidValue("The filter '%s' is invalid", name)
		}
		if !anyMatch(f.Values, have) {
			return false, nil
		}
	}
	return true, nil
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if p == h {
				return true
			}
			if strings.ContainsAny(p, "*?") {
				if ok, err := path.Match(escapeMatch(p), h); err == nil && ok {
					return true
				}
			}
		}
	}
	return false
}

// escapeMatch keeps the EC2 wildcards * and ? and makes every other
// character literal for path.Match (which also knows [ ] and \).
func escapeMatch(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tagFilter answers the tag filters every taggable resource shares:
// tag:<key>, tag-key and tag-value.
func tagFilter(tags map[string]string, name string) ([]string, bool) {
	if key, ok := strings.CutPrefix(name, "tag:"); ok {
		if v, has := tags[key]; has {
			return []string{v}, true
		}
		return nil, true
	}
	switch name {
	case "tag-key":
		return sortedKeys(tags), true
	case "tag-value":
		var vs []string
		for _, k := range sortedKeys(tags) {
			vs = append(vs, tags[k])
		}
		return vs, true
	}
	return nil, false
}

// apiTags returns tags as the API lists them, sorted by key.
func apiTags(tags map[string]string) []Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]Tag, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		out = append(out, Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolString(b bool) string { return strconv.FormatBool(b) }
