package endpoint

import (
	"errors"
	"net/http"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// writeError answers a failed call in its protocol's error form:
//
//	json   {"__type": "ClientException", "message": "..."}
//	cbor   the same map, in CBOR
//	query  <ErrorResponse><Error><Type>Sender</Type><Code>..</Code>
//	       <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
//	ec2    <Response><Errors><Error><Code>..</Code><Message>..</Message>
//	       </Error></Errors><RequestID>..</RequestID></Response>
//
// The HTTP status is the one the model gives the exception (IAM's
// NoSuchEntity is 404), 500 for a service fault, else 400. An error that is
// not an AWS error is ecsbox's own failure: InternalFailure, 500.
func (s *Server) writeError(w http.ResponseWriter, c *call, err error) {
	code, message, status, sender := "InternalFailure", err.Error(), http.StatusInternalServerError, false
	typeName := "" // the exception's shape name, which JSON and CBOR name it by
	var aerr *awserr.Error
	if errors.As(err, &aerr) {
		code, message, status, sender = aerr.Code, aerr.Message, http.StatusBadRequest, true
		if code == awsmodel.ParamValidationError {
			code = "ValidationException"
			if c.protocol == protoQuery {
				code = "ValidationError"
			}
		}
		if c.svc != nil {
			if name, shape := exceptionShape(c.svc.model, code); shape != nil {
				typeName = name
				if shape.Error != nil && shape.Error.HTTPStatusCode != 0 {
					status = shape.Error.HTTPStatusCode
				}
				if shape.Fault {
					status, sender = http.StatusInternalServerError, false
				}
			}
		}
	}
	h := w.Header()
	h.Set("X-Amzn-Requestid", c.requestID)
	switch c.protocol {
	case protoJSON, protoCBOR:
		// A service that moved from query to JSON names its errors by shape
		// (InvalidParameterValueException) and keeps the query code
		// (InvalidParameterValue) in a header its old clients read.
		if c.svc != nil && c.svc.model.Metadata.AWSQueryCompatible != nil {
			fault := "Sender"
			if !sender {
				fault = "Receiver"
			}
			h.Set("X-Amzn-Query-Error", code+";"+fault)
			if typeName != "" {
				code = typeName
			}
		}
		h.Set("X-Amzn-Errortype", code)
		if c.protocol == protoCBOR {
			h.Set("Smithy-Protocol", "rpc-v2-cbor")
			h.Set("Content-Type", "application/cbor")
			w.WriteHeader(status)
			w.Write(cbor.Encode(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)}))
			return
		}
		h.Set("Content-Type", "application/x-amz-json-1.1")
		if c.svc != nil {
			h.Set("Content-Type", "application/x-amz-json-"+jsonVersion(c.svc))
		}
		w.WriteHeader(status)
		var b jsonBuffer
		b.WriteString(`{"__type":`)
		b.str(code)
		b.WriteString(`,"message":`)
		b.str(message)
		b.WriteString("}")
		w.Write(b.Bytes())
	case protoEC2:
		h.Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		var b xmlBuffer
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Errors><Error>")
		b.element("Code", code)
		b.element("Message", message)
		b.WriteString("</Error></Errors>")
		b.element("RequestID", c.requestID)
		b.WriteString("</Response>")
		w.Write(b.Bytes())
	default:
		h.Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		var b xmlBuffer
		ns := ""
		if c.svc != nil {
			ns = ` xmlns="` + namespace(c.svc) + `"`
		}
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<ErrorResponse" + ns + "><Error>")
		fault := "Sender"
		if !sender {
			fault = "Receiver"
		}
		b.element("Type", fault)
		b.element("Code", code)
		b.element("Message", message)
		b.WriteString("</Error>")
		b.element("RequestId", c.requestID)
		b.WriteString("</ErrorResponse>")
		w.Write(b.Bytes())
	}
}

// exceptionShape finds the exception a code names: the shape of that name,
// or the one whose query error code it is.
func exceptionShape(m *awsmodel.Model, code string) (string, *awsmodel.Shape) {
	if shape := m.Shape(code); shape != nil && shape.Exception {
		return code, shape
	}
	for name, shape := range m.Shapes {
		if shape.Exception && shape.Error != nil && shape.Error.Code == code {
			return name, shape
		}
	}
	return "", nil
}
