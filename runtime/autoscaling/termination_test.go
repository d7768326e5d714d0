package autoscaling

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestChooseVictim(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0.Add(3 * time.Hour)
	cur := ltRef{id: "lt-new", version: "3"}
	mk := func(id, az string, launchedMin int, lt string, version string, protected bool) *member {
		return &member{id: id, az: az, launched: t0.Add(time.Duration(launchedMin) * time.Minute), lt: ltRef{id: lt, version: version}, protected: protected, state: LifecycleStateInService}
	}
	for _, tc := range []struct {
		name     string
		members  []*member
		policies []string
		want     string
	}{
		{"AZ balance first", []*member{
			mk("i-a1", "a", 0, "lt-new", "3", false), mk("i-a2", "a", 10, "lt-new", "3", false),
			mk("i-b1", "b", 5, "lt-new", "3", false),
		}, []string{"NewestInstance"}, "i-a2"},
		{"oldest instance in the fullest zone", []*member{
			mk("i-a1", "a", 30, "lt-new", "3", false), mk("i-a2", "a", 10, "lt-new", "3", false),
			mk("i-b1", "b", 0, "lt-new", "3", false),
		}, []string{"OldestInstance"}, "i-a2"},
		{"protected instances are not candidates", []*member{
			mk("i-a1", "a", 0, "lt-new", "3", true), mk("i-a2", "a", 10, "lt-new", "3", true),
			mk("i-b1", "b", 5, "lt-new", "3", false),
		}, []string{"Default"}, "i-b1"},
		{"zone ties go to the first name", []*member{
			mk("i-b1", "b", 0, "lt-new", "3", false), mk("i-a1", "a", 0, "lt-new", "3", false),
		}, []string{"OldestInstance"}, "i-a1"},
		{"other template before the current one", []*member{
			mk("i-a1", "a", 0, "lt-new", "1", false), mk("i-a2", "a", 10, "lt-old", "7", false),
		}, []string{"OldestLaunchTemplate"}, "i-a2"},
		{"then the oldest version", []*member{
			mk("i-a1", "a", 0, "lt-new", "3", false), mk("i-a2", "a", 10, "lt-new", "2", false),
		}, []string{"OldestLaunchTemplate"}, "i-a2"},
		{"closest to the next instance hour", []*member{
			// running 3h, 2h50m → 50 min into its hour, 2h20m → 20 min
			mk("i-a1", "a", 0, "lt-new", "3", false), mk("i-a2", "a", 10, "lt-new", "3", false), mk("i-a3", "a", 40, "lt-new", "3", false),
		}, []string{"ClosestToNextInstanceHour"}, "i-a2"},
		{"Default: oldest template, then next hour", []*member{
			mk("i-a1", "a", 10, "lt-new", "3", false), mk("i-a2", "a", 40, "lt-new", "2", false), mk("i-a3", "a", 20, "lt-new", "2", false),
		}, []string{"Default"}, "i-a3"},
		{"policies in order, Default last", []*member{
			mk("i-a1", "a", 0, "lt-new", "3", false), mk("i-a2", "a", 0, "lt-new", "2", false),
		}, []string{"OldestInstance"}, "i-a2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := chooseVictim(tc.members, tc.policies, cur, now, rand.New(rand.NewPCG(1, 2)))
			if got == nil || got.id != tc.want {
				t.Fatalf("chose %v (%s), want %s", got, why, tc.want)
			}
		})
	}
}

func TestChooseVictimAllProtected(t *testing.T) {
	ms := []*member{{id: "i-1", az: "a", protected: true}, {id: "i-2", az: "b", protected: true}}
	if got, _ := chooseVictim(ms, []string{"Default"}, ltRef{}, time.Time{}, rand.New(rand.NewPCG(1, 2))); got != nil {
		t.Fatalf("chose %s, want none", got.id)
	}
}

func TestLeastLoadedZone(t *testing.T) {
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	for _, tc := range []struct {
		have []string
		want string
	}{
		{nil, "us-east-1a"},
		{[]string{"us-east-1a"}, "us-east-1b"},
		{[]string{"us-east-1a", "us-east-1b"}, "us-east-1c"},
		{[]string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1b"}, "us-east-1a"},
		{[]string{"us-east-1a", "us-east-1a", "us-east-1c"}, "us-east-1b"},
	} {
		var ms []*member
		for _, az := range tc.have {
			ms = append(ms, &member{az: az})
		}
		if got := leastLoadedZone(zones, ms); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.have, got, tc.want)
		}
	}
}
