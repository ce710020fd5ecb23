// Package extras writes the files a site has besides its pages: the search index that the
// site's search page reads (package search builds it), and,
// when the site has a base URL, the sitemap and the Atom feed; robots.txt always. Every file
// is sorted and stable, so two builds of the same input are byte-identical. It does not
// render pages or know any section by name.
package extras

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/markdown"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/search"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/urls"
)

// The files this package writes.
const (
	SearchIndex = search.Entry
	Sitemap     = "sitemap.xml"
	Feed        = "atom.xml"
	Robots      = "robots.txt"
)

// SearchDir holds the search index's other files (package search).
const SearchDir = search.Dir

// Files lists the paths Write may produce, besides those under SearchDir.
var Files = []string{SearchIndex, Sitemap, Feed, Robots}

// Outputs lists the paths Write produces for s: a search index (and the folder of its other
// files) for each language, and a feed for each with the sitemap only when the site has a
// base URL.
func Outputs(s *site.Site) []string {
	out := []string{Robots}
	if s.BaseURL != "" {
		out = append(out, Sitemap)
	}
	for _, ls := range languageSites(s) {
		out = append(out, ls.Prefix+SearchIndex, ls.Prefix+SearchDir)
		if s.BaseURL != "" {
			out = append(out, ls.Prefix+Feed)
		}
	}
	return out
}

// languageSites returns the site of each language of s (s alone when it has one language).
func languageSites(s *site.Site) []*site.Site {
	if len(s.Languages) == 0 {
		return []*site.Site{s}
	}
	sites := make([]*site.Site, 0, len(s.Languages))
	for _, l := range s.Languages {
		sites = append(sites, l.Site)
	}
	return sites
}

// Write writes the extra files of s into w, except those a static file provides (a site may
// bring its own robots.txt). It returns one warning when the site has no base URL (the
// sitemap and the feed need absolute addresses, so they are left out).
func Write(s *site.Site, statics []string, m *minify.Minifier, w output.Writer) diag.List {
	var diags diag.List
	// failed is set by the first file that cannot be written: the others are not tried (a
	// full disk would fail each of the index's files alike, a line for each).
	failed := false
	write := func(name string, data []byte, minify bool) {
		if failed || slices.Contains(statics, name) {
			return
		}
		if minify {
			var err error
			if data, err = m.File(name, data); err != nil {
				diags = append(diags, diag.Wrap(diag.Pos{Path: "content/_index.md"}, err, fmt.Sprintf("cannot minify %s: %v", name, err)))
				return
			}
		}
		if err := w.WriteFile(name, data); err != nil {
			failed = true
			diags = append(diags, output.WriteFailed(diag.Pos{Path: "content/_index.md"}, name, err))
		}
	}
	put := func(name string, data []byte) { write(name, data, true) }
	// Each language has its own search index and feed, under its prefix ("fr/").
	sites := languageSites(s)
	// The index is compact already: the JavaScript minifier would only copy it again.
	for _, ls := range sites {
		if slices.Contains(statics, ls.Prefix+SearchIndex) {
			continue
		}
		for _, f := range search.Build(ls.Language, ls.Pages, search.Options{}).Files {
			write(ls.Prefix+f.Name, f.Data, false)
		}
	}
	robots := "User-agent: *\nAllow: /\n"
	if s.BaseURL == "" {
		diags = append(diags, diag.Warnf(diag.Pos{Path: "content/_index.md", Line: 1, Col: 1},
			"the site has no base_url, so the sitemap, the Atom feed, canonical links and Open Graph addresses are left out: set base_url here or pass --base-url"))
	} else {
		put(Sitemap, sitemap(s))
		for _, ls := range sites {
			put(ls.Prefix+Feed, feed(ls))
		}
		robots += "Sitemap: " + urls.Abs(s.BaseURL, Sitemap) + "\n"
	}
	put(Robots, []byte(robots))
	return diags
}

