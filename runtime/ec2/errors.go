package ec2

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// EC2 error codes used here, as EC2 spells them [EC2-API:errors-overview].
const (
	InvalidParameterValue             = "InvalidParameterValue"
	InvalidParameterCombination       = "InvalidParameterCombination"
	MissingParameter                  = "MissingParameter"
	InvalidAMIIDNotFound              = "InvalidAMIID.NotFound"
	InvalidAMIIDMalformed             = "InvalidAMIID.Malformed"
	InvalidInstanceIDNotFound         = "InvalidInstanceID.NotFound"
	InvalidInstanceIDMalformed        = "InvalidInstanceID.Malformed"
	InvalidSubnetIDNotFound           = "InvalidSubnetID.NotFound"
	InvalidVpcIDNotFound              = "InvalidVpcID.NotFound"
	InvalidGroupNotFound              = "InvalidGroup.NotFound"
	InvalidNetworkInterfaceIDNotFound = "InvalidNetworkInterfaceID.NotFound"
	InvalidInstanceType               = "InvalidInstanceType"
	IncorrectInstanceState            = "IncorrectInstanceState"
	InsufficientFreeAddressesInSubnet = "InsufficientFreeAddressesInSubnet"
	InvalidNextToken                  = "InvalidNextToken"
)

func invalidValue(format string, args ...any) error {
	return awserr.Newf(InvalidParameterValue, format, args...)
}

// notFoundIDs words the refusal of unknown IDs the way EC2 does for one ID
// ("The instance ID 'i-1' does not exist", verified in
// aws/aws-sdk-java#911) and, by the same pattern, for several ("The
// instance IDs 'i-1, i-2' do not exist"; plural text not verified).
func notFoundIDs(code, noun string, ids []string) error {
	if len(ids) == 1 {
		return awserr.Newf(code, "The %s '%s' does not exist", noun, ids[0])
	}
	return awserr.Newf(code, "The %ss '%s' do not exist", noun, strings.Join(ids, ", "))
}

// malformedID is EC2's refusal of an ID that is not of the resource's form:
// `Invalid id: "ma1"` (verified for DescribeInstances and StopInstances,
// ClusterLabs/cluster-glue#29).
func malformedID(code, id string) error {
	return awserr.Newf(code, "Invalid id: \"%s\"", id)
}

// validID reports whether id is prefix-, then 8 or 17 lower-case hex digits,
// the two forms of EC2 resource IDs.
func validID(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || (len(rest) != 8 && len(rest) != 17) {
		return false
	}
	for _, c := range rest {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
