// Package languages gives a multilingual site its other languages. It runs after resolve,
// on the resolved site of the default language and the loaded translations, and makes one
// site.Site per other language with the same sections, the same pages in the same order and
// the same links between them: each page is its translation where there is one, and
// otherwise the default-language page itself (a copy that keeps its address and language,
// so that templates can link to it with hreflang and say it is in another language). Only
// translations are rendered in a language; the other pages are there to be linked to.
// It also checks the links in translations' bodies. It works in time linear in pages and
// links, and does no I/O.
package languages

import (
	"fmt"
	"maps"
	"strings"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/resolve"
	"github.com/icc-recap/recap/generator/site"
)

// Sites returns the site in every language, the default language's (def) first, and sets
// each page's Translations and each site's Languages. translations are the loaded
// translations, sorted by source path; codes are the other languages in the order the
// site lists them. A translation whose default-language page is not built (a draft) is
// left out. With no other language, it returns def alone and changes nothing.
func Sites(def *site.Site, codes []string, translations []*site.Page) ([]*site.Site, diag.List) {
	for _, p := range def.Pages {
		p.Translations = nil
	}
	def.Languages, def.Prefix = nil, ""
	if len(codes) == 0 {
		return []*site.Site{def}, nil
	}
	bySource := make(map[string]*site.Page, len(def.Pages))
	for _, p := range def.Pages {
		bySource[p.Source] = p
	}
	// versions[lang][rank] is the translation of the page of that rank, or nil.
	versions := make(map[string][]*site.Page, len(codes))
	for _, c := range codes {
		versions[c] = make([]*site.Page, len(def.Pages))
	}
	trBySource := make(map[string]*site.Page, len(translations))
	for _, t := range translations {
		d := bySource[defaultSource(t)]
		if d == nil || versions[t.Lang] == nil {
			continue // its page is a draft, or failed to load
		}
		v := translated(d, t)
		versions[t.Lang][d.Rank] = v
		trBySource[t.Source] = v
	}
	// The further pages of a section's list are translated where its list page is.
	for _, d := range def.Pages {
		if d.Pager == nil || d.Pager.Number == 1 {
			continue
		}
		for _, c := range codes {
			if ti := versions[c][d.Pager.Pages[0].Rank]; ti != nil {
				versions[c][d.Rank] = translatedList(d, ti)
			}
		}
	}
	// Every version of a page shares one list, the default language's first.
	for _, d := range def.Pages {
		var list []*site.Page
		for _, c := range codes {
			if t := versions[c][d.Rank]; t != nil {
				if list == nil {
					list = append(make([]*site.Page, 0, len(codes)+1), d)
				}
				list = append(list, t)
			}
		}
		if list != nil {
			for _, p := range list {
				p.Translations = list
			}
		}
	}

	sites := []*site.Site{def}
	all := []*site.Language{{Code: def.Language, Site: def}}
	for _, c := range codes {
		s := view(def, c, versions[c])
		sites = append(sites, s)
		all = append(all, &site.Language{Code: c, Site: s})
	}
	for _, s := range sites {
		s.Languages = all
	}
	return sites, checkLinks(sites, bySource, trBySource)
}

// defaultSource is the source path of a translation's default-language page.
func defaultSource(t *site.Page) string {
	// content/days/day-1.fr.md -> content/days/day-1.md; a section's made-up list page has
	// no file, so the translation of content/days/_index.md names the folder's file.
	return strings.TrimSuffix(t.Source, "."+t.Lang+".md") + ".md"
}

