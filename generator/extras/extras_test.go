package extras

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/markdown"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/site"
)

func testSite(base string) *site.Site {
	home := &site.Page{Kind: site.KindHome, Title: "Conf", URL: "", Summary: "Home."}
	sec := &site.Section{Name: "talks", Title: "Talks", URL: "talks/"}
	a := &site.Page{Kind: site.KindPage, Section: "talks", SectionInfo: sec, Title: `A <b> & "c"`, URL: "talks/a/",
		Date: time.Date(2020, 9, 21, 0, 0, 0, 0, time.UTC), Summary: "About A."}
	a.SetBody(site.InMemory(`<p><a href="../b/">b</a></p>`, "About A. "+strings.Repeat("word ", 1000)))
	b := &site.Page{Kind: site.KindPage, Section: "talks", SectionInfo: sec, Title: "B", URL: "talks/b/", Date: time.Date(2020, 9, 22, 0, 0, 0, 0, time.UTC)}
	s := site.New(site.Config{Title: "Conf", Language: "en", BaseURL: base})
	s.Home, s.Pages = home, []*site.Page{home, a, b}
	s.SetSections([]*site.Section{sec})
	return s
}

func TestWithBaseURL(t *testing.T) {
	mem := output.NewMemory()
	diags := Write(testSite("https://example.org/x/"), nil, minify.New(), mem)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if got := strings.Join(mem.Paths(), ","); got != "atom.xml,robots.txt,search-index.js,sitemap.xml" {
		t.Fatalf("files = %s", got)
	}
	var urlset struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	sm, _ := mem.Get("sitemap.xml")
	if err := xml.Unmarshal(sm, &urlset); err != nil || len(urlset.URLs) != 3 || urlset.URLs[1].Loc != "https://example.org/x/talks/a/" || urlset.URLs[1].LastMod != "2020-09-21" {
		t.Errorf("sitemap %s: %+v %v", sm, urlset, err)
	}
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Base  string `xml:"base,attr"`
		} `xml:"entry"`
	}
	f, _ := mem.Get("atom.xml")
	if err := xml.Unmarshal(f, &feed); err != nil || len(feed.Entries) != 2 || feed.Entries[0].Title != "B" || feed.Entries[1].Title != `A <b> & "c"` || feed.Entries[1].Base != "https://example.org/x/talks/a/" {
		t.Errorf("feed %s: %+v %v (newest first, xml:base on each entry)", f, feed, err)
	}
	r, _ := mem.Get("robots.txt")
	if string(r) != "User-agent: *\nAllow: /\nSitemap: https://example.org/x/sitemap.xml\n" {
		t.Errorf("robots.txt = %q", r)
	}
	idx, _ := mem.Get("search-index.js")
	if !strings.HasPrefix(string(idx), "(self.recapSearch=self.recapSearch||[]).push(") || !strings.Contains(string(idx), `"talks/a/"`) || !strings.Contains(string(idx), `"Talks"`) {
		t.Errorf("search index = %.300s", idx)
	}
}

func TestWithoutBaseURLAndStaticOverride(t *testing.T) {
	mem := output.NewMemory()
	diags := Write(testSite(""), []string{"robots.txt"}, minify.New(), mem)
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), "content/_index.md:1:1: warning: the site has no base_url") {
		t.Errorf("diags = %v", diags)
	}
	if got := strings.Join(mem.Paths(), ","); got != "search-index.js" {
		t.Errorf("files = %s (no sitemap or feed without a base URL; the static robots.txt wins)", got)
	}
}

func TestUnlistedPagesAreLeftOut(t *testing.T) {
	s := testSite("https://example.org/")
	s.Pages[2].Unlisted = true // B
	mem := output.NewMemory()
	if diags := Write(s, nil, minify.New(), mem); len(diags) != 0 {
		t.Fatal(diags)
	}
	for _, tt := range []struct {
		file, listed, unlisted string
	}{
		{Sitemap, "https://example.org/talks/a/", "https://example.org/talks/b/"},
		{Feed, "https://example.org/talks/a/", "https://example.org/talks/b/"},
		{SearchIndex, `"talks/a/"`, `"talks/b/"`},
	} {
		data, _ := mem.Get(tt.file)
		if !strings.Contains(string(data), tt.listed) || strings.Contains(string(data), tt.unlisted) {
			t.Errorf("%s should list %s and not %s:\n%s", tt.file, tt.listed, tt.unlisted, data)
		}
	}
}

func TestFeedLeavesOutHeadingAnchors(t *testing.T) {
	doc := markdown.New(markdown.Options{}).Convert(markdown.Input{Source: "content/talks/a.md", URL: "talks/a/", Body: []byte("## Agenda\n\nText with [a link](#agenda).\n"), BodyLine: 4})
	if !strings.Contains(doc.HTML, markdown.AnchorClass) {
		t.Fatalf("the converter gave no heading anchor to test with: %s", doc.HTML)
	}
	s := testSite("https://example.org/")
	s.Pages[1].SetBody(site.InMemory(doc.HTML, doc.PlainText))
	mem := output.NewMemory()
	if diags := Write(s, nil, minify.New(), mem); len(diags) != 0 {
		t.Fatal(diags)
	}
	feed, _ := mem.Get(Feed)
	if strings.Contains(string(feed), markdown.AnchorClass) || !strings.Contains(string(feed), "Agenda&lt;/h2&gt;") || !strings.Contains(string(feed), "a link&lt;/a&gt;") {
		t.Errorf("feed content should keep the heading and the body's links, without the heading's self-link:\n%s", feed)
	}
}

// TestFeedHoldsTheNewestPages gives a site one page more than the feed holds, and one
// fewer: the feed has the newest FeedEntries, newest first, and the sitemap every page.
func TestFeedHoldsTheNewestPages(t *testing.T) {
	for _, n := range []int{FeedEntries - 1, FeedEntries, FeedEntries + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := testSite("https://example.org/")
			sec := s.Sections[0]
			s.Pages = s.Pages[:1]
			start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range n {
				p := &site.Page{Kind: site.KindPage, Section: "talks", SectionInfo: sec, Title: fmt.Sprintf("T%03d", i), URL: fmt.Sprintf("talks/t%03d/", i), Date: start.AddDate(0, 0, i)}
				p.SetBody(site.InMemory(fmt.Sprintf("<p>body %d</p>", i), ""))
				s.Pages = append(s.Pages, p)
			}
			mem := output.NewMemory()
			if diags := Write(s, nil, minify.New(), mem); len(diags) != 0 {
				t.Fatal(diags)
			}
			feed, _ := mem.Get(Feed)
			entries := regexp.MustCompile(`<title>(T\d+)</title>`).FindAllSubmatch(feed, -1)
			if len(entries) != min(n, FeedEntries) {
				t.Fatalf("the feed has %d entries, want %d", len(entries), min(n, FeedEntries))
			}
			if first := string(entries[0][1]); first != fmt.Sprintf("T%03d", n-1) {
				t.Errorf("the first entry is %s, want the newest", first)
			}
			if last := string(entries[len(entries)-1][1]); last != fmt.Sprintf("T%03d", n-min(n, FeedEntries)) {
				t.Errorf("the last entry is %s", last)
			}
			if !bytes.Contains(feed, []byte(fmt.Sprintf("body %d", n-1))) {
				t.Errorf("the newest entry has no body")
			}
			sitemap, _ := mem.Get(Sitemap)
			if c := bytes.Count(sitemap, []byte("<loc>https://example.org/talks/")); c != n {
				t.Errorf("the sitemap lists %d pages, want %d", c, n)
			}
		})
	}
}
