package logs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestPutRetentionPolicyValues(t *testing.T) {
	allowed := map[int]bool{}
	for _, d := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		allowed[d] = true
	}
	l, _ := newTestLogs()
	mustStream(t, l, "g", "s")
	for days := -1; days <= 3660; days++ {
		_, err := l.PutRetentionPolicy(&PutRetentionPolicyRequest{LogGroupName: aws.String("g"), RetentionInDays: aws.Int(days)})
		if allowed[days] {
			wantErr(t, err, "", "")
			continue
		}
		want := fmt.Sprintf("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]", days)
		wantErr(t, err, InvalidParameterException, want)
	}
	_, err := l.PutRetentionPolicy(&PutRetentionPolicyRequest{LogGroupName: aws.String("nope"), RetentionInDays: aws.Int(7)})
	wantErr(t, err, ResourceNotFoundException, "The specified log group does not exist.")
	_, err = l.DeleteRetentionPolicy(&DeleteRetentionPolicyRequest{LogGroupName: aws.String("nope")})
	wantErr(t, err, ResourceNotFoundException, "The specified log group does not exist.")

	out, _ := l.DescribeLogGroups(&DescribeLogGroupsRequest{})
	if r := out.LogGroups[0].RetentionInDays; r == nil || *r != 3653 {
		t.Errorf("retentionInDays = %v, want 3653", r)
	}
	_, err = l.DeleteRetentionPolicy(&DeleteRetentionPolicyRequest{LogGroupName: aws.String("g")})
	wantErr(t, err, "", "")
	out, _ = l.DescribeLogGroups(&DescribeLogGroupsRequest{})
	if r := out.LogGroups[0].RetentionInDays; r != nil {
		t.Errorf("retentionInDays after DeleteRetentionPolicy = %d", *r)
	}
}

func TestRetentionSweep(t *testing.T) {
	l, s := newTestLogs()
	mustStream(t, l, "g", "s")
	mustStream(t, l, "keep", "s")
	// One event every 6 hours for 3 days, in both groups.
	for i := range 12 {
		if i > 0 {
			advance(t, s, 6*time.Hour)
		}
		for _, g := range []string{"g", "keep"} {
			if err := l.Write(g, "s", s.Now(), fmt.Sprintf("e%d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// now: 2025-01-03T18:00Z. A 1-day retention deletes nothing until the
	// sweep at midnight.
	_, err := l.PutRetentionPolicy(&PutRetentionPolicyRequest{LogGroupName: aws.String("g"), RetentionInDays: aws.Int(1)})
	wantErr(t, err, "", "")
	if n := len(l.Events("g", "s")); n != 12 {
		t.Fatalf("events before the sweep = %d, want 12", n)
	}
	advance(t, s, 5*time.Hour+59*time.Minute)
	if n := len(l.Events("g", "s")); n != 12 {
		t.Fatalf("events just before midnight = %d, want 12", n)
	}
	// The sweep at 2025-01-04T00:00Z keeps events since 2025-01-03T00:00Z.
	advance(t, s, time.Minute)
	var kept []string
	for _, e := range l.Events("g", "s") {
		kept = append(kept, e.Message)
	}
	if got := strings.Join(kept, " "); got != "e8 e9 e10 e11" {
		t.Errorf("after the sweep: %q, want e8 e9 e10 e11", got)
	}
	if n := len(l.Events("keep", "s")); n != 12 {
		t.Errorf("the group without retention lost events: %d left", n)
	}
	out, _ := l.DescribeLogGroups(&DescribeLogGroupsRequest{LogGroupNamePrefix: aws.String("g")})
	if b := *out.LogGroups[0].StoredBytes; b != 10 { // e8 e9 e10 e11
		t.Errorf("storedBytes = %d, want 10", b)
	}
	found := false
	for _, e := range s.Timeline() {
		if e.Kind == "LogEventsExpired" && strings.Contains(e.Message, "deleted 8 events") {
			found = true
		}
	}
	if !found {
		t.Error("the sweep is not on the timeline")
	}
	// A day later the sweep runs again; without policies it stops.
	advance(t, s, 24*time.Hour)
	if n := len(l.Events("g", "s")); n != 0 {
		t.Errorf("events a day later = %d, want 0", n)
	}
	l.DeleteRetentionPolicy(&DeleteRetentionPolicyRequest{LogGroupName: aws.String("g")})
	advance(t, s, 48*time.Hour)
	if l.sweeping || s.Pending() != 0 {
		t.Errorf("the sweep still runs without policies (pending %d)", s.Pending())
	}
}
