package cloudwatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// The wording of reasons as first written, with fmt and strings, kept as
// the reference the faster wording of reason.go must match byte for byte.

func refJavaDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(v); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

func refReasonTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("02/01/06 15:04:05")
}

func refDataTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000-0700")
}

func refListDatapoints(ps []point) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = refJavaDouble(p.value) + " (" + refReasonTime(p.t) + ")"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func refStateReason(a *alarm, o outcome) string {
	n := a.evaluationPeriods()
	if o.state == StateValueINSUFFICIENTDATA {
		return fmt.Sprintf("Insufficient Data: %d %s unknown.", o.unknown, plural(o.unknown, "datapoint was", "datapoints were"))
	}
	phrase := comparisonPhrases[a.comparison()]
	if o.state == StateValueOK {
		phrase = "not " + phrase
	}
	threshold := "(" + refJavaDouble(a.threshold()) + ")"
	fill := "NonBreaching"
	if o.fillBreaching {
		fill = "Breaching"
	}
	missing := ""
	if o.filled > 0 {
		missing = fmt.Sprintf(" and %d missing %s treated as [%s]", o.filled, plural(o.filled, "datapoint was", "datapoints were"), fill)
	}
	k := len(o.deciding)
	if k == 0 {
		return fmt.Sprintf("Threshold Crossed: no datapoints were received for %d %s and %d missing %s treated as [%s].",
			o.filled, plural(o.filled, "period", "periods"), o.filled, plural(o.filled, "datapoint was", "datapoints were"), fill)
	}
	verb := plural(k, "was", "were")
	var b strings.Builder
	b.WriteString("Threshold Crossed: ")
	if a.cfg.DatapointsToAlarm != nil {
		transition, need := "OK -> ALARM", a.datapointsToAlarm()
		if o.state == StateValueOK {
			transition, need = "ALARM -> OK", n-a.datapointsToAlarm()+1
		}
		minimum := fmt.Sprintf(" (minimum %d %s for %s transition)", need, plural(need, "datapoint", "datapoints"), transition)
		if k <= inlineDatapoints {
			fmt.Fprintf(&b, "%d out of the last %d datapoints %s %s %s the threshold %s%s%s.", k, n, refListDatapoints(o.deciding), verb, phrase, threshold, missing, minimum)
		} else {
			fmt.Fprintf(&b, "%d out of the last %d datapoints %s %s the threshold %s%s%s. The most recent datapoints which crossed the threshold: %s.", k, n, verb, phrase, threshold, missing, minimum, refListDatapoints(o.deciding[:5]))
		}
		return b.String()
	}
	if k <= inlineDatapoints {
		fmt.Fprintf(&b, "%d %s %s %s %s the threshold %s%s.", k, plural(k, "datapoint", "datapoints"), refListDatapoints(o.deciding), verb, phrase, threshold, missing)
	} else {
		fmt.Fprintf(&b, "%d datapoints %s %s the threshold %s%s. The most recent datapoints which crossed the threshold: %s.", k, verb, phrase, threshold, missing, refListDatapoints(o.deciding[:5]))
	}
	return b.String()
}

