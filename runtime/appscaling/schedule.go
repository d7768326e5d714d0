package appscaling

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// schedule is a parsed Schedule of a scheduled action: at(), rate() or
// cron() [AAS-API:PutScheduledActionRequest], reference 8.4.
type schedule struct {
	kind  string // "at", "rate" or "cron"
	at    time.Time
	every time.Duration
	cron  *cronExpr
}

// parseSchedule parses an expression; loc is the action's time zone, in
// which at() and cron() read their fields (UTC by default). Errors are plain
// messages; the caller wraps them.
func parseSchedule(expr string, loc *time.Location) (*schedule, error) {
	open := strings.IndexByte(expr, '(')
	if open < 0 || !strings.HasSuffix(expr, ")") {
		return nil, fmt.Errorf("expected at(...), rate(...) or cron(...)")
	}
	kind, body := expr[:open], strings.TrimSpace(expr[open+1:len(expr)-1])
	switch kind {
	case "at":
		// "at(yyyy-mm-ddThh:mm:ss)"; AWS's own examples also write a
		// one-digit hour (at(2020-12-08T9:36:00),
		// [AAS-UG:scheduled-scaling-additional-cli-commands]).
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T3:04:05"} {
			if t, err := time.ParseInLocation(layout, body, loc); err == nil {
				return &schedule{kind: "at", at: t}, nil
			}
		}
		return nil, fmt.Errorf("expected at(yyyy-mm-ddThh:mm:ss)")
	case "rate":
		// "rate(value unit)": value a positive integer, unit minute |
		// minutes | hour | hours | day | days [AAS-API:PutScheduledActionRequest].
		f := strings.Fields(body)
		if len(f) != 2 {
			return nil, fmt.Errorf("expected rate(value unit)")
		}
		n, err := strconv.Atoi(f[0])
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("the rate value must be a positive integer")
		}
		units := map[string]time.Duration{"minute": time.Minute, "minutes": time.Minute, "hour": time.Hour, "hours": time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour}
		u, ok := units[f[1]]
		if !ok {
			return nil, fmt.Errorf("the rate unit must be minute, minutes, hour, hours, day or days")
		}
		return &schedule{kind: "rate", every: time.Duration(n) * u}, nil
	case "cron":
		c, err := parseCron(body)
		if err != nil {
			return nil, err
		}
		return &schedule{kind: "cron", cron: c}, nil
	}
	return nil, fmt.Errorf("expected at(...), rate(...) or cron(...)")
}

// next returns the first run strictly after `after`. A StartTime is itself a
// run of a recurring schedule, which then follows its recurrence
// ([AAS-UG:scheduled-scaling-using-cron-expressions]: "If you specify a start
// time, Application Auto Scaling performs the action at this time, and then
// performs the action based on the specified recurrence"). A rate without a
// StartTime counts from the action's creation (ecsbox's choice: AWS does not
// say). No run falls after EndTime.
func (s *schedule) next(after time.Time, start, end *time.Time, created time.Time, loc *time.Location) (time.Time, bool) {
	var t time.Time
	switch s.kind {
	case "at":
		if !s.at.After(after) {
			return time.Time{}, false
		}
		t = s.at
	case "rate":
		anchor, k := created, int64(1)
		if start != nil {
			anchor, k = *start, 0
		}
		if after.After(anchor) || after.Equal(anchor) {
			k = max(k, int64(after.Sub(anchor)/s.every)+1)
		}
		t = anchor.Add(time.Duration(k) * s.every)
	case "cron":
		if start != nil && start.After(after) {
			t = *start
			break
		}
		var ok bool
		if t, ok = s.cron.next(after, loc); !ok {
			return time.Time{}, false
		}
	}
	if start != nil && t.Before(*start) {
		return s.next(start.Add(-time.Nanosecond), start, end, created, loc)
	}
	if end != nil && t.After(*end) {
		return time.Time{}, false
	}
	return t, true
}

// cronExpr is a cron expression of six fields, [Minutes] [Hours]
// [Day_of_Month] [Month] [Day_of_Week] [Year], or seven with [Seconds] first
// ([AAS-UG:scheduled-scaling-using-cron-expressions]), in the syntax of
// CloudWatch Events cron expressions: day of week 1-7 is SUN-SAT, names
// JAN-DEC and SUN-SAT, wildcards * and ?, ranges, lists, steps a/b, L in day
// of month (the last day), and in day of week nL (the last weekday n of the
// month) and n#k (the k-th weekday n).
type cronExpr struct {
	seconds, minutes, hours, dom, month, dow []bool
	years                                    []bool // index year − minYear
	domAny, dowAny                           bool
	lastDom                                  bool
	dowNth                                   map[int]int  // weekday → k (n#k)
	dowLast                                  map[int]bool // weekday → nL
}

