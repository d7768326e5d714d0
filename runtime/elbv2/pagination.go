package elbv2

import (
	"encoding/base64"
	"strings"
)

// The Describe operations page with Marker and PageSize: PageSize 1 to 400
// [ELB-API:DescribeLoadBalancers] ("Valid Range: Minimum value of 1.
// Maximum value of 400."), all items when it is absent. A marker names the
// operation and the key of the last item returned, opaque as AWS's is.
const maxPageSize = 400

func encodeMarker(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecsbox1\x00" + op + "\x00" + lastKey))
}

func decodeMarker(op, marker string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(marker)
	parts := strings.SplitN(string(raw), "\x00", 3)
	if err != nil || len(parts) != 3 || parts[0] != "ecsbox1" || parts[1] != op {
		// text not verified
		return "", validation("Invalid marker '%s'", marker)
	}
	return parts[2], nil
}

// paginate returns the page of keys (sorted ascending: the listing order)
// after the marker, and the marker of the next page (nil on the last).
func paginate(op string, keys []string, pageSize *int, marker *string) ([]string, *string, error) {
	size := len(keys)
	if pageSize != nil {
		if *pageSize < 1 || *pageSize > maxPageSize {
			return nil, nil, rangeError("pageSize", *pageSize, 1, maxPageSize)
		}
		size = *pageSize
	}
	start := 0
	if marker != nil && *marker != "" {
		last, err := decodeMarker(op, *marker)
		if err != nil {
			return nil, nil, err
		}
		for start < len(keys) && keys[start] <= last {
			start++
		}
	}
	end := min(start+size, len(keys))
	page := keys[start:end]
	if end < len(keys) && len(page) > 0 {
		next := encodeMarker(op, page[len(page)-1])
		return page, &next, nil
	}
	return page, nil, nil
}