func refStateReasonData(a *alarm, o outcome, now time.Time) string {
	var b strings.Builder
	b.WriteString(`{"version":"1.0","queryDate":"` + refDataTime(now) + `"`)
	if len(o.evaluated) > 0 {
		b.WriteString(`,"startDate":"` + refDataTime(time.UnixMilli(o.evaluated[0].t)) + `"`)
	}
	if st := aToString(a.cfg.Statistic); st != "" {
		b.WriteString(`,"statistic":"` + st + `"`)
	} else if st := aToString(a.cfg.ExtendedStatistic); st != "" {
		b.WriteString(`,"extendedStatistic":"` + st + `"`)
	}
	fmt.Fprintf(&b, `,"period":%d,"recentDatapoints":[`, a.period())
	for i, p := range o.evaluated {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(refJavaDouble(p.value))
	}
	b.WriteString(`],"threshold":` + refJavaDouble(a.threshold()))
	if len(o.needed) > 0 {
		b.WriteString(`,"evaluatedDatapoints":[`)
		for i, p := range o.needed {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"timestamp":"%s","sampleCount":%s,"value":%s}`, refDataTime(time.UnixMilli(p.t)), refJavaDouble(p.n), refJavaDouble(p.value))
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.String()
}

// TestReasonTimesAtYearEdges: the digits written by hand and AppendFormat
// meet at years 0 and 9999.
func TestReasonTimesAtYearEdges(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 23, 59, 59, 999e6, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(5, 3, 4, 5, 6, 7, 8e6, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)),
	} {
		if got, want := dataTime(at), refDataTime(at); got != want {
			t.Errorf("dataTime(%v) = %s, want %s", at, got, want)
		}
		if got, want := reasonTime(at.UnixMilli()), refReasonTime(at.UnixMilli()); got != want {
			t.Errorf("reasonTime(%v) = %s, want %s", at, got, want)
		}
	}
}

// TestReasonsMatchReference words random outcomes of random alarms both ways.
func TestReasonsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []float64{0, -0.0, 1, -3, 0.06, 72.5, 1e7, 9999999, 1.5e-4, 0.001, 0.000999, 1e-300, 1e300, 123456789.125, -2.5e-9,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}
	value := func() float64 {
		if r.IntN(2) == 0 {
			return values[r.IntN(len(values))]
		}
		return (r.Float64() - 0.3) * math.Pow(10, float64(r.IntN(14)-5))
	}
	ops := append(append([]string{}, simulatedComparisons...), "")
	treats := append(append([]string{}, treatMissingValues...), "")
	for i := range 5000 {
		n := 1 + r.IntN(20)
		var m *int
		if r.IntN(2) == 0 {
			m = aws.Int(1 + r.IntN(n))
		}
		in := cpuAlarm("a", value(), n, m, treats[r.IntN(len(treats))])
		in.ComparisonOperator = aws.String(ops[r.IntN(len(ops))])
		switch r.IntN(4) {
		case 0:
			in.Statistic, in.ExtendedStatistic = nil, aws.String("p99.5")
		case 1:
			in.Statistic = nil
		}
		in.Period = aws.Int([]int{10, 60, 300, 86400}[r.IntN(4)])
		a := alarmOf(in)
		a.breach = a.breaches()
		rangeLen := n + evaluationRangeExtra
		start := int64(r.IntN(1 << 40))
		if r.IntN(10) == 0 {
			start = -int64(r.IntN(1 << 46)) // before 1970, and years before 0
		}
		var pts []point
		for k := range rangeLen {
			if r.IntN(4) > 0 {
				pts = append(pts, point{t: start + int64(k)*60_000 + int64(r.IntN(1000)), value: value(), n: float64(1 + r.IntN(3)), idx: k})
			}
		}
		o := decide(pts, rangeLen, n, a.datapointsToAlarm(), a.treatMissing(), a.breach, nil)
		if o.state == "" {
			o.state = []string{StateValueOK, StateValueALARM, StateValueINSUFFICIENTDATA}[r.IntN(3)]
		}
		now := time.UnixMilli(start + int64(rangeLen)*60_000 + 5000)
		if got, want := a.stateReason(o), refStateReason(a, o); got != want {
			t.Fatalf("case %d: stateReason\n got %s\nwant %s", i, got, want)
		}
		if got, want := a.stateReasonData(o, now), refStateReasonData(a, o, now); got != want {
			t.Fatalf("case %d: stateReasonData\n got %s\nwant %s", i, got, want)
		}
		v := value()
		if got, want := javaDouble(v), refJavaDouble(v); got != want {
			t.Fatalf("javaDouble(%v) = %s, want %s", v, got, want)
		}
		ms := r.Int64N(1<<49) - 1<<48 // years from about −6950 to 10890
		if got, want := reasonTime(ms), refReasonTime(ms); got != want {
			t.Fatalf("reasonTime(%d) = %s, want %s", ms, got, want)
		}
		if got, want := dataTime(time.UnixMilli(ms)), refDataTime(time.UnixMilli(ms)); got != want {
			t.Fatalf("dataTime(%d) = %s, want %s", ms, got, want)
		}
	}
}
