package ecs

import "github.com/ecsbox/ecsbox/runtime/aws/pages"

// ECS list operations return at most 100 items per page when maxResults is
// absent, and accept maxResults between 1 and 100 [API:ListClustersRequest],
// [API:ListTaskDefinitionsRequest], [API:ListTaskDefinitionFamiliesRequest].
const (
	defaultPageSize = 100
	maxPageSize     = 100
)

// paginate returns the page of keys (already in listing order) that follows
// the token, and the token of the page after it (nil on the last page).
// after(a, b) reports whether key a comes after key b in the listing order.
// Tokens name the operation and the last key, opaque as AWS's are
// [API:ListClusters] (runtime/aws/pages).
func paginate(op string, keys []string, maxResults *int, nextToken *string, after func(a, b string) bool) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: defaultPageSize, Min: 1, Max: maxPageSize,
		BadSize: func(int) error {
			// text not verified; the range is [API:ListClustersRequest]
			return invalidParam("maxResults must be between 1 and %d.", maxPageSize)
		},
		BadToken: func(string) error {
			// text not verified
			return invalidParam("Invalid nextToken. Pass the nextToken value returned by the previous call of the same operation.")
		},
		Order: pages.After(after),
	}.Page(op, keys, maxResults, nextToken)
}

// ascending is the after function of listings sorted as strings.
func ascending(a, b string) bool { return a > b }
