package containers

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// instruction is one Dockerfile instruction: its keyword (upper case), its
// flags (--from=..., --chown=...) and the rest of the line.
type instruction struct {
	line  int
	cmd   string
	flags map[string]string
	args  string
	text  string // as written, joined onto one line, for the build output
}

// knownInstructions are the Dockerfile reference's instructions
// (https://docs.docker.com/reference/dockerfile/).
var knownInstructions = map[string]bool{
	"FROM": true, "ARG": true, "ENV": true, "COPY": true, "ADD": true, "RUN": true,
	"CMD": true, "ENTRYPOINT": true, "EXPOSE": true, "WORKDIR": true, "USER": true,
	"LABEL": true, "VOLUME": true, "STOPSIGNAL": true, "HEALTHCHECK": true,
	"SHELL": true, "ONBUILD": true, "MAINTAINER": true,
}

// parseDockerfile splits a Dockerfile into instructions: comments and blank
// lines dropped, backslash continuations joined. Errors use the words of
// Docker's parser ("dockerfile parse error on line 3: unknown instruction:
// COPPY").
func parseDockerfile(src string) ([]instruction, error) {
	var out []instruction
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			line = strings.TrimSuffix(line, "\\")
			i++
			next := strings.TrimSpace(lines[i])
			for strings.HasPrefix(next, "#") && i+1 < len(lines) {
				i++ // comment lines inside a continuation are dropped
				next = strings.TrimSpace(lines[i])
			}
			line += " " + next
		}
		line = strings.TrimSpace(strings.TrimSuffix(line, "\\"))
		word, rest, _ := strings.Cut(line, " ")
		if j := strings.IndexAny(word, "\t"); j >= 0 {
			word, rest = word[:j], word[j+1:]+" "+rest
		}
		cmd := strings.ToUpper(word)
		if !knownInstructions[cmd] {
			return nil, fmt.Errorf("dockerfile parse error on line %d: unknown instruction: %s", start, word)
		}
		in := instruction{line: start, cmd: cmd, flags: map[string]string{}, text: cmd + " " + strings.TrimSpace(rest)}
		rest = strings.TrimSpace(rest)
		for strings.HasPrefix(rest, "--") {
			flag, after, _ := strings.Cut(rest, " ")
			k, v, _ := strings.Cut(strings.TrimPrefix(flag, "--"), "=")
			in.flags[k] = v
			rest = strings.TrimSpace(after)
		}
		in.args = rest
		if rest == "" && cmd != "RUN" && cmd != "CMD" && cmd != "ENTRYPOINT" {
			return nil, fmt.Errorf("dockerfile parse error on line %d: %s requires at least one argument", start, cmd)
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the Dockerfile cannot be empty")
	}
	return out, nil
}

// expand substitutes $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alternative}
// with the variables in scope (ARG and ENV), as the builder does in FROM,
// COPY, ADD, ENV, ARG, LABEL, EXPOSE, USER, WORKDIR, VOLUME and STOPSIGNAL.
// "\$" is a literal dollar sign.
func expand(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			body := s[i+2 : i+end]
			i += end
			name, word, op := body, "", ""
			if j := strings.Index(body, ":"); j >= 0 && j+1 < len(body) {
				name, op, word = body[:j], body[j+1:j+2], body[j+2:]
			}
			v, set := vars[name]
			switch {
			case op == "-" && (!set || v == ""):
				v = expand(word, vars)
			case op == "+":
				if set && v != "" {
					v = expand(word, vars)
				} else {
					v = ""
				}
			}
			b.WriteString(v)
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			b.WriteByte(c)
			continue
		}
		b.WriteString(vars[s[i+1:j]])
		i = j - 1
	}
	return b.String()
}

// words splits s as the builder splits ENV, LABEL and ARG arguments:
// on unquoted white space, with double and single quotes and backslash
// escapes removed.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote, inWord = c, true
		case c == '\\' && quote != '\'' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case quote == 0 && (c == ' ' || c == '\t'):
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// keyValues parses "k=v k2=v2" (or the legacy "k v" form when legacy is
// allowed, as ENV has it) into ordered pairs.
func keyValues(args string, legacy bool) ([][2]string, error) {
	ws := words(args)
	if len(ws) == 0 {
		return nil, fmt.Errorf("requires at least one argument")
	}
	if legacy && !strings.Contains(ws[0], "=") {
		_, value, _ := strings.Cut(strings.TrimSpace(args), " ")
		v := words(value)
		return [][2]string{{ws[0], strings.Join(v, " ")}}, nil
	}
	var out [][2]string
	for _, w := range ws {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("key-value pairs must be of the form key=value: %q", w)
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

// commandForm parses RUN, CMD and ENTRYPOINT arguments: the exec form (a
// JSON array) as it is, the shell form as ["/bin/sh", "-c", text].
func commandForm(args string) []string {
	trimmed := strings.TrimSpace(args)
	if strings.HasPrefix(trimmed, "[") {
		var list []string
		if json.Unmarshal([]byte(trimmed), &list) == nil {
			return list
		}
	}
	if trimmed == "" {
		return nil
	}
	return []string{"/bin/sh", "-c", trimmed}
}

// pathList parses COPY and ADD sources and destination: the JSON form or
// white-space separated words.
func pathList(args string) []string {
	trimmed := strings.TrimSpace(args)
	if strings.HasPrefix(trimmed, "[") {
		var list []string
		if json.Unmarshal([]byte(trimmed), &list) == nil {
			return list
		}
	}
	return words(trimmed)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
