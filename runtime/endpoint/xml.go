package endpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// The query protocols answer in XML (botocore's parsers.py, QueryParser and
// EC2QueryParser):
//
//	query  <OpResponse xmlns=NS><OpResult>members</OpResult>
//	       <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></OpResponse>
//	ec2    <OpResponse xmlns=NS><requestId>id</requestId>members</OpResponse>
//
// A member is an element named by its locationName, else its name; a list
// wraps its items in <member> (or the list member's locationName, <item> in
// EC2) unless it is flattened; a map is <entry><key/><value/></entry>;
// timestamps are ISO 8601, booleans true/false, blobs base64.

// xmlTimeLayout is ISO 8601 with milliseconds, as AWS writes timestamps.
const xmlTimeLayout = "2006-01-02T15:04:05.000Z"

func namespace(sv *service) string {
	ns := sv.model.Metadata.XMLNamespace
	if ns != "" && !strings.HasSuffix(ns, "/") {
		ns += "/"
	}
	return ns
}

// encodeXML writes the response document of a query or EC2 call.
func encodeXML(c *call, out reflect.Value, shape *awsmodel.Shape) []byte {
	var b xmlBuffer
	b.model = c.svc.model
	name := c.op.Name + "Response"
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString("<" + name + ` xmlns="` + namespace(c.svc) + `">`)
	if c.protocol == protoEC2 {
		b.element("requestId", c.requestID)
		if shape != nil {
			b.members(deref(out), shape)
		}
	} else {
		if shape != nil {
			wrapper := c.op.Output.ResultWrapper
			if wrapper == "" {
				wrapper = c.op.Name + "Result"
			}
			b.WriteString("<" + wrapper + ">")
			b.members(deref(out), shape)
			b.WriteString("</" + wrapper + ">")
		}
		b.WriteString("<ResponseMetadata>")
		b.element("RequestId", c.requestID)
		b.WriteString("</ResponseMetadata>")
	}
	b.WriteString("</" + name + ">")
	return b.Bytes()
}

type xmlBuffer struct {
	bytes.Buffer
	model *awsmodel.Model
}

func (b *xmlBuffer) element(name, text string) {
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

// members writes the members of struct v, without a wrapping element.
func (b *xmlBuffer) members(v reflect.Value, shape *awsmodel.Shape) {
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return
	}
	present(v, shape, func(mem *awsmodel.Member, fv reflect.Value) {
		name := mem.LocationName
		if name == "" {
			name = mem.Name
		}
		b.value(name, fv, &mem.ShapeRef)
	})
}

// value writes v as the element name (or, for a flattened list or map, as
// a run of such elements).
func (b *xmlBuffer) value(name string, v reflect.Value, ref *awsmodel.ShapeRef) {
	v = deref(v)
	if !v.IsValid() {
		return
	}
	shape := b.model.Shape(ref.Shape)
	if shape == nil || shape.Document {
		return // documents have no XML form; no query service returns one
	}
	switch shape.Type {
	case "structure":
		b.WriteString("<" + name + ">")
		b.members(v, shape)
		b.WriteString("</" + name + ">")
	case "list":
		if v.Kind() != reflect.Slice {
			return
		}
		item := shape.Member.LocationName
		if shape.Flattened || ref.Flattened {
			if item == "" {
				item = name
			}
			for i := 0; i < v.Len(); i++ {
				b.value(item, v.Index(i), shape.Member)
			}
			return
		}
		if item == "" {
			item = "member"
		}
		b.WriteString("<" + name + ">")
		for i := 0; i < v.Len(); i++ {
			b.value(item, v.Index(i), shape.Member)
		}
		b.WriteString("</" + name + ">")
	case "map":
		if v.Kind() != reflect.Map {
			return
		}
		keyName, valueName := "key", "value"
		if shape.Key.LocationName != "" {
			keyName = shape.Key.LocationName
		}
		if shape.Value.LocationName != "" {
			valueName = shape.Value.LocationName
		}
		flat := shape.Flattened || ref.Flattened
		if !flat {
			b.WriteString("<" + name + ">")
		}
		for _, k := range sortedMapKeys(v) {
			entry := "entry"
			if flat {
				entry = name
			}
			b.WriteString("<" + entry + ">")
			b.element(keyName, k.String())
			b.value(valueName, v.MapIndex(k), shape.Value)
			b.WriteString("</" + entry + ">")
		}
		if !flat {
			b.WriteString("</" + name + ">")
		}
	default:
		b.element(name, xmlScalar(v))
	}
}

func xmlScalar(v reflect.Value) string {
	if t, ok := timeOf(v); ok {
		return t.UTC().Format(xmlTimeLayout)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "Infinity"
		case math.IsInf(f, -1):
			return "-Infinity"
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes())
		}
	}
	return ""
}
