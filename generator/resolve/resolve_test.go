package resolve

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/site"
)

func page(section, slug string, opts ...func(*site.Page)) *site.Page {
	p := &site.Page{Source: "content/" + section + "/" + slug + ".md", Kind: site.KindPage, Section: section, Slug: slug,
		URL: section + "/" + slug + "/", Title: strings.ToUpper(slug)}
	for _, o := range opts {
		o(p)
	}
	return p
}

func refs(section string, slugs ...string) func(*site.Page) {
	return func(p *site.Page) {
		for i, s := range slugs {
			p.Refs = append(p.Refs, site.Ref{Section: section, Slug: s, Pos: diag.Pos{Path: p.Source, Line: 2 + i, Col: 3}})
		}
	}
}

func home() *site.Page {
	return &site.Page{Source: "content/_index.md", Kind: site.KindHome, Title: "Home"}
}

func titles(ps []*site.Page) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Slug)
	}
	return strings.Join(s, ",")
}

func TestReferencesBecomeLinksBothWays(t *testing.T) {
	d5 := page("days", "day-5")
	d1 := page("days", "day-1")
	pia := page("speakers", "pia", refs("days", "day-5"), refs("groups", "regio"))
	ulla := page("speakers", "ulla", refs("days", "day-5", "day-5"))
	regio := page("groups", "regio")
	s, diags := Resolve(site.Config{}, []string{"days", "groups", "speakers"}, []*site.Page{home(), d1, d5, regio, pia, ulla}, Options{})
	// The duplicate is linked once, with a warning.
	if len(diags) != 1 || diags[0].Error() != `content/speakers/ulla.md:3:3: warning: "day-5" is listed twice in days: remove one` {
		t.Fatal(diags)
	}
	if len(d5.Backlinks) != 1 || d5.Backlinks[0].Section.Name != "speakers" || titles(d5.Backlinks[0].Pages) != "pia,ulla" {
		t.Errorf("day-5 backlinks = %+v", d5.Backlinks)
	}
	if len(pia.Links) != 2 || pia.Links[0].Section.Name != "days" || pia.Links[1].Section.Name != "groups" {
		t.Errorf("pia links = %+v", pia.Links)
	}
	if len(ulla.Links) != 1 || len(ulla.Links[0].Pages) != 1 {
		t.Errorf("a repeated reference must give one link: %+v", ulla.Links)
	}
	if got := titles(regio.RelatedIn("speakers")); got != "pia" {
		t.Errorf("regio related speakers = %s", got)
	}
	if got := titles(pia.RelatedIn("days")); got != "day-5" {
		t.Errorf("pia related days = %s", got)
	}
	if len(d1.Related) != 0 {
		t.Errorf("day-1 has relations: %+v", d1.Related)
	}
	if s.Section("speakers") == nil || s.Section("nope") != nil {
		t.Error("Section lookup")
	}
	if len(s.Pages) != 1+3+5 {
		t.Errorf("site has %d pages, want home + 3 list pages + 5", len(s.Pages))
	}
}

