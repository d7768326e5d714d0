package cloudwatch

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The texts of this file are AWS's, as alarm notifications, EventBridge
// events and DescribeAlarms output in public repositories show them:
//
//	Threshold Crossed: 1 datapoint [3.0 (11/08/18 10:55:00)] was greater than or equal to the threshold (1.0).
//	Threshold Crossed: 3 out of the last 3 datapoints [1141.0 (09/10/20 21:24:00), 1226.0 (09/10/20 21:19:00),
//	  1390.0 (09/10/20 21:14:00)] were greater than or equal to the threshold (30.0) (minimum 3 datapoints
//	  for OK -> ALARM transition).
//	Threshold Crossed: 2 out of the last 2 datapoints [0.0175 (13/04/21 16:04:00), 0.0157 (13/04/21 16:03:00)]
//	  were not greater than the threshold (40.0) (minimum 1 datapoint for ALARM -> OK transition).
//	Threshold Crossed: 5 datapoints were greater than or equal to the threshold (80.0). The most recent
//	  datapoints which crossed the threshold: [84.9 (03/09/25 06:24:00), ... five values].
//	Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].
//	Threshold Crossed: 1 datapoint [0.0 (20/04/26 18:45:00)] was less than the threshold (1.0) and 1 missing
//	  datapoint was treated as [Breaching].
//	Insufficient Data: 1 datapoint was unknown.
//	Unchecked: Initial alarm creation
//
// The "k out of the last N datapoints ... (minimum M datapoints for ...)"
// form appears on alarms created with DatapointsToAlarm, the "k datapoints"
// form on alarms without it (ecsbox's reading of the examples; AWS does not
// document when it uses which). Datapoints are listed newest first, values
// and thresholds as Java prints doubles (1.0, 0.06, 1.0E7), times as
// dd/MM/yy HH:mm:ss in UTC. Not verified: the long form ("The most recent
// datapoints which crossed the threshold") for 4 datapoints and for the
// "out of the last" form, and the missing-datapoint clause in the "out of
// the last" form.

// initialReason is the StateReason of a new alarm.
const initialReason = "Unchecked: Initial alarm creation"

// inlineDatapoints is the most datapoints a reason lists inline; from five
// on, AWS names the count and lists the five most recent after it.
const inlineDatapoints = 4

// javaDouble formats v as Java's Double.toString does, which is how
// CloudWatch writes values in reasons and reason data: at least one
// fractional digit, and scientific notation below 10^-3 and from 10^7 on.
func javaDouble(v float64) string { return string(appendJavaDouble(nil, v)) }

// appendJavaDouble appends javaDouble(v) to b. Reasons are worded on every
// state change, into a reused buffer, so this appends rather than allocates.
func appendJavaDouble(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "Infinity"...)
	case math.IsInf(v, -1):
		return append(b, "-Infinity"...)
	case v == 0:
		if math.Signbit(v) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	start := len(b)
	if a := math.Abs(v); a >= 1e-3 && a < 1e7 {
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		if !bytes.Contains(b[start:], []byte(".")) {
			b = append(b, ".0"...)
		}
		return b
	}
	// Go writes 1.5e-04; Java 1.5E-4.
	b = strconv.AppendFloat(b, v, 'e', -1, 64)
	e := start + bytes.IndexByte(b[start:], 'e')
	exp, _ := strconv.Atoi(string(b[e+1:]))
	b = b[:e]
	if !bytes.Contains(b[start:], []byte(".")) {
		b = append(b, ".0"...)
	}
	b = append(b, 'E')
	return strconv.AppendInt(b, int64(exp), 10)
}

// reasonTime is the datapoint time format of reasons: 13/04/21 16:04:00.
func reasonTime(ms int64) string { return string(appendReasonTime(nil, ms)) }

func appendReasonTime(b []byte, ms int64) []byte {
	t := time.UnixMilli(ms).UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "02/01/06 15:04:05")
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, day, 2)
	b = append(b, '/')
	b = appendDigits(b, int(month), 2)
	b = append(b, '/')
	b = appendDigits(b, year%100, 2)
	b = append(b, ' ')
	return appendClock(b, hour, minute, sec)
}

// dataTime is the timestamp format of StateReasonData and HistoryData:
// 2021-04-13T16:06:38.066+0000.
func dataTime(t time.Time) string { return string(appendDataTime(nil, t)) }

// appendDataTime appends dataTime(t). The digits are appended one by one
// (AppendFormat reads its layout again on every call, and a state change
// words up to 17 timestamps); years outside 0–9999 go through AppendFormat.
func appendDataTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05.000-0700")
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendClock(b, hour, minute, sec)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3) // truncated, as Format does
	return append(b, "+0000"...)
}

func appendClock(b []byte, hour, minute, sec int) []byte {
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	return appendDigits(b, sec, 2)
}

// appendDigits appends v ≥ 0 with at least width digits.
func appendDigits(b []byte, v, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	buf[i] = byte('0' + v)
	return append(b, buf[i:]...)
}

