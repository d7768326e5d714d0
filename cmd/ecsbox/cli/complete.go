package cli

import (
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/builtins"
)

// complete is the REPL's tab completion at the cursor pos of line: global
// names, members of modules and values (ecs.reg → ecs.register_task_definition),
// and keyword names inside a call (ecs.create_cluster(clu → clusterName = ).
// It returns the text before the completed word, the candidates, and the
// text after the cursor.
func complete(in *builtins.Interp, line string, pos int) (head string, candidates []string, tail string) {
	if pos > len(line) {
		pos = len(line)
	}
	before, tail := line[:pos], line[pos:]
	start := len(before)
	for start > 0 && isIdentByte(before[start-1], true) {
		start--
	}
	word := before[start:]
	head = before[:start]

	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		obj, prefix := word[:dot], word[dot+1:]
		v := lookupDotted(in, obj)
		attrs, ok := v.(starlark.HasAttrs)
		if !ok {
			return head, nil, tail
		}
		for _, name := range attrs.AttrNames() {
			if strings.HasPrefix(name, prefix) {
				candidates = append(candidates, obj+"."+name)
			}
		}
		return head, candidates, tail
	}
	if fn := enclosingCall(in, head); fn != nil {
		for _, name := range builtins.ParamNames(in, fn) {
			if strings.HasPrefix(name, word) {
				candidates = append(candidates, name+" = ")
			}
		}
	}
	seen := map[string]bool{}
	var names []string
	for _, dict := range []starlark.StringDict{in.Predeclared(), in.Globals(), starlark.Universe} {
		for name := range dict {
			if strings.HasPrefix(name, word) && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return head, append(candidates, names...), tail
}

// lookupDotted evaluates a dotted name such as "ecs" or "sim" against the
// REPL's names, without running any code.
func lookupDotted(in *builtins.Interp, dotted string) starlark.Value {
	parts := strings.Split(dotted, ".")
	v, ok := in.Globals()[parts[0]]
	if !ok {
		v, ok = in.Predeclared()[parts[0]]
	}
	if !ok {
		v, ok = starlark.Universe[parts[0]]
	}
	if !ok {
		return nil
	}
	for _, p := range parts[1:] {
		attrs, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil
		}
		next, err := attrs.Attr(p)
		if err != nil || next == nil {
			return nil
		}
		v = next
	}
	return v
}

// enclosingCall finds the function whose argument list the text ends in:
// for `x = ecs.create_cluster(tags = [], ` it is ecs.create_cluster.
func enclosingCall(in *builtins.Interp, text string) starlark.Value {
	depth := 0
	for i := len(text) - 1; i >= 0; i-- {
		switch text[i] {
		case ')', ']', '}':
			depth++
		case '[', '{':
			depth--
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			end := i
			start := end
			for start > 0 && isIdentByte(text[start-1], true) {
				start--
			}
			if start == end {
				return nil
			}
			return lookupDotted(in, text[start:end])
		}
	}
	return nil
}

func isIdentByte(c byte, dotted bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || dotted && c == '.'
}
