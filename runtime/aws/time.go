package aws

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeLayout is the one form in which ecsbox shows API timestamps: RFC 3339
// in UTC with exactly three fractional digits, e.g. "2025-01-01T00:00:00.000Z".
// Every timestamp has the same width, so comparing or sorting the strings
// compares or sorts the instants, and time.parse_time reads them back.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time is an API timestamp. It marshals to JSON as a TimeLayout string and
// unmarshals from such a string, any RFC 3339 string, a date, or a number of
// seconds since the epoch (the forms botocore accepts for timestamp members).
type Time struct{ time.Time }

// NewTime returns t as an API timestamp, in UTC and truncated to milliseconds
// (the precision AWS shows).
func NewTime(t time.Time) *Time {
	return &Time{t.UTC().Truncate(time.Millisecond)}
}

// String formats t with TimeLayout.
func (t Time) String() string { return t.UTC().Format(TimeLayout) }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(t.String())), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		parsed, err := ParseTime(unq)
		if err != nil {
			return err
		}
		t.Time = parsed
		return nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("invalid timestamp %s", s)
	}
	t.Time = time.Unix(0, int64(secs*1e9)).UTC()
	return nil
}

// ParseTime reads a timestamp in any form botocore accepts as a string:
// RFC 3339 (with or without fraction or zone), a plain date, or epoch seconds.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Unix(0, int64(secs*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("invalid timestamp %q", s)
}
