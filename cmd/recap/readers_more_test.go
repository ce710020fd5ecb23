package main

import (
	"bytes"
	"encoding/xml"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/icc-recap/recap/generator/i18n"
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

var headingWithAnchor = regexp.MustCompile(`<div class=heading><h([2-4]) id=([^ >]+)>(.*?)</h[2-4]><a ([^>]*class=heading-anchor[^>]*)>#</a></div>`)

// TestHeadingAnchorsAreNamed checks that every heading's link to itself tells a screen reader
// where it leads, that it stands after the heading rather than in it (so the heading's name
// is its text alone), and that its words stay out of the search index.
func TestHeadingAnchorsAreNamed(t *testing.T) {
	_, s := buildRealSite(t)
	langs := realSiteLanguages(t)
	tag := regexp.MustCompile(`<[^>]*>`)
	n := 0
	for name, b := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		// The label is in the page's language: "Link to this section: " in English.
		label := langs.strings.AnchorLabel(langs.of(name))
		if label == "" {
			t.Fatalf("%s: no %s in the string file of %s", name, i18n.AnchorKey, langs.of(name))
		}
		for _, m := range headingWithAnchor.FindAllStringSubmatch(string(b), -1) {
			n++
			if strings.Contains(m[3], "heading-anchor") {
				t.Errorf("%s: heading %q holds its own anchor", name, m[3])
			}
			text := html.UnescapeString(tag.ReplaceAllString(m[3], ""))
			want := []string{"href=#" + m[2], `aria-label="` + html.EscapeString(label+text) + `"`}
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
	for name, b := range s.Files {
		if strings.HasSuffix(name, ".html") && bytes.Count(b, []byte("class=heading-anchor")) != len(headingWithAnchor.FindAll(b, -1)) {
			t.Errorf("%s: a heading anchor stands elsewhere than right after its heading", name)
		}
	}
	if idx := string(s.Files["search-index.js"]); strings.Contains(idx, "Link to this section") {
		t.Error("the search index holds the anchors' labels")
	}
}

// pageAddresses returns the address, under base, of every page of a built site: each
// index.html (404.html is not a page at an address of its own); lists holds those that are
// list pages, with pages below them.
func pageAddresses(t *testing.T, out, base string) (all, lists []string) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(out, filepath.Dir(p))
			dirs = append(dirs, strings.TrimPrefix(filepath.ToSlash(rel)+"/", "./"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		all = append(all, base+d)
		for _, o := range dirs {
			if o != d && strings.HasPrefix(o, d) {
				lists = append(lists, base+d)
				break
			}
		}
	}
	slices.Sort(all)
	slices.Sort(lists)
	return all, lists
}

// TestSitemapAndFeedListEveryPage builds the site with a base URL and checks that the
// sitemap lists every page of every language and each language's feed (atom.xml, and
// fr/atom.xml for French) every page of that language that is not a list, each once, at an
// absolute address under the base URL, and nothing else; unlisted pages (the search page
// and its translations) are built but in neither.
func TestSitemapAndFeedListEveryPage(t *testing.T) {
	const base = "https://example.org/icc/"
	out, s := buildRealSite(t, "--base-url", base)
	all, lists := pageAddresses(t, out, base)
	if len(all) < 28 || len(lists) < 5 {
		t.Fatalf("%d pages, %d of them lists: the site is not built", len(all), len(lists))
	}
	if s.Files["404.html"] == nil {
		t.Fatal("no 404.html")
	}
	loaded, diags := loadRealContent(t)
	if diags.HasErrors() {
		t.Fatal(diags)
	}

	var sitemap struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(s.Files["sitemap.xml"], &sitemap); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var inSitemap []string
	for _, u := range sitemap.URLs {
		inSitemap = append(inSitemap, u.Loc)
	}

	// The unlisted pages, from content/: a translation is unlisted when the page it
	// translates is.
	var unlisted []string
	unlistedSource := map[string]bool{}
	for _, p := range loaded.Pages {
		if p.Unlisted {
			unlisted = append(unlisted, base+p.URL)
			unlistedSource[p.Source] = true
		}
	}
	for _, p := range loaded.Translations {
		if unlistedSource[strings.TrimSuffix(p.Source, "."+p.Lang+".md")+".md"] {
			unlisted = append(unlisted, base+p.URL)
		}
	}
	if len(unlisted) == 0 {
		t.Fatal("content/ has no unlisted page: the search page should be one")
	}
	for _, u := range unlisted {
		if !slices.Contains(all, u) {
			t.Errorf("the unlisted page %s was not built", u)
		}
	}
	all = slices.DeleteFunc(all, func(u string) bool { return slices.Contains(unlisted, u) })
	notLists := slices.DeleteFunc(slices.Clone(all), func(u string) bool { return slices.Contains(lists, u) })

	tests := []struct {
		file      string
		got, want []string
	}{
		{"sitemap.xml", inSitemap, all},
	}
	// One feed per language: the default language's at the root, each other one's under
	// its code, listing the pages under that address and no other language's.
	others := loaded.Config.Languages
	for _, lang := range append([]string{""}, others...) {
		home, file := base, "atom.xml"
		if lang != "" {
			home, file = base+lang+"/", lang+"/atom.xml"
		}
		inLang := func(u string) bool {
			if lang != "" {
				return strings.HasPrefix(u, home)
			}
			return !slices.ContainsFunc(others, func(o string) bool { return strings.HasPrefix(u, base+o+"/") })
		}
		inFeed := readFeed(t, s.Files[file], file, home)
		tests = append(tests, struct {
			file      string
			got, want []string
		}{file, inFeed, slices.DeleteFunc(slices.Clone(notLists), func(u string) bool { return !inLang(u) })})
	}
	for _, tt := range tests {
		for _, u := range tt.got {
			if pu, err := url.Parse(u); err != nil || !pu.IsAbs() || !strings.HasPrefix(u, base) {
				t.Errorf("%s lists %q, not an absolute address under %s", tt.file, u, base)
			}
		}
		got := slices.Sorted(slices.Values(tt.got))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s lists\n%s\nwant every such page of the output, once:\n%s", tt.file, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// readFeed reads an Atom feed, checks its id and links name home and the feed itself, and
// that each entry has one alternate link to its id, and returns the ids of the entries.
func readFeed(t *testing.T, data []byte, file, home string) []string {
	t.Helper()
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	var feed struct {
		ID    string `xml:"id"`
		Links []link `xml:"link"`
		Entry []struct {
			ID    string `xml:"id"`
			Links []link `xml:"link"`
		} `xml:"entry"`
	}
	if data == nil {
		t.Errorf("no %s", file)
		return nil
	}
	if err := xml.Unmarshal(data, &feed); err != nil {
		t.Errorf("%s: %v", file, err)
		return nil
	}
	var ids []string
	for _, e := range feed.Entry {
		if len(e.Links) != 1 || e.Links[0].Rel != "alternate" || e.Links[0].Href != e.ID {
			t.Errorf("%s: entry %s has links %+v, want one alternate link to it", file, e.ID, e.Links)
		}
		ids = append(ids, e.ID)
	}
	if feed.ID != home || !slices.Contains(feed.Links, link{"alternate", home}) || !slices.Contains(feed.Links, link{"self", home + "atom.xml"}) {
		t.Errorf("%s: id %s, links %+v: want the site and the feed under %s", file, feed.ID, feed.Links, home)
	}
	return ids
}

// TestBaseURLWarning checks that a build without a base URL says so exactly once, and one
// with a base URL not at all.
func TestBaseURLWarning(t *testing.T) {
	const warning = "content/_index.md:1:1: warning: the site has no base_url, so the sitemap, the Atom feed, canonical links and Open Graph addresses are left out: set base_url here or pass --base-url"
	tests := []struct {
		name  string
		args  []string
		warns []string
	}{
		{"build", []string{"build"}, []string{warning}},
		{"build for the file system", []string{"build", "--file-urls"}, []string{warning}},
		{"build with drafts", []string{"build", "--drafts"}, []string{warning}},
		{"build with a base URL", []string{"build", "--base-url", "https://example.org/icc/"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args, "--source", "../..", "--out", filepath.Join(t.TempDir(), "public"))
			code, stdout, stderr := runCmd(t, args...)
			if code != 0 {
				t.Fatalf("recap %v exited %d:\n%s", tt.args, code, stderr)
			}
			var warns []string
			for _, l := range strings.Split(stdout+stderr, "\n") {
				if strings.Contains(l, "warning") || strings.Contains(l, "base_url") || strings.Contains(l, "base URL") {
					warns = append(warns, l)
				}
			}
			if !slices.Equal(warns, tt.warns) {
				t.Errorf("recap %v printed the warnings %q, want %q", tt.args, warns, tt.warns)
			}
		})
	}
}

// TestUnderSubPath serves the site under /some/prefix/, at the base URL it was built for, and
// checks every page as a browser gets it: the skip link is the first thing the keyboard
// reaches and leads to an element of the page; no link, script, image or other resource is
// fetched from another host; the header's search form sends the reader to the search page
// under the prefix.
func TestUnderSubPath(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	base := serveUnderPrefix(t, out)
	if code, _, stderr := runCmd(t, "build", "--source", "../..", "--out", out, "--base-url", base); code != 0 {
		t.Fatalf("recap build exited %d:\n%s", code, stderr)
	}
	server, _ := url.Parse(base)
	langs := realSiteLanguages(t)
	pages, _ := pageAddresses(t, out, base)
	pages = append(pages, base+"no/such/page/") // the 404 page, served at any depth
	if len(pages) < 29 {
		t.Fatalf("only %d pages", len(pages))
	}
	for _, page := range pages {
		status, body := httpGet(t, page)
		if status != 200 && !strings.HasSuffix(page, "no/such/page/") {
			t.Errorf("GET %s: %d", page, status)
			continue
		}
		doc, err := xhtml.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		pageURL, _ := url.Parse(page)
		rel := pageURL.Path
		lang := langs.of(strings.TrimPrefix(page, base))
		skip, err := langs.strings.T(lang, "skip_to_content")
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}

		// The skip link first.
		var focusable []*xhtml.Node
		ids := map[string]*xhtml.Node{}
		walk(doc, func(n *xhtml.Node) {
			if id := attr(n, "id"); id != "" {
				ids[id] = n
			}
			if isFocusable(n) {
				focusable = append(focusable, n)
			}
		})
		if len(focusable) == 0 {
			t.Errorf("%s: nothing can be focused", rel)
			continue
		}
		first := focusable[0]
		href := attr(first, "href")
		if first.Data != "a" || !strings.HasPrefix(href, "#") || strings.TrimSpace(text(first)) != skip {
			t.Errorf("%s: the first focusable element is <%s href=%q>%s, not a skip link", rel, first.Data, href, text(first))
		} else if ids[strings.TrimPrefix(href, "#")] == nil {
			t.Errorf("%s: the skip link leads to %s, which is not on the page", rel, href)
		}

		// Nothing from another host.
		walk(doc, func(n *xhtml.Node) {
			for _, a := range resourceAttrs[n.Data] {
				v := attr(n, a)
				if v == "" {
					continue
				}
				for _, ref := range strings.Split(v, ",") { // srcset
					f := strings.Fields(ref)
					if len(f) == 0 {
						continue
					}
					u, err := pageURL.Parse(f[0])
					if err != nil {
						t.Errorf("%s: <%s %s=%q> does not parse", rel, n.Data, a, v)
						continue
					}
					if (u.Scheme == "http" || u.Scheme == "https") && u.Host != server.Host {
						t.Errorf("%s: <%s %s=%q> loads from another host", rel, n.Data, a, v)
					}
				}
			}
		})

		// The header's search form.
		var forms []*xhtml.Node
		walk(doc, func(n *xhtml.Node) {
			if n.Data == "form" && attr(n, "role") == "search" && inside(n, "header") {
				forms = append(forms, n)
			}
		})
		if len(forms) != 1 {
			t.Errorf("%s: %d search forms in the header, want 1", rel, len(forms))
			continue
		}
		// The search page of the page's language, or the default language's where the
		// search page is not translated.
		search := base + "search/"
		if l := base + langs.prefix(lang) + "search/"; slices.Contains(pages, l) {
			search = l
		}
		action, err := pageURL.Parse(attr(forms[0], "action"))
		if err != nil || action.String() != search {
			t.Errorf("%s: the header's search form goes to %v, want %s", rel, action, search)
		}
	}
	// And the search page is there.
	if status, body := httpGet(t, base+"search/?q=skills"); status != 200 || !strings.Contains(body, `id=search-results`) {
		t.Errorf("GET %ssearch/?q=skills: %d, not the search page", base, status)
	}
}

// siteLanguages are the languages of the repository's own site and its template strings.
type siteLanguages struct {
	def     string
	others  []string
	strings *i18n.Strings
}

func realSiteLanguages(t *testing.T) siteLanguages {
	t.Helper()
	loaded, diags := loadRealContent(t)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	strs, diags := i18n.Load("../..")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return siteLanguages{loaded.Config.Language, loaded.Config.Languages, strs}
}

// of returns the language of the output file or address rel (relative to the site's root):
// the other language whose code is its first folder, or the default one.
func (l siteLanguages) of(rel string) string {
	for _, o := range l.others {
		if strings.HasPrefix(rel, o+"/") {
			return o
		}
	}
	return l.def
}

// prefix is the folder of a language's pages: "" for the default language, "fr/" for French.
func (l siteLanguages) prefix(lang string) string {
	if lang == l.def {
		return ""
	}
	return lang + "/"
}

// resourceAttrs are the attributes through which a page makes the browser fetch something.
var resourceAttrs = map[string][]string{
	"link": {"href"}, "script": {"src"}, "img": {"src", "srcset"}, "source": {"src", "srcset"},
	"iframe": {"src"}, "embed": {"src"}, "video": {"src", "poster"}, "audio": {"src"},
	"track": {"src"}, "object": {"data"}, "input": {"src"},
}

func walk(n *xhtml.Node, f func(*xhtml.Node)) {
	if n.Type == xhtml.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

// attrOK returns the value of an attribute and whether the element has it.
func attrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *xhtml.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func hasAttr(n *xhtml.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}

func text(n *xhtml.Node) string {
	var b strings.Builder
	var rec func(*xhtml.Node)
	rec = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return strings.TrimSpace(b.String())
}

func inside(n *xhtml.Node, tag string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == xhtml.ElementNode && p.Data == tag {
			return true
		}
	}
	return false
}

// isFocusable tells whether the keyboard's Tab key reaches an element (as written: styles
// that hide it are not considered).
func isFocusable(n *xhtml.Node) bool {
	if hasAttr(n, "hidden") || hasAttr(n, "disabled") || hasAttr(n, "inert") {
		return false
	}
	if ti, ok := attrOK(n, "tabindex"); ok {
		return !strings.HasPrefix(strings.TrimSpace(ti), "-")
	}
	switch n.Data {
	case "a", "area":
		return hasAttr(n, "href")
	case "input":
		return attr(n, "type") != "hidden"
	case "button", "select", "textarea", "iframe", "embed", "object":
		return true
	case "audio", "video":
		return hasAttr(n, "controls")
	case "summary":
		return n.Parent != nil && n.Parent.Data == "details"
	}
	ce, ok := attrOK(n, "contenteditable")
	return ok && (ce == "" || ce == "true" || ce == "plaintext-only")
}

// landmarkRoles gives the landmark role of the elements that have one by themselves.
var landmarkRoles = map[string]string{"nav": "navigation", "aside": "complementary", "main": "main", "search": "search"}

// TestLandmarksHaveDistinctNames checks that on every page two landmarks of the same kind
// (the search page's two search forms, the navigations) have names that tell them apart,
// so that a screen reader's list of landmarks is of use.
func TestLandmarksHaveDistinctNames(t *testing.T) {
	_, s := buildRealSite(t)
	searchForms := 0
	for _, name := range sortedKeys(s.Files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := xhtml.Parse(strings.NewReader(string(s.Files[name])))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		byRole := map[string][]string{}
		walk(doc, func(n *xhtml.Node) {
			role := attr(n, "role")
			if role == "" {
				role = landmarkRoles[n.Data]
			}
			if role == "" {
				return
			}
			label := attr(n, "aria-label")
			if id := attr(n, "aria-labelledby"); id != "" {
				walk(doc, func(m *xhtml.Node) {
					if attr(m, "id") == id {
						label = text(m)
					}
				})
			}
			byRole[role] = append(byRole[role], label)
		})
		if name == "search/index.html" {
			searchForms = len(byRole["search"])
		}
		for role, labels := range byRole {
			if len(labels) < 2 {
				continue
			}
			seen := map[string]bool{}
			for _, l := range labels {
				if strings.TrimSpace(l) == "" || seen[l] {
					t.Errorf("%s: the %s landmarks are named %q: each needs a name of its own", name, role, labels)
					break
				}
				seen[l] = true
			}
		}
	}
	if searchForms != 2 {
		t.Errorf("the search page has %d search landmarks, want 2 (the header's and its own)", searchForms)
	}
}
