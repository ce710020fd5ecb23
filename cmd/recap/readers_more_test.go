package main

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

var tocNav = regexp.MustCompile(`<nav class=toc[^>]*>.*?</nav>`)

// TestTableOfContentsShowsCharacters checks that headings the typographer changed reach the
// table of contents as characters, escaped once by the template, not as entity names.
func TestTableOfContentsShowsCharacters(t *testing.T) {
	_, s := buildRealSite(t)
	tests := []struct{ page, want string }{
		{"days/day-5/index.html", `<a href=#the-european-commissions-expert-session>The European Commission’s expert session</a>`},
	}
	for _, tt := range tests {
		toc := tocNav.FindString(string(s.Files[tt.page]))
		if !strings.Contains(toc, tt.want) {
			t.Errorf("%s: table of contents %s\nlacks %s", tt.page, toc, tt.want)
		}
	}
	for name, b := range s.Files {
		if m := regexp.MustCompile(`&amp;(#?[a-zA-Z0-9]+);`).Find(b); m != nil {
			t.Errorf("%s holds %s, an escaped entity", name, m)
		}
	}
}

var headingWithAnchor = regexp.MustCompile(`<h([2-4]) id=([^ >]+)>(.*?)<a ([^>]*class=heading-anchor[^>]*)>#</a></h[2-4]>`)

// TestHeadingAnchorsAreNamed checks that every heading's link to itself tells a screen reader
// where it leads, and that its words stay out of the search index.
func TestHeadingAnchorsAreNamed(t *testing.T) {
	_, s := buildRealSite(t)
	tag := regexp.MustCompile(`<[^>]*>`)
	n := 0
	for name, b := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range headingWithAnchor.FindAllStringSubmatch(string(b), -1) {
			n++
			text := html.UnescapeString(tag.ReplaceAllString(m[3], ""))
			want := []string{"href=#" + m[2], `aria-label="Link to this section: ` + html.EscapeString(text) + `"`}
			for _, w := range want {
				if !strings.Contains(m[4], w) {
					t.Errorf("%s: the anchor of heading %q is <a %s>, lacking %s", name, text, m[4], w)
				}
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d headings with a self-link found", n)
	}
	if idx := string(s.Files["search-index.js"]); strings.Contains(idx, "Link to this section") {
		t.Error("the search index holds the anchors' labels")
	}
}
