// Package frontmatter splits a content file into its front matter and its Markdown body,
// with github.com/adrg/frontmatter, and decodes the front matter (YAML between "---" lines
// with go.yaml.in/yaml/v3, TOML between "+++" lines with BurntSushi/toml, or JSON between
// "{" and "}" lines or ";;;" lines with encoding/json) into plain values. Every error it
// returns carries the line and column in the whole file. It does not know what any key
// means.
package frontmatter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	adrg "github.com/adrg/frontmatter"
	"go.yaml.in/yaml/v3"

	"github.com/icc-recap/recap/generator/diag"
)

// Format names a front matter syntax.
type Format string

// The front matter syntaxes.
const (
	YAML Format = "YAML"
	TOML Format = "TOML"
	JSON Format = "JSON"
)

// Matter is a decoded front matter.
type Matter struct {
	Format Format
	Values map[string]any
	// Keys lists the top-level keys in the order they appear.
	Keys []string

	path   string
	text   []byte // the front matter text, delimiters excluded unless JSON braces
	line   int    // line of the file that text starts on
	keyOff map[string][2]int
}

// Pos returns the position of a top-level key in the file, or the start of the front matter.
func (m *Matter) Pos(key string) diag.Pos {
	if span, ok := m.keyOff[key]; ok {
		return m.posAt(span[0])
	}
	return diag.Pos{Path: m.path, Line: max(m.line-1, 1), Col: 1}
}

// ValuePos returns the position of the text value within the lines of key, so that a bad
// item of a list is pointed at; it falls back to the key's position.
func (m *Matter) ValuePos(key, value string) diag.Pos {
	span, ok := m.keyOff[key]
	if !ok || value == "" {
		return m.Pos(key)
	}
	region := m.text[span[0]:span[1]]
	// Skip the key itself.
	start := bytes.IndexAny(region, ":=")
	if start < 0 {
		start = 0
	}
	if i := bytes.Index(region[start:], []byte(value)); i >= 0 {
		return m.posAt(span[0] + start + i)
	}
	return m.Pos(key)
}

func (m *Matter) posAt(off int) diag.Pos {
	l, c := diag.LineCol(m.text, off)
	return diag.Pos{Path: m.path, Line: m.line + l - 1, Col: c}
}

// Parse splits src, the content of the file at path (relative to the site root), into its
// front matter and body. bodyLine is the line of the file the body starts on. A file without
// front matter gives an empty Matter and the whole file as body.
//
// The front matter is found and split off by github.com/adrg/frontmatter, with one format per
// delimiter (see newSplitter) whose unmarshal function decodes it here, so that every error
// carries a position in the whole file.
func Parse(path string, src []byte) (m *Matter, body []byte, bodyLine int, err *diag.Diagnostic) {
	if d := checkText(path, src); d != nil {
		return nil, nil, 0, d
	}
	// adrg/frontmatter compares whole lines with the delimiters, and a byte order mark is not
	// space: it is left out of what the library reads (positions still count from the top).
	text := bytes.TrimPrefix(src, []byte("\uFEFF"))
	m = &Matter{path: path, Values: map[string]any{}, keyOff: map[string][2]int{}}

	// The line that opens the front matter: where an error that it is never closed points,
	// and where the positions of its keys are counted from.
	startLine, first := firstLine(text)
	opening := openings[first]
	braces := opening.format == JSON && opening.end == "}"
	end, found, derr := m.split(text, startLine, false)
	blankTaken := false
	if derr == nil && !found && braces {
		// A nested object closed on a line of its own ended the first try early; the
		// library's own rule for JSON between braces wants the closing brace followed by a
		// blank line, which such a nested brace is not.
		end, found, derr = m.split(text, startLine, true)
		blankTaken = true
	}
	switch {
	case derr != nil:
		return nil, nil, 0, derr
	case !found && opening.format == "":
		// adrg/frontmatter found no front matter, and the first line opens none.
		return m, text, 1, nil
	case !found && braces:
		return nil, nil, 0, m.unclosedBraces(text, startLine)
	case !found:
		return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: startLine, Col: 1},
			"the %s front matter opened here is never closed: add a line %q after its last key", opening.format, opening.end)
	}
	rest := text[end:]
	if braces && !blankTaken {
		// One blank line may separate the object from the body.
		if i := bytes.IndexByte(rest, '\n'); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
			rest = rest[i+1:]
		} else if i < 0 && len(bytes.TrimSpace(rest)) == 0 {
			rest = rest[len(rest):]
		}
	}
	bodyLine = bytes.Count(text[:len(text)-len(rest)], []byte("\n")) + 1
	m.locateKeys()
	return m, rest, bodyLine, nil
}

