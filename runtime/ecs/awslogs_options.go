package ecs

import (
	"slices"
	"strings"
)

// The options of the awslogs log driver, as a container definition's
// logConfiguration.options names them [API:LogConfiguration],
// [DG:using_awslogs], reference 12. These names are the one place ecsbox
// spells them: RegisterTaskDefinition checks them (validateAwslogs), the
// driver reads them (setupLogs) and requiresAttributes looks for
// awslogs-create-group.
const (
	awslogsGroup            = "awslogs-group"             // required
	awslogsRegion           = "awslogs-region"            // required
	awslogsStreamPrefix     = "awslogs-stream-prefix"     // required on Fargate
	awslogsCreateGroup      = "awslogs-create-group"      // "true" or absent
	awslogsDatetimeFormat   = "awslogs-datetime-format"   // multiline start, strftime
	awslogsMultilinePattern = "awslogs-multiline-pattern" // multiline start, regexp
	awslogsMode             = "mode"                      // blocking | non-blocking
	awslogsMaxBufferSize    = "max-buffer-size"           // non-blocking buffer
)

// awslogsOptions are the options RegisterTaskDefinition accepts for the
// awslogs driver: those the API reference and the Developer Guide list
// [API:LogConfiguration], [DG:using_awslogs]. Docker's own awslogs driver
// takes more (awslogs-endpoint, awslogs-stream, awslogs-format, ...), but
// ECS refuses them: "Log driver awslogs disallows options: awslogs-endpoint"
// is observed in hashicorp/waypoint (builtin/aws/ecs/platform.go), and
// before ECS took it, the same for awslogs-datetime-format
// (https://github.com/aws/amazon-ecs-agent/issues/872).
var awslogsOptions = []string{
	awslogsGroup, awslogsRegion, awslogsStreamPrefix, awslogsCreateGroup,
	awslogsDatetimeFormat, awslogsMultilinePattern, awslogsMode, awslogsMaxBufferSize,
}

// validateAwslogs checks the options of one container's awslogs
// configuration as RegisterTaskDefinition does, whatever the launch type
// (the Fargate rule, awslogs-stream-prefix, is in fargateProblem). The
// order of the checks when several fail is ecsbox's: AWS's is not known.
func validateAwslogs(lc *LogConfiguration) error {
	if lc == nil || deref(lc.LogDriver) != LogDriverAwslogs {
		return nil
	}
	var unknown []string
	for k := range lc.Options {
		if !slices.Contains(awslogsOptions, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		// https://github.com/aws-samples/amazon-ecs-firelens-examples/issues/83
		// (one option); the list's separator for several is not verified
		return clientErr("Log driver awslogs disallows options: %s", strings.Join(unknown, ", "))
	}
	if lc.Options[awslogsGroup] == "" {
		// https://github.com/terraform-aws-modules/terraform-aws-ecs/issues/206
		return clientErr("Log driver awslogs option '%s' should not be null or empty.", awslogsGroup)
	}
	if lc.Options[awslogsRegion] == "" {
		// text not verified: the awslogs-group text with this option's
		// name; the option is required [API:LogConfiguration], and the
		// agent relies on it (https://github.com/aws/amazon-ecs-agent/pull/4191)
		return clientErr("Log driver awslogs option '%s' should not be null or empty.", awslogsRegion)
	}
	if v, ok := lc.Options[awslogsCreateGroup]; ok && v != "true" {
		// https://github.com/terraform-linters/tflint-ruleset-aws/issues/348
		return clientErr("Log driver awslogs option '%s' should only be set to 'true', else omit option.", awslogsCreateGroup)
	}
	return nil
}

// missingStreamPrefix reports whether an awslogs container has no
// awslogs-stream-prefix, which Fargate requires [API:LogConfiguration],
// reference 12.
func missingStreamPrefix(td *TaskDefinition) bool {
	for _, c := range td.ContainerDefinitions {
		if lc := c.LogConfiguration; lc != nil && deref(lc.LogDriver) == LogDriverAwslogs && lc.Options[awslogsStreamPrefix] == "" {
			return true
		}
	}
	return false
}
