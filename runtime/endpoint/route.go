package endpoint

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// route finds the service, protocol and operation of a request and decodes
// its parameters.
func (s *Server) route(c *call, r *http.Request, body []byte) (awsmodel.Map, error) {
	// Smithy RPC v2 CBOR: POST /service/{ServiceName}/operation/{Operation}.
	if svcName, opName, ok := rpcPath(r.URL.Path); ok && strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor") {
		c.protocol, c.opName = protoCBOR, opName
		sv := s.byTarget[svcName]
		if sv == nil || !sv.speaks(protoCBOR) {
			return nil, awserr.Newf("UnknownOperationException", "ecsbox serves no service %s over Smithy RPC v2 CBOR", svcName)
		}
		if err := c.operation(sv); err != nil {
			return nil, err
		}
		var v cbor.Value
		if len(body) > 0 {
			var err error
			if v, err = cbor.Decode(body); err != nil {
				return nil, awserr.New("SerializationException", "the request body is not CBOR: "+err.Error())
			}
		}
		return decodeInput(sv.model, c.op, fromCBOR(v))
	}

	// JSON: X-Amz-Target: Prefix.Operation.
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		c.protocol = protoJSON
		prefix, opName, _ := strings.Cut(target, ".")
		c.opName = opName
		sv := s.byTarget[prefix]
		if sv == nil || !sv.speaks(protoJSON) {
			// AWS answers a target it does not know with this code and no
			// message (text not verified).
			return nil, awserr.Newf("UnknownOperationException", "ecsbox serves no JSON service with the target prefix %q", prefix)
		}
		if err := c.operation(sv); err != nil {
			return nil, err
		}
		var v any
		if len(bytes.TrimSpace(body)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return nil, awserr.New("SerializationException", "the request body is not JSON: "+err.Error())
			}
		}
		return decodeInput(sv.model, c.op, v)
	}

	// Query and EC2: a form, in the body (POST) or the URL (GET).
	c.protocol = protoQuery
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, awserr.New("MalformedQueryString", err.Error())
	}
	for k, vs := range r.URL.Query() {
		if !strings.HasPrefix(k, "X-Amz-") {
			form[k] = append(form[k], vs...)
		}
	}
	action, version := form.Get("Action"), form.Get("Version")
	c.opName = action
	sv := s.bySigning[signedScope(r).service]
	if sv == nil || !(sv.speaks(protoQuery) || sv.speaks(protoEC2)) {
		sv = s.byVersion[version]
	}
	if sv == nil {
		// AWS's common error for an action the service does not have
		// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
		return nil, awserr.Newf("InvalidAction", "The action %s is not valid for this web service.", action)
	}
	if sv.speaks(protoEC2) {
		c.protocol = protoEC2
	}
	if err := c.operation(sv); err != nil {
		return nil, err
	}
	return decodeQuery(sv.model, c.op, form, c.protocol == protoEC2)
}

// operation sets the call's service and looks up its operation.
func (c *call) operation(sv *service) error {
	c.svc = sv
	op, ok := sv.model.Operations[c.opName]
	if !ok {
		if c.protocol == protoQuery || c.protocol == protoEC2 {
			return awserr.Newf("InvalidAction", "The action %s is not valid for this web service.", c.opName)
		}
		return awserr.Newf("UnknownOperationException", "%s has no operation %q", sv.Title, c.opName)
	}
	c.op = op
	return nil
}

// rpcPath splits /service/{ServiceName}/operation/{Operation}.
func rpcPath(p string) (svc, op string, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 4 || parts[len(parts)-4] != "service" || parts[len(parts)-2] != "operation" {
		return "", "", false
	}
	return parts[len(parts)-3], parts[len(parts)-1], true
}
