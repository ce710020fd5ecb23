package frontmatter

import (
	"strings"
	"time"
	"unicode/utf8"
)

// useFastYAML turns the fast YAML decoder on; the tests and the benchmark turn it off to
// compare with yaml.v3 alone.
var useFastYAML = true

// decodeYAMLFast decodes the common, simple front matter without yaml.v3, which costs most of
// the time of Parse. It accepts only a strict subset of YAML whose meaning is certain, and
// gives exactly what yaml.Unmarshal into a map[string]any followed by normalize gives; for
// anything else it returns false and the caller runs yaml.v3, so every error (and its
// message and position) still comes from yaml.v3. It never reports an error itself.
//
// The subset:
//
//   - The text is lines ending in "\n" with only printable characters: no tab, no carriage
//     return, no control character, none of U+0080–U+009F, U+2028, U+2029 (which YAML reads
//     as line breaks) or U+FEFF. Empty lines are skipped anywhere; a line of only spaces is not
//     accepted.
//   - Each top-level line is "key: value" or "key:" at column 1. A key is an ASCII letter or
//     "_" followed by letters, digits, "_" and "-", of at most 200 bytes, and not one of the
//     words YAML 1.1 or 1.2 read as a boolean or null (true, no, On, NULL...). A key may
//     appear only once in its map (yaml.v3 reports a repeated key as an error).
//   - "key:" with nothing after it must be followed by either a block list, lines "- item"
//     all indented by the same number of spaces (none is allowed), each item a scalar; or a
//     map, lines "key: value" all indented by the same number of spaces (at least one), each
//     value a scalar or a flow list. Nothing nests deeper.
//   - A value is a scalar or a one-line flow list "[a, b, c]" of at least one scalar, with no
//     comma after the last one. A value never ends with a space and is never empty (null).
//   - A scalar is a double-quoted string on one line whose only escapes are \\ \" \n and \t;
//     a single-quoted string on one line (two single quotes stand for one); or a plain
//     (unquoted) scalar that yaml.v3 can resolve only one way: a decimal integer of at most
//     18 digits without sign or leading zero (int64); true or false (bool); a valid date
//     YYYY-MM-DD (time.Time at midnight UTC); or a string that starts with a letter, "_", "(",
//     "/" or a non-ASCII character, or with a digit if it holds a space and does not start
//     with "YYYY-" (no number holds a space, and only what starts so can be a timestamp).
//   - A plain scalar must not contain ": " or " #" nor end with ":" (those start a map value
//     or a comment); in a flow list its characters are limited to letters, digits, non-ASCII
//     characters, spaces and - _ . / ( ) + &.
//
// Anything else (comments, anchors, aliases, tags, block scalars, multi-line strings, other
// numbers, null, other indentation, flow maps, nested lists, "[]", ...) falls back to yaml.v3.
func decodeYAMLFast(text []byte) (map[string]any, bool) {
	lines, ok := fastYAMLChars(text)
	if !ok || lines == 0 {
		return nil, false
	}
	p := fastYAML{s: string(text)}
	out := make(map[string]any, lines)
	for {
		line, more := p.next()
		if !more {
			break
		}
		key, rest, ok := fastKey(line)
		if !ok {
			return nil, false
		}
		if _, dup := out[key]; dup {
			return nil, false
		}
		var v any
		if rest != "" {
			v, ok = fastValue(rest)
		} else {
			v, ok = p.block()
		}
		if !ok {
			return nil, false
		}
		out[key] = v
	}
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

// fastYAML walks the lines of a front matter text.
type fastYAML struct {
	s   string
	pos int // the offset of the next line
}

// peek returns the next non-empty line, without its "\n", and the offset after it; more is
// false at the end of the text.
func (p *fastYAML) peek() (line string, after int, more bool) {
	i := p.pos
	for i < len(p.s) {
		j := strings.IndexByte(p.s[i:], '\n')
		if j < 0 {
			return p.s[i:], len(p.s), true
		}
		if j > 0 {
			return p.s[i : i+j], i + j + 1, true
		}
		i++ // an empty line
	}
	return "", i, false
}

// next returns the next non-empty line and moves past it.
func (p *fastYAML) next() (string, bool) {
	line, after, more := p.peek()
	p.pos = after
	return line, more
}

// block reads the block list or map that follows a top-level "key:" line.
func (p *fastYAML) block() (any, bool) {
	first, _, more := p.peek()
	if !more {
		return nil, false // the value is null
	}
	indent := countIndent(first)
	if strings.HasPrefix(first[indent:], "- ") {
		return p.blockList(indent)
	}
	if indent == 0 {
		return nil, false // the value is null, or something else
	}
	return p.blockMap(indent)
}

// blockList reads lines "- item" indented by indent spaces, up to the next line at column 1
// that is not an item.
func (p *fastYAML) blockList(indent int) (any, bool) {
	list := make([]any, 0, 4)
	for {
		line, after, more := p.peek()
		if !more {
			break
		}
		ind := countIndent(line)
		if ind == indent && strings.HasPrefix(line[ind:], "- ") {
			v, ok := fastScalar(line[ind+2:])
			if !ok {
				return nil, false
			}
			list = append(list, v)
			p.pos = after
			continue
		}
		if ind == 0 && line[0] != '-' {
			break // the next top-level key
		}
		return nil, false
	}
	return list, true
}

// blockMap reads lines "key: value" indented by indent spaces, up to the next line at
// column 1.
func (p *fastYAML) blockMap(indent int) (any, bool) {
	m := make(map[string]any, 4)
	for {
		line, after, more := p.peek()
		if !more {
			break
		}
		ind := countIndent(line)
		if ind == 0 {
			break // the next top-level key
		}
		if ind != indent {
			return nil, false
		}
		key, rest, ok := fastKey(line[ind:])
		if !ok || rest == "" {
			return nil, false
		}
		if _, dup := m[key]; dup {
			return nil, false
		}
		v, ok := fastValue(rest)
		if !ok {
			return nil, false
		}
		m[key] = v
		p.pos = after
	}
	return m, true
}

// countIndent returns the number of spaces line starts with.
func countIndent(line string) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

// fastYAMLChars reports whether text holds only characters the fast decoder takes: printable
// ASCII, "\n", and non-ASCII characters that YAML reads as ordinary text. It also counts the
// lines that start with something else than a space, to size the map of top-level keys.
func fastYAMLChars(text []byte) (lines int, ok bool) {
	lineStart := true
	for i := 0; i < len(text); {
		c := text[i]
		if lineStart && c != ' ' && c != '\n' {
			lines++
		}
		lineStart = c == '\n'
		if c < utf8.RuneSelf {
			if c != '\n' && (c < 0x20 || c > 0x7e) {
				return 0, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return 0, false
		case r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
			return 0, false
		}
		i += n
	}
	return lines, true
}

// fastKey splits a line "key: value" or "key:" into its key and value ("" for "key:").
func fastKey(line string) (key, rest string, ok bool) {
	i := 0
	for i < len(line) {
		c := line[i]
		if isASCIILetter(c) || c == '_' || i > 0 && (isDigit(c) || c == '-') {
			i++
			continue
		}
		break
	}
	if i == 0 || i > 200 || i == len(line) || line[i] != ':' {
		return "", "", false
	}
	key = line[:i]
	if yamlWord(key) {
		return "", "", false
	}
	switch {
	case i+1 == len(line):
		return key, "", true
	case line[i+1] == ' ' && i+2 < len(line) && line[i+2] != ' ':
		return key, line[i+2:], true
	}
	return "", "", false
}

// fastValue decodes the value after "key: ": a scalar or a flow list.
func fastValue(v string) (any, bool) {
	if v[0] == '[' {
		return fastFlowList(v)
	}
	return fastScalar(v)
}

// fastScalar decodes a whole value that is one scalar.
func fastScalar(v string) (any, bool) {
	if v == "" || v[0] == ' ' || v[len(v)-1] == ' ' {
		return nil, false
	}
	switch v[0] {
	case '"', '\'':
		s, end, ok := fastQuoted(v, 0)
		if !ok || end != len(v) {
			return nil, false
		}
		return s, true
	}
	// In a plain scalar ": " and a final ":" start a map value, " #" a comment.
	if v[len(v)-1] == ':' || strings.Contains(v, ": ") || strings.Contains(v, " #") {
		return nil, false
	}
	return fastPlain(v)
}

// fastFlowList decodes a one-line flow list "[a, 'b', "c"]".
func fastFlowList(v string) (any, bool) {
	if v[len(v)-1] != ']' {
		return nil, false
	}
	list := make([]any, 0, strings.Count(v, ",")+1)
	i := 1
	for {
		for i < len(v) && v[i] == ' ' {
			i++
		}
		if i >= len(v) {
			return nil, false
		}
		var item any
		switch v[i] {
		case '"', '\'':
			s, end, ok := fastQuoted(v, i)
			if !ok {
				return nil, false
			}
			item, i = s, end
		default:
			j := i
			for j < len(v) && flowPlainChar(v[j]) {
				j++
			}
			plain := strings.TrimRight(v[i:j], " ")
			if plain == "" {
				return nil, false // "[]", "[a,,b]", "[a,]" or a character outside the subset
			}
			var ok bool
			if item, ok = fastPlain(plain); !ok {
				return nil, false
			}
			i = j
		}
		list = append(list, item)
		for i < len(v) && v[i] == ' ' {
			i++
		}
		switch {
		case i == len(v)-1 && v[i] == ']':
			return list, true
		case i < len(v) && v[i] == ',':
			i++
		default:
			return nil, false
		}
	}
}

// flowPlainChar reports whether c may be part of a plain scalar in a flow list.
func flowPlainChar(c byte) bool {
	if isASCIILetter(c) || isDigit(c) || c >= utf8.RuneSelf {
		return true
	}
	switch c {
	case ' ', '-', '_', '.', '/', '(', ')', '+', '&':
		return true
	}
	return false
}

// fastQuoted decodes the quoted string that starts at v[i] and returns the offset after its
// closing quote.
func fastQuoted(v string, i int) (s string, end int, ok bool) {
	q := v[i]
	start := i + 1
	var b *strings.Builder // only when there is an escape
	for j := start; j < len(v); j++ {
		c := v[j]
		switch {
		case q == '\'' && c == '\'':
			if j+1 < len(v) && v[j+1] == '\'' {
				// '' is a quote.
				if b == nil {
					b = &strings.Builder{}
				}
				b.WriteString(v[start : j+1])
				j++
				start = j + 1
				continue
			}
			return finishQuoted(b, v[start:j]), j + 1, true
		case q == '"' && c == '"':
			return finishQuoted(b, v[start:j]), j + 1, true
		case q == '"' && c == '\\':
			if j+1 == len(v) {
				return "", 0, false
			}
			var r byte
			switch v[j+1] {
			case '\\', '"':
				r = v[j+1]
			case 'n':
				r = '\n'
			case 't':
				r = '\t'
			default:
				return "", 0, false
			}
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(v[start:j])
			b.WriteByte(r)
			j++
			start = j + 1
		}
	}
	return "", 0, false // never closed on this line
}

func finishQuoted(b *strings.Builder, tail string) string {
	if b == nil {
		return tail
	}
	b.WriteString(tail)
	return b.String()
}

// fastPlain resolves a plain scalar, already checked for ": ", " #" and spaces at its ends,
// the way yaml.v3 would, where that is certain.
func fastPlain(v string) (any, bool) {
	c := v[0]
	switch {
	case isASCIILetter(c):
		switch v {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		if yamlWord(v) {
			return nil, false
		}
		return v, true
	case c == '_' || c == '(' || c == '/' || c >= utf8.RuneSelf:
		// yaml.v3 resolves nothing that starts so.
		return v, true
	case isDigit(c):
		return fastNumberish(v)
	}
	return nil, false
}

// fastNumberish resolves a plain scalar that starts with a digit.
func fastNumberish(v string) (any, bool) {
	digits := 0
	for digits < len(v) && isDigit(v[digits]) {
		digits++
	}
	switch {
	case digits == len(v):
		// A decimal integer; a leading zero would make it octal, 19 digits may overflow.
		if len(v) > 18 || len(v) > 1 && v[0] == '0' {
			return nil, false
		}
		n := int64(0)
		for i := 0; i < len(v); i++ {
			n = n*10 + int64(v[i]-'0')
		}
		return n, true
	case digits == 4 && v[4] == '-':
		// A date YYYY-MM-DD; yaml.v3 tries timestamps for anything starting "YYYY-".
		if len(v) != 10 || v[7] != '-' || !isDigit(v[5]) || !isDigit(v[6]) || !isDigit(v[8]) || !isDigit(v[9]) {
			return nil, false
		}
		year := atoi(v[0:4])
		month := time.Month(atoi(v[5:7]))
		day := atoi(v[8:10])
		t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
		if t.Year() != year || t.Month() != month || t.Day() != day {
			return nil, false // yaml.v3 keeps 2020-02-30 as a string
		}
		return t, true
	case strings.IndexByte(v, ' ') >= 0:
		// No integer, float or (not "YYYY-") timestamp holds a space: a string.
		return v, true
	}
	return nil, false
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// yamlWord reports whether a plain scalar is a word some YAML version reads as a boolean or
// null. yaml.v3 reads only true, false and null (in three cases each) so; the fast decoder
// also leaves the YAML 1.1 words (yes, no, on, off, y, n) to yaml.v3, so that it never depends
// on that choice.
func yamlWord(s string) bool {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE",
		"null", "Null", "NULL",
		"yes", "Yes", "YES", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF",
		"y", "Y", "n", "N":
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
