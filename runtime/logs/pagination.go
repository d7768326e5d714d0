package logs

import "github.com/ecsbox/ecsbox/runtime/aws/pages"

// Describe operations return up to 50 items per page, and take a limit of 1
// to 50 (the model's DescribeLimit) [API:DescribeLogGroups].
const describeLimit = 50

// tokens are CloudWatch Logs' own page tokens (runtime/aws/pages): they name
// the operation and the key of the last item returned, opaque as AWS's are.
var tokens = pages.Format{Magic: "ecsbox-logs1"}

func encodeToken(op, lastKey string) string { return tokens.Encode(op, lastKey) }

func decodeToken(op, token string) (string, error) {
	last, ok := tokens.Decode(op, token)
	if !ok {
		return "", badToken()
	}
	return last, nil
}

// badToken is what moto returns for a token it cannot read, after AWS
// (moto tests assert "The specified nextToken is invalid."); text not
// verified against AWS.
func badToken() error {
	return invalidParam("The specified nextToken is invalid.")
}

// paginate returns the page of keys (already in listing order) that follows
// the token, and the token of the page after it (nil on the last page).
// after(a, b) reports whether key a comes after key b in the listing order.
func paginate(op string, keys []string, size int, nextToken *string, after func(a, b string) bool) ([]string, *string, error) {
	return pages.Pager{
		Tokens: tokens, Default: size,
		BadToken: func(string) error { return badToken() },
		Order:    pages.After(after),
	}.Page(op, keys, nil, nextToken)
}

func ascending(a, b string) bool  { return a > b }
func descending(a, b string) bool { return a < b }
