// Package aws holds the small AWS-shaped primitives that every simulated
// service shares: the account identity, pointer helpers for optional API
// members, and the Time type that API timestamps use.
//
// Optional members of AWS request and response shapes are pointers (a nil
// pointer is "absent", as in the AWS SDKs), so an explicit 0 or "" can be told
// apart from a member the caller did not send.
package aws

// DefaultAccountID and DefaultRegion identify the simulated account unless a
// flag says otherwise (design.md, "Decisions already taken").
const (
	DefaultAccountID = "123456789012"
	DefaultRegion    = "us-east-1"
)

// Identity names the account and region that ARNs and responses are built for.
type Identity struct {
	AccountID string
	Region    string
}

// DefaultIdentity is the identity of a new ecsbox account.
func DefaultIdentity() Identity {
	return Identity{AccountID: DefaultAccountID, Region: DefaultRegion}
}

// String returns a pointer to s.
func String(s string) *string { return &s }

// Int returns a pointer to n.
func Int(n int) *int { return &n }

// Int64 returns a pointer to n.
func Int64(n int64) *int64 { return &n }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// Float64 returns a pointer to f.
func Float64(f float64) *float64 { return &f }

// ToString returns *p, or "" when p is nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ToInt returns *p, or 0 when p is nil.
func ToInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// ToInt64 returns *p, or 0 when p is nil.
func ToInt64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ToBool returns *p, or false when p is nil.
func ToBool(p *bool) bool {
	return p != nil && *p
}

// ToFloat64 returns *p, or 0 when p is nil.
func ToFloat64(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// CallerARN is the identity that calls the APIs in ecsbox: the account's
// root user (what sts get-caller-identity shows for root credentials). It
// appears where AWS records who made a change, e.g. registeredBy.
func (id Identity) CallerARN() string {
	return "arn:aws:iam::" + id.AccountID + ":root"
}
