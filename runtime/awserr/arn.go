package awserr

import (
	"fmt"
	"strings"
)

// ARN is a parsed Amazon Resource Name:
// arn:partition:service:region:account-id:resource.
type ARN struct {
	Partition string
	Service   string
	Region    string
	AccountID string
	Resource  string
}

// String formats the ARN.
func (a ARN) String() string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", a.Partition, a.Service, a.Region, a.AccountID, a.Resource)
}

// IsARN reports whether s looks like an ARN.
func IsARN(s string) bool {
	return strings.HasPrefix(s, "arn:") && strings.Count(s, ":") >= 5
}

// ParseARN splits an ARN into its parts. The resource part keeps any further
// colons and slashes (task-definition/web:3, role/path/name).
func ParseARN(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return ARN{}, fmt.Errorf("invalid ARN %q", s)
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], AccountID: parts[4], Resource: parts[5]}, nil
}

// MakeARN builds an aws-partition ARN.
func MakeARN(service, region, account, resource string) string {
	return ARN{Partition: "aws", Service: service, Region: region, AccountID: account, Resource: resource}.String()
}
