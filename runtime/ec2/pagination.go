package ec2

import (
	"github.com/ecsbox/ecsbox/runtime/aws/pages"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// paginate returns the page of keys (sorted ascending, which is the listing
// order) after the token, and the token of the next page (nil on the last).
// Tokens name the operation and the last key, opaque as EC2's are
// (runtime/aws/pages). EC2 accepts MaxResults from lo to hi and returns def
// items when it is absent.
func paginate(op string, keys []string, maxResults *int, nextToken *string, lo, hi, def int) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: def, Min: lo, Max: hi,
		BadSize: func(n int) error {
			if n < lo {
				// "Value ( 1 ) for parameter maxResults is invalid. Expecting a
				// value greater than 5." (aws/aws-sdk-ruby#2575)
				return invalidValue("Value ( %d ) for parameter maxResults is invalid. Expecting a value greater than %d.", n, lo)
			}
			// text not verified, by analogy with the above
			return invalidValue("Value ( %d ) for parameter maxResults is invalid. Expecting a value less than %d.", n, hi)
		},
		BadToken: func(token string) error {
			// text not verified
			return awserr.Newf(InvalidNextToken, "The token '%s' is invalid", token)
		},
	}.Page(op, keys, maxResults, nextToken)
}
