package servicediscovery

import "github.com/ecsbox/ecsbox/runtime/aws/pages"

// Cloud Map's List operations return up to 100 items per page when
// MaxResults is absent [CloudMap-API:ListServices] ("If you don't specify a
// value for MaxResults, AWS Cloud Map returns up to 100 services"), and
// accept 1 to 100.
const defaultPageSize, maxPageSize = 100, 100

// paginate returns the page of keys (sorted: the listing order) after the
// token and the token of the next page (nil on the last). Tokens name the
// operation and the last key, opaque as AWS's are; Cloud Map's carry no
// magic (runtime/aws/pages).
func paginate(op string, keys []string, maxResults *int, token *string) ([]string, *string, error) {
	return pages.Pager{
		Default: defaultPageSize, Min: 1, Max: maxPageSize,
		BadSize: func(int) error {
			// text not verified
			return invalid("MaxResults must be between 1 and %d", maxPageSize)
		},
		BadToken: func(string) error {
			// text not verified
			return invalid("Invalid NextToken")
		},
	}.Page(op, keys, maxResults, token)
}
