package iam

import (
	"github.com/ecsbox/ecsbox/runtime/aws/pages"
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

// page returns the bounds of the page of keys (in listing order) that
// follows marker, and the marker of the page after it (nil on the last
// page). A marker names the operation and the key of the last item
// returned, opaque as AWS's markers are (runtime/aws/pages). When the item
// a marker names has been deleted since, the listing ends there (an empty
// last page): ecsbox's documented choice.
func page(op string, keys []string, marker *string, maxItems *int) (start, end int, next *string, err error) {
	return pages.Pager{
		Tokens: pages.Standard, Default: defaultMaxItems, Min: 1, Max: maxMaxItems,
		BadSize: func(n int) error {
			// standard validation wording; text not verified for IAM
			return awserr.Newf(ValidationError, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", n, maxMaxItems)
		},
		BadToken: func(string) error {
			// text not verified
			return awserr.Newf(ValidationError, "Invalid Marker.")
		},
		Order: pages.Exact,
	}.Cut(op, keys, maxItems, marker)
}
