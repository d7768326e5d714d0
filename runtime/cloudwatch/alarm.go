package cloudwatch

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// alarm is one metric alarm: its configuration as PutMetricAlarm last set
// it, and its state.
type alarm struct {
	// The fields an evaluation reads come first, together, most of them
	// resolved from cfg once per configuration (resolve): each of the 400
	// alarms of a day of 200 services is evaluated every minute, starting
	// cold in the cache, and each pointer of cfg followed was a cache miss.

	// gen counts configurations; a scheduled evaluation of an older
	// configuration (or of a deleted alarm) does nothing.
	gen     int
	deleted bool
	state   string
	// periodMs, n (EvaluationPeriods), m (DatapointsToAlarm), treat
	// (TreatMissingData), math (a metric math alarm), breach (the
	// comparison), stat and unit (the statistic and unit code, -1 for any)
	// are cfg's, resolved; repeats says, by state (stateIndex), whether an
	// evaluation that keeps that state invokes actions again.
	periodMs int64
	n, m     int
	treat    string
	math     bool
	repeats  [3]bool
	breach   func(float64) bool
	stat     statSpec
	unit     int
	// series is the single metric once it has data, found once rather than
	// at each evaluation; window keeps the points of the last evaluation
	// (evaluate.go).
	series *series
	window window
	// tick, boundary and eventName are the scheduled evaluation (evaluate.go).
	tick      func()
	boundary  int64
	eventName string

	name, arn string
	cfg       PutMetricAlarmInput
	tags      []Tag

	reason, reasonData string
	// stateUpdated is the last change of state or reason (a SetAlarmState to
	// the same state updates it); stateTransitioned the last change of state.
	stateUpdated, stateTransitioned, configUpdated time.Time

	// dims is the single metric's dimension set.
	dims []Dim
}

// Defaults of PutMetricAlarm [API:PutMetricAlarm]: ActionsEnabled "The
// default is TRUE"; TreatMissingData "If TreatMissingData is omitted, the
// default behavior of missing is used"; DatapointsToAlarm is only for "M out
// of N" alarms, so without it M = N.
func (a *alarm) actionsEnabled() bool   { return a.cfg.ActionsEnabled == nil || *a.cfg.ActionsEnabled }
func (a *alarm) evaluationPeriods() int { return aws.ToInt(a.cfg.EvaluationPeriods) }
func (a *alarm) threshold() float64     { return aws.ToFloat64(a.cfg.Threshold) }
func (a *alarm) comparison() string     { return aws.ToString(a.cfg.ComparisonOperator) }

func (a *alarm) datapointsToAlarm() int {
	if a.cfg.DatapointsToAlarm != nil {
		return *a.cfg.DatapointsToAlarm
	}
	return a.evaluationPeriods()
}

func (a *alarm) treatMissing() string {
	if t := aws.ToString(a.cfg.TreatMissingData); t != "" {
		return t
	}
	return treatMissing
}

// period is the alarm's period in seconds: Period, or for metric math the
// period of the query that returns data (its own Period, or its MetricStat's).
func (a *alarm) period() int {
	if a.cfg.Period != nil {
		return *a.cfg.Period
	}
	for _, q := range a.cfg.Metrics {
		if aws.ToBool(q.ReturnData) || len(a.cfg.Metrics) == 1 {
			if q.Period != nil {
				return *q.Period
			}
			if q.MetricStat != nil && q.MetricStat.Period != nil {
				return *q.MetricStat.Period
			}
		}
	}
	for _, q := range a.cfg.Metrics {
		if q.MetricStat != nil && q.MetricStat.Period != nil {
			return *q.MetricStat.Period
		}
	}
	return 60
}

// statistic is the single metric's statistic: Statistic or ExtendedStatistic.
func (a *alarm) statistic() string {
	if s := aws.ToString(a.cfg.Statistic); s != "" {
		return s
	}
	return aws.ToString(a.cfg.ExtendedStatistic)
}

// TreatMissingData values [API:PutMetricAlarm] ("Valid Values: breaching |
// notBreaching | ignore | missing").
const (
	treatBreaching    = "breaching"
	treatNotBreaching = "notBreaching"
	treatIgnore       = "ignore"
	treatMissing      = "missing"
)

