package ecr

import "github.com/ecsbox/ecsbox/runtime/aws/pages"

// maxResultsError is the refusal of a maxResults above the model's maximum
// (botocore checks the minimum only). The "Invalid parameter at ... failed to
// satisfy constraint" form is ECR's, as users quote it for imageIds
// (fujiwara/ecrm#3: "'Member must have length less than or equal to 100'").
func maxResultsError(limit int) error {
	return invalidParam("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to %d'", limit)
}

// paginate returns the page of keys that follows the token, and the token of
// the page after it (nil on the last page). Keys sort as strings in listing
// order, so a page still starts in the right place when the last key of the
// previous page has gone since. Tokens name the operation and the last key,
// opaque as AWS's are (runtime/aws/pages). A maxResults below 1 (which
// botocore refuses before it gets here) reads as absent.
func paginate(op string, keys []string, maxResults *int, limit int, nextToken *string) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: min(defaultPageSize, limit), Min: 1, Max: limit,
		BadSize: func(n int) error {
			if n > limit {
				return maxResultsError(limit)
			}
			return nil
		},
		BadToken: func(string) error {
			// text not verified
			return invalidParam("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'")
		},
	}.Page(op, keys, maxResults, nextToken)
}
