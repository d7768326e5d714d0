package appscaling

import (
	"encoding/base64"
	"strings"

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

// A page token names the operation and the key of the last item returned; the
// next page starts after that key. Keying on the item rather than an offset
// keeps pages stable when items come and go between calls.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		parts := strings.SplitN(string(raw), "\x00", 3)
		if len(parts) == 3 && parts[0] == "ecsbox1" && parts[1] == op {
			return parts[2], nil
		}
	}
	// text not verified
	return "", awserr.New(InvalidNextTokenException, "Invalid NextToken")
}

// paginate returns the page of keys (already in listing order) that follows
// the token, and the token of the next page (nil on the last page). Keys must
// be unique.
func paginate(op string, keys []string, maxResults *int, nextToken *string) ([]string, *string, error) {
	size := defaultPageSize
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxPageSize {
			// text not verified; the range is [AAS-API:DescribeScalableTargets]
			return nil, nil, validation("MaxResults must be between 1 and %d", maxPageSize)
		}
		size = *maxResults
	}
	start := 0
	if nextToken != nil && *nextToken != "" {
		last, err := decodeToken(op, *nextToken)
		if err != nil {
			return nil, nil, err
		}
		// The page starts after the last key returned; when that item has
		// gone since, nothing after it can be told apart, so the listing
		// ends (an item removed between pages is the caller's race).
		start = len(keys)
		for i, k := range keys {
			if k == last {
				start = i + 1
				break
			}
		}
	}
	end := min(start+size, len(keys))
	page := append([]string{}, keys[start:end]...)
	var next *string
	if end < len(keys) {
		t := encodeToken(op, keys[end-1])
		next = &t
	}
	return page, next, nil
}
