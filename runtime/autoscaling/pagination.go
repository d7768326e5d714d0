package autoscaling

import (
	"fmt"

	"github.com/ecsbox/ecsbox/runtime/aws/pages"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// pageKey makes a sortable key of a number.
func pageKey(n int) string { return fmt.Sprintf("%012d", n) }

// paginate returns the page of keys (sorted ascending: the listing order)
// after the token, and the token of the next page (nil on the last). Tokens
// name the operation and the last key, opaque as AWS's are
// (runtime/aws/pages). MaxRecords defaults to def and may not exceed hi; the
// refusal is worded as AWS's request validation words constraint failures
// ("1 validation error detected: Value '200' at 'maxRecords' failed to
// satisfy constraint: ...", not verified for these operations).
func paginate(op string, keys []string, maxRecords *int, nextToken *string, def, hi int) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: def, Min: 1, Max: hi,
		BadSize: func(n int) error {
			if n > hi {
				return validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to %d", n, hi)
			}
			return validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
		},
		BadToken: func(token string) error {
			// text not verified
			return awserr.New(InvalidNextToken, "The token '"+token+"' is invalid.")
		},
	}.Page(op, keys, maxRecords, nextToken)
}
