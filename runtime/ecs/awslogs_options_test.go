package ecs

import (
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// awslogsOpts are valid awslogs options with changes: a key mapped to ""
// stays, as an empty value; remove deletes keys.
func awslogsOpts(set map[string]string, remove ...string) map[string]string {
	o := map[string]string{awslogsGroup: "/ecs/web", awslogsRegion: "us-east-1", awslogsStreamPrefix: "ecs"}
	for k, v := range set {
		o[k] = v
	}
	for _, k := range remove {
		delete(o, k)
	}
	return o
}

// TestAwslogsOptionRefusals registers task definitions whose only fault is
// in the awslogs options, on EC2 and on Fargate, and expects AWS's refusal.
func TestAwslogsOptionRefusals(t *testing.T) {
	const (
		groupEmpty  = "Log driver awslogs option 'awslogs-group' should not be null or empty."
		regionEmpty = "Log driver awslogs option 'awslogs-region' should not be null or empty."
		createGroup = "Log driver awslogs option 'awslogs-create-group' should only be set to 'true', else omit option."
		noPrefix    = "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs."
	)
	tests := []struct {
		name    string
		fargate bool
		opts    map[string]string
		want    string // "" when the definition is accepted
	}{
		{"all options", false, awslogsOpts(map[string]string{
			awslogsCreateGroup: "true", awslogsDatetimeFormat: "%Y-%m-%d", awslogsMode: "non-blocking", awslogsMaxBufferSize: "25m",
		}), ""},
		{"multiline pattern", false, awslogsOpts(map[string]string{awslogsMultilinePattern: "^INFO"}), ""},
		{"no prefix on EC2", false, awslogsOpts(nil, awslogsStreamPrefix), ""},
		{"prefix on Fargate", true, awslogsOpts(nil), ""},
		{"no group", false, awslogsOpts(nil, awslogsGroup), groupEmpty},
		{"empty group", false, awslogsOpts(map[string]string{awslogsGroup: ""}), groupEmpty},
		{"no options at all", false, nil, groupEmpty},
		{"no region", false, awslogsOpts(nil, awslogsRegion), regionEmpty},
		{"empty region", false, awslogsOpts(map[string]string{awslogsRegion: ""}), regionEmpty},
		{"create group false", false, awslogsOpts(map[string]string{awslogsCreateGroup: "false"}), createGroup},
		{"create group True", false, awslogsOpts(map[string]string{awslogsCreateGroup: "True"}), createGroup},
		{"create group empty", false, awslogsOpts(map[string]string{awslogsCreateGroup: ""}), createGroup},
		{"firelens option", false, awslogsOpts(map[string]string{"log_key": "log"}), "Log driver awslogs disallows options: log_key"},
		{"docker's endpoint option", false, awslogsOpts(map[string]string{"awslogs-endpoint": "https://logs.example"}),
			"Log driver awslogs disallows options: awslogs-endpoint"},
		{"several unknown options, sorted", false, awslogsOpts(map[string]string{"tag": "x", "awslogs-stream": "s"}),
			"Log driver awslogs disallows options: awslogs-stream, tag"},
		{"unknown option before a missing group", false, map[string]string{"log_key": "log"}, "Log driver awslogs disallows options: log_key"},
		{"no prefix on Fargate", true, awslogsOpts(nil, awslogsStreamPrefix), noPrefix},
		{"empty prefix on Fargate", true, awslogsOpts(map[string]string{awslogsStreamPrefix: ""}), noPrefix},
		{"missing group on Fargate too", true, awslogsOpts(nil, awslogsGroup, awslogsStreamPrefix), groupEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ec2Request("web")
			if tt.fargate {
				in = fargateRequest("web", "256", "512")
				in.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
			}
			in.ContainerDefinitions[0].LogConfiguration = &LogConfiguration{LogDriver: aws.String(LogDriverAwslogs), Options: tt.opts}
			_, err := newTestECS().RegisterTaskDefinition(in)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAWSError(t, err, "ClientException", tt.want)
		})
	}
}

// TestAwslogsOptionsOnlyForAwslogs: other drivers' options are theirs to
// judge; the awslogs rules do not apply to them.
func TestAwslogsOptionsOnlyForAwslogs(t *testing.T) {
	in := ec2Request("web")
	in.ContainerDefinitions[0].LogConfiguration = &LogConfiguration{LogDriver: aws.String(LogDriverFluentd), Options: map[string]string{"tag": "web"}}
	if _, err := newTestECS().RegisterTaskDefinition(in); err != nil {
		t.Fatal(err)
	}
}

// TestFargatePrefixDecidesCompatibility: an EC2 definition without a stream
// prefix registers, but is not compatible with Fargate.
func TestFargatePrefixDecidesCompatibility(t *testing.T) {
	in := ec2Request("web")
	in.NetworkMode = aws.String(NetworkModeAwsvpc)
	in.Cpu, in.Memory = aws.String("256"), aws.String("512")
	in.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
	in.ContainerDefinitions[0].LogConfiguration = &LogConfiguration{LogDriver: aws.String(LogDriverAwslogs), Options: awslogsOpts(nil, awslogsStreamPrefix)}
	td := mustRegister(t, newTestECS(), in)
	if oneOf(CompatibilityFARGATE, td.Compatibilities) {
		t.Errorf("compatibilities %v include FARGATE without awslogs-stream-prefix", td.Compatibilities)
	}
	in.ContainerDefinitions[0].LogConfiguration.Options = awslogsOpts(nil)
	td = mustRegister(t, newTestECS(), in)
	if !oneOf(CompatibilityFARGATE, td.Compatibilities) {
		t.Errorf("compatibilities %v lack FARGATE with a prefix", td.Compatibilities)
	}
}
