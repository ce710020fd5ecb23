package diag

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestFormatAndSort(t *testing.T) {
	cause := errors.New("cause")
	l := List{
		Errorf(Pos{Path: "content/b.md", Line: 3, Col: 2}, "second"),
		Warnf(Pos{Path: "content/a.md", Line: 10, Col: 1}, "a warning"),
		Wrap(Pos{Path: "content/a.md", Line: 2, Col: 5}, cause, "first"),
		Errorf(Pos{Path: "content/b.md", Line: 3, Col: 2}, "second"),
		Errorf(Pos{Path: "templates"}, "no line"),
	}.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.Error())
	}
	want := []string{
		"content/a.md:2:5: first",
		"content/a.md:10:1: warning: a warning",
		"content/b.md:3:2: second",
		"templates:1:1: no line",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !l.HasErrors() || len(l.Errors()) != 3 || len(l.Warnings()) != 1 {
		t.Error("counts")
	}
	if !errors.Is(l[0], cause) {
		t.Error("a diagnostic does not wrap its cause")
	}
}

func TestMergePages(t *testing.T) {
	at := func(path string, line int, msg, page string) *Diagnostic {
		d := Errorf(Pos{Path: path, Line: line, Col: 1}, "%s", msg)
		d.Rendering = page
		return d
	}
	l := List{
		at("templates/page.html", 3, "bad", "content/c.md"),
		at("templates/page.html", 3, "bad", "content/a.md"),
		at("templates/page.html", 3, "other", "content/b.md"),
		at("templates/list.html", 1, "bad", "content/b.md"),
		at("templates/page.html", 3, "bad", "content/b.md"),
		Errorf(Pos{Path: "content/a.md", Line: 2}, "not a render error"),
	}.MergePages()
	var got []string
	for _, d := range l {
		got = append(got, d.Error())
	}
	want := []string{
		"content/a.md:2:1: not a render error",
		"templates/list.html:1:1: bad (while rendering content/b.md)",
		"templates/page.html:3:1: bad (while rendering content/a.md and 2 other pages)",
		"templates/page.html:3:1: other (while rendering content/b.md)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncé\nx")
	tests := []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {6, 2, 3}, {7, 3, 1}, {100, 3, 2}}
	for _, tt := range tests {
		if l, c := LineCol(src, tt.off); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}

func TestCollectorIsSafeForConcurrentUse(t *testing.T) {
	var c Collector
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { c.Errorf(Pos{Path: "x", Line: i + 1}, "e") })
	}
	wg.Wait()
	if got := c.List(); len(got) != 50 || !got.HasErrors() {
		t.Errorf("collected %d", len(got))
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "pages"}, {1, "page"}, {2, "pages"}} {
		if got := Plural(tt.n, "page", "pages"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