// comparisonPhrases are the words of each comparison operator in reasons.
var comparisonPhrases = map[string]string{
	ComparisonOperatorGreaterThanOrEqualToThreshold: "greater than or equal to",
	ComparisonOperatorGreaterThanThreshold:          "greater than",
	ComparisonOperatorLessThanThreshold:             "less than",
	ComparisonOperatorLessThanOrEqualToThreshold:    "less than or equal to",
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func listDatapoints(ps []point) string {
	b := make([]byte, 0, 32*len(ps)+2)
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendJavaDouble(b, p.value)
		b = append(b, " ("...)
		b = appendReasonTime(b, p.t)
		b = append(b, ')')
	}
	return string(append(b, ']'))
}

// stateReason words the outcome of an evaluation that set OK or ALARM, or
// INSUFFICIENT_DATA.
func (a *alarm) stateReason(o outcome) string {
	n := a.evaluationPeriods()
	if o.state == StateValueINSUFFICIENTDATA {
		return fmt.Sprintf("Insufficient Data: %d %s unknown.", o.unknown, plural(o.unknown, "datapoint was", "datapoints were"))
	}
	phrase := comparisonPhrases[a.comparison()]
	if o.state == StateValueOK {
		phrase = "not " + phrase
	}
	threshold := "(" + javaDouble(a.threshold()) + ")"
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
			fmt.Fprintf(&b, "%d out of the last %d datapoints %s %s %s the threshold %s%s%s.", k, n, listDatapoints(o.deciding), verb, phrase, threshold, missing, minimum)
		} else {
			fmt.Fprintf(&b, "%d out of the last %d datapoints %s %s the threshold %s%s%s. The most recent datapoints which crossed the threshold: %s.", k, n, verb, phrase, threshold, missing, minimum, listDatapoints(o.deciding[:5]))
		}
		return b.String()
	}
	if k <= inlineDatapoints {
		fmt.Fprintf(&b, "%d %s %s %s %s the threshold %s%s.", k, plural(k, "datapoint", "datapoints"), listDatapoints(o.deciding), verb, phrase, threshold, missing)
	} else {
		fmt.Fprintf(&b, "%d datapoints %s %s the threshold %s%s. The most recent datapoints which crossed the threshold: %s.", k, verb, phrase, threshold, missing, listDatapoints(o.deciding[:5]))
	}
	return b.String()
}

// stateReasonData is the JSON of StateReasonData, keys in AWS's order:
//
//	{"version":"1.0","queryDate":"2021-04-13T16:06:38.066+0000","startDate":"2021-04-13T16:03:00.000+0000",
//	 "statistic":"Average","period":60,"recentDatapoints":[0.0157,0.0175],"threshold":40.0,
//	 "evaluatedDatapoints":[{"timestamp":"2021-04-13T16:04:00.000+0000","sampleCount":1.0,"value":0.0175}]}
//
// recentDatapoints are the evaluated values oldest first; startDate is the
// oldest one's time (absent without datapoints); evaluatedDatapoints are the
// ones the transition needed, newest first. For percentile alarms the key
// "extendedStatistic" replaces "statistic", and metric math alarms have
// neither (not verified).
func (a *alarm) stateReasonData(o outcome, now time.Time) string {
	return string(a.appendStateReasonData(nil, o, now))
}

// appendStateReasonData appends stateReasonData to b: a state change words
// up to 17 datapoints, and appending them costs a fraction of fmt.
func (a *alarm) appendStateReasonData(b []byte, o outcome, now time.Time) []byte {
	b = append(b, `{"version":"1.0","queryDate":"`...)
	b = appendDataTime(b, now)
	b = append(b, '"')
	if len(o.evaluated) > 0 {
		b = append(b, `,"startDate":"`...)
		b = appendDataTime(b, time.UnixMilli(o.evaluated[0].t))
		b = append(b, '"')
	}
	if st := aToString(a.cfg.Statistic); st != "" {
		b = append(b, `,"statistic":"`...)
		b = append(b, st...)
		b = append(b, '"')
	} else if st := aToString(a.cfg.ExtendedStatistic); st != "" {
		b = append(b, `,"extendedStatistic":"`...)
		b = append(b, st...)
		b = append(b, '"')
	}
	b = append(b, `,"period":`...)
	b = strconv.AppendInt(b, int64(a.period()), 10)
	b = append(b, `,"recentDatapoints":[`...)
	for i, p := range o.evaluated {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJavaDouble(b, p.value)
	}
	b = append(b, `],"threshold":`...)
	b = appendJavaDouble(b, a.threshold())
	if len(o.needed) > 0 {
		b = append(b, `,"evaluatedDatapoints":[`...)
		for i, p := range o.needed {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"timestamp":"`...)
			b = appendDataTime(b, time.UnixMilli(p.t))
			b = append(b, `","sampleCount":`...)
			b = appendJavaDouble(b, p.n)
			b = append(b, `,"value":`...)
			b = appendJavaDouble(b, p.value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func aToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
