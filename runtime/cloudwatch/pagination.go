package cloudwatch

import (
	"encoding/base64"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// A page token names the operation and the key of the last item returned;
// the next page starts after that key. Keys are listed in ascending order,
// so a token stays valid when items come and go between calls. The encoding
// is opaque, as CloudWatch's is.
func encodeToken(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeToken(op, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	parts := strings.SplitN(string(raw), "\x00", 3)
	if err != nil || len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		// InvalidNextToken: "The next token specified is invalid." is the
		// documentation of the error shape; the message text is not verified.
		return "", awserr.New(InvalidNextToken, "The next token specified is invalid.")
	}
	return parts[2], nil
}

// paginate returns the bounds of the page of keys (ascending) after the
// token and the token of the next page (nil on the last page).
func paginate(op string, keys []string, nextToken *string, size int) (start, end int, next *string, err error) {
	if tok := aws.ToString(nextToken); tok != "" {
		last, err := decodeToken(op, tok)
		if err != nil {
			return 0, 0, nil, err
		}
		start = len(keys)
		for i, k := range keys {
			if k > last {
				start = i
				break
			}
		}
	}
	end = min(start+size, len(keys))
	if end < len(keys) {
		t := encodeToken(op, keys[end-1])
		next = &t
	}
	return start, end, next, nil
}
