package pages

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The tokens services have always handed out: a service moving onto this
// package must keep them byte for byte, so a token from before still works.
func TestFormatEncodeGolden(t *testing.T) {
	for _, tc := range []struct {
		f           Format
		op, lastKey string
		want        string
	}{
		{Standard, "ListClusters", "arn:aws:ecs:us-east-1:123456789012:cluster/b", "ZWNzYm94MQBMaXN0Q2x1c3RlcnMAYXJuOmF3czplY3M6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpjbHVzdGVyL2I"},
		{Format{Magic: "ecsbox-logs1"}, "DescribeLogGroups", "/g/2", "ZWNzYm94LWxvZ3MxAERlc2NyaWJlTG9nR3JvdXBzAC9nLzI"},
		{Format{}, "ListServices", "srv-1", "TGlzdFNlcnZpY2VzAHNydi0x"},
	} {
		if got := tc.f.Encode(tc.op, tc.lastKey); got != tc.want {
			t.Errorf("%q.Encode(%q, %q) = %q, want %q", tc.f.Magic, tc.op, tc.lastKey, got, tc.want)
		}
		if last, ok := tc.f.Decode(tc.op, tc.want); !ok || last != tc.lastKey {
			t.Errorf("%q.Decode(%q) = %q, %v, want %q", tc.f.Magic, tc.want, last, ok, tc.lastKey)
		}
	}
}

func TestFormatDecode(t *testing.T) {
	logs := Format{Magic: "ecsbox-logs1"}
	for _, tc := range []struct {
		name  string
		f     Format
		token string
		last  string
		ok    bool
	}{
		{"round trip", Standard, Standard.Encode("Op", "k"), "k", true},
		{"empty key", Standard, Standard.Encode("Op", ""), "", true},
		{"key with NUL", Standard, Standard.Encode("Op", "a\x00b"), "a\x00b", true},
		{"no magic", Format{}, Format{}.Encode("Op", "a\x00b"), "a\x00b", true},
		{"other operation", Standard, Standard.Encode("Other", "k"), "", false},
		{"operation prefix", Standard, Standard.Encode("OpX", "k"), "", false},
		{"other magic", Standard, logs.Encode("Op", "k"), "", false},
		{"magic token read without magic", Format{}, Standard.Encode("Op", "k"), "", false},
		{"not base64", Standard, "!!", "", false},
		{"padded base64", Standard, Standard.Encode("Op", "k") + "=", "", false},
		{"header only, no NUL", Standard, "ZWNzYm94MQBPcA", "", false}, // "ecsbox1\x00Op"
		{"empty", Standard, "", "", false},
	} {
		last, ok := tc.f.Decode("Op", tc.token)
		if last != tc.last || ok != tc.ok {
			t.Errorf("%s: Decode(%q) = %q, %v, want %q, %v", tc.name, tc.token, last, ok, tc.last, tc.ok)
		}
	}
}

