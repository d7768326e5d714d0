package placement

import (
	"fmt"
	"strings"
)

// This file splits a cluster query language expression into tokens
// [DG:cluster-query-language]. The lexer knows punctuation only; words such
// as "and", "in" or "matches" stay words, and the parser gives them meaning
// by position, so a value may be spelled like a keyword
// (attribute:mode == and) without quoting.

// tokenKind tells the parser what a token is.
type tokenKind int

const (
	tokEOF      tokenKind = iota
	tokWord               // a bare or quoted word: subject, word operator, value
	tokOp                 // a symbol operator: == != > >= < <= =~ !~ !exists !in
	tokAnd                // &&
	tokOr                 // ||
	tokNot                // !
	tokLParen             // (
	tokRParen             // )
	tokLBracket           // [
	tokRBracket           // ]
	tokComma              // ,
)

// token is one lexeme with its byte offset in the expression, for error
// messages.
type token struct {
	kind   tokenKind
	text   string
	pos    int
	quoted bool
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokWord:
		if t.quoted {
			return fmt.Sprintf("%q", t.text)
		}
	}
	return "'" + t.text + "'"
}

// wordStop reports whether c ends a bare word. '&' and '|' end a word only
// when doubled, which lex checks itself, so a regular expression such as
// t2|t3 stays one word.
func wordStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', '[', ']', ',', '\'', '"', '=', '!', '<', '>':
		return true
	}
	return false
}

// lex splits src into tokens, ending with tokEOF.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	emit := func(k tokenKind, text string, pos int) { toks = append(toks, token{kind: k, text: text, pos: pos}) }
	for i < len(src) {
		c := src[i]
		next := byte(0)
		if i+1 < len(src) {
			next = src[i+1]
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			emit(tokLParen, "(", i)
			i++
		case c == ')':
			emit(tokRParen, ")", i)
			i++
		case c == '[':
			emit(tokLBracket, "[", i)
			i++
		case c == ']':
			emit(tokRBracket, "]", i)
			i++
		case c == ',':
			emit(tokComma, ",", i)
			i++
		case c == '&' && next == '&':
			emit(tokAnd, "&&", i)
			i += 2
		case c == '|' && next == '|':
			emit(tokOr, "||", i)
			i += 2
		case c == '=':
			if next != '=' && next != '~' {
				return nil, fmt.Errorf("unexpected '=' at position %d (did you mean '==' or '=~'?)", i+1)
			}
			emit(tokOp, src[i:i+2], i)
			i += 2
		case c == '<' || c == '>':
			if next == '=' {
				emit(tokOp, src[i:i+2], i)
				i += 2
			} else {
				emit(tokOp, src[i:i+1], i)
				i++
			}
		case c == '!':
			if next == '=' || next == '~' {
				emit(tokOp, src[i:i+2], i)
				i += 2
				break
			}
			// !exists and !in are operators; any other '!' is a negation.
			j := i + 1
			for j < len(src) && isLetter(src[j]) {
				j++
			}
			if w := src[i+1 : j]; (w == "exists" || w == "in") && (j == len(src) || wordStop(src[j])) {
				emit(tokOp, "!"+w, i)
				i = j
				break
			}
			emit(tokNot, "!", i)
			i++
		case c == '\'' || c == '"':
			end := strings.IndexByte(src[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quoted value starting at position %d", i+1)
			}
			toks = append(toks, token{kind: tokWord, text: src[i+1 : i+1+end], pos: i, quoted: true})
			i += end + 2
		default:
			j := i
			for j < len(src) && !wordStop(src[j]) &&
				!(src[j] == '&' && j+1 < len(src) && src[j+1] == '&') &&
				!(src[j] == '|' && j+1 < len(src) && src[j+1] == '|') {
				j++
			}
			emit(tokWord, src[i:j], i)
			i = j
		}
	}
	emit(tokEOF, "", len(src))
	return toks, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
