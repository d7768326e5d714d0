package ecs

import (
	"encoding/base64"
	"strings"
)

// ECS list operations return at most 100 items per page when maxResults is
// absent, and accept maxResults between 1 and 100 [API:ListClustersRequest],
// [API:ListTaskDefinitionsRequest], [API:ListTaskDefinitionFamiliesRequest].
const (
	defaultPageSize = 100
	maxPageSize     = 100
)

// A page token names the operation and the key of the last item returned:
// the next page starts after that key in the listing's order. Keying on the
// item (not an offset) keeps pages stable when items are added or removed
// between calls, and the token is deterministic for a given listing. The
// encoding is opaque to callers, as AWS's is [API:ListClusters].
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
	return invalidParam("Invalid nextToken. Pass the nextToken value returned by the previous call of the same operation.")
}

// paginate returns the page of keys (already in listing order) that follows
// the token, and the token of the page after it (nil on the last page).
// after(a, b) reports whether key a comes after key b in the listing order.
func paginate(op string, keys []string, maxResults *int, nextToken *string, after func(a, b string) bool) ([]string, *string, error) {
	size := defaultPageSize
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxPageSize {
			// text not verified; the range is [API:ListClustersRequest]
			return nil, nil, invalidParam("maxResults must be between 1 and %d.", maxPageSize)
		}
		size = *maxResults
	}
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

// ascending is the after function of listings sorted as strings.
func ascending(a, b string) bool { return a > b }
