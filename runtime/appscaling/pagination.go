package appscaling

import (
	"github.com/ecsbox/ecsbox/runtime/aws/pages"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// The Describe operations return at most 50 items per page when MaxResults is
// absent, and accept MaxResults between 1 and 50
// [AAS-API:DescribeScalableTargets] ("This value can be between 1 and 50. The
// default value is 50.").
const (
	defaultPageSize = 50
	maxPageSize     = 50
)

// paginate returns the page of keys (already in listing order) that follows
// the token, and the token of the next page (nil on the last page). Keys must
// be unique. Tokens name the operation and the last key (runtime/aws/pages);
// the page starts just after that key, and when that item has gone since,
// the listing ends (pages.Exact).
func paginate(op string, keys []string, maxResults *int, nextToken *string) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: defaultPageSize, Min: 1, Max: maxPageSize,
		BadSize: func(int) error {
			// text not verified; the range is [AAS-API:DescribeScalableTargets]
			return validation("MaxResults must be between 1 and %d", maxPageSize)
		},
		BadToken: func(string) error {
			// text not verified
			return awserr.New(InvalidNextTokenException, "Invalid NextToken")
		},
		Order: pages.Exact,
	}.Page(op, keys, maxResults, nextToken)
}
