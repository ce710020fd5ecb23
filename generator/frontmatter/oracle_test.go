package frontmatter

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/diag"
)

// oracleParse is Parse as it was before adrg/frontmatter split the front matter (its own
// splitter, in the three functions below), kept as the test oracle of FuzzParseOracle. It
// splits src, the content of the file at path, into its front matter and body.
func oracleParse(path string, src []byte) (m *Matter, body []byte, bodyLine int, err *diag.Diagnostic) {
	if d := checkText(path, src); d != nil {
		return nil, nil, 0, d
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
	if format == JSON && delim == "}" {
		// JSON between braces: the object ends where the JSON ends, not at a line.
		return m.oracleParseBraces(path, text, startLine)
	}
	data, rest, closed := oracleSplit(text, startLine, delim)
	if !closed {
		return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: startLine, Col: 1},
			"the %s front matter opened here is never closed: add a line %q after its last key", format, delim)
	}
	m.Format = format
	m.text = data
	m.line = startLine + 1
	bodyLine = bytes.Count(text[:len(text)-len(rest)], []byte("\n")) + 1

	if derr := m.decode(); derr != nil {
		return nil, nil, 0, derr
	}
	m.locateKeys()
	return m, rest, bodyLine, nil
}

// oracleParseBraces reads JSON front matter that starts with the "{" on line startLine of text
// and ends with the matching "}"; the body starts on the next line.
func (m *Matter) oracleParseBraces(path string, text []byte, startLine int) (*Matter, []byte, int, *diag.Diagnostic) {
	m.Format = JSON
	m.line = startLine
	off := lineOffset(text, startLine)
	m.text = text[off:]
	dec := json.NewDecoder(bytes.NewReader(m.text))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && int(se.Offset) >= len(bytes.TrimRight(m.text, " \t\r\n")) {
			return nil, nil, 0, diag.Errorf(diag.Pos{Path: path, Line: startLine, Col: 1},
				"the JSON front matter opened here is never closed: add a line \"}\" after its last key")
		}
		return nil, nil, 0, m.decode()
	}
	end := int(dec.InputOffset())
	m.text = m.text[:end]
	rest := text[off+end:]
	nl := bytes.IndexByte(rest, '\n')
	tail := rest
	if nl >= 0 {
		tail = rest[:nl]
	}
	if len(bytes.TrimSpace(tail)) > 0 {
		return nil, nil, 0, diag.Errorf(m.posAt(end), "text follows the closing brace of the JSON front matter: start the body on the next line")
	}
	if nl >= 0 {
		rest = rest[nl+1:]
		// One blank line may separate the object from the body.
		if i := bytes.IndexByte(rest, '\n'); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
			rest = rest[i+1:]
		}
	} else {
		rest = nil
	}
	bodyLine := bytes.Count(text[:len(text)-len(rest)], []byte("\n")) + 1
	if d := m.decode(); d != nil {
		return nil, nil, 0, d
	}
	m.locateKeys()
	return m, rest, bodyLine, nil
}

// oracleSplit returns the text between the opening line of the front matter, line startLine of
// text, and the next line that holds only delim (spaces aside), and the text after that
// line: the body. closed is false when no such line follows.
func oracleSplit(text []byte, startLine int, delim string) (data, rest []byte, closed bool) {
	open := lineOffset(text, startLine)
	nl := bytes.IndexByte(text[open:], '\n')
	if nl < 0 {
		return nil, nil, false
	}
	start := open + nl + 1
	for pos := start; pos < len(text); {
		line, next := text[pos:], len(text)
		if j := bytes.IndexByte(text[pos:], '\n'); j >= 0 {
			line, next = text[pos:pos+j], pos+j+1
		}
		if string(bytes.TrimSpace(line)) == delim {
			return text[start:pos], text[next:], true
		}
		pos = next
	}
	return nil, nil, false
}

// differs lists the deliberate differences between Parse and its oracle: JSON front matter
// between braces that the oracle accepted by reading the JSON to its end, where
// adrg/frontmatter looks for the closing brace on a line of its own (followed by an empty
// line when a nested object's brace came first). Parse rejects those with one of these.
var differs = []string{
	"the closing brace of the JSON front matter shares its line with other text",
	"so its last closing brace must be followed by an empty line",
}

// FuzzParseOracle checks that Parse, which lets adrg/frontmatter split the front matter,
// gives what the hand-written splitter it replaced gave: the same error line, or the same
// format, values, keys, key positions, body and body line.
func FuzzParseOracle(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkOracle(t, src)
	})
}

