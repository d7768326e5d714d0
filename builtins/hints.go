package builtins

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// unknownParameter is botocore's line for a member the shape does not have
// (runtime/awsmodel/validate.go words it as botocore does).
var unknownParameter = regexp.MustCompile(`^Unknown parameter in .*: "(.*)", must be one of: (.*)$`)

// withSpellingHints appends to each of botocore's "Unknown parameter" lines
// the closest valid member, if one is close enough:
//
//	Unknown parameter in input: "clusterNme", must be one of: clusterName, tags, ... (did you mean "clusterName"?)
//
// botocore's words stay intact before the hint, so what users search for
// still matches.
func withSpellingHints(err error) error {
	var aerr *awserr.Error
	if !errors.As(err, &aerr) || aerr.Code != awsmodel.ParamValidationError {
		return err
	}
	lines := strings.Split(aerr.Message, "\n")
	changed := false
	for i, line := range lines {
		m := unknownParameter.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if s := closest(m[1], strings.Split(m[2], ", ")); s != "" {
			lines[i] = fmt.Sprintf("%s (did you mean %q?)", line, s)
			changed = true
		}
	}
	if !changed {
		return err
	}
	return awserr.New(aerr.Code, strings.Join(lines, "\n"))
}

// closest returns the candidate nearest to name by edit distance, ignoring
// case, or "" when none is near enough to be a likely typo: at most a third
// of name's length (and at least 2) edits away. Ties go to the earlier
// candidate.
func closest(name string, candidates []string) string {
	limit := max(2, len(name)/3)
	best, bestD := "", limit+1
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := editDistance(lower, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
