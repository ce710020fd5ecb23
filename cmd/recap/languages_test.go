package main

import (
	"slices"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/icc-recap/recap/internal/crawl"
)

// TestFallbackLinksSayTheirLanguage reads every page of the repository's site: every link
// from a page in one language to a page in another (a German day's link to an English
// speaker, the home page's sections, the footer's search, a card, a breadcrumb, a body
// link) carries hreflang with the target's language and is followed, before any other
// link, by the words that say so in the reader's language ("(auf Englisch)"), except in the
// language switcher, whose entries are the languages' names; and no link to a page in the
// reader's own language is marked as another's. The German pages must lead to English
// pages, or the real site would not show the fallbacks at all.
func TestFallbackLinksSayTheirLanguage(t *testing.T) {
	_, s := buildRealSite(t)
	langs := realSiteLanguages(t)
	fallbacks := map[string]int{}
	for _, name := range sortedKeys(s.Files) {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue // 404.html is served at any depth; its links start at the site's root
		}
		lang := langs.of(name)
		doc, err := xhtml.Parse(strings.NewReader(string(s.Files[name])))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		walk(doc, func(n *xhtml.Node) {
			href, ok := attrOK(n, "href")
			if n.Data != "a" || !ok {
				return
			}
			l := crawl.Resolve(name, "href", href)
			if !l.Internal() || !strings.HasSuffix(l.Target, ".html") || s.Files[l.Target] == nil {
				return // another site, a file that is not a page, or a broken link (tested elsewhere)
			}
			target := langs.of(l.Target)
			hreflang, has := attrOK(n, "hreflang")
			if target == lang {
				if has && hreflang != lang {
					t.Errorf("%s: the link to %s, a page in %s like this one, says hreflang=%q", name, href, lang, hreflang)
				}
				return
			}
			if hreflang != target {
				t.Errorf("%s: the link %q to %s, a page in %s, has hreflang=%q", name, text(n), l.Target, target, hreflang)
			}
			if inSwitcher(n) {
				return
			}
			fallbacks[lang]++
			want, err := langs.strings.T(lang, "in."+target)
			if err != nil {
				t.Fatal(err)
			}
			if got := languageNote(n); got != want {
				t.Errorf("%s: the link %q to %s, a page in %s, is followed by %q, not %q", name, text(n), l.Target, target, got, want)
			}
		})
	}
	if fallbacks["de"] < 50 {
		t.Errorf("the German pages have %d links to pages in other languages: the real site's fallbacks to English are not shown", fallbacks["de"])
	}
}

// inSwitcher tells whether n is inside the language switcher.
func inSwitcher(n *xhtml.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "nav" && slices.Contains(strings.Fields(attr(p, "class")), "languages") {
			return true
		}
	}
	return false
}

// languageNote returns the text of the element of class lang-note inside the link a, or
// else the first one after it among its following siblings, before another link; "" if
// there is none.
func languageNote(a *xhtml.Node) string {
	var inner string
	walk(a, func(n *xhtml.Node) {
		if inner == "" && isNote(n) {
			inner = text(n)
		}
	})
	if inner != "" {
		return inner
	}
	for n := a.NextSibling; n != nil; n = n.NextSibling {
		if n.Type != xhtml.ElementNode {
			continue
		}
		if n.Data == "a" {
			return ""
		}
		if isNote(n) {
			return text(n)
		}
	}
	return ""
}

func isNote(n *xhtml.Node) bool {
	return n.Type == xhtml.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), "lang-note")
}