func TestOrders(t *testing.T) {
	up := []string{"a", "c", "e"}
	down := []string{"e", "c", "a"}
	for _, tc := range []struct {
		name  string
		order Order
		keys  []string
		last  string
		want  int
	}{
		{"ascending, present", Ascending, up, "a", 1},
		{"ascending, gone", Ascending, up, "b", 1},
		{"ascending, before all", Ascending, up, "", 0},
		{"ascending, last", Ascending, up, "e", 3},
		{"ascending, past the end", Ascending, up, "z", 3},
		{"descending, present", Descending, down, "e", 1},
		{"descending, gone", Descending, down, "d", 1},
		{"descending, last", Descending, down, "a", 3},
		{"exact, present", Exact, up, "c", 2},
		{"exact, gone ends the listing", Exact, up, "b", 3},
		{"exact, empty", Exact, nil, "a", 0},
		{"after, custom", After(func(a, b string) bool { return len(a) > len(b) }), []string{"x", "yy", "zzz"}, "qq", 2},
	} {
		if got := tc.order(tc.keys, tc.last); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}

var (
	errSize  = errors.New("bad size")
	errToken = errors.New("bad token")
)

func testPager() Pager {
	return Pager{
		Tokens: Standard, Default: 2, Min: 1, Max: 3,
		BadSize:  func(n int) error { return fmt.Errorf("%w %d", errSize, n) },
		BadToken: func(token string) error { return fmt.Errorf("%w %q", errToken, token) },
	}
}

func TestPagerPage(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e"}
	tok := func(last string) *string { s := Standard.Encode("Op", last); return &s }
	n := func(i int) *int { return &i }
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name    string
		p       func(p *Pager)
		keys    []string
		size    *int
		token   *string
		want    []string
		next    *string
		wantErr string
	}{
		{name: "first page, default size", want: []string{"a", "b"}, next: tok("b")},
		{name: "empty token is the first page", token: str(""), want: []string{"a", "b"}, next: tok("b")},
		{name: "second page", token: tok("b"), want: []string{"c", "d"}, next: tok("d")},
		{name: "last page has no token", token: tok("d"), want: []string{"e"}},
		{name: "a full last page has no token", size: n(3), token: tok("b"), want: []string{"c", "d", "e"}},
		{name: "asked size", size: n(3), want: []string{"a", "b", "c"}, next: tok("c")},
		{name: "key gone since", token: tok("bb"), want: []string{"c", "d"}, next: tok("d")},
		{name: "token past the end", token: tok("z"), want: []string{}},
		{name: "no keys", keys: []string{}, want: []string{}},
		{name: "too large", size: n(4), wantErr: "bad size 4"},
		{name: "too small", size: n(0), wantErr: "bad size 0"},
		{name: "size is checked before the token", size: n(9), token: str("junk"), wantErr: "bad size 9"},
		{name: "junk token", token: str("junk"), wantErr: `bad token "junk"`},
		{name: "other operation's token", token: str(Standard.Encode("Other", "b")), wantErr: "bad token"},
		{name: "Min", p: func(p *Pager) { p.Min = 2 }, size: n(1), wantErr: "bad size 1"},
		{name: "nil refusal takes the default", p: func(p *Pager) { p.BadSize = func(int) error { return nil } }, size: n(0), want: []string{"a", "b"}, next: tok("b")},
		{name: "nil BadSize takes the default", p: func(p *Pager) { p.BadSize = nil }, size: n(7), want: []string{"a", "b"}, next: tok("b")},
		{name: "Default 0 is every key", p: func(p *Pager) { p.Default = 0 }, want: keys},
		{name: "Default 0 with no keys", p: func(p *Pager) { p.Default = 0 }, keys: []string{}, want: []string{}},
		{name: "exact order, key gone", p: func(p *Pager) { p.Order = Exact }, token: tok("bb"), want: []string{}},
		{name: "exact order", p: func(p *Pager) { p.Order = Exact }, token: tok("a"), want: []string{"b", "c"}, next: tok("c")},
		{name: "no magic", p: func(p *Pager) { p.Tokens = Format{} }, token: str(Format{}.Encode("Op", "c")), want: []string{"d", "e"}},
		{name: "order out of range is clamped", p: func(p *Pager) { p.Order = func([]string, string) int { return 99 } }, token: tok("a"), want: []string{}},
	} {
		p := testPager()
		if tc.p != nil {
			tc.p(&p)
		}
		in := keys
		if tc.keys != nil {
			in = tc.keys
		}
		page, next, err := p.Page("Op", in, tc.size, tc.token)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(page, tc.want) {
			t.Errorf("%s: page = %q, want %q", tc.name, page, tc.want)
		}
		if (next == nil) != (tc.next == nil) || next != nil && *next != *tc.next {
			t.Errorf("%s: next = %v, want %v", tc.name, show(next), show(tc.next))
		}
	}
}

// Walking every page with the tokens handed out visits each key once.
func TestPagerWalk(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e", "f", "g"}
	for size := 1; size <= 3; size++ {
		var got []string
		var token *string
		for range len(keys) + 1 {
			page, next, err := testPager().Page("Op", keys, &size, token)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			if token = next; token == nil {
				break
			}
		}
		if !reflect.DeepEqual(got, keys) {
			t.Errorf("size %d: walked %q", size, got)
		}
	}
}

func TestPagerPageIsACopy(t *testing.T) {
	keys := []string{"a", "b", "c"}
	page, _, _ := testPager().Page("Op", keys, nil, nil)
	page[0] = "x"
	_ = append(page, "y")
	if keys[0] != "a" || keys[2] != "c" {
		t.Errorf("keys changed through the page: %q", keys)
	}
}

func show(s *string) string {
	if s == nil {
		return "nil"
	}
	return *s
}
