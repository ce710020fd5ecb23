package frontmatter

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary files to Parse: it must not panic or hang, and every error must
// point at a line of the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Ada\nspeakers: [a, b]\n---\nBody\n",
		"---\ntitle: Ada: x\n---\n",
		"+++\ntitle = \"Ada\"\n[params]\na = 1\n+++\nBody",
		"{\n\"title\": \"Ada\",\n\"params\": {\"a\": [1, 2]}\n}\nBody\n",
		"{\n\"title\": \"Ada\", \"title\": 1\n}\n",
		";;;\n{\"title\": \"x\"}\n;;;\n",
		"---toml\ntitle = 1\n---\n",
		"\ufeff---\ntitle: x\n---\n",
		"---\n\ttitle: x\n---\n",
		"---\na: 'x\n---\n",
		"no front matter",
		"",
		"\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, body, bodyLine, err := Parse("content/a/b.md", src)
		lines := bytes.Count(src, []byte("\n")) + 1
		if err != nil {
			if m != nil || body != nil {
				t.Fatalf("an error and a result: %v", err)
			}
			if err.Path != "content/a/b.md" || err.Line < 1 || err.Line > lines || err.Col < 1 {
				t.Fatalf("error at a position outside the file (%d lines): %v", lines, err)
			}
			if err.Message == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if m == nil {
			t.Fatal("no error and no front matter")
		}
		if bodyLine < 1 || bodyLine > lines+1 {
			t.Fatalf("body line %d outside the file (%d lines)", bodyLine, lines)
		}
		for _, k := range m.Keys {
			if p := m.Pos(k); p.Line < 1 || p.Line > lines {
				t.Fatalf("key %q at line %d outside the file (%d lines)", k, p.Line, lines)
			}
		}
	})
}
