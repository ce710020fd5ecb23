package main

import (
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
