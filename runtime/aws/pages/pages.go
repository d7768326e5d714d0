// Package pages cuts the listings of every simulated service into pages.
//
// A page token (NextToken, Marker) names the operation and the key of the
// last item returned, and the next page starts after that key in the
// listing's order. Keying on the item rather than on an offset keeps pages
// stable when items come and go between calls, and makes a token a pure
// function of the listing. Tokens are opaque to callers, as AWS's are.
//
// The package knows no service. What differs between services is a
// parameter of a Pager: the token format, the page sizes, the refusals
// (each service words them its own way, and those texts stay in the
// service beside their citations) and the listing order.
package pages

import (
	"encoding/base64"
	"strings"
)

// A Format is the layout of a service's tokens: Magic, NUL, the operation,
// NUL, the last key, in unpadded URL-safe base64. An empty Magic leaves out
// the first field and its NUL.
type Format struct {
	Magic string
}

// Standard is the format of the tokens of every service but CloudWatch
// Logs ("ecsbox-logs1") and Cloud Map (no magic).
var Standard = Format{Magic: "ecsbox1"}

func (f Format) header(op string) string {
	if f.Magic == "" {
		return op + "\x00"
	}
	return f.Magic + "\x00" + op + "\x00"
}

// Encode returns the token of the page after lastKey in op's listing.
func (f Format) Encode(op, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(f.header(op) + lastKey))
}

// Decode returns the last key a token of op names; ok is false when the
// token was not made by Encode for op (a token of another operation is no
// token of this one).
func (f Format) Decode(op, token string) (lastKey string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	lastKey, ok = strings.CutPrefix(string(raw), f.header(op))
	if !ok {
		return "", false
	}
	return lastKey, true
}

// An Order says where the page after a token starts: the index in keys
// (in listing order) of the first key that follows last, or len(keys).
type Order func(keys []string, last string) int

// After is the order in which after(a, b) reports whether key a comes
// after key b. The page starts at the first key after last, so a token
// still works when the item it names has gone since.
func After(after func(a, b string) bool) Order {
	return func(keys []string, last string) int {
		for i, k := range keys {
			if after(k, last) {
				return i
			}
		}
		return len(keys)
	}
}

// Ascending and Descending are the orders of keys sorted as strings.
var (
	Ascending  = After(func(a, b string) bool { return a > b })
	Descending = After(func(a, b string) bool { return a < b })
)

// Exact starts the page just after the key the token names. When that item
// has gone since, nothing after it can be told apart, so the listing ends
// (an item removed between pages is the caller's race).
func Exact(keys []string, last string) int {
	for i, k := range keys {
		if k == last {
			return i + 1
		}
	}
	return len(keys)
}

// A Pager cuts one operation's listings into pages.
type Pager struct {
	// Tokens is the service's token format.
	Tokens Format
	// Default is the page size when the request asks none; 0 puts every
	// key on one page.
	Default int
	// Min and Max bound the page size a request may ask; a Min of 0 is
	// read as 1.
	Min, Max int
	// BadSize returns the service's refusal of a requested size outside
	// [Min, Max]. A nil BadSize, or a nil refusal, takes the request as if
	// it asked no size.
	BadSize func(n int) error
	// BadToken returns the service's refusal of a token that Tokens did not
	// make for the operation. It must be set.
	BadToken func(token string) error
	// Order finds where a page starts after a token; nil is Ascending.
	Order Order
}

// LastKey returns the last key a token of op names, or the BadToken
// refusal.
func (p Pager) LastKey(op, token string) (string, error) {
	last, ok := p.Tokens.Decode(op, token)
	if !ok {
		return "", p.BadToken(token)
	}
	return last, nil
}

// Cut returns the bounds of the page of keys (in listing order) that
// follows token, and the token of the page after it (nil on the last page).
// size is the page size the request asks (nil: Default); an absent or empty
// token asks for the first page. The size is checked before the token.
func (p Pager) Cut(op string, keys []string, size *int, token *string) (start, end int, next *string, err error) {
	n := p.Default
	if n == 0 {
		n = len(keys)
	}
	if size != nil {
		if *size < max(p.Min, 1) || *size > p.Max {
			if p.BadSize != nil {
				if err := p.BadSize(*size); err != nil {
					return 0, 0, nil, err
				}
			}
		} else {
			n = *size
		}
	}
	if token != nil && *token != "" {
		last, err := p.LastKey(op, *token)
		if err != nil {
			return 0, 0, nil, err
		}
		order := p.Order
		if order == nil {
			order = Ascending
		}
		start = min(max(order(keys, last), 0), len(keys))
	}
	end = min(start+n, len(keys))
	if end < len(keys) && end > start {
		t := p.Tokens.Encode(op, keys[end-1])
		next = &t
	}
	return start, end, next, nil
}

// Page is Cut returning the page's keys, a copy the caller may keep.
func (p Pager) Page(op string, keys []string, size *int, token *string) ([]string, *string, error) {
	start, end, next, err := p.Cut(op, keys, size, token)
	if err != nil {
		return nil, nil, err
	}
	return append([]string{}, keys[start:end]...), next, nil
}
