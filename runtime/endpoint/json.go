package endpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// jsonBuffer writes a response in the JSON protocols' form: the struct's
// members by their model names, timestamps as epoch seconds (with
// milliseconds), blobs in base64, NaN and infinities as strings.
type jsonBuffer struct{ bytes.Buffer }

// structure writes v (a struct, or invalid for an empty response) as an
// object.
func (b *jsonBuffer) structure(m *awsmodel.Model, v reflect.Value, shape *awsmodel.Shape) {
	v = deref(v)
	if !v.IsValid() || shape == nil || v.Kind() != reflect.Struct {
		b.WriteString("{}")
		return
	}
	if shape.Document {
		b.document(v)
		return
	}
	b.WriteByte('{')
	first := true
	present(v, shape, func(mem *awsmodel.Member, fv reflect.Value) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.str(mem.Name)
		b.WriteByte(':')
		b.value(m, fv, mem.Shape)
	})
	b.WriteByte('}')
}

func (b *jsonBuffer) value(m *awsmodel.Model, v reflect.Value, shapeName string) {
	v = deref(v)
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	shape := m.Shape(shapeName)
	if shape == nil || shape.Document {
		b.document(v)
		return
	}
	switch shape.Type {
	case "structure":
		b.structure(m, v, shape)
	case "list":
		if v.Kind() != reflect.Slice {
			b.document(v)
			return
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.value(m, v.Index(i), shape.Member.Shape)
		}
		b.WriteByte(']')
	case "map":
		if v.Kind() != reflect.Map {
			b.document(v)
			return
		}
		b.WriteByte('{')
		for i, k := range sortedMapKeys(v) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.str(k.String())
			b.WriteByte(':')
			b.value(m, v.MapIndex(k), shape.Value.Shape)
		}
		b.WriteByte('}')
	default:
		b.scalar(v)
	}
}

func (b *jsonBuffer) scalar(v reflect.Value) {
	if t, ok := timeOf(v); ok {
		b.WriteString(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
		return
	}
	switch v.Kind() {
	case reflect.String:
		b.str(v.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			b.WriteString(`"NaN"`)
		case math.IsInf(f, 1):
			b.WriteString(`"Infinity"`)
		case math.IsInf(f, -1):
			b.WriteString(`"-Infinity"`)
		default:
			b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b.str(base64.StdEncoding.EncodeToString(v.Bytes()))
			return
		}
		b.document(v)
	default:
		b.document(v)
	}
}

// document writes a free-form value with encoding/json.
func (b *jsonBuffer) document(v reflect.Value) {
	raw, err := json.Marshal(v.Interface())
	if err != nil {
		b.WriteString("null")
		return
	}
	b.Write(raw)
}

// str writes a JSON string.
func (b *jsonBuffer) str(s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteString(s[start:i])
			switch c {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[c>>4])
				b.WriteByte("0123456789abcdef"[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
