package site

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/diag"
)

// TestPagerLinks checks the numbered navigation of lists of several lengths, on the first,
// a middle and the last page, on both sides of where numbers start to be left out.
func TestPagerLinks(t *testing.T) {
	cases := []struct {
		total, number int
		want          string // numbers, [current], and … for a gap
	}{
		{1, 1, "[1]"},
		{2, 1, "[1] 2"},
		{2, 2, "1 [2]"},
		{5, 3, "1 2 [3] 4 5"},
		{6, 1, "[1] 2 3 … 6"},
		{6, 4, "1 2 3 [4] 5 6"},
		{7, 4, "1 2 3 [4] 5 6 7"},
		{8, 4, "1 2 3 [4] 5 6 7 8"}, // a gap of one number shows the number
		{8, 5, "1 2 3 4 [5] 6 7 8"},
		{11, 6, "1 … 4 5 [6] 7 8 … 11"},
		{9, 5, "1 2 3 4 [5] 6 7 8 9"},
		{10, 5, "1 2 3 4 [5] 6 7 … 10"},
		{1000, 500, "1 … 498 499 [500] 501 502 … 1000"},
		{1000, 1000, "1 … 998 999 [1000]"},
		{1000, 999, "1 … 997 998 [999] 1000"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.total, "/", c.number), func(t *testing.T) {
			pages := make([]*Page, c.total)
			for i := range pages {
				pages[i] = &Page{URL: fmt.Sprintf("x/page/%d/", i+1)}
			}
			g := &Pager{Number: c.number, PerPage: 10, Items: 10 * c.total, Pages: pages}
			var got []string
			for _, l := range g.Links(2) {
				switch {
				case l.Page == nil:
					got = append(got, "…")
				case l.Page != pages[l.Number-1]:
					t.Fatalf("link %d leads to %s", l.Number, l.Page.URL)
				case l.Current:
					got = append(got, fmt.Sprintf("[%d]", l.Number))
				default:
					got = append(got, fmt.Sprint(l.Number))
				}
			}
			if s := strings.Join(got, " "); s != c.want {
				t.Errorf("Links(2) = %s, want %s", s, c.want)
			}
			if (g.Prev() == nil) != (c.number == 1) || (g.Next() == nil) != (c.number == c.total) {
				t.Errorf("Prev %v, Next %v on page %d of %d", g.Prev(), g.Next(), c.number, c.total)
			}
			if g.Prev() != nil && g.Prev() != pages[c.number-2] || g.Next() != nil && g.Next() != pages[c.number] {
				t.Errorf("Prev or Next is not the page beside this one")
			}
			if g.Offset() != 10*(c.number-1) {
				t.Errorf("Offset = %d", g.Offset())
			}
		})
	}
}

func TestKeyPositions(t *testing.T) {
	var k KeyPositions
	k.Add("title", diag.Pos{Path: "content/a.md", Line: 2, Col: 1})
	k.Add("speakers", diag.Pos{Path: "content/a.md", Line: 3, Col: 1})
	k.Add("title", diag.Pos{Path: "content/a.md", Line: 9, Col: 4}) // again: the first stays
	p := &Page{Source: "content/a.md", KeyPos: k}
	tests := []struct {
		key  string
		want diag.Pos
		has  bool
	}{
		{"title", diag.Pos{Path: "content/a.md", Line: 2, Col: 1}, true},
		{"speakers", diag.Pos{Path: "content/a.md", Line: 3, Col: 1}, true},
		{"image", diag.Pos{Path: "content/a.md", Line: 1, Col: 1}, false},
	}
	for _, tt := range tests {
		if got := p.KeyPosOr(tt.key); got != tt.want {
			t.Errorf("KeyPosOr(%q) = %v, want %v", tt.key, got, tt.want)
		}
		if got := k.Has(tt.key); got != tt.has {
			t.Errorf("Has(%q) = %v, want %v", tt.key, got, tt.has)
		}
	}
	if k.Len() != 2 {
		t.Errorf("Len() = %d, want 2", k.Len())
	}
	// A page whose positions are another file's (a list page taking a translation's) names
	// that file.
	q := &Page{Source: "content/b.fr.md#page-2", KeyPos: KeyPositions{Path: "content/b.fr.md"}}
	q.KeyPos.Add("title", diag.Pos{Path: "content/b.fr.md", Line: 2, Col: 1})
	if got := q.KeyPosOr("title").Path; got != "content/b.fr.md" {
		t.Errorf("a list page's title is placed in %q, want content/b.fr.md", got)
	}
}

func TestAnchors(t *testing.T) {
	a := AnchorsOf(map[string]bool{"the-agenda": true, "custom-id": true, "a": true})
	if want := (Anchors{"a", "custom-id", "the-agenda"}); !slices.Equal(a, want) {
		t.Errorf("AnchorsOf = %v, want %v", a, want)
	}
	for _, tt := range []struct {
		id  string
		has bool
	}{{"a", true}, {"custom-id", true}, {"the-agenda", true}, {"agenda", false}, {"", false}, {"zz", false}} {
		if got := a.Has(tt.id); got != tt.has {
			t.Errorf("Has(%q) = %v, want %v", tt.id, got, tt.has)
		}
	}
	if AnchorsOf(nil).Has("a") {
		t.Error("no anchors have an id")
	}
}

// appendingBody is a body kept elsewhere that appends its text to a buffer.
type appendingBody struct{ text string }

func (b appendingBody) HTML() string                 { return "" }
func (b appendingBody) Text() string                 { return b.text }
func (b appendingBody) AppendText(dst []byte) []byte { return append(dst, b.text...) }

// ReadText gives a body held in memory as it is, and reads one kept elsewhere into the
// buffer, reused from one page to the next.
func TestReadText(t *testing.T) {
	var buf []byte
	held := &Page{}
	held.SetBody(InMemory("<p>held</p>", "held text"))
	if got := held.ReadText(&buf); got != "held text" || buf != nil {
		t.Errorf("held body: %q, buffer %q; want its text and the buffer untouched", got, buf)
	}
	if got := (&Page{}).ReadText(&buf); got != "" {
		t.Errorf("no body: %q", got)
	}
	for _, text := range []string{"a long text kept elsewhere", "short", ""} {
		p := &Page{}
		p.SetBody(appendingBody{text})
		if got := p.ReadText(&buf); got != text || string(buf) != text {
			t.Errorf("kept elsewhere: %q, buffer %q; want %q in both", got, buf, text)
		}
	}
	if cap(buf) < len("a long text kept elsewhere") {
		t.Errorf("the buffer was not reused (capacity %d)", cap(buf))
	}
}
