// Package awserr is the AWS error of every simulated service, and the ARN
// helpers that services use to name their resources.
//
// An Error prints as "Code: message", the form in which boto3 users meet AWS
// errors (design.md, contract 2), and scripts test for with catch().
package awserr

import (
	"errors"
	"fmt"
)

// Error is an error that AWS returns: a code such as ClientException and
// AWS's message text.
type Error struct {
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// New returns an Error with the given code and message.
func New(code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Newf returns an Error whose message is formatted.
func Newf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code reports the AWS error code carried by err, or "" if err is not (and
// does not wrap) an *Error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Error codes shared by several services. Service-specific codes live in the
// service's package.
const (
	// ClientException is ECS's code for a request the caller got wrong
	// [API:ClientException].
	ClientException = "ClientException"
	// InvalidParameterException is ECS's code for an invalid parameter
	// [API:InvalidParameterException].
	InvalidParameterException = "InvalidParameterException"
	// ServerException is ECS's code for a server-side failure.
	ServerException = "ServerException"
	// NotSimulated marks an operation that exists in AWS but that this
	// version of ecsbox does not simulate yet; it is ecsbox's own code.
	NotSimulated = "NotSimulated"
)
