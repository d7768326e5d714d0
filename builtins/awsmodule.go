package builtins

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// awsModule is the Starlark module of one AWS service (ecs, ec2, ...): one
// function per API action, named as boto3 names it. The service's model is
// parsed on first use, so an unused module costs nothing at start-up.
type awsModule struct {
	svc     awsmodel.Service
	impl    any // the runtime service value, or nil
	once    sync.Once
	model   *awsmodel.Model
	err     error
	methods map[string]*starlark.Builtin
	// extras are the AWS CLI customisations that have no API action, offered
	// under their CLI name (design.md): ecr.get_login_password.
	extras map[string]*starlark.Builtin
}

var _ starlark.HasAttrs = (*awsModule)(nil)

func newAWSModule(svc awsmodel.Service, impl any) *awsModule {
	return &awsModule{svc: svc, impl: impl}
}

func (m *awsModule) load() error {
	m.once.Do(func() {
		m.model, m.err = awsmodel.Load(m.svc.Module)
		if m.err != nil {
			return
		}
		m.methods = make(map[string]*starlark.Builtin, len(m.model.Operations))
		for _, name := range m.model.Methods() {
			op, _ := m.model.Method(name)
			m.methods[name] = starlark.NewBuiltin(m.svc.Module+"."+name, m.call(op))
		}
	})
	return m.err
}

func (m *awsModule) String() string        { return "<module " + m.svc.Module + ">" }
func (m *awsModule) Type() string          { return "module" }
func (m *awsModule) Freeze()               {}
func (m *awsModule) Truth() starlark.Bool  { return true }
func (m *awsModule) Hash() (uint32, error) { return starlark.String(m.svc.Module).Hash() }

// Attr returns the function of the API action called name.
func (m *awsModule) Attr(name string) (starlark.Value, error) {
	if err := m.load(); err != nil {
		return nil, err
	}
	if b, ok := m.methods[name]; ok {
		return b, nil
	}
	if b, ok := m.extras[name]; ok {
		return b, nil
	}
	return nil, nil // the interpreter adds "did you mean" suggestions
}

// AttrNames lists the module's functions, sorted.
func (m *awsModule) AttrNames() []string {
	if err := m.load(); err != nil {
		return nil
	}
	if len(m.extras) == 0 {
		return m.model.Methods()
	}
	names := append([]string{}, m.model.Methods()...)
	for name := range m.extras {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// operation returns the operation behind one of this module's builtins.
func (m *awsModule) operation(method string) (*awsmodel.Operation, bool) {
	if m.load() != nil {
		return nil, false
	}
	return m.model.Method(method)
}

// implemented returns the runtime method that simulates op, if any.
func (m *awsModule) implemented(op *awsmodel.Operation) (reflect.Value, bool) {
	return awsmodel.Implementation(m.impl, op.Name)
}

// call returns the builtin function of one API action: keyword arguments
// are validated as botocore validates them, decoded into the request struct,
// passed to the runtime, and the response comes back as a dict.
func (m *awsModule) call(op *awsmodel.Operation) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) > 0 {
			// boto3: "TypeError: <method>() only accepts keyword arguments."
			return nil, fmt.Errorf("TypeError: %s() only accepts keyword arguments", b.Name())
		}
		params := kwargsToMap(kwargs)
		if err := m.model.Validate(op, params); err != nil {
			return nil, withSpellingHints(withReadOnlyHint(m.svc.Module, op, params, err))
		}
		fn, ok := m.implemented(op)
		if !ok {
			return nil, awsmodel.NotSimulatedf(b.Name())
		}
		out, err := awsmodel.Invoke(fn, params)
		if err != nil {
			return nil, err
		}
		if !out.IsValid() { // an action without output, e.g. ec2.delete_vpc
			return starlark.NewDict(0), nil
		}
		result := fromGo(out)
		if m.svc.Module == "iam" && op.Output != nil {
			result = decodePolicyDocuments(thread, m.model, op.Output.Shape, result)
		}
		return result, nil
	}
}

// readOnlyMembers names, per action, the shape whose members users copy
// from describe output into a create call by mistake (the course notes'
// task definition JSON is describe_task_definition output).
var readOnlyMembers = map[string]string{
	"ecs.register_task_definition": "TaskDefinition",
}

// withReadOnlyHint adds, after botocore's report, a line naming the
// parameters that are read-only members of the resource as AWS describes it,
// so the user knows what to remove.
func withReadOnlyHint(module string, op *awsmodel.Operation, params awsmodel.Map, err error) error {
	shapeName, ok := readOnlyMembers[module+"."+op.Method]
	var aerr *awserr.Error
	if !ok || !errors.As(err, &aerr) {
		return err
	}
	model := awsmodel.MustLoad(module)
	input, described := model.InputShape(op), model.Shape(shapeName)
	var readOnly []string
	for _, e := range params {
		if _, known := input.Members.Find(e.Key); known {
			continue
		}
		if _, isOutput := described.Members.Find(e.Key); isOutput {
			readOnly = append(readOnly, e.Key)
		}
	}
	if len(readOnly) == 0 {
		return err
	}
	return awserr.New(aerr.Code, fmt.Sprintf("%s\n(%s: read-only members of the %s that AWS returns; remove them to register)",
		aerr.Message, strings.Join(readOnly, ", "), shapeName))
}