// checkText reports a file that is not UTF-8 text, or holds nothing but space.
func checkText(path string, src []byte) *diag.Diagnostic {
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		l, c := diag.LineCol(src, off)
		return diag.Errorf(diag.Pos{Path: path, Line: l, Col: c},
			"the file is not valid UTF-8 text: save it with UTF-8 encoding")
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return diag.Errorf(diag.Pos{Path: path, Line: 1, Col: 1},
			"the file is empty: give it front matter with at least a title (---, title: ..., ---)")
	}
	return nil
}

// opening is what the first line of a file opens: a front matter format and the line that
// closes it.
type opening struct {
	format Format
	end    string
}

// openingOrder lists the keys of openings in a fixed order.
var openingOrder = []string{"---", "---yaml", "+++", "---toml", ";;;", "---json", "{"}

// openings maps the first non-blank line of a file to the front matter it opens, as
// adrg/frontmatter's default formats do.
var openings = map[string]opening{
	"---":     {YAML, "---"},
	"---yaml": {YAML, "---"},
	"+++":     {TOML, "+++"},
	"---toml": {TOML, "---"},
	";;;":     {JSON, ";;;"},
	"---json": {JSON, "---"},
	"{":       {JSON, "}"},
}

// errOpenObject is returned to adrg/frontmatter by the unmarshal function of JSON between
// braces when the line it stopped at closes a nested object, not the front matter.
var errOpenObject = errors.New("the JSON object is not closed yet")

// split lets adrg/frontmatter find and split off the front matter opened on line startLine
// of text, decoding it into m. It returns the offset in text where the body starts (before
// the blank line that may follow JSON between braces), and found = false if the front matter
// is never closed. blankAfterBrace asks, for JSON between braces, that the closing brace be
// followed by a blank line (the library's default for that format).
func (m *Matter) split(text []byte, startLine int, blankAfterBrace bool) (end int, found bool, derr *diag.Diagnostic) {
	s := splitters.Get().(*splitter)
	defer func() {
		s.text, s.m = nil, nil
		splitters.Put(s)
	}()
	s.text, s.off, s.cut, s.called = text, 0, false, false
	s.m, s.startLine = m, startLine
	s.buf.Reset(s)
	formats := s.lineFormats
	if blankAfterBrace {
		formats = s.blankFormats
	}
	rest, err := adrg.Parse(s.buf, nil, formats...)
	var d *diag.Diagnostic
	switch {
	case errors.As(err, &d):
		return 0, false, d
	case errors.Is(err, errOpenObject):
		return 0, false, nil
	case err != nil:
		return 0, false, diag.Wrap(diag.Pos{Path: m.path, Line: startLine, Col: 1}, err, "front matter: "+err.Error())
	case !s.called:
		return 0, false, nil
	}
	// The library returns what it read after the front matter; the reader knows how much it
	// gave, so the front matter ends that many bytes before.
	return s.off - len(rest), true, nil
}

// splitter is what one call of split hands adrg/frontmatter: a reader of the file that gives
// a line at a time until the front matter is found, then ends, and the formats whose
// unmarshal functions decode into the Matter being parsed. Splitters are pooled.
type splitter struct {
	text []byte
	off  int
	// cut is set once the front matter is read: the body is taken from text itself, not
	// copied through the library's buffer, so the reader gives it nothing more. Giving a line
	// at a time keeps the library's buffers to the size of the front matter.
	cut bool
	// buf is what adrg/frontmatter reads through: its bufio.NewReader keeps a *bufio.Reader
	// of the default size as it is, so a pooled one spares a 4 KiB buffer a file.
	buf *bufio.Reader

	m         *Matter
	startLine int
	called    bool
	// lineFormats end JSON between braces at the first line that is "}"; blankFormats at
	// such a line followed by a blank line.
	lineFormats, blankFormats []*adrg.Format
}

var splitters = sync.Pool{New: func() any { return newSplitter() }}