var treatMissingValues = []string{treatBreaching, treatNotBreaching, treatIgnore, treatMissing}

var simulatedComparisons = []string{
	ComparisonOperatorGreaterThanOrEqualToThreshold, ComparisonOperatorGreaterThanThreshold,
	ComparisonOperatorLessThanThreshold, ComparisonOperatorLessThanOrEqualToThreshold,
}

var anomalyComparisons = []string{
	ComparisonOperatorLessThanLowerOrGreaterThanUpperThreshold,
	ComparisonOperatorLessThanLowerThreshold, ComparisonOperatorGreaterThanUpperThreshold,
}

// PutMetricAlarm limits [API:PutMetricAlarm]: five actions per state
// (ResourceList max 5), 50 tags, a name of at most 255 characters, at most
// 10 metrics in a metric math alarm ("A math expression used for an alarm
// can include as many as 10 metrics" [CW-UG:AlarmThatSendsEmail]); and
// "The number of evaluation periods for an alarm multiplied by the length
// of each evaluation period cannot exceed one day" [CW-UG:AlarmThatSendsEmail]
// (2019–2023 text; AWS has since allowed up to 7 days for periods of an hour
// or more, which ecsbox does not model).
const (
	maxActions         = 5
	maxTags            = 50
	maxAlarmName       = 255
	maxAlarmMetrics    = 10
	maxEvaluationRange = 24 * 60 * 60
)

// PutMetricAlarm creates an alarm, or replaces the configuration of an
// existing one. "When this operation creates an alarm, the alarm state is
// immediately set to INSUFFICIENT_DATA. ... When you update an existing
// alarm, its state is left unchanged, but the update completely overwrites
// the previous configuration of the alarm." [API:PutMetricAlarm]. Tags are
// kept from creation: "If you are using this operation to update an existing
// alarm, any tags you specify in this parameter are ignored."
func (c *CloudWatch) PutMetricAlarm(in *PutMetricAlarmInput) (*struct{}, error) {
	if in == nil {
		in = &PutMetricAlarmInput{}
	}
	if err := c.validateAlarm(in); err != nil {
		return nil, err
	}
	now := c.now()
	name := *in.AlarmName
	a, exists := c.alarms[name]
	var before []byte
	if !exists {
		a = &alarm{
			name: name, arn: c.alarmARN(name),
			state: StateValueINSUFFICIENTDATA, reason: initialReason,
			stateUpdated: now, stateTransitioned: now,
			tags: cloneTags(in.Tags),
		}
		c.alarms[name] = a
	} else {
		before = a.configJSON()
	}
	a.cfg = clonePutMetricAlarm(in)
	a.dims = dimsOf(in.Dimensions)
	a.series = nil
	a.resolve()
	a.configUpdated = now
	a.gen++
	if exists {
		c.addHistory(a, HistoryItemTypeConfigurationUpdate, `Alarm "`+name+`" updated`,
			`{"version":"1.0","type":"Update","updatedAlarm":`+string(a.configJSON())+`,"originalAlarm":`+string(before)+`}`)
	} else {
		c.addHistory(a, HistoryItemTypeConfigurationUpdate, `Alarm "`+name+`" created`,
			`{"version":"1.0","type":"Create","createdAlarm":`+string(a.configJSON())+`}`)
		c.sim.Record("cloudwatch", "AlarmCreated", a.arn, "alarm "+name+" created: "+a.describeCondition())
	}
	c.schedule(a)
	return nil, nil
}

