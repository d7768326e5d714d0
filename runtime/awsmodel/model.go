// Package awsmodel reads the botocore API models embedded in ecsbox and puts
// them to work: the boto3 name of every operation, parameter validation worded
// exactly as botocore words it, and the documentation that help() shows.
//
// The models in models/ are botocore's service-2.json and paginators-1.json
// files (Apache License 2.0, see models/LICENSE.txt and models/NOTICE). They
// are the authority on member names, types and required members; a service
// model is parsed the first time it is used, so start-up pays for none.
package awsmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Model is one service's API model.
type Model struct {
	Metadata      Metadata              `json:"metadata"`
	Operations    map[string]*Operation `json:"operations"`
	Shapes        map[string]*Shape     `json:"shapes"`
	Documentation string                `json:"documentation"`

	// byMethod maps boto3 method names (register_task_definition) to
	// operations; filled by Load.
	byMethod map[string]*Operation
}

// Metadata is the model's metadata block.
type Metadata struct {
	APIVersion         string    `json:"apiVersion"`
	EndpointPrefix     string    `json:"endpointPrefix"`
	JSONVersion        string    `json:"jsonVersion"`
	Protocol           string    `json:"protocol"`
	Protocols          []string  `json:"protocols"`
	ServiceFullName    string    `json:"serviceFullName"`
	ServiceID          string    `json:"serviceId"`
	SigningName        string    `json:"signingName"`
	TargetPrefix       string    `json:"targetPrefix"`
	ServiceAbbrev      string    `json:"serviceAbbreviation"`
	XMLNamespace       string    `json:"xmlNamespace"`
	SignatureVersion   string    `json:"signatureVersion"`
	AWSQueryCompatible *struct{} `json:"awsQueryCompatible"`
}

// Operation is an API action.
type Operation struct {
	Name          string     `json:"name"`
	Input         *ShapeRef  `json:"input"`
	Output        *ShapeRef  `json:"output"`
	Errors        []ShapeRef `json:"errors"`
	Documentation string     `json:"documentation"`
	Deprecated    bool       `json:"deprecated"`

	// Method is the boto3 method name; filled by Load.
	Method string `json:"-"`
}

// ShapeRef points at a shape, with the member's own documentation.
type ShapeRef struct {
	Shape         string `json:"shape"`
	Documentation string `json:"documentation"`
	LocationName  string `json:"locationName"`
	Deprecated    bool   `json:"deprecated"`

	// The wire details of the query and XML protocols (runtime/endpoint):
	// EC2's request name of a member, the element that wraps a query
	// response, and whether a list is written without a wrapping element.
	QueryName     string `json:"queryName"`
	ResultWrapper string `json:"resultWrapper"`
	Flattened     bool   `json:"flattened"`
}

// Shape is a type in the model: structure, list, map or a scalar.
type Shape struct {
	Type          string    `json:"type"`
	Required      []string  `json:"required"`
	Members       Members   `json:"members"`
	Member        *ShapeRef `json:"member"`
	Key           *ShapeRef `json:"key"`
	Value         *ShapeRef `json:"value"`
	Min           *float64  `json:"min"`
	Max           *float64  `json:"max"`
	Enum          []string  `json:"enum"`
	Pattern       string    `json:"pattern"`
	Documentation string    `json:"documentation"`
	Exception     bool      `json:"exception"`
	Document      bool      `json:"document"`
	Union         bool      `json:"union"`
	Flattened     bool      `json:"flattened"`
	Fault         bool      `json:"fault"`
	// Error is an exception's code and HTTP status on the query protocols.
	Error *ErrorInfo `json:"error"`
}

// ErrorInfo is an exception shape's "error" block.
type ErrorInfo struct {
	Code           string `json:"code"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	SenderFault    bool   `json:"senderFault"`
}

// Member is one named member of a structure.
type Member struct {
	Name string
	ShapeRef
}

// Members are a structure's members in the order the model lists them (the
// order botocore uses in "must be one of" lists).
type Members []Member

// UnmarshalJSON keeps the members in document order.
func (ms *Members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("awsmodel: member name is %T", tok)
		}
		var ref ShapeRef
		if err := dec.Decode(&ref); err != nil {
			return err
		}
		*ms = append(*ms, Member{Name: name, ShapeRef: ref})
	}
	return nil
}

// Find returns the member called name.
func (ms Members) Find(name string) (Member, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

// Names lists the member names in model order.
func (ms Members) Names() []string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return names
}

// IsRequired reports whether the structure requires member name.
func (s *Shape) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// Shape returns the named shape, or nil.
func (m *Model) Shape(name string) *Shape { return m.Shapes[name] }

// Method returns the operation whose boto3 method name is method.
func (m *Model) Method(method string) (*Operation, bool) {
	op, ok := m.byMethod[method]
	return op, ok
}

// InputShape returns the operation's input structure; an operation without
// input gets an empty structure, as botocore treats it.
func (m *Model) InputShape(op *Operation) *Shape {
	if op.Input == nil {
		return &Shape{Type: "structure"}
	}
	return m.Shapes[op.Input.Shape]
}
