// Package frontmatter splits a content file into its front matter and its Markdown body and
// decodes the front matter (YAML between "---" lines, TOML between "+++" lines, or JSON
// between "{" and "}" lines or ";;;" lines) into plain values. Every error it returns carries
// the line and column in the whole file. It does not know what any key means.
package frontmatter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	adrg "github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"

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

type capture struct {
	format Format
	data   []byte
	called bool
}

// Parse splits src, the content of the file at path (relative to the site root), into its
// front matter and body. bodyLine is the line of the file the body starts on. A file without
// front matter gives an empty Matter and the whole file as body.
func Parse(path string, src []byte) (m *Matter, body []byte, bodyLine int, err *diag.Diagnostic) {
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		l, c := diag.LineCol(src, off)
		return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: l, Col: c},
			"the file is not valid UTF-8 text: save it with UTF-8 encoding")
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: 1, Col: 1},
			"the file is empty: give it front matter with at least a title (---, title: ..., ---)")
	}
	bom := 0
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		bom = 3
	}
	text := src[bom:]
	m = &Matter{path: path, Values: map[string]any{}, keyOff: map[string][2]int{}}

	// Find the first non-blank line: it says whether there is front matter, and which.
	startLine, first := firstLine(text)
	var delim string
	var format Format
	switch first {
	case "---", "---yaml":
		delim, format = "---", YAML
	case "+++":
		delim, format = "+++", TOML
	case "---toml":
		delim, format = "---", TOML
	case ";;;":
		delim, format = ";;;", JSON
	case "---json":
		delim, format = "---", JSON
	case "{":
		delim, format = "}", JSON
	default:
		return m, text, 1, nil
	}
	var cap capture
	grab := func(f Format) adrg.UnmarshalFunc {
		return func(data []byte, _ any) error {
			cap.format, cap.data, cap.called = f, data, true
			return nil
		}
	}
	formats := []*adrg.Format{
		adrg.NewFormat("---", "---", grab(YAML)),
		adrg.NewFormat("---yaml", "---", grab(YAML)),
		adrg.NewFormat("+++", "+++", grab(TOML)),
		adrg.NewFormat("---toml", "---", grab(TOML)),
		adrg.NewFormat(";;;", ";;;", grab(JSON)),
		adrg.NewFormat("---json", "---", grab(JSON)),
		{Start: "{", End: "}", Unmarshal: grab(JSON), UnmarshalDelims: true, RequiresNewLine: true},
	}
	rest, perr := adrg.Parse(bytes.NewReader(text), nil, formats...)
	if perr != nil || !cap.called {
		return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: startLine, Col: 1},
			"the %s front matter opened here is never closed: add a line %q after its last key", format, delim)
	}
	m.Format = format
	m.text = cap.data
	m.line = startLine + 1
	if first == "{" {
		m.line = startLine
	}
	bodyLine = bytes.Count(text[:len(text)-len(rest)], []byte("\n")) + 1

	if derr := m.decode(); derr != nil {
		return nil, nil, 0, derr
	}
	m.locateKeys()
	return m, rest, bodyLine, nil
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

var yamlLineInner = regexp.MustCompile(`line (\d+): (.*)`)

func (m *Matter) decode() *diag.Diagnostic {
	switch m.Format {
	case YAML:
		var v map[string]any
		if err := yaml.Unmarshal(m.text, &v); err != nil {
			return m.yamlError(err)
		}
		for k, val := range v {
			m.Values[k] = normalize(val)
		}
	case TOML:
		var v map[string]any
		if err := toml.Unmarshal(m.text, &v); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return diag.Wrap(diag.Pos{Path: m.path, Line: m.line + pe.Position.Line - 1, Col: max(pe.Position.Col, 1)},
					err, fmt.Sprintf("TOML front matter: %s: fix the syntax (strings need quotes, lists need [ ])", pe.Message))
			}
			return diag.Wrap(m.Pos(""), err, "TOML front matter: "+err.Error())
		}
		for k, val := range v {
			m.Values[k] = normalize(val)
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
			return diag.Wrap(m.posAt(off), err, fmt.Sprintf("JSON front matter: %s: fix the syntax (keys and strings need double quotes, no trailing commas)", strings.TrimPrefix(err.Error(), "json: ")))
		}
		if dec.More() {
			return diag.Errorf(m.posAt(int(dec.InputOffset())), "JSON front matter: text after the closing brace: remove it")
		}
		for k, val := range v {
			m.Values[k] = normalize(val)
		}
	}
	return nil
}

func (m *Matter) yamlError(err error) *diag.Diagnostic {
	msg := err.Error()
	line, text := 0, msg
	if mm := yamlLineInner.FindStringSubmatch(msg); mm != nil {
		line, _ = strconv.Atoi(mm[1])
		text = mm[2]
	}
	if !strings.Contains(msg, "unmarshal errors") {
		// The parser's own line numbers are sometimes missing or one off: the first line at
		// which the text stops parsing is where the problem is.
		if l := m.yamlFailingLine(); l > 0 {
			line = l
		}
	}
	// Lines the message mentions are lines of the front matter; say them as lines of the file.
	text = yamlAtLine.ReplaceAllStringFunc(text, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "at line "))
		return fmt.Sprintf("at line %d", m.line+n-1)
	})
	text = strings.TrimPrefix(text, "yaml: ")
	pos := diag.Pos{Path: m.path, Line: max(m.line-1, 1), Col: 1}
	if line > 0 {
		pos.Line = m.line + line - 1
		lines := bytes.Split(m.text, []byte("\n"))
		if line-1 < len(lines) {
			l := lines[line-1]
			if i := bytes.IndexByte(l, '\t'); i >= 0 && strings.Contains(text, "tab") {
				pos.Col = i + 1
			} else {
				pos.Col = len(l) - len(bytes.TrimLeft(l, " \t")) + 1
			}
		}
	}
	hint := "fix the YAML syntax (a key is followed by a colon and a space; quote values that contain a colon)"
	switch {
	case strings.Contains(text, "tab"):
		hint = "YAML does not allow tabs for indentation: indent with spaces"
	case strings.Contains(text, "already defined"):
		hint = "each key may appear once: remove or merge the repeated one"
	}
	return diag.Wrap(pos, err, fmt.Sprintf("YAML front matter: %s: %s", text, hint))
}

var yamlAtLine = regexp.MustCompile(`at line \d+`)

// yamlFailingLine finds the first line at which the front matter stops parsing, for errors
// that the YAML parser reports without a line.
func (m *Matter) yamlFailingLine() int {
	lines := bytes.SplitAfter(m.text, []byte("\n"))
	for k := 1; k <= len(lines); k++ {
		var v any
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
			out[fmt.Sprint(k)] = normalize(val)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = normalize(val)
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
