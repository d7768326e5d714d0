package logs

import (
	"encoding/base64"
	"strings"
)

// Describe operations return up to 50 items per page, and take a limit of 1
// to 50 (the model's DescribeLimit) [API:DescribeLogGroups].
const describeLimit = 50

// A page token names the operation and the key of the last item returned:
// the next page starts after that key in the listing's order, so pages stay
// stable when items come and go between calls. The encoding is opaque to
// callers, as AWS's is.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox-logs1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", badToken()
	}
	parts := strings.SplitN(string(raw), "\x00", 3)
	if len(parts) != 3 || parts[0] != "ecsbox-logs1" || parts[1] != op {
		return "", badToken()
	}
	return parts[2], nil
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
	start := 0
	if nextToken != nil && *nextToken != "" {
		last, err := decodeToken(op, *nextToken)
		if err != nil {
			return nil, nil, err
		}
		start = len(keys)
		for i, k := range keys {
			if after(k, last) {
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

func ascending(a, b string) bool  { return a > b }
func descending(a, b string) bool { return a < b }
