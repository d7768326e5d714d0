package logs

import (
	"regexp"
	"strings"
	"unicode"
)

// Filter patterns [UG:FilterAndPatternSyntax]. A pattern is one of:
//
//	""  or nothing             every event
//	ERROR Exception            every term appears (case-sensitive substrings:
//	                           ERROR matches "ERRORCODE", as the guide shows)
//	"Failed to process"        a quoted phrase appears as written
//	?ERROR ?WARN               at least one ?term appears
//	ERROR -WARN, "a" - "b"     the -term does not appear
//	%regex%                    the regular expression matches (Go's RE2)
//	{ $.a.b[0] = "x" && ... }  a JSON event's values: = != with * at either
//	                           end of a string, < > <= >= on numbers, IS NULL,
//	                           IS TRUE, IS FALSE, NOT EXISTS; && before ||;
//	                           parentheses
//	[ip, user, ..., code = 4*, bytes > 1000]
//	                           a space-delimited event (text in "" or []
//	                           is one field); ... stands for any number of
//	                           fields; conditions as in JSON patterns, over
//	                           the field names, joined by && and ||
//
// Plain terms and ?terms mix as "all plain terms, and one of the ?terms"
// (ecsbox's reading; the guide shows them apart). Unquoted terms may hold
// only letters, digits and underscores: "Metric filter terms that include
// characters other than alphanumeric or underscore must be placed inside
// double quotes".

// patternError is AWS's refusal of a character a term may not hold, as users
// recorded it ("InvalidParameterException: Invalid character(s) in term
// ':'", find_string id 54957219155; "Invalid character(s) in term '('",
// id 71603761877). Other parse failures use the same form.
func patternError(term string) error {
	return invalidParam("Invalid character(s) in term '%s'", term)
}

// parsePattern compiles a filter pattern into a predicate on messages.
func parsePattern(p string) (func(string) bool, error) {
	t := strings.TrimSpace(p)
	switch {
	case t == "" || t == `""`:
		return func(string) bool { return true }, nil
	case strings.HasPrefix(t, "{"):
		return parseJSONPattern(t)
	case strings.HasPrefix(t, "["):
		return parseDelimitedPattern(t)
	case len(t) >= 2 && t[0] == '%' && t[len(t)-1] == '%':
		re, err := regexp.Compile(t[1 : len(t)-1])
		if err != nil {
			return nil, patternError(t)
		}
		return re.MatchString, nil
	}
	return parseTerms(t)
}

// parseTerms reads the term syntax.
func parseTerms(p string) (func(string) bool, error) {
	var all, anyOf, none []string
	rs := []rune(p)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		exclude, optional := false, false
		switch rs[i] {
		case '-':
			exclude = true
			i++
			for i < len(rs) && unicode.IsSpace(rs[i]) {
				i++
			}
		case '?':
			optional = true
			i++
		}
		if i >= len(rs) {
			return nil, patternError(string(rs[i-1]))
		}
		var term string
		if rs[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(rs) {
				if rs[i] == '\\' && i+1 < len(rs) {
					b.WriteRune(rs[i+1])
					i += 2
					continue
				}
				if rs[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteRune(rs[i])
				i++
			}
			if !closed {
				return nil, patternError(`"`)
			}
			term = b.String()
		} else {
			start := i
			for i < len(rs) && !unicode.IsSpace(rs[i]) {
				if r := rs[i]; !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
					return nil, patternError(string(r))
				}
				i++
			}
			term = string(rs[start:i])
		}
		switch {
		case exclude:
			none = append(none, term)
		case optional:
			anyOf = append(anyOf, term)
		default:
			all = append(all, term)
		}
	}
	return func(msg string) bool {
		for _, t := range all {
			if !strings.Contains(msg, t) {
				return false
			}
		}
		for _, t := range none {
			if strings.Contains(msg, t) {
				return false
			}
		}
		if len(anyOf) == 0 {
			return true
		}
		for _, t := range anyOf {
			if strings.Contains(msg, t) {
				return true
			}
		}
		return false
	}, nil
}
