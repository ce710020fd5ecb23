package frontmatter

import (
	"strings"
	"testing"
	"time"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		format   Format
		title    string
		body     string
		bodyLine int
	}{
		{"yaml", "---\ntitle: Hello\n---\nBody\n", YAML, "Hello", "Body\n", 4},
		{"yaml with blank lines before", "\n\n---\ntitle: Hello\n---\nBody\n", YAML, "Hello", "Body\n", 6},
		{"yaml crlf", "---\r\ntitle: Hello\r\n---\r\nBody\r\n", YAML, "Hello", "Body\r\n", 4},
		{"yaml bom", "\uFEFF---\ntitle: Hello\n---\nBody\n", YAML, "Hello", "Body\n", 4},
		{"toml", "+++\ntitle = \"Hello\"\n+++\nBody\n", TOML, "Hello", "Body\n", 4},
		{"json braces", "{\n  \"title\": \"Hello\"\n}\n\nBody\n", JSON, "Hello", "Body\n", 5},
		{"json semicolons", ";;;\n{\"title\": \"Hello\"}\n;;;\nBody\n", JSON, "Hello", "Body\n", 4},
		{"no front matter", "Just text\n", "", "", "Just text\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, body, line, err := Parse("content/x.md", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Format != tt.format {
				t.Errorf("format = %q, want %q", m.Format, tt.format)
			}
			if got, _ := m.Values["title"].(string); got != tt.title {
				t.Errorf("title = %q, want %q", got, tt.title)
			}
			if string(body) != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if line != tt.bodyLine {
				t.Errorf("body line = %d, want %d", line, tt.bodyLine)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the whole diagnostic line
	}{
		{"empty", "", "content/x.md:1:1: the file is empty: give it front matter with at least a title (---, title: ..., ---)"},
		{"blank", "\n  \n", "content/x.md:1:1: the file is empty: give it front matter with at least a title (---, title: ..., ---)"},
		{"not utf-8", "---\ntitle: caf\xe9\n---\n", "content/x.md:2:11: the file is not valid UTF-8 text: save it with UTF-8 encoding"},
		{"unclosed yaml", "---\ntitle: x\nbody\n", `content/x.md:1:1: the YAML front matter opened here is never closed: add a line "---" after its last key`},
		{"unclosed toml", "\n+++\ntitle = 'x'\n", `content/x.md:2:1: the TOML front matter opened here is never closed: add a line "+++" after its last key`},
		{"yaml syntax with line", "---\ntitle: x\nlist: [a, b\nother: 1\n---\n", "content/x.md:3:1: YAML front matter: did not find expected ',' or ']': close the list with ] and separate its items with commas"},
		{"yaml syntax without line", "---\ntitle: \"a \"b\" c\"\n---\n", "content/x.md:2:1: YAML front matter: did not find expected key: each line is key: value, with a space after the colon; the lines of a list or map are indented by the same amount"},
		{"yaml tab", "---\ntitle: x\n\tdate: 2020-01-01\n---\n", "content/x.md:3:1: YAML front matter: found a tab character that violates indentation: YAML does not allow tabs for indentation: indent with spaces"},
		{"yaml duplicate key", "---\ntitle: x\ntitle: y\n---\n", `content/x.md:3:1: YAML front matter: the key "title" appears twice (first on line 2): keep only one`},
		{"toml syntax", "+++\ntitle = \"x\"\ndate = \n+++\n", "content/x.md:3:8: TOML front matter: expected value but found '\\n' instead: fix the syntax (key = value; text needs quotes, lists need [ ])"},
		{"json syntax", "{\n  \"title\": \"x\",\n}\n\nbody\n", "content/x.md:3:1: JSON front matter: invalid character '}' looking for beginning of object key string: remove the comma after the last item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := Parse("content/x.md", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "---\ntitle: Hello\nspeakers:\n  - ada\n  - grace\ndate: 2020-01-02\n---\nbody\n"
	m, _, _, err := Parse("content/x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Pos("speakers").String(); got != "content/x.md:3:1" {
		t.Errorf("Pos(speakers) = %s", got)
	}
	if got := m.ValuePos("speakers", "grace").String(); got != "content/x.md:5:5" {
		t.Errorf("ValuePos(speakers, grace) = %s", got)
	}
	if got := m.Pos("missing").String(); got != "content/x.md:1:1" {
		t.Errorf("Pos(missing) = %s", got)
	}
	if want := []string{"title", "speakers", "date"}; strings.Join(m.Keys, ",") != strings.Join(want, ",") {
		t.Errorf("Keys = %v, want %v", m.Keys, want)
	}
}

func TestPositionsTOMLAndJSON(t *testing.T) {
	m, _, _, err := Parse("x.md", []byte("+++\ntitle = \"a\"\npeople = [\"ada\", \"bob\"]\n[params]\ntitle = \"inner\"\n+++\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.ValuePos("people", "bob").String(); got != "x.md:3:19" {
		t.Errorf("TOML ValuePos = %s", got)
	}
	if got := m.Pos("title").String(); got != "x.md:2:1" {
		t.Errorf("TOML Pos(title) = %s (a key inside a table must not count)", got)
	}
	m, _, _, err = Parse("x.md", []byte("{\n  \"title\": \"a\",\n  \"params\": {\"people\": 1},\n  \"people\": [\"ada\"]\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Pos("people").String(); got != "x.md:4:3" {
		t.Errorf("JSON Pos(people) = %s (a nested key must not count)", got)
	}
}

func TestValues(t *testing.T) {
	m, _, _, err := Parse("x.md", []byte("---\ntitle: x\nweight: 3\ndraft: true\nwhen: 2020-09-21\nparams:\n  a: 1\n  b: [x, y]\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Values["weight"] != int64(3) {
		t.Errorf("weight = %#v, want int64(3)", m.Values["weight"])
	}
	if m.Values["draft"] != true {
		t.Errorf("draft = %#v", m.Values["draft"])
	}
	switch w := m.Values["when"].(type) {
	case string:
		if w != "2020-09-21" {
			t.Errorf("when = %q", w)
		}
	case time.Time:
		if w.Format("2006-01-02") != "2020-09-21" {
			t.Errorf("when = %v", w)
		}
	default:
		t.Errorf("when = %#v", w)
	}
	p, ok := m.Values["params"].(map[string]any)
	if !ok || p["a"] != int64(1) {
		t.Errorf("params = %#v", m.Values["params"])
	}
	if l, ok := p["b"].([]any); !ok || len(l) != 2 {
		t.Errorf("params.b = %#v", p["b"])
	}
}
