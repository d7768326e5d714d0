// Package cloudwatch simulates the metrics and metric alarms of Amazon
// CloudWatch for one account and region, on the simulated clock.
//
// Each exported method named after a CloudWatch API action takes that
// action's input struct (types_gen.go, generated from the botocore model,
// whose shapes are named XxxInput/XxxOutput) and returns its output struct,
// or an *awserr.Error with CloudWatch's code and message. Actions without an
// output shape return (*struct{}, error) with a nil struct.
//
// Simulated actions and where they live:
//
//	metric.go      PutMetricData, ListMetrics, and the Go API Publish; the metric store
//	samples.go     the datapoints of one metric
//	statistics.go  GetMetricStatistics, the Go API Series, statistics per period
//	metricdata.go  GetMetricData, with MetricStat queries and arithmetic expressions
//	alarm.go       PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms,
//	               EnableAlarmActions, DisableAlarmActions, ListTagsForResource,
//	               and the Go API Alarm
//	evaluate.go    alarm evaluation on the simulated clock, SetAlarmState
//	reason.go      AWS's StateReason and StateReasonData texts
//	history.go     DescribeAlarmHistory and the Go API AlarmHistory
//	action.go      alarm actions: OnAction, ActionEvent
//	pagination.go  NextToken handling
//
// Sources: the CloudWatch API model (service-2.json) and the CloudWatch User
// Guide, "Using Amazon CloudWatch alarms" ([CW-UG:AlarmThatSendsEmail],
// awsdocs/amazon-cloudwatch-user-guide doc_source/AlarmThatSendsEmail.md,
// 2019–2023 versions), "Alarm actions" ([CW-UG:alarm-actions]).
//
// Other simulated services use the Go API: ECS publishes AWS/ECS metrics with
// Publish, the scaling services create their alarms with PutMetricAlarm and
// receive alarm actions through OnAction; plots read Series.
//
// Storage: the raw datapoints of each metric (namespace, name and dimension
// set) are kept in time order (samples.go: one slice, then blocks of 512);
// statistics are computed per period on demand, finding the first datapoint
// by binary search. Nothing is aggregated in advance, so any period and
// statistic can be asked for later. An alarm keeps the points of its last
// evaluation, so that the next one computes only the period that is new.
package cloudwatch

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the CloudWatch service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
}

// CloudWatch is the simulated CloudWatch service of one account and region.
type CloudWatch struct {
	sim *sim.Sim
	id  aws.Identity

	// series holds every metric by its key (see metricKey); metrics are
	// never removed, so alarms may keep a pointer to theirs.
	series map[string]*series
	// keyBuf is reused to build keys for lookups (appendMetricKey);
	// published is the metric of the last Publish.
	keyBuf    []byte
	published *series
	// alarms holds the metric alarms by name.
	alarms map[string]*alarm
	// handlers receive the actions whose ARN starts with their prefix.
	handlers []actionHandler
	// history holds the alarm history items of every alarm, deleted ones
	// included, oldest first.
	history historyLog
	// pointBuf and valueBuf are reused by alarm evaluations, which run one
	// at a time, so that a day of 400 alarms does not allocate per minute.
	pointBuf  []point
	valueBuf  []float64
	decideBuf []point
	// textBuf is reused to word the reason data of state changes.
	textBuf []byte
}

// New returns the CloudWatch service of an account with no metrics and no
// alarms.
func New(cfg Config) *CloudWatch {
	if cfg.Sim == nil {
		cfg.Sim = sim.New(sim.Config{})
	}
	if cfg.Identity.AccountID == "" {
		cfg.Identity = aws.DefaultIdentity()
	}
	return &CloudWatch{
		sim:    cfg.Sim,
		id:     cfg.Identity,
		series: map[string]*series{},
		alarms: map[string]*alarm{},
	}
}

func (c *CloudWatch) now() time.Time { return c.sim.Now() }

// alarmARN is arn:aws:cloudwatch:<region>:<account>:alarm:<name>
// [API:MetricAlarm] (AlarmArn; e.g. "arn:aws:cloudwatch:us-east-1:
// 123456789012:alarm:my-alarm-name" in AWS's EventBridge examples).
func (c *CloudWatch) alarmARN(name string) string {
	return "arn:aws:cloudwatch:" + c.id.Region + ":" + c.id.AccountID + ":alarm:" + name
}
