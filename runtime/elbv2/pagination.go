package elbv2

import "github.com/ecsbox/ecsbox/runtime/aws/pages"

// The Describe operations page with Marker and PageSize: PageSize 1 to 400
// [ELB-API:DescribeLoadBalancers] ("Valid Range: Minimum value of 1.
// Maximum value of 400."), all items when it is absent. A marker names the
// operation and the key of the last item returned, opaque as AWS's is
// (runtime/aws/pages).
const maxPageSize = 400

// paginate returns the page of keys (sorted ascending: the listing order)
// after the marker, and the marker of the next page (nil on the last).
func paginate(op string, keys []string, pageSize *int, marker *string) ([]string, *string, error) {
	return pages.Pager{
		Tokens: pages.Standard, Min: 1, Max: maxPageSize,
		BadSize: func(n int) error { return rangeError("pageSize", n, 1, maxPageSize) },
		BadToken: func(marker string) error {
			// text not verified
			return validation("Invalid marker '%s'", marker)
		},
	}.Page(op, keys, pageSize, marker)
}
