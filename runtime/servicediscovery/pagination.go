package servicediscovery

import (
	"encoding/base64"
	"strings"
)

// Cloud Map's List operations return up to 100 items per page when
// MaxResults is absent [CloudMap-API:ListServices] ("If you don't specify a
// value for MaxResults, AWS Cloud Map returns up to 100 services"), and
// accept 1 to 100.
const defaultPageSize, maxPageSize = 100, 100

// paginate returns the page of keys (sorted: the listing order) after the
// token and the token of the next page (nil on the last). Tokens name the
// operation and the last key, opaque as AWS's are.
func paginate(op string, keys []string, maxResults *int, token *string) ([]string, *string, error) {
	size := defaultPageSize
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxPageSize {
			// text not verified
			return nil, nil, invalid("MaxResults must be between 1 and %d", maxPageSize)
		}
		size = *maxResults
	}
	start := 0
	if token != nil && *token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		parts := strings.SplitN(string(raw), "\x00", 2)
		if err != nil || len(parts) != 2 || parts[0] != op {
			// text not verified
			return nil, nil, invalid("Invalid NextToken")
		}
		for start < len(keys) && keys[start] <= parts[1] {
			start++
		}
	}
	end := min(start+size, len(keys))
	page := keys[start:end]
	if end < len(keys) && len(page) > 0 {
		next := base64.RawURLEncoding.EncodeToString([]byte(op + "\x00" + page[len(page)-1]))
		return page, &next, nil
	}
	return page, nil, nil
}
