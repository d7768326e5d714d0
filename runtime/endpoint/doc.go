// Package endpoint is the HTTP face of the simulated account, parallel to
// the Starlark builtins: the AWS CLI, boto3 and the AWS SDKs talk to it as
// they talk to AWS, over the wire protocol each service's botocore model
// declares, and reach the same runtime services by the same dispatch
// (awsmodel.Implementation and awsmodel.Invoke) as the builtins do.
//
// Protocols (metadata.protocol / metadata.protocols of the embedded models):
//
//	json        ECS, ECR, Application Auto Scaling, CloudWatch Logs, SSM,
//	            Cloud Map (JSON 1.1), and CloudWatch (JSON 1.0): POST with
//	            X-Amz-Target: Prefix.Operation; errors {"__type", "message"}
//	query       IAM, EC2 Auto Scaling, Elastic Load Balancing, CloudWatch:
//	            form-encoded Action=...&Version=... (member.N, entry.N.key,
//	            nested dots); XML <OpResponse><OpResult>; errors
//	            <ErrorResponse><Error><Type><Code><Message>
//	ec2         EC2's query dialect: lists as Name.N, member names from
//	            queryName/locationName; XML with <item> lists; errors
//	            <Response><Errors><Error>
//	rpcv2-cbor  CloudWatch as the Go SDK of today calls it (Smithy RPC v2
//	            CBOR: POST /service/S/operation/Op), encoded with
//	            github.com/aws/smithy-go/encoding/cbor
//
// Request members are decoded by the model (types, timestamps as epoch
// seconds in JSON and CBOR and ISO 8601 in query, blobs in base64), checked
// for required members as AWS services check them (each protocol's
// validation error), then decoded into the runtime's request structs.
// Responses are written from the runtime's response structs, walking the
// operation's output shape for member names, locationNames and types (files
// json.go, query.go, cbor.go).
//
// Routing: X-Amz-Target (JSON), the Smithy RPC v2 path (CBOR), Action with
// the service from the SigV4 credential scope of the Authorization header
// or, failing that, from the API Version (query). Signatures are parsed, not
// verified: any access key and secret are accepted. The scope's region must
// be the account's (IAM, a global service, is exempt); a request for
// another region is refused with WrongRegion.
//
// The runtime is not safe for concurrent use: every call, and the ecsbox
// routes (/_ecsbox/health, POST /_ecsbox/advance?duration=15m), run under
// the one lock of Config.Lock, which the REPL and the clock share.
package endpoint