func newSplitter() *splitter {
	s := &splitter{}
	s.buf = bufio.NewReader(s)
	for _, start := range openingOrder {
		o := openings[start]
		unmarshal := func(data []byte, _ any) error { return s.unmarshal(o, data) }
		line, blank := adrg.NewFormat(start, o.end, unmarshal), adrg.NewFormat(start, o.end, unmarshal)
		if o.end == "}" {
			line.UnmarshalDelims, blank.UnmarshalDelims, blank.RequiresNewLine = true, true, true
		}
		s.lineFormats, s.blankFormats = append(s.lineFormats, line), append(s.blankFormats, blank)
	}
	return s
}

// unmarshal is the unmarshal function of every format: it decodes data, the front matter
// that opening o opened, into the Matter being parsed.
func (s *splitter) unmarshal(o opening, data []byte) error {
	s.called, s.cut = true, true
	m := s.m
	m.Format, m.text, m.line = o.format, data, s.startLine+1
	if o.end == "}" {
		m.line = s.startLine
		if incomplete(data) {
			return errOpenObject
		}
	}
	if d := m.decode(); d != nil {
		return d
	}
	return nil
}

func (s *splitter) Read(p []byte) (int, error) {
	if s.cut || s.off >= len(s.text) {
		return 0, io.EOF
	}
	line := s.text[s.off:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(p, line)
	s.off += n
	return n, nil
}

// incomplete reports whether data is the start of a JSON value that ends too soon.
func incomplete(data []byte) bool {
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	var se *json.SyntaxError
	return errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &se) && int(se.Offset) >= len(bytes.TrimRight(data, " \t\r\n"))
}

// unclosedBraces explains why JSON front matter opened by the "{" on line startLine of text
// was not found closed: the object never ends, text follows its closing brace, the brace
// does not stand on a line of its own, or (when a nested object's brace closed the first
// try) no empty line follows it.
func (m *Matter) unclosedBraces(text []byte, startLine int) *diag.Diagnostic {
	m.Format, m.line = JSON, startLine
	m.text = text[lineOffset(text, startLine):]
	dec := json.NewDecoder(bytes.NewReader(m.text))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && int(se.Offset) >= len(bytes.TrimRight(m.text, " \t\r\n")) {
			return diag.Errorf(diag.Pos{Path: m.path, Line: startLine, Col: 1},
				"the JSON front matter opened here is never closed: add a line \"}\" after its last key")
		}
		return m.decode()
	}
	end := int(dec.InputOffset())
	tail := m.text[end:]
	if nl := bytes.IndexByte(tail, '\n'); nl >= 0 {
		tail = tail[:nl]
	}
	if len(bytes.TrimSpace(tail)) > 0 {
		return diag.Errorf(m.posAt(end), "text follows the closing brace of the JSON front matter: start the body on the next line")
	}
	lineStart := bytes.LastIndexByte(m.text[:end-1], '\n') + 1
	if len(bytes.TrimSpace(m.text[lineStart:end-1])) > 0 {
		return diag.Errorf(m.posAt(end-1), "the closing brace of the JSON front matter shares its line with other text: put it on a line of its own")
	}
	return diag.Errorf(m.posAt(end-1), "the JSON front matter holds an object closed on a line of its own, so its last closing brace must be followed by an empty line: add one")
}

// lineOffset returns the byte offset of the start of line n (from 1) of text.
func lineOffset(text []byte, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(text[off:], '\n')
		if j < 0 {
			return len(text)
		}
		off += j + 1
	}
	return off
}

func firstLine(text []byte) (line int, content string) {
	line = 1
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		var l []byte
		if i < 0 {
			l, text = text, nil
		} else {
			l, text = text[:i], text[i+1:]
		}
		if s := strings.TrimSpace(string(l)); s != "" {
			return line, s
		}
		line++
	}
	return line, ""
}

func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(src)
}

var (
	yamlLineRe    = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlInnerRe   = regexp.MustCompile(`line (\d+): (.*)`)
	yamlDupRe     = regexp.MustCompile(`mapping key "(.*)" already defined at line (\d+)`)
	tomlDupRe     = regexp.MustCompile(`^Key '(.*)' has already been defined\.?$`)
	tomlExpectRe  = regexp.MustCompile(`^expected value but found "(.*)" instead$`)
	jsonLiteralRe = regexp.MustCompile(`invalid character '(.)' looking for beginning of value`)
)