func checkOracle(t *testing.T, src []byte) {
	t.Helper()
	m, body, line, err := Parse("content/a/b.md", src)
	om, obody, oline, oerr := oracleParse("content/a/b.md", src)
	if err != nil || oerr != nil {
		if err != nil && oerr == nil && om.Format == JSON {
			for _, d := range differs {
				if strings.Contains(err.Message, d) {
					return
				}
			}
		}
		if err == nil || oerr == nil || err.Error() != oerr.Error() {
			t.Fatalf("%q:\nParse:  %v\noracle: %v", src, err, oerr)
		}
		return
	}
	if m.Format != om.Format || !reflect.DeepEqual(m.Values, om.Values) || !reflect.DeepEqual(m.Keys, om.Keys) {
		t.Fatalf("%q:\nParse:  %s %#v %v\noracle: %s %#v %v", src, m.Format, m.Values, m.Keys, om.Format, om.Values, om.Keys)
	}
	for _, k := range m.Keys {
		if m.Pos(k) != om.Pos(k) {
			t.Fatalf("%q: key %q at %v, oracle %v", src, k, m.Pos(k), om.Pos(k))
		}
	}
	if !bytes.Equal(body, obody) || line != oline {
		t.Fatalf("%q:\nParse:  line %d %q\noracle: line %d %q", src, line, body, oline, obody)
	}
}

// fuzzSeeds are files of every front matter format, well and badly formed.
var fuzzSeeds = []string{
	"---\ntitle: Ada\nspeakers: [a, b]\n---\nBody\n",
	"---\ntitle: Ada: x\n---\n",
	"+++\ntitle = \"Ada\"\n[params]\na = 1\n+++\nBody",
	"{\n\"title\": \"Ada\",\n\"params\": {\"a\": [1, 2]}\n}\nBody\n",
	"{\n\"title\": \"Ada\",\n\"params\": {\n  \"a\": 1\n  }\n}\n\nBody\n",
	"{\n\"title\": \"Ada\", \"title\": 1\n}\n",
	"{\n  \"title\": \"x\",\n}\nBody.\n",
	"{\n\"title\": \"x\"\n} trailing\n",
	"{\n\"title\": \"x\"\n",
	";;;\n{\"title\": \"x\"}\n;;;\n",
	"---toml\ntitle = 1\n---\n",
	"---json\n{\"title\": 1}\n---\n",
	"---yaml\na: 1\n---\r\nbody\r\n",
	"\ufeff---\ntitle: x\n---\n",
	"\r\n\r\n---\r\ntitle: x\r\n---\r\nbody",
	"\n\n  ---  \ntitle: A\n  ---\t\nbody",
	"---\n\ttitle: x\n---\n",
	"---\na: 'x\n---\n",
	"---\ntitle: A\n",
	"---",
	"---\n---\n---\n",
	"---\n\u00a0---\u00a0\nx",
	"no front matter",
	"# A heading\n\n---\ntitle: x\n---\n",
	"",
	"\xff\xfe",
}

// TestParseOracle runs the oracle comparison on the seeds, so it runs with every go test.
func TestParseOracle(t *testing.T) {
	for _, s := range fuzzSeeds {
		checkOracle(t, []byte(s))
	}
}

// TestParseUsesLibrary checks that the library, not Parse, decides where front matter ends:
// the JSON object below is valid to its last brace, but adrg/frontmatter's rule (a closing
// brace on a line of its own) is what Parse reports.
func TestParseUsesLibrary(t *testing.T) {
	_, _, _, err := Parse("x.md", []byte("{\n\"title\": \"x\"}\nBody\n"))
	if err == nil || !strings.Contains(err.Message, differs[0]) {
		t.Fatalf("got %v, want the closing brace on a line of its own", err)
	}
	_, _, _, err = Parse("x.md", []byte("{\n\"p\": {\n\"a\": 1\n}\n}\nBody\n"))
	if err == nil || !strings.Contains(err.Message, differs[1]) || err.Pos.String() != "x.md:5:1" {
		t.Fatalf("got %v, want an empty line after the closing brace at x.md:5:1", err)
	}
	m, body, line, err := Parse("x.md", []byte("{\n\"p\": {\n\"a\": 1\n}\n}\n\nBody\n"))
	if err != nil || string(body) != "Body\n" || line != 7 || !reflect.DeepEqual(m.Values["p"], map[string]any{"a": int64(1)}) {
		t.Fatalf("nested object: %v %q line %d %#v", err, body, line, m)
	}
}
