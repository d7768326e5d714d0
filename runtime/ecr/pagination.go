package ecr

import (
	"encoding/base64"
	"strings"
)

// A page token names the operation and the key of the last item returned,
// so pages stay stable when items come and go between calls. The encoding is
// opaque to callers, as AWS's is.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", badToken()
	}
	parts := strings.SplitN(string(raw), "\x00", 3)
	if len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		return "", badToken()
	}
	return parts[2], nil
}

func badToken() error {
	// text not verified
	return invalidParam("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'")
}

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
// previous page has gone since.
func paginate(op string, keys []string, maxResults *int, limit int, nextToken *string) ([]string, *string, error) {
	size := defaultPageSize
	if limit < defaultPageSize {
		size = limit
	}
	if maxResults != nil {
		if *maxResults > limit {
			return nil, nil, maxResultsError(limit)
		}
		if *maxResults >= 1 {
			size = *maxResults
		}
	}
	start := 0
	if nextToken != nil && *nextToken != "" {
		last, err := decodeToken(op, *nextToken)
		if err != nil {
			return nil, nil, err
		}
		start = len(keys)
		for i, k := range keys {
			if k > last {
				start = i
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