func TestOrderAndNeighbours(t *testing.T) {
	d := func(s string) func(*site.Page) {
		return func(p *site.Page) { p.Date, _ = time.Parse("2006-01-02", s) }
	}
	w := func(n int) func(*site.Page) { return func(p *site.Page) { p.Weight = n } }
	a := page("days", "a", d("2020-01-03"))
	b := page("days", "b", d("2020-01-01"))
	c := page("days", "c", w(1))
	e := page("days", "e") // no weight, no date: last, by title
	idx := &site.Page{Source: "content/days/_index.md", Kind: site.KindSection, Section: "days", URL: "days/", Title: "The days", Weight: 2}
	other := &site.Page{Source: "content/zz/_index.md", Kind: site.KindSection, Section: "zz", URL: "zz/", Title: "Aardvarks", Weight: 1}
	s, diags := Resolve(site.Config{}, []string{"days", "zz", "empty"}, []*site.Page{home(), a, b, c, e, idx, other}, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	sec := s.Section("days")
	if got := titles(sec.Pages); got != "c,b,a,e" {
		t.Errorf("order = %s, want c,b,a,e (weight first, then date, then title)", got)
	}
	if c.Prev != nil || c.Next != b || e.Next != nil || e.Prev != a {
		t.Error("prev/next wrong")
	}
	var names []string
	for _, s := range s.Sections {
		names = append(names, s.Name+":"+s.Title)
	}
	if got := strings.Join(names, ","); got != "zz:Aardvarks,days:The days,empty:Empty" {
		t.Errorf("sections = %s (weighted first, then by title; a folder without _index.md gets a made-up title)", got)
	}
	if titles(idx.Pages) != "c,b,a,e" {
		t.Error("the list page must list the section's pages")
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name  string
		pages []*site.Page
		opts  Options
		want  []string
	}{
		{
			name:  "unknown reference with suggestion",
			pages: []*site.Page{page("speakers", "pia-laurila"), page("days", "d", refs("speakers", "pia-laurilla"))},
			want:  []string{`content/days/d.md:2:3: there is no page "pia-laurilla" in content/speakers/: did you mean "pia-laurila"?`},
		},
		{
			name:  "unknown reference without suggestion",
			pages: []*site.Page{page("speakers", "pia"), page("days", "d", refs("speakers", "zzzzzzzz"))},
			want:  []string{`content/days/d.md:2:3: there is no page "zzzzzzzz" in content/speakers/: create content/speakers/zzzzzzzz.md or fix the slug`},
		},
		{
			name:  "wrong section",
			pages: []*site.Page{page("speakers", "pia"), page("groups", "regio"), page("days", "d", refs("speakers", "regio"))},
			want:  []string{`content/days/d.md:2:3: there is no page "regio" in speakers, but there is one in groups: list it under groups: instead`},
		},
		{
			name:  "draft",
			pages: []*site.Page{page("speakers", "pia", func(p *site.Page) { p.Draft = true }), page("days", "d", refs("speakers", "pia"))},
			want:  []string{`content/days/d.md:2:3: speakers "pia" is a draft and will not be published: remove the reference or publish the page`},
		},
		{
			name:  "draft kept with --drafts",
			pages: []*site.Page{page("speakers", "pia", func(p *site.Page) { p.Draft = true }), page("days", "d", refs("speakers", "pia"))},
			opts:  Options{Drafts: true},
		},
		{
			name:  "itself",
			pages: []*site.Page{page("days", "d", refs("days", "d"))},
			want:  []string{`content/days/d.md:2:3: the page refers to itself: remove "d" from days`},
		},
		{
			name:  "listed twice",
			pages: []*site.Page{page("speakers", "pia"), page("days", "d", refs("speakers", "pia", "pia"))},
			want:  []string{`content/days/d.md:3:3: warning: "pia" is listed twice in speakers: remove one`},
		},
		{
			name: "address collision in case",
			pages: []*site.Page{page("days", "day-1"), func() *site.Page {
				p := page("days", "day-1")
				p.Source = "content/days/Day-1.md"
				return p
			}()},
			want: []string{`content/days/day-1.md:1:1: this page's address /days/day-1/ is already taken by content/days/Day-1.md: rename one of the two files`},
		},
		{
			name: "body links",
			pages: []*site.Page{page("days", "a", func(p *site.Page) {
				p.Anchors = site.Anchors{"intro"}
				p.Headings = []site.Heading{{Level: 2, ID: "intro"}}
			}),
				page("days", "b", func(p *site.Page) {
					p.BodyLinks = []site.BodyLink{
						{Target: "content/days/a.md", Fragment: "intro", Pos: diag.Pos{Path: p.Source, Line: 5, Col: 1}},
						{Target: "content/days/a.md", Fragment: "outro", Pos: diag.Pos{Path: p.Source, Line: 6, Col: 1}},
						{Target: "content/days/zz.md", Pos: diag.Pos{Path: p.Source, Line: 7, Col: 1}},
						{Target: "static/img/x.png", Pos: diag.Pos{Path: p.Source, Line: 8, Col: 1}},
						{Target: "static/img/missing.png", Pos: diag.Pos{Path: p.Source, Line: 9, Col: 1}},
						{Target: "content/days/broken.md", Pos: diag.Pos{Path: p.Source, Line: 10, Col: 1}},
					}
				})},
			opts: Options{StaticFiles: []string{"img/x.png"}, Broken: []string{"content/days/broken.md"}},
			want: []string{
				`content/days/b.md:6:1: content/days/a.md has no heading or anchor with the id "outro": its headings are intro`,
				`content/days/b.md:7:1: the link points at content/days/zz.md, which does not exist: check the file name and the ../ steps (links are relative to content/days/b.md)`,
				`content/days/b.md:9:1: the link points at static/img/missing.png, which does not exist: check the file name`,
			},
		},
		{
			name:  "static file over a page",
			pages: []*site.Page{page("days", "a")},
			opts:  Options{StaticFiles: []string{"days/a/index.html", "days/a/photo.jpg"}},
			want:  []string{`static/days/a/index.html:1:1: this static file would overwrite the page made from content/days/a.md: rename or move it`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secs := map[string]bool{}
			for _, p := range tt.pages {
				secs[p.Section] = true
			}
			var names []string
			for s := range secs {
				names = append(names, s)
			}
			_, diags := Resolve(site.Config{}, names, append([]*site.Page{home()}, tt.pages...), tt.opts)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestPaginate splits lists on both sides of a page boundary, with the section's own
// setting, the site's and the default.
func TestPaginate(t *testing.T) {
	cases := []struct {
		name              string
		n, secSet, cfgSet int
		want              string // the cards of each list page, | between pages
	}{
		{"empty section", 0, 2, 0, ""},
		{"one page", 1, 2, 0, "p00"},
		{"exactly full", 2, 2, 0, "p00,p01"},
		{"one over", 3, 2, 0, "p00,p01|p02"},
		{"two full", 4, 2, 0, "p00,p01|p02,p03"},
		{"site default", 3, 0, 1, "p00|p01|p02"},
		{"section beats site", 3, 3, 1, "p00,p01,p02"},
		{"default of 50", site.DefaultPaginate + 1, 0, 0, "50|1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			idx := &site.Page{Source: "content/talks/_index.md", Kind: site.KindSection, Section: "talks", URL: "talks/", Title: "Talks", Paginate: c.secSet, Description: "All talks."}
			pages := []*site.Page{home(), idx}
			for i := range c.n {
				pages = append(pages, page("talks", fmt.Sprintf("p%02d", i)))
			}
			s, diags := Resolve(site.Config{Paginate: c.cfgSet}, []string{"talks"}, pages, Options{})
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			sec := s.Section("talks")
			var got []string
			for k, l := range sec.Lists {
				if k == 0 && l != idx {
					t.Errorf("the first list page is not the section's own")
				}
				if k > 0 && (l.URL != fmt.Sprintf("talks/page/%d/", k+1) || !l.Unlisted || l.Title != "Talks" || l.Description != "All talks." || l.SectionInfo != sec || !slices.Contains(s.Pages, l)) {
					t.Errorf("list page %d: %+v", k+1, l)
				}
				if l.Pager == nil || l.Pager.Number != k+1 || l.Pager.Total() != len(sec.Lists) || l.Pager.Items != c.n {
					t.Errorf("list page %d has the pager %+v", k+1, l.Pager)
				}
				for _, p := range l.Pages {
					if sec.ListOf(p) != l {
						t.Errorf("ListOf(%s) is not the page that shows it", p.Slug)
					}
				}
				if strings.HasPrefix(c.want, "50") {
					got = append(got, fmt.Sprint(len(l.Pages)))
					continue
				}
				got = append(got, titles(l.Pages))
			}
			if g := strings.Join(got, "|"); g != c.want {
				t.Errorf("lists %q, want %q", g, c.want)
			}
			if len(sec.Pages) != c.n {
				t.Errorf("the section has %d pages, want all %d", len(sec.Pages), c.n)
			}
		})
	}
}

func TestTemplatePages(t *testing.T) {
	own := &site.Page{Source: "content/about.md", Kind: site.KindPage, Slug: "about", URL: "about/", Title: "About us"}
	cases := []struct {
		name  string
		pages []*site.Page
		want  string // URL title source unlisted, of every page outside a section
	}{
		{"made from the template alone", []*site.Page{home()}, "about/ About templates/pages/about.html true; search/ Search templates/pages/search.html true"},
		{"a content file gives the address its title and text", []*site.Page{home(), own}, "about/ About us content/about.md false; search/ Search templates/pages/search.html true"},
		{"a section of that name takes the address", []*site.Page{home(), page("search", "x")}, "about/ About templates/pages/about.html true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			secs := []string{}
			if tc.pages[len(tc.pages)-1].Section != "" {
				secs = append(secs, tc.pages[len(tc.pages)-1].Section)
			}
			s, diags := Resolve(site.Config{}, secs, tc.pages, Options{TemplatePages: []string{"about", "search"}})
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			var got []string
			for _, p := range s.Pages {
				if p.Kind == site.KindPage && p.Section == "" {
					got = append(got, fmt.Sprintf("%s %s %s %v", p.URL, p.Title, p.Source, p.Unlisted))
				}
			}
			if g := strings.Join(got, "; "); g != tc.want {
				t.Errorf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}
