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

// TestNotFoundPerLanguage builds the repository's site under a sub-path: each language has
// its own 404 page (404.html, fr/404.html, de/404.html), in its words, whose links start at
// the sub-path (the page is served at any depth) and lead to that language's home page and
// to its search page, or to the default language's, marked, where search is not translated.
func TestNotFoundPerLanguage(t *testing.T) {
	const root = "/sub/recap/"
	_, s := buildRealSite(t, "--base-url", "https://example.org"+root)
	langs := realSiteLanguages(t)
	for _, lang := range append([]string{langs.def}, langs.others...) {
		name := langs.prefix(lang) + "404.html"
		b := s.Files[name]
		if b == nil {
			t.Errorf("no %s", name)
			continue
		}
		doc, err := xhtml.Parse(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		title, err := langs.strings.T(lang, "not_found")
		if err != nil {
			t.Fatal(err)
		}
		search := langs.prefix(lang) + "search/"
		if s.Files[search+"index.html"] == nil {
			search = "search/"
		}
		var h1 string
		hrefs := map[string]*xhtml.Node{}
		walk(doc, func(n *xhtml.Node) {
			switch n.Data {
			case "html":
				if got := attr(n, "lang"); got != lang {
					t.Errorf("%s: <html lang=%q>, want %s", name, got, lang)
				}
			case "h1":
				h1 = text(n)
			case "link", "meta":
				// The page answers for addresses the site does not have: it names no address
				// of its own for search engines and shares.
				if attr(n, "rel") == "canonical" || attr(n, "property") == "og:url" {
					t.Errorf("%s: %s %s names %q as the page's own address", name, n.Data, attr(n, "rel")+attr(n, "property"), attr(n, "href")+attr(n, "content"))
				}
			case "a":
				href := attr(n, "href")
				if inside(n, "main") {
					hrefs[href] = n
				}
				if strings.HasPrefix(href, "#") || strings.Contains(href, "://") {
					return
				}
				rel, ok := strings.CutPrefix(href, root)
				if !ok {
					t.Errorf("%s: the link %q does not start at %s, so it breaks when the page is served at another depth", name, href, root)
					return
				}
				if rel == "" || strings.HasSuffix(rel, "/") {
					rel += "index.html"
				}
				if s.Files[rel] == nil {
					t.Errorf("%s: the link %q leads nowhere", name, href)
				}
			}
		})
		if h1 != title {
			t.Errorf("%s: the heading is %q, want %q", name, h1, title)
		}
		if hrefs[root+langs.prefix(lang)] == nil {
			t.Errorf("%s: no link in the page to its home page %s%s", name, root, langs.prefix(lang))
		}
		a := hrefs[root+search]
		if a == nil {
			t.Errorf("%s: no link in the page to the search page %s%s", name, root, search)
			continue
		}
		if target := langs.of(search); target != lang && (attr(a, "hreflang") != target || languageNote(a) == "") {
			t.Errorf("%s: the link to the search page in %s lacks its hreflang or its note", name, target)
		}
	}
}

// TestTranslationsKeepHeadingIDs checks the real record's translations: every heading of a
// translated page's text has an id of a heading of the default-language page (translators
// keep them with {#id}), so that a link to a #heading, written once in English, works on
// every language's page and keeps working when the page it leads to is translated.
func TestTranslationsKeepHeadingIDs(t *testing.T) {
	_, s := buildRealSite(t)
	langs := realSiteLanguages(t)
	headingIDs := func(name string) []string {
		doc, err := xhtml.Parse(strings.NewReader(string(s.Files[name])))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		walk(doc, func(n *xhtml.Node) {
			if len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '2' && n.Data[1] <= '6' && insideClass(n, "prose") {
				if id := attr(n, "id"); id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		})
		return ids
	}
	checked := 0
	for _, name := range sortedKeys(s.Files) {
		lang := langs.of(name)
		if lang == langs.def || !strings.HasSuffix(name, "/index.html") {
			continue
		}
		def := strings.TrimPrefix(name, langs.prefix(lang))
		want := headingIDs(def)
		for _, id := range headingIDs(name) {
			checked++
			if !slices.Contains(want, id) {
				t.Errorf("%s: the heading id %q is not one of %s's %v: keep the default language's id with {#id}", name, id, def, want)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d headings of translations checked", checked)
	}
}

// insideClass tells whether an ancestor of n has the class.
func insideClass(n *xhtml.Node, class string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if slices.Contains(strings.Fields(attr(p, "class")), class) {
			return true
		}
	}
	return false
}