// sitemap lists every page of every language; a translated page names each of its
// versions, itself included, and the default one as x-default.
func sitemap(s *site.Site) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`)
	if len(s.Languages) > 0 {
		b.WriteString(` xmlns:xhtml="http://www.w3.org/1999/xhtml"`)
	}
	b.WriteString(">\n")
	one := func(p *site.Page) {
		b.WriteString("<url><loc>")
		xmlText(&b, urls.Abs(s.BaseURL, p.URL))
		b.WriteString("</loc>")
		if !p.Date.IsZero() {
			b.WriteString("<lastmod>" + p.Date.UTC().Format("2006-01-02") + "</lastmod>")
		}
		for i, v := range p.Translations {
			alt := func(lang string) {
				b.WriteString(`<xhtml:link rel="alternate" hreflang="`)
				xmlText(&b, lang)
				b.WriteString(`" href="`)
				xmlText(&b, urls.Abs(s.BaseURL, v.URL))
				b.WriteString(`"/>`)
			}
			alt(v.Lang)
			if i == 0 {
				alt("x-default")
			}
		}
		b.WriteString("</url>\n")
	}
	for _, p := range s.Pages {
		if p.Unlisted {
			continue
		}
		one(p)
		for _, v := range p.Translations {
			if v.Translation {
				one(v)
			}
		}
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// FeedEntries is the number of pages the Atom feed holds.
const FeedEntries = 50

// feed lists the site's newest pages, newest first by date (undated pages after, by site
// order).
func feed(s *site.Site) []byte {
	var pages []*site.Page
	for _, p := range s.Pages {
		// A language's feed holds the pages written in it.
		if p.Kind == site.KindPage && !p.Unlisted && (s.IsDefault() || p.Translation) {
			pages = append(pages, p)
		}
	}
	slices.SortStableFunc(pages, func(a, b *site.Page) int {
		switch {
		case a.Date.Equal(b.Date):
			return 0
		case a.Date.IsZero():
			return 1
		case b.Date.IsZero():
			return -1
		}
		return b.Date.Compare(a.Date)
	})
	// Feed readers want what is new: the newest pages, each with its whole body, and not
	// the bodies of a whole archive, which would make a feed of hundreds of megabytes.
	pages = pages[:min(len(pages), FeedEntries)]
	updated := time.Time{}
	for _, p := range s.Pages {
		if p.Date.After(updated) {
			updated = p.Date
		}
	}
	if updated.IsZero() {
		updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			t = updated
		}
		return t.UTC().Format(time.RFC3339)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"`)
	if s.Language != "" {
		b.WriteString(` xml:lang="`)
		xmlText(&b, s.Language)
		b.WriteString(`"`)
	}
	b.WriteString(">\n<title>")
	xmlText(&b, s.Title)
	b.WriteString("</title>\n")
	if s.Description != "" {
		b.WriteString("<subtitle>")
		xmlText(&b, s.Description)
		b.WriteString("</subtitle>\n")
	}
	b.WriteString("<id>")
	xmlText(&b, urls.Abs(s.BaseURL, s.Prefix))
	b.WriteString("</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"")
	xmlText(&b, urls.Abs(s.BaseURL, s.Prefix))
	b.WriteString("\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"")
	xmlText(&b, urls.Abs(s.BaseURL, s.Prefix+Feed))
	b.WriteString("\"/>\n<updated>" + stamp(updated) + "</updated>\n<author><name>")
	author := s.Title
	if o, ok := s.Params["organiser"].(string); ok && o != "" {
		author = o
	}
	xmlText(&b, author)
	b.WriteString("</name></author>\n")
	for _, p := range pages {
		u := urls.Abs(s.BaseURL, p.URL)
		b.WriteString("<entry xml:base=\"")
		xmlText(&b, u)
		b.WriteString("\"><title>")
		xmlText(&b, p.Title)
		b.WriteString("</title><id>")
		xmlText(&b, u)
		b.WriteString("</id><link rel=\"alternate\" type=\"text/html\" href=\"")
		xmlText(&b, u)
		b.WriteString("\"/><updated>" + stamp(p.Date) + "</updated>")
		if p.SectionInfo != nil {
			b.WriteString("<category term=\"")
			xmlText(&b, p.SectionInfo.Name)
			b.WriteString("\" label=\"")
			xmlText(&b, p.SectionInfo.Title)
			b.WriteString("\"/>")
		}
		if p.Summary != "" {
			b.WriteString("<summary>")
			xmlText(&b, p.Summary)
			b.WriteString("</summary>")
		}
		b.WriteString("<content type=\"html\">")
		xmlText(&b, strings.TrimSpace(markdown.WithoutAnchors(string(p.Content()))))
		b.WriteString("</content></entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

func xmlText(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}
