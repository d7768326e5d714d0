package logs

//go:generate go run ../awsmodel/awsgen -service logs -package logs -ops CreateLogGroup,DescribeLogGroups,DeleteLogGroup,PutRetentionPolicy,DeleteRetentionPolicy,CreateLogStream,DeleteLogStream,DescribeLogStreams,PutLogEvents,GetLogEvents,FilterLogEvents,TagResource,UntagResource,ListTagsForResource -o types_gen.go
