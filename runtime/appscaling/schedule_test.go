package appscaling

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScheduleNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	created := utc("2025-01-01T00:00:00Z")
	tests := []struct {
		expr       string
		loc        *time.Location
		after      string
		start, end *time.Time
		want       []string // the next runs, one after the other; none when empty
	}{
		{"at(2025-01-02T03:04:05)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-02T03:04:05Z"}},
		{"at(2020-12-08T9:36:00)", time.UTC, "2020-01-01T00:00:00Z", nil, nil, []string{"2020-12-08T09:36:00Z"}},
		{"at(2025-01-02T03:04:05)", ny, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-02T08:04:05Z"}}, // EST, UTC−5
		{"at(2024-01-02T03:04:05)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, nil},                        // in the past
		{"rate(5 minutes)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-01T00:05:00Z", "2025-01-01T00:10:00Z"}},
		{"rate(1 day)", time.UTC, "2025-01-01T00:00:00Z", ptime("2025-01-03T06:00:00Z"), nil, []string{"2025-01-03T06:00:00Z", "2025-01-04T06:00:00Z"}},
		{"rate(1 hour)", time.UTC, "2025-01-01T00:00:00Z", nil, ptime("2025-01-01T02:30:00Z"), []string{"2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"}},
		{"cron(0 10 * * ? *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-01T10:00:00Z", "2025-01-02T10:00:00Z"}},
		{"cron(15 12 * * ? *)", time.UTC, "2025-01-01T12:15:00Z", nil, nil, []string{"2025-01-02T12:15:00Z"}},
		// 2025-01-01 is a Wednesday.
		{"cron(0 18 ? * MON-FRI *)", time.UTC, "2025-01-03T19:00:00Z", nil, nil, []string{"2025-01-06T18:00:00Z", "2025-01-07T18:00:00Z"}},
		{"cron(0 8 1 * ? *)", time.UTC, "2025-01-01T09:00:00Z", nil, nil, []string{"2025-02-01T08:00:00Z", "2025-03-01T08:00:00Z"}},
		{"cron(0/15 * * * ? *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z", "2025-01-01T01:00:00Z"}},
		{"cron(0/5 8-17 ? * MON-FRI *)", time.UTC, "2025-01-03T17:55:00Z", nil, nil, []string{"2025-01-06T08:00:00Z"}},
		{"cron(0 0 L * ? *)", time.UTC, "2025-02-01T00:00:00Z", nil, nil, []string{"2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z"}},
		{"cron(0 9 ? * 2#1 *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-06T09:00:00Z", "2025-02-03T09:00:00Z"}}, // first Monday
		{"cron(0 9 ? * 6L *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-31T09:00:00Z"}},                          // last Friday
		{"cron(0 12 1 JAN ? 2026)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2026-01-01T12:00:00Z"}},
		{"cron(0 12 1 JAN ? 2024)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, nil},
		// 08:00 in New York: EST (UTC−5) in winter, EDT (UTC−4) after 9 March 2025.
		{"cron(0 8 * * ? *)", ny, "2025-03-08T00:00:00Z", nil, nil, []string{"2025-03-08T13:00:00Z", "2025-03-09T12:00:00Z"}},
		// A StartTime is a run itself, then the recurrence follows.
		{"cron(0 10 * * ? *)", time.UTC, "2025-01-01T00:00:00Z", ptime("2025-01-05T07:00:00Z"), nil, []string{"2025-01-05T07:00:00Z", "2025-01-05T10:00:00Z"}},
		{"cron(30 6 * * 2 *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-06T06:30:00Z"}},    // 2 = MON (1 = SUN)
		{"cron(0 0 10 12 * ? *)", time.UTC, "2025-01-01T00:00:00Z", nil, nil, []string{"2025-01-12T10:00:00Z"}}, // seven fields, seconds first
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := parseSchedule(tt.expr, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			after := utc(tt.after)
			var got []string
			for range len(tt.want) + 1 {
				n, ok := s.next(after, tt.start, tt.end, created, tt.loc)
				if !ok {
					break
				}
				got = append(got, n.UTC().Format(time.RFC3339))
				after = n
			}
			if len(got) > len(tt.want) {
				got = got[:len(tt.want)]
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("runs %v, want %v", got, tt.want)
			}
		})
	}
}

func ptime(s string) *time.Time { t := utc(s); return &t }

