package cloudwatch

import (
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
func javaDouble(v float64) string {
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

// reasonTime is the datapoint time format of reasons: 13/04/21 16:04:00.
func reasonTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("02/01/06 15:04:05")
}

// dataTime is the timestamp format of StateReasonData and HistoryData:
// 2021-04-13T16:06:38.066+0000.
func dataTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000-0700")
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
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = javaDouble(p.value) + " (" + reasonTime(p.t) + ")"
	}
	return "[" + strings.Join(parts, ", ") + "]"
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
	var b strings.Builder
	b.WriteString(`{"version":"1.0","queryDate":"` + dataTime(now) + `"`)
	if len(o.evaluated) > 0 {
		b.WriteString(`,"startDate":"` + dataTime(time.UnixMilli(o.evaluated[0].t)) + `"`)
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
		b.WriteString(javaDouble(p.value))
	}
	b.WriteString(`],"threshold":` + javaDouble(a.threshold()))
	if len(o.needed) > 0 {
		b.WriteString(`,"evaluatedDatapoints":[`)
		for i, p := range o.needed {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"timestamp":"%s","sampleCount":%s,"value":%s}`, dataTime(time.UnixMilli(p.t)), javaDouble(p.n), javaDouble(p.value))
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.String()
}

func aToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
