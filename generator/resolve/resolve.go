// Package resolve is the second stage of a build: it turns the loaded pages into a Site. It
// leaves drafts out (unless asked), gathers pages into sections and orders them, checks that
// no two pages share an address, turns front-matter references into forward links and
// backlinks grouped by section, and checks that every link in a body reaches an existing
// page, heading or static file. It works in time linear in pages and links, and does no I/O.
package resolve

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/suggest"
	"github.com/icc-recap/recap/generator/urls"
)

// Options set what resolve keeps.
type Options struct {
	// Drafts keeps pages marked draft: true.
	Drafts bool
	// StaticFiles are the slash paths (relative to static/) of the static files, for
	// checking links to them and collisions with pages.
	StaticFiles []string
	// Broken lists content files that exist but failed to load: links and references to
	// them are not reported again.
	Broken []string
	// TemplatePages names the pages the templates bring (templates.Set.PageNames): each
	// NAME becomes the page NAME/, unlisted, unless a content file already gives that address
	// (content/NAME.md then sets its title and text).
	TemplatePages []string
}

// Resolve links the pages. pages must be sorted by source path; sections are the folder
// names of content/. The pages are modified in place.
func Resolve(cfg site.Config, sections []string, pages []*site.Page, opts Options) (*site.Site, diag.List) {
	var diags diag.List
	errorf := func(pos diag.Pos, format string, args ...any) {
		diags = append(diags, diag.Errorf(pos, format, args...))
	}
	s := site.New(cfg)

	broken := map[string]bool{}
	brokenSlug := map[string]bool{}
	for _, b := range opts.Broken {
		broken[b] = true
		brokenSlug[urls.OfSource(strings.TrimPrefix(b, "content/"))] = true
	}
	bySource := make(map[string]*site.Page, len(pages))
	drafts := map[string]*site.Page{}
	kept := make([]*site.Page, 0, len(pages))
	for _, p := range pages {
		bySource[p.Source] = p
		if p.Draft && !opts.Drafts {
			drafts[p.Source] = p
			continue
		}
		kept = append(kept, p)
	}

	// Sections, with their list pages; a section without _index.md gets a made-up one.
	secs := make([]*site.Section, 0, len(sections))
	byName := map[string]*site.Section{}
	for _, name := range sections {
		sec := &site.Section{Name: name, URL: urls.OfSource(name + "/_index.md")}
		secs = append(secs, sec)
		byName[name] = sec
	}
	for _, p := range kept {
		switch p.Kind {
		case site.KindHome:
			s.Home = p
		case site.KindSection:
			sec := byName[p.Section]
			sec.Index = p
		}
	}
	if s.Home == nil {
		s.Home = &site.Page{Source: "content/_index.md", Kind: site.KindHome, Title: cfg.Title, Lang: cfg.Language, Params: map[string]any{}}
	}
	taken := make(map[string]bool, len(kept))
	for _, p := range kept {
		taken[strings.ToLower(p.URL)] = true
	}
	for _, name := range opts.TemplatePages {
		if url := name + "/"; !taken[strings.ToLower(url)] && byName[name] == nil {
			kept = append(kept, &site.Page{
				Source: TemplatePageSource(name), Kind: site.KindPage, Slug: name, URL: url,
				Title: site.NameTitle(name), Unlisted: true, Lang: cfg.Language, Params: map[string]any{},
			})
		}
	}
	for _, sec := range secs {
		if sec.Index == nil {
			sec.Index = &site.Page{
				Source: "content/" + sec.Name, Kind: site.KindSection, Section: sec.Name,
				URL: sec.URL, Title: site.NameTitle(sec.Name), Lang: cfg.Language, Params: map[string]any{},
			}
			kept = append(kept, sec.Index)
		}
		sec.Title, sec.Weight = sec.Index.Title, sec.Index.Weight
	}
	slices.SortStableFunc(secs, func(a, b *site.Section) int {
		return cmp.Or(compareWeight(a.Weight, b.Weight), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Name, b.Name))
	})
	secOrder := map[string]int{}
	for i, sec := range secs {
		secOrder[sec.Name] = i
	}
	s.SetSections(secs)

	// Addresses: no two pages, nor a page and a static file, may share one. Compare in
	// lower case, since some hosts and file systems do not tell case apart.
	byURL := make(map[string]*site.Page, len(kept))
	for _, p := range kept {
		key := strings.ToLower(p.URL)
		if other, dup := byURL[key]; dup {
			first, second := other, p
			// Report at a file, not at a section that has no _index.md; else at the later.
			if fileOf(second) == fileOf(first) && second.Source < first.Source || !fileOf(second) && fileOf(first) {
				first, second = second, first
			}
			what := "one of the two files"
			if !fileOf(first) {
				what = "the file or the folder"
			}
			errorf(diag.Pos{Path: second.Source, Line: 1, Col: 1}, "this page's address /%s is already taken by %s: rename %s", p.URL, describePage(first), what)
			continue
		}
		byURL[key] = p
	}
	staticSet := make(map[string]bool, len(opts.StaticFiles))
	for _, f := range opts.StaticFiles {
		staticSet[f] = true
		if p := byURL[strings.ToLower(strings.TrimSuffix(f, "index.html"))]; p != nil && strings.HasSuffix(strings.ToLower(f), "index.html") && strings.EqualFold(p.URL+"index.html", f) {
			errorf(diag.Pos{Path: "static/" + f}, "this static file would overwrite the page made from %s: rename or move it", p.Source)
		}
	}

	// Pages of each section, ordered.
	for _, p := range kept {
		if p.Kind == site.KindPage {
			if sec := byName[p.Section]; sec != nil {
				sec.Pages = append(sec.Pages, p)
			}
		}
		p.SectionInfo = byName[p.Section]
	}
	index := map[string]map[string]*site.Page{}
	for _, sec := range secs {
		slices.SortStableFunc(sec.Pages, comparePages)
		sec.Lists = paginate(sec, cmp.Or(sec.Index.Paginate, cfg.Paginate, site.DefaultPaginate))
		m := make(map[string]*site.Page, len(sec.Pages))
		for i, p := range sec.Pages {
			m[p.Slug] = p
			p.Prev, p.Next = nil, nil
			if i > 0 {
				p.Prev = sec.Pages[i-1]
			}
			if i+1 < len(sec.Pages) {
				p.Next = sec.Pages[i+1]
			}
		}
		index[sec.Name] = m
	}
	// Every page, in the site's order: home, then each section's list page and pages, then
	// pages outside any section. A page's rank is its place in that order; links are kept
	// sorted by rank, so grouping them by section needs no sorting.
	s.Pages = make([]*site.Page, 0, len(kept))
	s.Pages = append(s.Pages, s.Home)
	for _, sec := range secs {
		s.Pages = append(s.Pages, sec.Lists...)
		s.Pages = append(s.Pages, sec.Pages...)
	}
	for _, p := range kept {
		if p.Kind == site.KindPage && byName[p.Section] == nil {
			s.Pages = append(s.Pages, p)
		}
	}
	for i, p := range s.Pages {
		p.Rank = i
		p.Links, p.Backlinks, p.Related = nil, nil, nil
	}

	// References become forward links and backlinks. Visiting pages in rank order appends
	// each backlink in rank order.
	back := make([][]*site.Page, len(s.Pages))
	var fwd []*site.Page
	for _, p := range s.Pages {
		fwd = fwd[:0]
		for _, r := range p.Refs {
			t := index[r.Section][r.Slug]
			if t == nil && brokenSlug[r.Section+"/"+r.Slug+"/"] {
				continue
			}
			if t == nil {
				errorf(r.Pos, "%s", unknownRef(r, index, drafts, p))
				continue
			}
			if t == p {
				errorf(r.Pos, "the page refers to itself: remove %q from %s", r.Slug, r.Section)
				continue
			}
			if slices.Contains(fwd, t) {
				diags = append(diags, diag.Warnf(r.Pos, "%q is listed twice in %s: remove one", r.Slug, r.Section))
				continue
			}
			fwd = append(fwd, t)
			back[t.Rank] = append(back[t.Rank], p)
		}
		slices.SortFunc(fwd, byRank)
		p.Links = group(fwd, byName)
	}
	var all []*site.Page
	for _, p := range s.Pages {
		p.Backlinks = group(back[p.Rank], byName)
		all = mergeByRank(all[:0], back[p.Rank], p.Links)
		p.Related = group(all, byName)
	}

	// Links in bodies.
	for _, p := range kept {
		for _, l := range p.BodyLinks {
			if strings.HasPrefix(l.Target, "static/") {
				if !staticSet[strings.TrimPrefix(l.Target, "static/")] {
					errorf(l.Pos, "the link points at %s, which does not exist: check the file name", l.Target)
				}
				continue
			}
			t := bySource[l.Target]
			switch {
			case broken[l.Target]:
				continue
			case t == nil:
				errorf(l.Pos, "the link points at %s, which does not exist: check the file name and the ../ steps (links are relative to %s)", l.Target, p.Source)
				continue
			case drafts[l.Target] != nil:
				errorf(l.Pos, "the link points at %s, which is a draft and will not be published: link elsewhere or publish it", l.Target)
				continue
			}
			if l.Fragment != "" && !t.Anchors.Has(l.Fragment) {
				errorf(l.Pos, "%s has no heading or anchor with the id %q: %s", l.Target, l.Fragment, AnchorHint(t))
			}
		}
	}

	return s, diags.Sort()
}

