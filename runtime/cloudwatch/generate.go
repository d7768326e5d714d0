package cloudwatch

//go:generate go run ../awsmodel/awsgen -service cloudwatch -package cloudwatch -ops PutMetricData,GetMetricStatistics,GetMetricData,ListMetrics,PutMetricAlarm,DescribeAlarms,DescribeAlarmsForMetric,DescribeAlarmHistory,DeleteAlarms,SetAlarmState,EnableAlarmActions,DisableAlarmActions,ListTagsForResource -o types_gen.go
