package iam

import (
	"encoding/base64"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// IAM list operations return 100 items when MaxItems is absent, and accept
// MaxItems from 1 to 1000 [IAM-API:ListRoles] (service-2.json maxItemsType).
// When more items remain, the response has IsTruncated true and a Marker to
// pass back; the last page has IsTruncated false and no Marker.
const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
)

// A marker names the operation and the key of the last item returned: the
// next page starts after that item, so pages stay stable when other items
// are added or removed between calls. The encoding is opaque, as AWS's
// markers are.
func encodeMarker(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeMarker(op, marker string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil {
		return "", false
	}
	parts := strings.SplitN(string(raw), "\x00", 3)
	if len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		return "", false
	}
	return parts[2], true
}

// page returns the bounds of the page of keys (in listing order) that
// follows marker, and the marker of the page after it (nil on the last
// page). When the item a marker names has been deleted since, the listing
// ends there (an empty last page): ecsbox's documented choice.
func page(op string, keys []string, marker *string, maxItems *int) (start, end int, next *string, err error) {
	size := defaultMaxItems
	if maxItems != nil {
		if *maxItems < 1 || *maxItems > maxMaxItems {
			// standard validation wording; text not verified for IAM
			return 0, 0, nil, awserr.Newf(ValidationError, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", *maxItems, maxMaxItems)
		}
		size = *maxItems
	}
	if marker != nil && *marker != "" {
		last, ok := decodeMarker(op, *marker)
		if !ok {
			// text not verified
			return 0, 0, nil, awserr.Newf(ValidationError, "Invalid Marker.")
		}
		start = len(keys)
		for k, key := range keys {
			if key == last {
				start = k + 1
				break
			}
		}
	}
	end = min(start+size, len(keys))
	if end < len(keys) {
		m := encodeMarker(op, keys[end-1])
		next = &m
	}
	return start, end, next, nil
}