func TestScheduleParseErrors(t *testing.T) {
	for _, expr := range []string{
		"at(2025-13-01T00:00:00)", "at(tomorrow)", "rate(0 minutes)", "rate(5 weeks)", "rate(5)", "every(5 minutes)",
		"cron(0 10 * * ?)", "cron(60 10 * * ? *)", "cron(0 24 * * ? *)", "cron(0 10 32 * ? *)", "cron(0 10 * 13 ? *)",
		"cron(0 10 ? * 8 *)", "cron(0 10 * * ? 1969)", "cron(0 10 5-1 * ? *)", "cron(0 10 15W * ? *)", "cron(0/0 * * * ? *)",
		"cron 0 10 * * ? *", "cron(0 10 * ? ? *)",
	} {
		if _, err := parseSchedule(expr, time.UTC); err == nil {
			t.Errorf("%s: accepted", expr)
		}
	}
}

func TestPutScheduledActionRefusals(t *testing.T) {
	req := func(fn func(*PutScheduledActionRequest)) *PutScheduledActionRequest {
		in := &PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS),
			ScheduledActionName: aws.String("a"), Schedule: aws.String("rate(1 hour)"), ScalableTargetAction: &ScalableTargetAction{MinCapacity: aws.Int(1)}}
		fn(in)
		return in
	}
	tests := []struct {
		name string
		in   *PutScheduledActionRequest
		code string
		msg  string
	}{
		{"no capacity", req(func(in *PutScheduledActionRequest) { in.ScalableTargetAction = nil }), ValidationException, "At least one of minimum capacity and maximum capacity should be provided"},
		{"no schedule", req(func(in *PutScheduledActionRequest) { in.Schedule = nil }), ValidationException, "Schedule is required when creating a scheduled action"},
		{"bad schedule", req(func(in *PutScheduledActionRequest) { in.Schedule = aws.String("rate(5 weeks)") }), ValidationException,
			"Invalid schedule expression rate(5 weeks): the rate unit must be minute, minutes, hour, hours, day or days"},
		{"bad time zone", req(func(in *PutScheduledActionRequest) { in.Timezone = aws.String("Mars/Olympus") }), ValidationException, "Invalid Timezone: Mars/Olympus"},
		{"min above max", req(func(in *PutScheduledActionRequest) {
			in.ScalableTargetAction = &ScalableTargetAction{MinCapacity: aws.Int(5), MaxCapacity: aws.Int(2)}
		}), ValidationException, "Minimum capacity cannot be greater than maximum capacity"},
		{"bad name", req(func(in *PutScheduledActionRequest) { in.ScheduledActionName = aws.String("a/b") }), ValidationException,
			"1 validation error detected: Value 'a/b' at 'scheduledActionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!((^[ ]+.*)|(.*([\\u0000-\\u001f]|[\\u007f-\\u009f]|[:/|])+.*)|(.*[ ]+$))).+"},
		{"no target", req(func(in *PutScheduledActionRequest) { in.ResourceId = aws.String("service/demo/api") }), ObjectNotFoundException,
			"No scalable target registered for service namespace: ecs, resource ID: service/demo/api, scalable dimension: ecs:service:DesiredCount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.register(t, web, 1, 10)
			_, err := f.a.PutScheduledAction(tt.in)
			wantAWSError(t, err, tt.code, tt.msg)
		})
	}
}

