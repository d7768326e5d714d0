package awsmodel

import (
	"html"
	"regexp"
	"strings"
)

var (
	paragraphTag = regexp.MustCompile(`(?i)</?(p|ul|ol|note|important|dl)[^>]*>`)
	itemTag      = regexp.MustCompile(`(?i)<li[^>]*>`)
	anyTag       = regexp.MustCompile(`<[^>]+>`)
	spaces       = regexp.MustCompile(`[ \t\r\n]+`)
	emptyItem    = regexp.MustCompile(`- [ \t\r\n]+`)
)

// DocText turns a model documentation string (HTML) into plain paragraphs,
// each wrapped at width columns; list items start with "- ".
func DocText(doc string, width int) string {
	doc = itemTag.ReplaceAllString(doc, "\n\n- ")
	doc = paragraphTag.ReplaceAllString(doc, "\n\n")
	doc = anyTag.ReplaceAllString(doc, "")
	doc = emptyItem.ReplaceAllString(doc, "- ")
	var out []string
	for _, para := range strings.Split(doc, "\n\n") {
		para = strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(para), " "))
		if para == "" || para == "-" {
			continue
		}
		out = append(out, wrap(para, width))
	}
	return strings.Join(out, "\n\n")
}

// FirstSentence returns the first sentence of a documentation string, for
// one-line summaries.
func FirstSentence(doc string) string {
	text := DocText(doc, 1<<30)
	if i := strings.Index(text, "\n"); i >= 0 {
		text = text[:i]
	}
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text
}

func wrap(s string, width int) string {
	indent := ""
	if strings.HasPrefix(s, "- ") {
		indent = "  "
	}
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && col+1+len(word) > width {
			b.WriteString("\n" + indent)
			col = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