// validateAlarm applies what botocore leaves to CloudWatch. Texts are not
// verified unless a source is given.
func (c *CloudWatch) validateAlarm(in *PutMetricAlarmInput) error {
	name := aws.ToString(in.AlarmName)
	if name == "" {
		return missingParameter("The parameter AlarmName is required.")
	}
	if len(name) > maxAlarmName {
		return validationError("1 validation error detected: Value '%s' at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to %d", name, maxAlarmName)
	}
	if in.EvaluationCriteria != nil || in.EvaluationInterval != nil {
		return notSimulated("PromQL alarms (EvaluationCriteria, EvaluationInterval) yet")
	}
	if in.EvaluationWindow != nil {
		return notSimulated("the CloudWatch member EvaluationWindow yet")
	}
	if in.ThresholdMetricId != nil || oneOf(aws.ToString(in.ComparisonOperator), anomalyComparisons) {
		return notSimulated("anomaly detection alarms (ThresholdMetricId, %s) yet", strings.Join(anomalyComparisons, ", "))
	}
	for _, l := range []struct {
		member string
		arns   []string
	}{{"oKActions", in.OKActions}, {"alarmActions", in.AlarmActions}, {"insufficientDataActions", in.InsufficientDataActions}} {
		if len(l.arns) > maxActions {
			return validationError("1 validation error detected: Value '[%s]' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(l.arns, ", "), l.member, maxActions)
		}
		for _, arn := range l.arns {
			if !awserr.IsARN(arn) {
				return validationError("Invalid arn syntax: %s", arn)
			}
		}
	}
	if len(in.Tags) > maxTags {
		return validationError("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", maxTags)
	}
	if aws.ToString(in.MetricName) != "" && len(in.Metrics) > 0 {
		return validationError("Only one of MetricName and Metrics may be specified.")
	}
	if aws.ToString(in.MetricName) == "" && len(in.Metrics) == 0 {
		return validationError("One of MetricName and Metrics must be specified.")
	}
	if len(in.Metrics) > 0 {
		if err := c.validateMathAlarm(in); err != nil {
			return err
		}
	} else {
		if aws.ToString(in.Namespace) == "" {
			return missingParameter("The parameter Namespace is required.")
		}
		st, ext := aws.ToString(in.Statistic), aws.ToString(in.ExtendedStatistic)
		switch {
		case st != "" && ext != "":
			return invalidCombination("The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.")
		case st == "" && ext == "":
			return missingParameter("One of the parameters Statistic and ExtendedStatistic must be specified.")
		case st != "" && !oneOf(st, statistics):
			return enumError("statistic", st, statistics)
		case ext != "":
			if _, ok := parsePercentile(ext); !ok {
				return notSimulated("the extended statistic %s yet (only percentiles pNN)", ext)
			}
		}
		if in.Period == nil {
			return validationError("Period must not be null")
		}
		if err := checkAlarmPeriod("Period", *in.Period); err != nil {
			return err
		}
		if u := aws.ToString(in.Unit); u != "" && !oneOf(u, standardUnits) {
			return enumError("unit", u, standardUnits)
		}
	}
	if in.EvaluationPeriods == nil {
		return validationError("EvaluationPeriods must not be null")
	}
	n := *in.EvaluationPeriods
	if n < 1 {
		return validationError("1 validation error detected: Value '%d' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
	}
	if m := in.DatapointsToAlarm; m != nil {
		if *m < 1 {
			return validationError("1 validation error detected: Value '%d' at 'datapointsToAlarm' failed to satisfy constraint: Member must have value greater than or equal to 1", *m)
		}
		if *m > n {
			// verified: hashicorp/terraform#24070
			return validationError("DatapointsToAlarm must be less than or equal to EvaluationPeriods")
		}
	}
	period := (&alarm{cfg: *in}).period()
	if n*period > maxEvaluationRange {
		return validationError("The evaluation period multiplied by the number of evaluation periods must not exceed one day (%d seconds).", maxEvaluationRange)
	}
	if in.Threshold == nil {
		return validationError("Threshold must not be null")
	}
	if math.IsNaN(*in.Threshold) || math.IsInf(*in.Threshold, 0) {
		return validationError("The value %s for parameter Threshold is invalid.", javaDouble(*in.Threshold))
	}
	op := aws.ToString(in.ComparisonOperator)
	if op == "" {
		return validationError("ComparisonOperator must not be null")
	}
	if !oneOf(op, simulatedComparisons) {
		return enumError("comparisonOperator", op, append(slices.Clone(simulatedComparisons), anomalyComparisons...))
	}
	if t := aws.ToString(in.TreatMissingData); t != "" && !oneOf(t, treatMissingValues) {
		return validationError("The value %s for parameter TreatMissingData is invalid. Valid values: %s.", t, strings.Join(treatMissingValues, " | "))
	}
	if e := aws.ToString(in.EvaluateLowSampleCountPercentile); e != "" && e != "evaluate" && e != "ignore" {
		return validationError("The value %s for parameter EvaluateLowSampleCountPercentile is invalid. Valid values: evaluate | ignore.", e)
	}
	return nil
}

// checkAlarmPeriod: "Valid values are 10, 20, 30, and any multiple of 60"
// [API:PutMetricAlarm] (Period). Text not verified.
func checkAlarmPeriod(member string, p int) error {
	if p == 10 || p == 20 || p == 30 || (p >= 60 && p%60 == 0) {
		return nil
	}
	return validationError("The parameter %s must be 10, 20, 30 or a multiple of 60.", member)
}

// validateMathAlarm checks a Metrics alarm: "If you use the Metrics
// parameter, you cannot include the Namespace, MetricName, Dimensions,
// Period, Unit, Statistic, or ExtendedStatistic parameters"; one query has
// ReturnData true [API:PutMetricAlarm] (Metrics, [API:MetricDataQuery]);
// "Each metric must be using the same period" [CW-UG:AlarmThatSendsEmail].
func (c *CloudWatch) validateMathAlarm(in *PutMetricAlarmInput) error {
	if in.Namespace != nil || len(in.Dimensions) > 0 || in.Period != nil || in.Unit != nil || in.Statistic != nil || in.ExtendedStatistic != nil {
		return invalidCombination("The parameters Namespace, Dimensions, Period, Unit, Statistic and ExtendedStatistic cannot be used with Metrics.")
	}
	stats := 0
	returning := 0
	period := 0
	for _, q := range in.Metrics {
		if aws.ToBool(q.ReturnData) || (q.ReturnData == nil && len(in.Metrics) == 1) {
			returning++
		}
		if q.MetricStat != nil {
			stats++
			p := aws.ToInt(q.MetricStat.Period)
			if err := checkAlarmPeriod("Metrics.MetricStat.Period", p); err != nil {
				return err
			}
			if period != 0 && p != period {
				return validationError("All metrics in an alarm must use the same period.")
			}
			period = p
		}
	}
	if stats > maxAlarmMetrics {
		return validationError("An alarm can use at most %d metrics.", maxAlarmMetrics)
	}
	if returning != 1 {
		return validationError("Exactly one element of the metrics list should return data.")
	}
	if _, err := compileQueries(in.Metrics); err != nil {
		return err
	}
	return nil
}

// describe returns the MetricAlarm shape of the alarm.
func (a *alarm) describe() MetricAlarm {
	cfg := clonePutMetricAlarm(&a.cfg)
	m := MetricAlarm{
		AlarmName:                          aws.String(a.name),
		AlarmArn:                           aws.String(a.arn),
		AlarmDescription:                   cfg.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: aws.NewTime(a.configUpdated),
		ActionsEnabled:                     aws.Bool(a.actionsEnabled()),
		OKActions:                          nonNil(cfg.OKActions),
		AlarmActions:                       nonNil(cfg.AlarmActions),
		InsufficientDataActions:            nonNil(cfg.InsufficientDataActions),
		StateValue:                         aws.String(a.state),
		StateReason:                        aws.String(a.reason),
		StateUpdatedTimestamp:              aws.NewTime(a.stateUpdated),
		StateTransitionedTimestamp:         aws.NewTime(a.stateTransitioned),
		MetricName:                         cfg.MetricName,
		Namespace:                          cfg.Namespace,
		Statistic:                          cfg.Statistic,
		ExtendedStatistic:                  cfg.ExtendedStatistic,
		Period:                             cfg.Period,
		Unit:                               cfg.Unit,
		EvaluationPeriods:                  cfg.EvaluationPeriods,
		DatapointsToAlarm:                  cfg.DatapointsToAlarm,
		Threshold:                          cfg.Threshold,
		ComparisonOperator:                 cfg.ComparisonOperator,
		TreatMissingData:                   cfg.TreatMissingData,
		EvaluateLowSampleCountPercentile:   cfg.EvaluateLowSampleCountPercentile,
		Metrics:                            cfg.Metrics,
	}
	if a.reasonData != "" {
		m.StateReasonData = aws.String(a.reasonData)
	}
	if len(cfg.Metrics) == 0 {
		m.Dimensions = nonNil(cfg.Dimensions)
	}
	return m
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// DescribeAlarms page sizes: MaxRecords 1 to 100 (service-2.json); 50 when
// absent (ecsbox's choice; AWS does not document its default).
const (
	defaultMaxRecords = 50
	maxMaxRecords     = 100
	maxAlarmNames     = 100
)

var alarmTypes = []string{AlarmTypeCompositeAlarm, AlarmTypeMetricAlarm, AlarmTypeLogAlarm}

// DescribeAlarms lists the metric alarms that match the filters, by name.
// ecsbox has no composite or log alarms, so CompositeAlarms is always
// empty, and so are ChildrenOfAlarmName and ParentsOfAlarmName queries.
func (c *CloudWatch) DescribeAlarms(in *DescribeAlarmsInput) (*DescribeAlarmsOutput, error) {
	if in == nil {
		in = &DescribeAlarmsInput{}
	}
	if len(in.AlarmNames) > 0 && in.AlarmNamePrefix != nil {
		// "If this parameter is specified, you cannot specify AlarmNames."
		// [API:DescribeAlarms] (AlarmNamePrefix); text not verified
		return nil, invalidCombination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.")
	}
	if len(in.AlarmNames) > maxAlarmNames {
		return nil, validationError("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to %d", maxAlarmNames)
	}
	if s := aws.ToString(in.StateValue); s != "" && !oneOf(s, stateValues) {
		return nil, enumError("stateValue", s, stateValues)
	}
	size, err := maxRecords(in.MaxRecords)
	if err != nil {
		return nil, err
	}
	wantMetric := len(in.AlarmTypes) == 0
	for _, t := range in.AlarmTypes {
		if !oneOf(t, alarmTypes) {
			return nil, enumError("alarmTypes.member", t, alarmTypes)
		}
		wantMetric = wantMetric || t == AlarmTypeMetricAlarm
	}
	out := &DescribeAlarmsOutput{MetricAlarms: []MetricAlarm{}, CompositeAlarms: []CompositeAlarm{}}
	if !wantMetric || in.ChildrenOfAlarmName != nil || in.ParentsOfAlarmName != nil {
		return out, nil
	}
	var names []string
	for _, name := range c.alarmNames() {
		a := c.alarms[name]
		switch {
		case len(in.AlarmNames) > 0 && !slices.Contains(in.AlarmNames, name):
			continue
		case in.AlarmNamePrefix != nil && !strings.HasPrefix(name, *in.AlarmNamePrefix):
			continue
		case in.StateValue != nil && a.state != *in.StateValue:
			continue
		case in.ActionPrefix != nil && !a.hasActionPrefix(*in.ActionPrefix):
			continue
		}
		names = append(names, name)
	}
	start, end, next, err := paginate("DescribeAlarms", names, in.NextToken, size)
	if err != nil {
		return nil, err
	}
	for _, name := range names[start:end] {
		out.MetricAlarms = append(out.MetricAlarms, c.alarms[name].describe())
	}
	out.NextToken = next
	return out, nil
}

var stateValues = []string{StateValueOK, StateValueALARM, StateValueINSUFFICIENTDATA}

func maxRecords(p *int) (int, error) {
	if p == nil {
		return defaultMaxRecords, nil
	}
	if *p < 1 || *p > maxMaxRecords {
		// standard validation wording; text not verified for CloudWatch
		return 0, validationError("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and %d", *p, maxMaxRecords)
	}
	return *p, nil
}

func (a *alarm) hasActionPrefix(prefix string) bool {
	for _, l := range [][]string{a.cfg.OKActions, a.cfg.AlarmActions, a.cfg.InsufficientDataActions} {
		for _, arn := range l {
			if strings.HasPrefix(arn, prefix) {
				return true
			}
		}
	}
	return false
}

// alarmNames returns the names of the alarms, sorted: every listing and
// every decision that visits all alarms goes in this order.
func (c *CloudWatch) alarmNames() []string {
	names := make([]string, 0, len(c.alarms))
	for name := range c.alarms {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// DescribeAlarmsForMetric returns the single-metric alarms on a metric
// [API:DescribeAlarmsForMetric], optionally narrowed by statistic,
// extended statistic, exact dimension set, period and unit. Metric math
// alarms are not returned (ecsbox's simplification).
func (c *CloudWatch) DescribeAlarmsForMetric(in *DescribeAlarmsForMetricInput) (*DescribeAlarmsForMetricOutput, error) {
	if in == nil {
		in = &DescribeAlarmsForMetricInput{}
	}
	out := &DescribeAlarmsForMetricOutput{MetricAlarms: []MetricAlarm{}}
	key := metricKey(aws.ToString(in.Namespace), aws.ToString(in.MetricName), dimsOf(in.Dimensions))
	for _, name := range c.alarmNames() {
		a := c.alarms[name]
		if len(a.cfg.Metrics) > 0 || aws.ToString(a.cfg.Namespace) != aws.ToString(in.Namespace) || aws.ToString(a.cfg.MetricName) != aws.ToString(in.MetricName) {
			continue
		}
		if in.Dimensions != nil && metricKey(aws.ToString(a.cfg.Namespace), aws.ToString(a.cfg.MetricName), a.dims) != key {
			continue
		}
		if (in.Statistic != nil && aws.ToString(a.cfg.Statistic) != *in.Statistic) ||
			(in.ExtendedStatistic != nil && aws.ToString(a.cfg.ExtendedStatistic) != *in.ExtendedStatistic) ||
			(in.Period != nil && aws.ToInt(a.cfg.Period) != *in.Period) ||
			(in.Unit != nil && aws.ToString(a.cfg.Unit) != *in.Unit) {
			continue
		}
		out.MetricAlarms = append(out.MetricAlarms, a.describe())
	}
	return out, nil
}

// DeleteAlarms deletes alarms. "If you specify any incorrect alarm names,
// the alarms you specify with correct names are still deleted."
// [API:DeleteAlarms]; ecsbox answers without error in that case. History
// stays: "CloudWatch retains the history of an alarm even if you delete the
// alarm." [API:DescribeAlarmHistory].
func (c *CloudWatch) DeleteAlarms(in *DeleteAlarmsInput) (*struct{}, error) {
	if in == nil {
		return nil, nil
	}
	if len(in.AlarmNames) > maxAlarmNames {
		// "You can delete up to 100 alarms in one operation." [API:DeleteAlarms]; text not verified
		return nil, validationError("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to %d", maxAlarmNames)
	}
	for _, name := range in.AlarmNames {
		a, ok := c.alarms[name]
		if !ok {
			continue
		}
		a.deleted = true
		a.gen++
		delete(c.alarms, name)
		c.addHistory(a, HistoryItemTypeConfigurationUpdate, `Alarm "`+name+`" deleted`,
			`{"version":"1.0","type":"Delete","deletedAlarm":`+string(a.configJSON())+`}`)
		c.sim.Record("cloudwatch", "AlarmDeleted", a.arn, "alarm "+name+" deleted")
	}
	return nil, nil
}

// EnableAlarmActions turns actions on for the named alarms; unknown names
// are skipped (ecsbox's choice; AWS documents no error).
func (c *CloudWatch) EnableAlarmActions(in *EnableAlarmActionsInput) (*struct{}, error) {
	if in != nil {
		c.setActionsEnabled(in.AlarmNames, true)
	}
	return nil, nil
}

// DisableAlarmActions turns actions off: the alarm still changes state, but
// invokes nothing.
func (c *CloudWatch) DisableAlarmActions(in *DisableAlarmActionsInput) (*struct{}, error) {
	if in != nil {
		c.setActionsEnabled(in.AlarmNames, false)
	}
	return nil, nil
}

func (c *CloudWatch) setActionsEnabled(names []string, on bool) {
	for _, name := range names {
		if a, ok := c.alarms[name]; ok && a.actionsEnabled() != on {
			a.cfg.ActionsEnabled = aws.Bool(on)
			a.resolve()
			verb := map[bool]string{true: "enabled", false: "disabled"}[on]
			c.sim.Record("cloudwatch", "AlarmActions", a.arn, "alarm "+name+": actions "+verb)
		}
	}
}

// ListTagsForResource returns the tags of an alarm, given its ARN.
func (c *CloudWatch) ListTagsForResource(in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	arn := ""
	if in != nil {
		arn = aws.ToString(in.ResourceARN)
	}
	for _, a := range c.alarms {
		if a.arn == arn {
			return &ListTagsForResourceOutput{Tags: nonNil(cloneTags(a.tags))}, nil
		}
	}
	// text not verified
	return nil, awserr.Newf(ResourceNotFoundException, "The specified resource %s does not exist.", arn)
}

// AlarmInfo is an alarm as other simulated services and sim.explain see it.
type AlarmInfo struct {
	Name, ARN string
	// State is OK, ALARM or INSUFFICIENT_DATA; Reason and ReasonData are
	// StateReason and StateReasonData.
	State, Reason, ReasonData string
	StateUpdated              time.Time
	Threshold                 float64
	ComparisonOperator        string
	// Namespace, MetricName, Dims and Statistic describe a single-metric
	// alarm (empty for metric math alarms).
	Namespace, MetricName   string
	Dims                    []Dim
	Statistic               string
	Unit                    string
	Description             string
	Period                  time.Duration
	EvaluationPeriods       int
	DatapointsToAlarm       int
	TreatMissingData        string
	ActionsEnabled          bool
	AlarmActions            []string
	OKActions               []string
	InsufficientDataActions []string
}

// Alarm returns an alarm's state and configuration.
func (c *CloudWatch) Alarm(name string) (AlarmInfo, bool) {
	a, ok := c.alarms[name]
	if !ok {
		return AlarmInfo{}, false
	}
	return AlarmInfo{
		Name: a.name, ARN: a.arn,
		State: a.state, Reason: a.reason, ReasonData: a.reasonData, StateUpdated: a.stateUpdated,
		Threshold: a.threshold(), ComparisonOperator: a.comparison(),
		Namespace: aws.ToString(a.cfg.Namespace), MetricName: aws.ToString(a.cfg.MetricName),
		Dims: slices.Clone(a.dims), Statistic: a.statistic(),
		Unit: aws.ToString(a.cfg.Unit), Description: aws.ToString(a.cfg.AlarmDescription),
		Period:            time.Duration(a.period()) * time.Second,
		EvaluationPeriods: a.evaluationPeriods(), DatapointsToAlarm: a.datapointsToAlarm(),
		TreatMissingData: a.treatMissing(), ActionsEnabled: a.actionsEnabled(),
		AlarmActions: slices.Clone(a.cfg.AlarmActions), OKActions: slices.Clone(a.cfg.OKActions),
		InsufficientDataActions: slices.Clone(a.cfg.InsufficientDataActions),
	}, true
}

// describeCondition words the alarm's rule for the timeline:
// "CPUUtilization Average > 50 for 3 of 3 datapoints of 60s".
func (a *alarm) describeCondition() string {
	ops := map[string]string{
		ComparisonOperatorGreaterThanOrEqualToThreshold: ">=", ComparisonOperatorGreaterThanThreshold: ">",
		ComparisonOperatorLessThanThreshold: "<", ComparisonOperatorLessThanOrEqualToThreshold: "<=",
	}
	metric := aws.ToString(a.cfg.MetricName) + " " + a.statistic()
	if len(a.cfg.Metrics) > 0 {
		metric = "metric math"
	}
	return metric + " " + ops[a.comparison()] + " " + javaDouble(a.threshold()) + " for " +
		itoa(a.datapointsToAlarm()) + " of " + itoa(a.evaluationPeriods()) + " datapoints of " + itoa(a.period()) + "s"
}