// paginate splits the cards of a section's list into pages of per cards: the section's list
// page shows the first, and pages made for the others, at URL/page/2/ and on, the rest. The
// made-up pages take the list page's title, settings and template but not its text, and
// are left out of the sitemap, the feed and the search index.
func paginate(sec *site.Section, per int) []*site.Page {
	idx := sec.Index
	n := max(1, (len(sec.Pages)+per-1)/per)
	lists := make([]*site.Page, n)
	for k := range n {
		l := idx
		if k > 0 {
			l = &site.Page{
				Source: fmt.Sprintf("%s#page-%d", idx.Source, k+1), Kind: site.KindSection, Section: idx.Section,
				URL: fmt.Sprintf("%spage/%d/", sec.URL, k+1), Title: idx.Title, Date: idx.Date, Weight: idx.Weight,
				Unlisted: true, Summary: idx.Summary, Description: idx.Description, Layout: idx.Layout,
				Params: idx.Params, KeyPos: idx.KeyPos, Paginate: idx.Paginate, BodyLine: idx.BodyLine,
			}
		}
		l.Pages = sec.Pages[k*per : min((k+1)*per, len(sec.Pages)) : min((k+1)*per, len(sec.Pages))]
		l.SectionInfo = sec
		l.Pager = &site.Pager{Number: k + 1, PerPage: per, Items: len(sec.Pages), Pages: lists}
		lists[k] = l
	}
	return lists
}

