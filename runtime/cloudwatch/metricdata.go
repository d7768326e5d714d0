package cloudwatch

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// GetMetricData and metric math alarms share one query engine. A query
// either retrieves a metric (MetricStat) or computes an expression over
// other queries' results. ecsbox evaluates arithmetic (+ - * / with
// parentheses and unary minus) on query ids and numbers; the metric math
// functions (SUM, FILL, METRICS(), IF, ...) and Metrics Insights queries are
// refused as not simulated.
//
// Arithmetic on two time series keeps the timestamps both have; with a
// number it applies to every datapoint; a division by zero drops the
// datapoint (ecsbox's choices; AWS documents the result of arithmetic on
// misaligned series only loosely).

// idPattern: "The valid characters are letters, numbers, and underscore. The
// first character must be a lowercase letter." [API:MetricDataQuery] (Id).
var idPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// query is one compiled MetricDataQuery.
type query struct {
	index      int
	id, label  string
	returnData bool
	// MetricStat
	stat   string
	key    [3]string // namespace, name
	dims   []Dim
	unit   int
	period int64 // ms
	// Expression
	expr node
}

type compiled struct {
	queries []*query
	byID    map[string]*query
}

// compileQueries checks the queries and parses their expressions. Texts not
// verified.
func compileQueries(in []MetricDataQuery) (*compiled, error) {
	c := &compiled{byID: map[string]*query{}}
	for i, q := range in {
		member := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		id := aws.ToString(q.Id)
		if !idPattern.MatchString(id) {
			return nil, validationError("The value %s for parameter %s.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.", id, member)
		}
		if _, dup := c.byID[id]; dup {
			return nil, validationError("The value %s for parameter %s.Id is a duplicate: query ids must be unique.", id, member)
		}
		if q.AccountId != nil {
			return nil, notSimulated("cross-account metric queries (AccountId) yet")
		}
		cq := &query{index: i, id: id, label: aws.ToString(q.Label), returnData: q.ReturnData == nil || *q.ReturnData, unit: -1}
		switch {
		case q.MetricStat != nil && q.Expression != nil:
			return nil, validationError("%s must specify either Expression or MetricStat, not both.", member)
		case q.MetricStat != nil:
			ms := q.MetricStat
			if ms.Metric == nil || ms.Period == nil || aws.ToString(ms.Stat) == "" {
				return nil, missingParameter("%s.MetricStat must specify Metric, Period and Stat.", member)
			}
			if !validStat(*ms.Stat) {
				return nil, notSimulated("the statistic %s yet (ecsbox computes SampleCount, Average, Sum, Minimum, Maximum and percentiles pNN)", *ms.Stat)
			}
			if *ms.Period < 1 {
				return nil, validationError("The parameter %s.MetricStat.Period must be greater than 0.", member)
			}
			if u := aws.ToString(ms.Unit); u != "" {
				if !oneOf(u, standardUnits) {
					return nil, enumError(lowerFirst(member)+".metricStat.unit", u, standardUnits)
				}
				cq.unit = int(unitCode(u))
			}
			cq.stat = *ms.Stat
			cq.key = [3]string{aws.ToString(ms.Metric.Namespace), aws.ToString(ms.Metric.MetricName)}
			cq.dims = dimsOf(ms.Metric.Dimensions)
			cq.period = int64(*ms.Period) * 1000
			if cq.label == "" {
				cq.label = cq.key[1]
			}
		case q.Expression != nil:
			e, err := parseExpression(*q.Expression)
			if err != nil {
				return nil, err
			}
			cq.expr = e
			if q.Period != nil {
				cq.period = int64(*q.Period) * 1000
			}
			if cq.label == "" {
				cq.label = id
			}
		default:
			return nil, validationError("%s must specify either Expression or MetricStat.", member)
		}
		c.queries = append(c.queries, cq)
		c.byID[id] = cq
	}
	// References must name queries, without cycles.
	state := map[string]int{}
	var visit func(q *query) error
	visit = func(q *query) error {
		switch state[q.id] {
		case 1:
			return validationError("Circular reference in the expression of %s.", q.id)
		case 2:
			return nil
		}
		state[q.id] = 1
		for _, ref := range refs(q.expr) {
			r, ok := c.byID[ref]
			if !ok {
				return validationError("Unknown query id %s in the expression of %s.", ref, q.id)
			}
			if err := visit(r); err != nil {
				return err
			}
		}
		state[q.id] = 2
		return nil
	}
	for _, q := range c.queries {
		if err := visit(q); err != nil {
			return nil, err
		}
	}
	// An expression without its own Period takes its first metric's.
	for _, q := range c.queries {
		if q.expr != nil && q.period == 0 {
			q.period = c.periodOf(q)
		}
	}
	return c, nil
}

func (c *compiled) periodOf(q *query) int64 {
	if q.period != 0 {
		return q.period
	}
	for _, ref := range refs(q.expr) {
		if p := c.periodOf(c.byID[ref]); p != 0 {
			return p
		}
	}
	return 60_000
}

