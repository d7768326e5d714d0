package endpoint

import (
	"encoding/base64"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// The runtime's API takes what boto3 users pass, before botocore's
// customisations; on the wire the request arrives after them. The endpoint
// undoes the ones that change a value:
//
//	ec2.RunInstances, autoscaling.CreateLaunchConfiguration
//	    UserData arrives base64-encoded (botocore's handlers.py
//	    base64_encode_user_data; the Go SDK and the CLI's JSON input leave
//	    the encoding to the caller, who must do it for EC2 to accept it)
var userDataDecoded = map[string]bool{
	"ec2.RunInstances":                      true,
	"autoscaling.CreateLaunchConfiguration": true,
}

// undoCustomisations rewrites params in place.
func undoCustomisations(c *call, params awsmodel.Map) {
	if !userDataDecoded[c.svc.Module+"."+c.op.Name] {
		return
	}
	for i, e := range params {
		if e.Key != "UserData" {
			continue
		}
		if s, ok := e.Value.(string); ok {
			if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
				params[i].Value = string(raw)
			}
		}
	}
}
