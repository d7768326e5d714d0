package cloudwatch

import (
	"github.com/ecsbox/ecsbox/runtime/aws/pages"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// pager cuts CloudWatch's listings (keys ascending) into pages. A token
// names the operation and the key of the last item returned, opaque as
// CloudWatch's is (runtime/aws/pages).
var pager = pages.Pager{
	Tokens: pages.Standard,
	BadToken: func(string) error {
		// InvalidNextToken: "The next token specified is invalid." is the
		// documentation of the error shape; the message text is not verified.
		return awserr.New(InvalidNextToken, "The next token specified is invalid.")
	},
}

func encodeToken(op, lastKey string) string { return pager.Tokens.Encode(op, lastKey) }

func decodeToken(op, token string) (string, error) { return pager.LastKey(op, token) }

// paginate returns the bounds of the page of keys (ascending) after the
// token and the token of the next page (nil on the last page).
func paginate(op string, keys []string, nextToken *string, size int) (start, end int, next *string, err error) {
	p := pager
	p.Default = size
	return p.Cut(op, keys, nil, nextToken)
}