// TestScheduledActionRuns: the action sets min/max on the clock and brings
// the desired count inside, with AWS's activity texts
// ([AAS-UG:scheduled-scaling-additional-cli-commands]).
func TestScheduledActionRuns(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	if _, err := f.a.PutScheduledAction(&PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("morning"), Schedule: aws.String("cron(0 8 * * ? *)"),
		Timezone: aws.String("Europe/Paris"), ScalableTargetAction: &ScalableTargetAction{MinCapacity: aws.Int(5), MaxCapacity: aws.Int(20)}}); err != nil {
		t.Fatal(err)
	}
	f.advance(t, 6*time.Hour+59*time.Minute) // 06:59 UTC = 07:59 Paris
	if len(f.res.setCalls) != 0 {
		t.Fatalf("ran early: %v", f.res.setCalls)
	}
	f.advance(t, time.Minute)
	if got := f.res.services[web].desired; got != 5 {
		t.Fatalf("desired = %d, want 5", got)
	}
	acts := f.activities(t, false)
	if len(acts) != 2 {
		t.Fatalf("activities: %+v", acts)
	}
	if a := acts[1]; *a.Description != "Setting min capacity to 5 and max capacity to 20" || *a.Cause != "scheduled action name morning was triggered" ||
		*a.StatusMessage != "Successfully set min capacity to 5 and max capacity to 20" || a.EndTime != nil {
		t.Errorf("min/max activity: %+v", a)
	}
	if a := acts[0]; *a.Description != "Setting desired count to 5." || *a.Cause != "minimum capacity was set to 5" {
		t.Errorf("desired activity: %+v", a)
	}
	d, _ := f.a.DescribeScalableTargets(&DescribeScalableTargetsRequest{ServiceNamespace: aws.String("ecs")})
	if *d.ScalableTargets[0].MinCapacity != 5 || *d.ScalableTargets[0].MaxCapacity != 20 {
		t.Fatalf("target: %+v", d.ScalableTargets[0])
	}
	// It runs again the next day; with scheduled scaling suspended it does not.
	f.a.targets[targetKey("ecs", web, dimensionECS)].suspended.ScheduledScalingSuspended = aws.Bool(true)
	f.advance(t, 24*time.Hour)
	if ex := f.a.Explain(web); !strings.Contains(ex, "not run: scheduled scaling is suspended") || !strings.Contains(ex, "next run 2025-01-03T07:00:00.000Z") {
		t.Errorf("Explain:\n%s", ex)
	}
	out, _ := f.a.DescribeScheduledActions(&DescribeScheduledActionsRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web)})
	sa := out.ScheduledActions[0]
	if *sa.Timezone != "Europe/Paris" || *sa.Schedule != "cron(0 8 * * ? *)" || *sa.ScalableTargetAction.MinCapacity != 5 ||
		!strings.HasPrefix(*sa.ScheduledActionARN, "arn:aws:autoscaling:us-east-1:123456789012:scheduledAction:") ||
		!strings.HasSuffix(*sa.ScheduledActionARN, ":resource/ecs/service/demo/web:scheduledActionName/morning") {
		t.Fatalf("described: %+v", sa)
	}
	if _, err := f.a.DeleteScheduledAction(&DeleteScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("morning")}); err != nil {
		t.Fatal(err)
	}
	_, err := f.a.DeleteScheduledAction(&DeleteScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("morning")})
	wantAWSError(t, err, ObjectNotFoundException, "No scheduled action found for service namespace: ecs, resource ID: service/demo/web, scalable dimension: ecs:service:DesiredCount, scheduled action name: morning")
}

// TestScheduledActionIgnoresCooldown: a scheduled scale-in right after a
// policy's scale-out is not held back.
func TestScheduledActionIgnoresCooldown(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.fire(arn, high, 100) // 2 → 4
	if _, err := f.a.PutScheduledAction(&PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("cap"), Schedule: aws.String("at(2025-01-01T00:01:00)"),
		ScalableTargetAction: &ScalableTargetAction{MaxCapacity: aws.Int(2)}}); err != nil {
		t.Fatal(err)
	}
	f.advance(t, time.Minute)
	if got := f.res.services[web].desired; got != 2 {
		t.Fatalf("desired = %d, want 2", got)
	}
	if c := *f.activities(t, false)[0].Cause; c != "maximum capacity was set to 2" {
		t.Errorf("cause = %q", c)
	}
}

func TestUpdateScheduledActionDropsStartAndEnd(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	base := &PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS),
		ScheduledActionName: aws.String("r"), Schedule: aws.String("rate(1 hour)"), ScalableTargetAction: &ScalableTargetAction{MinCapacity: aws.Int(3)},
		StartTime: aws.NewTime(utc("2025-02-01T00:00:00Z"))}
	if _, err := f.a.PutScheduledAction(base); err != nil {
		t.Fatal(err)
	}
	// The update names only the action: schedule and capacity stay, the
	// start time goes.
	if _, err := f.a.PutScheduledAction(&PutScheduledActionRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS), ScheduledActionName: aws.String("r")}); err != nil {
		t.Fatal(err)
	}
	out, _ := f.a.DescribeScheduledActions(&DescribeScheduledActionsRequest{ServiceNamespace: aws.String("ecs")})
	sa := out.ScheduledActions[0]
	if sa.StartTime != nil || *sa.Schedule != "rate(1 hour)" || *sa.ScalableTargetAction.MinCapacity != 3 {
		t.Fatalf("after update: %+v", sa)
	}
	f.advance(t, time.Hour)
	if got := f.res.services[web].desired; got != 3 {
		t.Fatalf("desired = %d, want 3 (the old timer must not also fire)", got)
	}
	if n := len(f.activities(t, false)); n != 2 {
		t.Fatalf("activities = %d, want 2 (one run)", n)
	}
}
