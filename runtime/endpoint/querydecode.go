package endpoint

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// The query protocols send a request as form fields whose names are paths
// through the input shape (botocore's serialize.py, QuerySerializer and
// EC2Serializer):
//
//	query  Tags.member.1.Key=k           a list: .member.N (or its
//	       Attributes.entry.1.key=k      locationName); a map: .entry.N.key
//	       Values.1=x                    and .value; flattened ones drop the
//	                                     member/entry level
//	ec2    InstanceId.1=i-0123           every list is flattened; a member
//	       Filter.1.Name=...             is named by its queryName, else its
//	                                     locationName capitalised, else its
//	                                     own name
//
// decodeQuery parses the field names into a tree and reads it through the
// input shape.

// formNode is one level of the field-name tree.
type formNode struct {
	value string
	set   bool
	kids  map[string]*formNode
}

func (n *formNode) child(name string) *formNode {
	if n == nil {
		return nil
	}
	return n.kids[name]
}

func formTree(form url.Values) *formNode {
	root := &formNode{}
	for key, vals := range form {
		if key == "Action" || key == "Version" {
			continue
		}
		n := root
		for _, part := range strings.Split(key, ".") {
			if n.kids == nil {
				n.kids = map[string]*formNode{}
			}
			next := n.kids[part]
			if next == nil {
				next = &formNode{}
				n.kids[part] = next
			}
			n = next
		}
		n.value, n.set = vals[0], true
	}
	return root
}

// indexed returns the children named 1, 2, ... in numeric order.
func (n *formNode) indexed() []*formNode {
	if n == nil {
		return nil
	}
	type item struct {
		i int
		n *formNode
	}
	var items []item
	for k, kid := range n.kids {
		if i, err := strconv.Atoi(k); err == nil && i > 0 {
			items = append(items, item{i, kid})
		}
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]*formNode, len(items))
	for i, it := range items {
		out[i] = it.n
	}
	return out
}

type queryDecoder struct {
	model *awsmodel.Model
	ec2   bool
}

func decodeQuery(m *awsmodel.Model, op *awsmodel.Operation, form url.Values, ec2 bool) (awsmodel.Map, error) {
	d := queryDecoder{model: m, ec2: ec2}
	out, err := d.structure(formTree(form), m.InputShape(op), "")
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fieldName is the name a member goes by in a query request.
func (d queryDecoder) fieldName(mem awsmodel.Member) string {
	if !d.ec2 {
		if mem.LocationName != "" {
			return mem.LocationName
		}
		return mem.Name
	}
	if mem.QueryName != "" {
		return mem.QueryName
	}
	if mem.LocationName != "" {
		r, size := utf8.DecodeRuneInString(mem.LocationName)
		return string(unicode.ToUpper(r)) + mem.LocationName[size:]
	}
	return mem.Name
}

func (d queryDecoder) structure(n *formNode, shape *awsmodel.Shape, path string) (awsmodel.Map, error) {
	out := awsmodel.Map{}
	for _, mem := range shape.Members {
		kid := n.child(d.fieldName(mem))
		if kid == nil {
			continue
		}
		val, err := d.value(kid, &mem.ShapeRef, path+"."+mem.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, awsmodel.Entry{Key: mem.Name, Value: val})
	}
	return out, nil
}

func (d queryDecoder) value(n *formNode, ref *awsmodel.ShapeRef, path string) (any, error) {
	shape := d.model.Shape(ref.Shape)
	if shape == nil {
		return n.value, nil
	}
	switch shape.Type {
	case "structure":
		return d.structure(n, shape, path)
	case "list":
		items := n
		if !d.ec2 && !shape.Flattened && !ref.Flattened {
			name := "member"
			if shape.Member.LocationName != "" {
				name = shape.Member.LocationName
			}
			items = n.child(name)
		}
		out := []any{}
		for i, kid := range items.indexed() {
			val, err := d.value(kid, shape.Member, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out = append(out, val)
		}
		return out, nil
	case "map":
		entries := n
		if !d.ec2 && !shape.Flattened && !ref.Flattened {
			entries = n.child("entry")
		}
		keyName, valueName := "key", "value"
		if shape.Key.LocationName != "" {
			keyName = shape.Key.LocationName
		}
		if shape.Value.LocationName != "" {
			valueName = shape.Value.LocationName
		}
		out := awsmodel.Map{}
		for _, e := range entries.indexed() {
			k := e.child(keyName)
			if k == nil {
				continue
			}
			var val any
			if v := e.child(valueName); v != nil {
				var err error
				if val, err = d.value(v, shape.Value, path+"."+k.value); err != nil {
					return nil, err
				}
			}
			out = append(out, awsmodel.Entry{Key: k.value, Value: val})
		}
		return out, nil
	}
	return queryScalar(n.value, shape.Type, path)
}

// queryScalar reads a form value as its type.
func queryScalar(s, typ, path string) (any, error) {
	var (
		v   any
		err error
	)
	switch typ {
	case "integer", "long":
		v, err = strconv.ParseInt(s, 10, 64)
	case "double", "float":
		v, err = strconv.ParseFloat(s, 64)
	case "boolean":
		v, err = strconv.ParseBool(s)
	case "timestamp", "blob":
		return scalar(s, typ, path)
	default:
		return s, nil
	}
	if err != nil {
		// The query services' word for a value of the wrong type (text not
		// verified).
		return nil, awserr.Newf("MalformedInput", "Invalid value %q for parameter %s: expected %s", s, strings.TrimPrefix(path, "."), typ)
	}
	return v, nil
}
