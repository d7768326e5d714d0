package ecs

import (
	"strings"
	"unicode/utf8"
)

// Tag limits of every taggable ECS resource [API:Tag]: at most 50 tags, keys
// of 1 to 128 characters, values of up to 256, unique keys, and no "aws:"
// prefix (reserved for AWS) in any case.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// validateTags refuses what the tag rules of [API:Tag] forbid.
func validateTags(tags []Tag) error {
	if len(tags) > maxTags {
		// text not verified
		return invalidParam("Too many tags. A resource can have at most %d tags.", maxTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		key := deref(t.Key)
		if key == "" || utf8.RuneCountInString(key) > maxTagKeyLen {
			// text not verified
			return invalidParam("Tag keys must be between 1 and %d characters.", maxTagKeyLen)
		}
		if utf8.RuneCountInString(deref(t.Value)) > maxTagValueLen {
			// text not verified
			return invalidParam("Tag values must be at most %d characters.", maxTagValueLen)
		}
		if strings.HasPrefix(strings.ToLower(key), "aws:") {
			// text not verified
			return invalidParam("Tag keys cannot start with the reserved prefix 'aws:'.")
		}
		if seen[key] {
			// text not verified
			return invalidParam("Duplicate tag key '%s'. Each tag key must be unique.", key)
		}
		seen[key] = true
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