// view makes the site in language lang: tr[rank] is the translation of the default page of
// that rank, or nil.
func view(def *site.Site, lang string, tr []*site.Page) *site.Site {
	pages := make([]*site.Page, len(def.Pages))
	for i, d := range def.Pages {
		if t := tr[i]; t != nil {
			pages[i] = t
			continue
		}
		c := *d
		pages[i] = &c
	}
	of := func(p *site.Page) *site.Page {
		if p == nil {
			return nil
		}
		return pages[p.Rank]
	}
	mapAll := func(ps []*site.Page) []*site.Page {
		if ps == nil {
			return nil
		}
		out := make([]*site.Page, len(ps))
		for i, p := range ps {
			out[i] = pages[p.Rank]
		}
		return out
	}

	cfg := def.Config()
	home := of(def.Home)
	cfg.Title, cfg.Description, cfg.Language = home.Title, def.Description, lang
	if t := tr[def.Home.Rank]; t != nil {
		if t.KeyPos.Has("description") {
			cfg.Description = t.Description
		}
		if pm, ok := t.Params["params"].(map[string]any); ok {
			cfg.Params = maps.Clone(def.Params)
			maps.Copy(cfg.Params, pm)
		}
	}
	s := site.New(cfg)
	s.Prefix = lang + "/"
	s.Home = home

	secs := make([]*site.Section, len(def.Sections))
	byName := make(map[string]*site.Section, len(secs))
	for i, ds := range def.Sections {
		idx := of(ds.Index)
		secs[i] = &site.Section{Name: ds.Name, Title: idx.Title, URL: idx.URL, Weight: ds.Weight, Index: idx, Pages: mapAll(ds.Pages), Lists: mapAll(ds.Lists)}
		byName[ds.Name] = secs[i]
	}
	s.SetSections(secs)
	groups := func(gs []site.LinkGroup) []site.LinkGroup {
		if gs == nil {
			return nil
		}
		out := make([]site.LinkGroup, len(gs))
		for i, g := range gs {
			sec := byName[g.Section.Name]
			if sec == nil {
				sec = g.Section
			}
			out[i] = site.LinkGroup{Section: sec, Pages: mapAll(g.Pages)}
		}
		return out
	}
	byURL := make(map[string]*site.Page, len(pages))
	for i, d := range def.Pages {
		p := pages[i]
		p.SectionInfo = byName[d.Section]
		p.Links, p.Backlinks, p.Related = groups(d.Links), groups(d.Backlinks), groups(d.Related)
		p.Prev, p.Next = of(d.Prev), of(d.Next)
		p.Pages = mapAll(d.Pages)
		if d.Pager != nil {
			g := *d.Pager
			g.Pages = p.SectionInfo.Lists
			p.Pager = &g
		}
		byURL[d.URL] = p
	}
	s.Pages = pages
	s.IndexPages(byURL)
	return s
}

// translated returns a copy of the translation t with what its default-language page d
// declares: its kind, place, date, weight and the rest; its text stays its own, and its
// params are d's with t's over them. The loaded translation is left as it was, so that it
// can be given a changed d again.
func translated(d, t *site.Page) *site.Page {
	c := *t
	c.Kind, c.Section, c.Slug, c.Rank = d.Kind, d.Section, d.Slug, d.Rank
	c.Date, c.Weight, c.Draft, c.Unlisted, c.Layout = d.Date, d.Weight, d.Draft, d.Unlisted, d.Layout
	c.Refs = d.Refs
	if !t.KeyPos.Has("title") || strings.TrimSpace(t.Title) == "" {
		c.Title = d.Title
	}
	// The picture, recording and slides are d's unless the translation names its own; the
	// picture's text is the translation's (image_alt, else its title).
	if c.Image == "" {
		c.Image = d.Image
	}
	if !t.KeyPos.Has("image_alt") {
		c.ImageAlt = c.Title
	}
	if c.Video == "" {
		c.Video = d.Video
	}
	if c.Slides == "" {
		c.Slides = d.Slides
	}
	params := maps.Clone(d.Params)
	if params == nil {
		params = map[string]any{}
	}
	maps.Copy(params, t.Params)
	if pm, ok := t.Params["params"].(map[string]any); ok {
		maps.Copy(params, pm)
	}
	c.Params = params
	return &c
}

// translatedList returns the version of d, a further page of a section's list, in the
// language of ti, the translation of the list's first page: its title and text are ti's,
// its address ti's followed by page/N/.
func translatedList(d, ti *site.Page) *site.Page {
	c := *d
	c.Source = fmt.Sprintf("%s#page-%d", ti.Source, d.Pager.Number)
	c.URL = fmt.Sprintf("%spage/%d/", ti.URL, d.Pager.Number)
	c.Lang, c.Translation = ti.Lang, true
	c.Title, c.Summary, c.Description, c.Params, c.KeyPos = ti.Title, ti.Summary, ti.Description, ti.Params, ti.KeyPos
	return &c
}

// checkLinks checks the links of translations' bodies: the page linked to is built, and a
// #fragment names one of its headings.
func checkLinks(sites []*site.Site, bySource, trBySource map[string]*site.Page) diag.List {
	var diags diag.List
	for _, s := range sites[1:] {
		for _, p := range s.Pages {
			if !p.Translation || p.Lang != s.Language {
				continue
			}
			for _, l := range p.BodyLinks {
				if strings.HasPrefix(l.Target, "static/") {
					continue // resolve checks static files for every page
				}
				t := bySource[l.Target]
				if tr := trBySource[l.Target]; tr != nil {
					t = tr
					if d := bySource[defaultSource(tr)]; d == nil || d.Translations == nil {
						t = nil
					}
				}
				if t == nil {
					diags = append(diags, diag.Errorf(l.Pos, "the link points at %s, which does not exist or is not published: check the file name and the ../ steps (links are relative to %s)", l.Target, p.Source))
					continue
				}
				if l.Fragment != "" && !t.Anchors.Has(l.Fragment) {
					diags = append(diags, diag.Errorf(l.Pos, "%s has no heading or anchor with the id %q: %s", t.Source, l.Fragment, resolve.AnchorHint(t)))
				}
			}
		}
	}
	return diags
}