// fileOf reports whether p comes from a file (not a section without _index.md).
func fileOf(p *site.Page) bool { return strings.HasSuffix(p.Source, ".md") }

func describePage(p *site.Page) string {
	if fileOf(p) {
		return p.Source
	}
	return "the list page of the folder " + p.Source + "/"
}

// TemplatePageSource is the Source of a page that templates/pages/NAME.html brings.
func TemplatePageSource(name string) string { return "templates/pages/" + name + ".html" }

// compareWeight orders weights ascending with 0 (no weight) last.
func compareWeight(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// compareDate orders dates ascending with the zero date (none) last.
func compareDate(a, b time.Time) int {
	switch {
	case a.Equal(b):
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func comparePages(a, b *site.Page) int {
	return cmp.Or(
		compareWeight(a.Weight, b.Weight),
		compareDate(a.Date, b.Date),
		cmp.Compare(a.Title, b.Title),
		cmp.Compare(a.Slug, b.Slug),
	)
}

func byRank(a, b *site.Page) int { return a.Rank - b.Rank }

// group splits pages, sorted by rank, into runs of one section. The groups share the
// backing array of a fresh copy, so callers may reuse pages.
func group(pages []*site.Page, byName map[string]*site.Section) []site.LinkGroup {
	if len(pages) == 0 {
		return nil
	}
	pages = slices.Clone(pages)
	var groups []site.LinkGroup
	start := 0
	for i := 1; i <= len(pages); i++ {
		if i < len(pages) && pages[i].Section == pages[start].Section {
			continue
		}
		sec := byName[pages[start].Section]
		if sec == nil {
			sec = &site.Section{Name: pages[start].Section}
		}
		groups = append(groups, site.LinkGroup{Section: sec, Pages: pages[start:i:i]})
		start = i
	}
	return groups
}

// mergeByRank appends to dst the pages of a and b, both sorted by rank, in rank order and
// without duplicates.
func mergeByRank(dst []*site.Page, a []*site.Page, groups []site.LinkGroup) []*site.Page {
	var b []*site.Page
	for _, g := range groups {
		b = append(b, g.Pages...)
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i].Rank < b[j].Rank:
			dst = append(dst, a[i])
			i++
		case i >= len(a) || b[j].Rank < a[i].Rank:
			dst = append(dst, b[j])
			j++
		default:
			dst = append(dst, a[i])
			i++
			j++
		}
	}
	return dst
}

func unknownRef(r site.Ref, index map[string]map[string]*site.Page, drafts map[string]*site.Page, from *site.Page) string {
	if d := drafts["content/"+r.Section+"/"+r.Slug+".md"]; d != nil {
		return fmt.Sprintf("%s %q is a draft and will not be published: remove the reference or publish the page", r.Section, r.Slug)
	}
	names := make([]string, 0, len(index))
	for name := range index {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if m := index[name]; name != r.Section && m[r.Slug] != nil {
			return fmt.Sprintf("there is no page %q in %s, but there is one in %s: list it under %s: instead", r.Slug, r.Section, name, name)
		}
	}
	msg := fmt.Sprintf("there is no page %q in content/%s/", r.Slug, r.Section)
	if best := suggest.Closest(r.Slug, slices.Collect(maps.Keys(index[r.Section]))); best != "" {
		return msg + fmt.Sprintf(": did you mean %q?", best)
	}
	return msg + fmt.Sprintf(": create content/%s/%s.md or fix the slug", r.Section, r.Slug)
}

// AnchorHint names the ids of t's headings, for a message about a #fragment it lacks.
func AnchorHint(t *site.Page) string {
	var ids []string
	for _, h := range t.Headings {
		ids = append(ids, h.ID)
	}
	if len(ids) == 0 {
		return "it has no headings; remove the #fragment"
	}
	if len(ids) > 8 {
		ids = append(ids[:8], "...")
	}
	return "its headings are " + strings.Join(ids, ", ")
}
