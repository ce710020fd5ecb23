package frontmatter

import (
	"bytes"
	"testing"

	adrg "github.com/adrg/frontmatter"
)

// FuzzSplit checks split against github.com/adrg/frontmatter, which Parse used before: the
// same front matter text and the same body, or the same verdict that it is never closed.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\n---\nbody\n",
		"\n\n  ---  \ntitle: A\n  ---\t\nbody",
		"---\ntitle: A\n---",
		"---\ntitle: A\n",
		"---",
		"+++\ntitle = 'A'\n+++\n\nbody\n",
		";;;\n{\"title\": \"A\"}\n;;;\nbody",
		"---yaml\na: 1\n---\r\nbody\r\n",
		"---toml\na = 1\n---\n",
		"---json\n{}\n---\n",
		"---\n---\n---\n",
		"---\n\u00a0---\u00a0\nx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		startLine, first := firstLine(text)
		delims := map[string]string{"---": "---", "---yaml": "---", "+++": "+++", "---toml": "---", ";;;": ";;;", "---json": "---"}
		delim, ok := delims[first]
		if !ok {
			return
		}
		data, rest, closed := split(text, startLine, delim)

		var got []byte
		called := false
		grab := func(d []byte, _ any) error { got, called = d, true; return nil }
		var formats []*adrg.Format
		for start, end := range delims {
			formats = append(formats, adrg.NewFormat(start, end, grab))
		}
		wantRest, err := adrg.Parse(bytes.NewReader(text), nil, formats...)
		wantClosed := err == nil && called
		if closed != wantClosed {
			t.Fatalf("%q: closed = %v, adrg says %v", s, closed, wantClosed)
		}
		if closed && (!bytes.Equal(data, got) || !bytes.Equal(rest, wantRest)) {
			t.Fatalf("%q: split gives %q and %q, adrg %q and %q", s, data, rest, got, wantRest)
		}
	})
}