const (
	minYear = 1970
	maxYear = 2199
)

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func parseCron(body string) (*cronExpr, error) {
	f := strings.Fields(body)
	if len(f) == 6 {
		f = append([]string{"0"}, f...)
	}
	if len(f) != 7 {
		return nil, fmt.Errorf("a cron expression has six fields: minutes hours day-of-month month day-of-week year")
	}
	c := &cronExpr{dowNth: map[int]int{}, dowLast: map[int]bool{}}
	var err error
	if c.seconds, err = parseField(f[0], 0, 59, nil, "seconds"); err != nil {
		return nil, err
	}
	if c.minutes, err = parseField(f[1], 0, 59, nil, "minutes"); err != nil {
		return nil, err
	}
	if c.hours, err = parseField(f[2], 0, 23, nil, "hours"); err != nil {
		return nil, err
	}
	switch strings.ToUpper(f[3]) {
	case "?", "*":
		c.domAny = true
		c.dom, _ = parseField("*", 1, 31, nil, "")
	case "L":
		c.lastDom = true
		c.dom = make([]bool, 32)
	default:
		if strings.ContainsAny(f[3], "WL") {
			return nil, fmt.Errorf("ecsbox does not support W or L with a number in the day-of-month field")
		}
		if c.dom, err = parseField(f[3], 1, 31, nil, "day-of-month"); err != nil {
			return nil, err
		}
	}
	if c.month, err = parseField(f[4], 1, 12, monthNames, "month"); err != nil {
		return nil, err
	}
	dow := strings.ToUpper(f[5])
	switch {
	case dow == "?" || dow == "*":
		c.dowAny = true
		c.dow, _ = parseField("*", 1, 7, nil, "")
	case strings.Contains(dow, "#"):
		p := strings.Split(dow, "#")
		d, err1 := fieldValue(p[0], 1, 7, dayNames)
		k, err2 := strconv.Atoi(p[len(p)-1])
		if len(p) != 2 || err1 != nil || err2 != nil || k < 1 || k > 5 {
			return nil, fmt.Errorf("invalid day-of-week %q", f[5])
		}
		c.dowNth[d] = k
		c.dow = make([]bool, 8)
	case strings.HasSuffix(dow, "L") && len(dow) > 1:
		d, err := fieldValue(strings.TrimSuffix(dow, "L"), 1, 7, dayNames)
		if err != nil {
			return nil, fmt.Errorf("invalid day-of-week %q", f[5])
		}
		c.dowLast[d] = true
		c.dow = make([]bool, 8)
	default:
		if dow == "L" {
			dow = "7" // L alone is the last day of the week, Saturday
		}
		if c.dow, err = parseField(dow, 1, 7, dayNames, "day-of-week"); err != nil {
			return nil, err
		}
	}
	years, err := parseField(f[6], minYear, maxYear, nil, "year")
	if err != nil {
		return nil, err
	}
	c.years = years[minYear:]
	return c, nil
}

// parseField parses one field into a set indexed by value.
func parseField(s string, lo, hi int, names map[string]int, what string) ([]bool, error) {
	set := make([]bool, hi+1)
	for _, part := range strings.Split(strings.ToUpper(s), ",") {
		step := 1
		if i := strings.IndexByte(part, '/'); i >= 0 {
			n, err := strconv.Atoi(part[i+1:])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("invalid step in %s field %q", what, s)
			}
			step, part = n, part[:i]
		}
		from, to := lo, hi
		switch {
		case part == "*":
		case strings.Contains(part, "-"):
			p := strings.SplitN(part, "-", 2)
			a, err1 := fieldValue(p[0], lo, hi, names)
			b, err2 := fieldValue(p[1], lo, hi, names)
			if err1 != nil || err2 != nil || b < a {
				return nil, fmt.Errorf("invalid range in %s field %q", what, s)
			}
			from, to = a, b
		default:
			v, err := fieldValue(part, lo, hi, names)
			if err != nil {
				return nil, fmt.Errorf("invalid value in %s field %q", what, s)
			}
			from = v
			if step == 1 {
				to = v
			}
		}
		for v := from; v <= to; v += step {
			set[v] = true
		}
	}
	return set, nil
}

func fieldValue(s string, lo, hi int, names map[string]int) (int, error) {
	if v, ok := names[s]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, fmt.Errorf("out of range")
	}
	return v, nil
}

// dayMatches reports whether a date matches the day-of-month and day-of-week
// fields. When both are restricted, either may match (classic cron); AWS's
// own example "30 6 * * 2 *" restricts only one.
func (c *cronExpr) dayMatches(d time.Time) bool {
	lastDay := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	domOK := c.dom[d.Day()] || (c.lastDom && d.Day() == lastDay)
	wd := int(d.Weekday()) + 1 // 1 = SUN
	dowOK := c.dow[wd] || (c.dowNth[wd] > 0 && (d.Day()-1)/7+1 == c.dowNth[wd]) || (c.dowLast[wd] && d.Day()+7 > lastDay)
	switch {
	case c.domAny && c.dowAny:
		return true
	case c.domAny:
		return dowOK
	case c.dowAny:
		return domOK
	}
	return domOK || dowOK
}

// next returns the first instant after `after` that matches, reading the
// fields in loc.
func (c *cronExpr) next(after time.Time, loc *time.Location) (time.Time, bool) {
	local := after.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	for day.Year() <= maxYear {
		y := day.Year()
		if y < minYear || !c.years[y-minYear] {
			day = time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
			continue
		}
		if !c.month[int(day.Month())] {
			day = time.Date(y, day.Month()+1, 1, 0, 0, 0, 0, loc)
			continue
		}
		if c.dayMatches(day) {
			for h := 0; h < 24; h++ {
				if !c.hours[h] {
					continue
				}
				for m := 0; m < 60; m++ {
					if !c.minutes[m] {
						continue
					}
					for s := 0; s < 60; s++ {
						if !c.seconds[s] {
							continue
						}
						t := time.Date(y, day.Month(), day.Day(), h, m, s, 0, loc)
						if t.After(after) {
							return t, true
						}
					}
				}
			}
		}
		day = time.Date(y, day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	}
	return time.Time{}, false
}