func (m *Matter) decode() *diag.Diagnostic {
	switch m.Format {
	case YAML:
		var v map[string]any
		if err := yaml.Unmarshal(m.text, &v); err != nil {
			return m.yamlError(err)
		}
		for k, val := range v {
			m.Values[nameOf(k)] = normalize(val)
		}
	case TOML:
		var v map[string]any
		if err := toml.Unmarshal(m.text, &v); err != nil {
			return m.tomlError(err)
		}
		for k, val := range v {
			m.Values[nameOf(k)] = normalize(val)
		}
	case JSON:
		var v map[string]any
		dec := json.NewDecoder(bytes.NewReader(m.text))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			off := int(dec.InputOffset())
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			switch {
			case errors.As(err, &se):
				off = int(se.Offset)
			case errors.As(err, &te):
				off = int(te.Offset)
			}
			if off > 0 {
				off--
			}
			msg := strings.TrimPrefix(err.Error(), "json: ")
			hint := "fix the syntax (keys and strings need double quotes, no comma after the last item)"
			if errors.As(err, &te) {
				hint = "the front matter must be one object: { \"title\": \"...\" }"
			} else if mm := jsonLiteralRe.FindStringSubmatch(msg); mm != nil && mm[1] == "}" || strings.Contains(msg, "looking for beginning of object key string") {
				hint = "remove the comma after the last item"
			}
			return diag.Wrap(m.posAt(off), err, fmt.Sprintf("JSON front matter: %s: %s", msg, hint))
		}
		if dec.More() {
			return diag.Errorf(m.posAt(int(dec.InputOffset())), "JSON front matter: text after the closing brace: remove it")
		}
		if d := m.jsonDuplicate(); d != nil {
			return d
		}
		for k, val := range v {
			m.Values[nameOf(k)] = normalize(val)
		}
	}
	return nil
}

// jsonDuplicate reports the first key that appears twice in one object: encoding/json
// would silently keep the last.
func (m *Matter) jsonDuplicate() *diag.Diagnostic {
	dec := json.NewDecoder(bytes.NewReader(m.text))
	type object struct {
		keys      map[string]int
		expectKey bool
	}
	var stack []*object
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, &object{keys: map[string]int{}, expectKey: true})
			case '[':
				stack = append(stack, nil)
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1] != nil {
					stack[len(stack)-1].expectKey = true
				}
			}
			if d == '{' || d == '[' {
				if top != nil {
					top.expectKey = false
				}
			}
			continue
		}
		if top == nil {
			continue
		}
		if !top.expectKey {
			top.expectKey = true
			continue
		}
		key, _ := tok.(string)
		// The key starts after any separator and space that precede it.
		start := before
		for start < len(m.text) && m.text[start] != '"' {
			start++
		}
		if first, dup := top.keys[key]; dup {
			l, _ := diag.LineCol(m.text, first)
			return diag.Errorf(m.posAt(start), "JSON front matter: the key %q appears twice (first on line %d): keep only one", key, m.line+l-1)
		}
		top.keys[key] = start
		top.expectKey = false
	}
}

func (m *Matter) tomlError(err error) *diag.Diagnostic {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return diag.Wrap(m.Pos(""), err, "TOML front matter: "+err.Error())
	}
	pos := diag.Pos{Path: m.path, Line: m.line + pe.Position.Line - 1, Col: max(pe.Position.Col, 1)}
	msg := strings.TrimSuffix(pe.Message, ".")
	hint := "fix the syntax (key = value; text needs quotes, lists need [ ])"
	if mm := tomlDupRe.FindStringSubmatch(pe.Message); mm != nil {
		pos.Col = m.indentCol(pe.Position.Line)
		first := m.tomlKeyLine(mm[1], pe.Position.Line)
		msg = fmt.Sprintf("the key %q appears twice", mm[1])
		if first > 0 {
			msg += fmt.Sprintf(" (first on line %d)", m.line+first-1)
		}
		hint = "keep only one"
	} else if mm := tomlExpectRe.FindStringSubmatch(pe.Message); mm != nil {
		hint = fmt.Sprintf("put text in double quotes, e.g. \"%s\"", mm[1])
	}
	return diag.Wrap(pos, err, fmt.Sprintf("TOML front matter: %s: %s", msg, hint))
}

// tomlKeyLine returns the first line (from 1) of the front matter before line upto where key
// is set, or 0.
func (m *Matter) tomlKeyLine(key string, upto int) int {
	for i, l := range bytes.Split(m.text, []byte("\n")) {
		if i+1 >= upto {
			break
		}
		if k, ok := topKey(bytes.TrimLeft(l, " \t"), TOML); ok && (k == key || strings.HasSuffix(key, "."+k)) {
			return i + 1
		}
	}
	return 0
}

