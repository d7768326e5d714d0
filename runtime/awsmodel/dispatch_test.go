package awsmodel

import (
	"errors"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

type echoRequest struct {
	Name *string `json:"name,omitzero"`
	N    *int    `json:"n,omitzero"`
}

type echoResponse struct {
	Said string `json:"said"`
}

type echoService struct{}

func (echoService) Echo(in *echoRequest) (*echoResponse, error) {
	if in.Name == nil {
		return nil, awserr.New("ClientException", "no name")
	}
	return &echoResponse{Said: *in.Name}, nil
}

func (echoService) Quiet(in *echoRequest) (*struct{}, error) { return nil, nil }

func TestImplementationAndInvoke(t *testing.T) {
	if _, ok := Implementation(nil, "Echo"); ok {
		t.Error("a nil service implements nothing")
	}
	if _, ok := Implementation(echoService{}, "Missing"); ok {
		t.Error("Missing is not a method")
	}
	fn, ok := Implementation(echoService{}, "Echo")
	if !ok {
		t.Fatal("Echo not found")
	}
	out, err := Invoke(fn, Map{{"name", "hi"}, {"n", int64(2)}})
	if err != nil || out.Interface().(*echoResponse).Said != "hi" {
		t.Errorf("Invoke = %v, %v", out, err)
	}
	var aerr *awserr.Error
	if _, err := Invoke(fn, Map{}); !errors.As(err, &aerr) || aerr.Code != "ClientException" {
		t.Errorf("service error = %v", err)
	}
	if _, err := Invoke(fn, Map{{"n", "two"}}); !errors.As(err, &aerr) || aerr.Code != ParamValidationError {
		t.Errorf("undecodable request = %v", err)
	}
	quiet, _ := Implementation(echoService{}, "Quiet")
	if out, err := Invoke(quiet, Map{}); err != nil || out.IsValid() {
		t.Errorf("Quiet = %v, %v; want no output", out, err)
	}
	if err := NotSimulatedf("ecs.x"); err.Error() != "NotSimulated: ecsbox does not simulate ecs.x yet" {
		t.Errorf("NotSimulatedf = %q", err)
	}
}
