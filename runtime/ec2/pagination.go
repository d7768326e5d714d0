package ec2

import (
	"encoding/base64"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// A page token names the operation and the key of the last item returned;
// the next page starts after that key. Keys sort in listing order, so a
// token stays valid when items come and go between calls. The encoding is
// opaque, as EC2's is.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	parts := strings.SplitN(string(raw), "\x00", 3)
	if err != nil || len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		// text not verified
		return "", awserr.Newf(InvalidNextToken, "The token '%s' is invalid", token)
	}
	return parts[2], nil
}

// paginate returns the page of keys (sorted ascending, which is the listing
// order) after the token, and the token of the next page (nil on the last).
// EC2 accepts MaxResults from lo to hi and returns def items when it is
// absent.
func paginate(op string, keys []string, maxResults *int, nextToken *string, lo, hi, def int) ([]string, *string, error) {
	size := def
	if maxResults != nil {
		n := *maxResults
		switch {
		case n < lo:
			// "Value ( 1 ) for parameter maxResults is invalid. Expecting a
			// value greater than 5." (aws/aws-sdk-ruby#2575)
			return nil, nil, invalidValue("Value ( %d ) for parameter maxResults is invalid. Expecting a value greater than %d.", n, lo)
		case n > hi:
			// text not verified, by analogy with the above
			return nil, nil, invalidValue("Value ( %d ) for parameter maxResults is invalid. Expecting a value less than %d.", n, hi)
		}
		size = n
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