// indentCol returns the column of the first non-blank character of line n (from 1) of the
// front matter text.
func (m *Matter) indentCol(n int) int {
	lines := bytes.Split(m.text, []byte("\n"))
	if n < 1 || n > len(lines) {
		return 1
	}
	l := lines[n-1]
	return utf8.RuneCount(l[:len(l)-len(bytes.TrimLeft(l, " \t"))]) + 1
}

func (m *Matter) yamlError(err error) *diag.Diagnostic {
	msg := err.Error()
	line, text := 0, msg
	if mm := yamlLineRe.FindStringSubmatch(msg); mm != nil {
		line, _ = strconv.Atoi(mm[1])
		text = mm[2]
	} else if mm := yamlInnerRe.FindStringSubmatch(msg); mm != nil {
		line, _ = strconv.Atoi(mm[1])
		text = mm[2]
	}
	text = strings.TrimPrefix(text, "yaml: ")
	// The YAML parser names the line where a construct began or where the text ended;
	// the first line at which the text stops parsing is a better guess where it names none,
	// or names the end, or an earlier line than the one that broke.
	nlines := bytes.Count(bytes.TrimRight(m.text, "\n"), []byte("\n")) + 1
	failing := m.yamlFailingLine()
	switch {
	case line <= 0 || line > nlines:
		line = failing
	case failing > line:
		line = failing
	}
	hint := "fix the YAML syntax (each line is key: value, with a space after the colon)"
	switch {
	case yamlDupRe.MatchString(text):
		mm := yamlDupRe.FindStringSubmatch(text)
		first, _ := strconv.Atoi(mm[2])
		text = fmt.Sprintf("the key %q appears twice (first on line %d)", mm[1], m.line+first-1)
		hint = "keep only one"
	case strings.Contains(text, "tab character"), strings.Contains(text, "found character that cannot start any token") && bytes.Contains(m.text, []byte("\t")):
		hint = "YAML does not allow tabs for indentation: indent with spaces"
	case strings.Contains(text, "found character that cannot start any token"):
		hint = "put the value in double quotes"
	case strings.Contains(text, "mapping values are not allowed"):
		hint = "put a value that contains a colon in double quotes, e.g. title: \"Day 1: opening\""
	case strings.Contains(text, "did not find expected ',' or ']'"):
		hint = "close the list with ] and separate its items with commas"
	case strings.Contains(text, "did not find expected ',' or '}'"):
		hint = "close the map with } and separate its items with commas"
	case strings.Contains(text, "found unexpected end of stream"):
		hint = "a quote is never closed: end the value with the same quote it starts with"
	case strings.Contains(text, "did not find expected key"), strings.Contains(text, "could not find expected ':'"):
		hint = "each line is key: value, with a space after the colon; the lines of a list or map are indented by the same amount"
	case strings.Contains(text, "cannot unmarshal"):
		text = "the front matter must be a list of key: value lines"
		hint = "start each line with a key, e.g. title: My page"
	}
	pos := diag.Pos{Path: m.path, Line: max(m.line-1, 1), Col: 1}
	if line > 0 {
		pos.Line = m.line + line - 1
		pos.Col = m.indentCol(line)
		if lines := bytes.Split(m.text, []byte("\n")); strings.Contains(hint, "tabs") && line <= len(lines) {
			if i := bytes.IndexByte(lines[line-1], '\t'); i >= 0 {
				pos.Col = utf8.RuneCount(lines[line-1][:i]) + 1
			}
		}
	}
	return diag.Wrap(pos, err, fmt.Sprintf("YAML front matter: %s: %s", text, hint))
}

// yamlFailingLine finds the first line at which the front matter stops parsing, or 0.
func (m *Matter) yamlFailingLine() int {
	lines := bytes.SplitAfter(m.text, []byte("\n"))
	if len(lines) > 300 {
		return 0
	}
	for k := 1; k <= len(lines); k++ {
		var v map[string]any
		if err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &v); err != nil {
			return k
		}
	}
	return 0
}

// normalize turns decoded values into plain Go values: maps with string keys, []any lists,
// strings, bools, int64, float64 and time.Time.
func normalize(v any) any {
	switch x := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[nameOf(fmt.Sprint(k))] = normalize(val)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[nameOf(k)] = normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case int:
		return int64(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	default:
		return v
	}
}
