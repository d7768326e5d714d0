package autoscaling

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// A page token names the operation and the key of the last item returned;
// the next page starts after that key. Keys sort in listing order, so a
// token stays valid when items come and go between calls. The encoding is
// opaque, as AWS's is.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	parts := strings.SplitN(string(raw), "\x00", 3)
	if err != nil || len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		// text not verified
		return "", awserr.New(InvalidNextToken, "The token '"+token+"' is invalid.")
	}
	return parts[2], nil
}

// pageKey makes a sortable key of a number.
func pageKey(n int) string { return fmt.Sprintf("%012d", n) }

// paginate returns the page of keys (sorted ascending: the listing order)
// after the token, and the token of the next page (nil on the last).
// MaxRecords defaults to def and may not exceed hi; the refusal is worded
// as AWS's request validation words constraint failures ("1 validation
// error detected: Value '200' at 'maxRecords' failed to satisfy
// constraint: ...", not verified for these operations).
func paginate(op string, keys []string, maxRecords *int, nextToken *string, def, hi int) ([]string, *string, error) {
	size := def
	if maxRecords != nil {
		switch n := *maxRecords; {
		case n > hi:
			return nil, nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to %d", n, hi)
		case n < 1:
			return nil, nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
		default:
			size = n
		}
	}
	start := 0
	if tok := aws.ToString(nextToken); tok != "" {
		last, err := decodeToken(op, tok)
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
		next = aws.String(encodeToken(op, keys[end-1]))
	}
	return page, next, nil
}