// result is one query's time series, timestamps ascending.
type result struct {
	id, label string
	returned  bool
	ts        []int64
	vs        []float64
}

// runQueries computes every query over [start, end), results in query order.
func (c *CloudWatch) runQueries(q *compiled, start, end int64) []result {
	memo := map[string]*series1{}
	var eval func(cq *query) *series1
	eval = func(cq *query) *series1 {
		if r, ok := memo[cq.id]; ok {
			return r
		}
		r := &series1{}
		if cq.expr == nil {
			s := c.lookup(cq.key[0], cq.key[1], cq.dims)
			from := start / cq.period * cq.period
			s.buckets(from, end, cq.period, func(t int64, seg []sample) {
				if a, ok := aggregate(seg, cq.unit); ok {
					r.ts = append(r.ts, t)
					r.vs = append(r.vs, a.value(cq.stat, seg, cq.unit))
				}
			})
		} else {
			r = cq.expr.eval(func(id string) *series1 { return eval(q.byID[id]) })
		}
		memo[cq.id] = r
		return r
	}
	out := make([]result, 0, len(q.queries))
	for _, cq := range q.queries {
		r := eval(cq)
		out = append(out, result{id: cq.id, label: cq.label, returned: cq.returnData, ts: r.ts, vs: r.vs})
	}
	return out
}

// GetMetricData limits [API:GetMetricData]: "as many as 500
// MetricDataQuery structures"; MaxDatapoints "the default of 100,800".
const (
	maxQueries           = 500
	defaultMaxDatapoints = 100_800
)

// GetMetricData runs metric queries [API:GetMetricData]. Results come in the
// order of the queries that return data, each with StatusCode Complete and
// its datapoints newest first (ScanBy TimestampDescending, the default) or
// oldest first. When more than MaxDatapoints datapoints result, they are
// paged in that order with NextToken.
func (c *CloudWatch) GetMetricData(in *GetMetricDataInput) (*GetMetricDataOutput, error) {
	if in == nil || in.StartTime == nil || in.EndTime == nil {
		return nil, missingParameter("The parameters MetricDataQueries, StartTime and EndTime are required.")
	}
	if len(in.MetricDataQueries) > maxQueries {
		return nil, validationError("The collection MetricDataQueries must not contain more than %d items.", maxQueries)
	}
	scan := aws.ToString(in.ScanBy)
	if scan == "" {
		scan = ScanByTimestampDescending // "the default of TimestampDescending"
	}
	if scan != ScanByTimestampDescending && scan != ScanByTimestampAscending {
		return nil, enumError("scanBy", scan, []string{ScanByTimestampDescending, ScanByTimestampAscending})
	}
	limit := defaultMaxDatapoints
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints < 1 {
			return nil, validationError("The parameter MaxDatapoints must be greater than 0.")
		}
		limit = *in.MaxDatapoints
	}
	q, err := compileQueries(in.MetricDataQueries)
	if err != nil {
		return nil, err
	}
	now := c.now()
	for i, cq := range q.queries {
		if cq.expr == nil {
			if err := checkPeriod(fmt.Sprintf("MetricDataQueries.member.%d.MetricStat.Period", i+1), int(cq.period/1000), in.StartTime.Time, now); err != nil {
				return nil, err
			}
		}
	}
	start := roundStart(in.StartTime.Time, now, 60)
	if !start.Before(in.EndTime.Time) {
		return nil, validationError("The parameter StartTime must be less than the parameter EndTime.")
	}
	skip := 0
	if tok := aws.ToString(in.NextToken); tok != "" {
		s, err := decodeToken("GetMetricData", tok)
		if err == nil {
			skip, err = strconv.Atoi(s)
		}
		if err != nil {
			return nil, awserr.New(InvalidNextToken, "The next token specified is invalid.")
		}
	}
	out := &GetMetricDataOutput{MetricDataResults: []MetricDataResult{}, Messages: []MessageData{}}
	seen, taken := 0, 0
	for _, r := range c.runQueries(q, start.UnixMilli(), in.EndTime.UnixMilli()) {
		if !r.returned {
			continue
		}
		res := MetricDataResult{Id: aws.String(r.id), Label: aws.String(r.label), Timestamps: []aws.Time{}, Values: []float64{},
			StatusCode: aws.String(StatusCodeComplete), Messages: []MessageData{}}
		n := len(r.ts)
		for k := range n {
			i := n - 1 - k
			if scan == ScanByTimestampAscending {
				i = k
			}
			seen++
			if seen <= skip {
				continue
			}
			if taken == limit {
				tok := encodeToken("GetMetricData", strconv.Itoa(skip+taken))
				out.NextToken = &tok
				break
			}
			taken++
			res.Timestamps = append(res.Timestamps, *aws.NewTime(time.UnixMilli(r.ts[i])))
			res.Values = append(res.Values, r.vs[i])
		}
		if out.NextToken != nil && len(res.Values) == 0 {
			break
		}
		out.MetricDataResults = append(out.MetricDataResults, res)
		if out.NextToken != nil {
			break
		}
	}
	return out, nil
}
