package ecs

import (
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// TestDaemonServiceRefusesDesiredCount: a DAEMON service has no desired
// count to set, in CreateService or UpdateService, not even 0; a REPLICA
// service takes one.
func TestDaemonServiceRefusesDesiredCount(t *testing.T) {
	const daemonText = "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again"
	tests := []struct {
		name     string
		strategy string
		create   *int // desiredCount in CreateService
		update   *int // desiredCount in a later UpdateService (nil: no update)
		want     string
	}{
		{"daemon without a count", "DAEMON", nil, nil, ""},
		{"daemon created with a count", "DAEMON", aws.Int(2), nil, daemonText},
		{"daemon created with 0", "DAEMON", aws.Int(0), nil, daemonText},
		{"daemon updated with a count", "DAEMON", nil, aws.Int(3), daemonText},
		{"daemon updated with 0", "DAEMON", nil, aws.Int(0), daemonText},
		{"replica updated with a count", "REPLICA", aws.Int(1), aws.Int(3), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.clusterWith("demo", 1, "t3.medium")
			w.register(webTask(64))
			_, err := w.ecs.CreateService(&CreateServiceRequest{Cluster: aws.String("demo"), ServiceName: aws.String("agent"),
				TaskDefinition: aws.String("web"), SchedulingStrategy: aws.String(tt.strategy), DesiredCount: tt.create})
			if err == nil && tt.update != nil {
				_, err = w.ecs.UpdateService(&UpdateServiceRequest{Cluster: aws.String("demo"), Service: aws.String("agent"), DesiredCount: tt.update})
			}
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAWSError(t, err, "InvalidParameterException", tt.want)
		})
	}
}
