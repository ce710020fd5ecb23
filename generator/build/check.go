package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/linkcheck"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/render"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
)

// Check does everything a build does except writing: pages are rendered into memory, and
// then every internal link and #fragment of the rendered pages is checked against the
// files the build produced. A broken link is reported where it is written: in the page's
// source, or in the template that made it, or failing both at the template that rendered
// the page.
func Check(ctx context.Context, opts Options) *Result {
	start := time.Now()
	mem := output.NewMemory()
	res := Run(ctx, opts, mem)
	if res.Diags.HasErrors() || ctx.Err() != nil {
		return res
	}
	files := map[string][]byte{}
	for _, p := range mem.Paths() {
		files[p], _ = mem.Get(p)
	}
	var roots map[string]string
	if res.Site != nil {
		if root := render.RootPath(res.Site.BaseURL); root != "" {
			roots = map[string]string{}
			for _, f := range render.NotFoundFiles(languageSites(res.Site)) {
				roots[f] = root
			}
		}
	}
	loc := &locator{root: opts.Source, res: res, files: files, texts: map[string][]byte{}}
	res.Diags = append(res.Diags, loc.report(linkcheck.Check(files, roots))...)
	res.Diags = append(res.Diags, Untranslated(res.Site)...)
	res.Diags = append(res.Diags, loc.anchorNotes(res.Site)...).Sort()
	res.Duration = time.Since(start)
	return res
}

// Untranslated lists, as notes, the pages of s not translated into each of its other
// languages, each at its file, and how many per language, at the home page.
func Untranslated(s *site.Site) diag.List {
	if s == nil || len(s.Languages) < 2 {
		return nil
	}
	var notes diag.List
	for _, l := range s.Languages[1:] {
		missing, total := 0, 0
		for _, p := range s.Pages {
			if !strings.HasSuffix(p.Source, ".md") {
				continue // a section's list page that has no file
			}
			total++
			if slices.ContainsFunc(p.Translations, func(v *site.Page) bool { return v.Lang == l.Code }) {
				continue
			}
			missing++
			tr := strings.TrimSuffix(p.Source, ".md") + "." + l.Code + ".md"
			notes = append(notes, diag.Notef(diag.Pos{Path: p.Source}, "not translated into %s: readers of %s get this page in %s; translate it in %s (recap new --lang %s %s)", l.Code, l.Code, s.Language, tr, l.Code, p.Source))
		}
		notes = append(notes, diag.Notef(diag.Pos{Path: "content/_index.md"}, "%d of %d %s not translated into %s", missing, total, diag.Plural(total, "page is", "pages are"), l.Code))
	}
	return notes
}

type locator struct {
	root  string
	res   *Result
	files map[string][]byte
	texts map[string][]byte // source files read, by slash path relative to root
}

// text returns a file of the site: a template from the template set, anything else read
// from disk.
func (l *locator) text(rel string) []byte {
	if b, ok := l.texts[rel]; ok {
		return b
	}
	var b []byte
	if name, ok := strings.CutPrefix(rel, templates.Dir+"/"); ok && l.res.Templates != nil {
		b = l.res.Templates.Sources[name]
	} else if strings.HasSuffix(rel, ".md") {
		b, _ = os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	}
	l.texts[rel] = b
	return b
}

// anchorNotes notes, at its line, each heading of a translation whose anchor the page it
// translates does not have: a #heading link written to the original's anchor, as links in
// every language are, misses it, and one written to it breaks if the language's version
// goes. Translations keep the original's anchors with {#id}; the note says which.
func (l *locator) anchorNotes(s *site.Site) diag.List {
	if s == nil || len(s.Languages) < 2 {
		return nil
	}
	var notes diag.List
	for _, lang := range s.Languages[1:] {
		for _, p := range OwnPages(lang.Site) {
			if !strings.HasSuffix(p.Source, ".md") || len(p.Translations) == 0 {
				continue // a further page of a list: its headings are its first page's
			}
			d := p.Translations[0]
			for i, h := range p.Headings {
				if d.Anchors.Has(h.ID) {
					continue
				}
				pos, ok := l.find(p.Source, "{#"+h.ID+"}", strings.Repeat("#", h.Level)+" "+h.Text)
				if !ok {
					pos = diag.Pos{Path: p.Source, Line: 1, Col: 1}
				}
				fix := fmt.Sprintf("end it with {#id}, id being the anchor of the same heading in %s", d.Source)
				if i < len(d.Headings) && d.Headings[i].Level == h.Level {
					fix = fmt.Sprintf("end it with {#%s}, the anchor of the heading in its place in %s", d.Headings[i].ID, d.Source)
				}
				notes = append(notes, diag.Notef(pos, "the heading %q has the anchor #%s, which %s does not have: %s, so that #links to it work in every language", h.Text, h.ID, d.Source, fix))
			}
		}
	}
	return notes
}

// find returns the position of the first of needles in the file rel.
func (l *locator) find(rel string, needles ...string) (diag.Pos, bool) {
	b := l.text(rel)
	for _, n := range needles {
		if n == "" || n == `""` {
			continue
		}
		if i := bytes.Index(b, []byte(n)); i >= 0 {
			if n[0] == '"' {
				i++ // point at the address, not its quote
			}
			line, col := diag.LineCol(b, i)
			return diag.Pos{Path: rel, Line: line, Col: col}, true
		}
	}
	return diag.Pos{}, false
}

func (l *locator) report(problems []linkcheck.Problem) diag.List {
	byOut := map[string]*site.Page{}
	if l.res.Site != nil {
		for _, p := range l.res.Site.Pages {
			byOut[render.OutputPath(p)] = p
		}
		for _, lang := range l.res.Site.Languages[min(1, len(l.res.Site.Languages)):] {
			for _, p := range OwnPages(lang.Site) {
				byOut[render.OutputPath(p)] = p
			}
		}
	}
	var r *render.Renderer
	var others []string // every template, sorted, for links whose page template lacks them
	if l.res.Site != nil && l.res.Templates != nil {
		r = render.New(l.res.Site, l.res.Templates, nil, nil, render.Options{})
		for name := range l.res.Templates.Sources {
			if strings.HasSuffix(name, ".html") {
				others = append(others, templates.Dir+"/"+name)
			}
		}
		slices.Sort(others)
	}
	type key struct {
		pos diag.Pos
		msg string
	}
	var order []key
	pagesOf := map[key][]string{}
	for _, pr := range problems {
		msg := l.message(pr)
		p := byOut[pr.Page]
		from := pr.Page
		// The template that rendered the page first, then every other one in order.
		var tmpls []string
		switch {
		case p != nil:
			from = p.Source
			if name, d := r.TemplateFor(p); d == nil {
				tmpls = append(tmpls, templates.Dir+"/"+name)
			}
		case path.Base(pr.Page) == render.NotFoundFile:
			from = templates.Dir + "/" + render.NotFoundFile
			tmpls = append(tmpls, from)
		}
		// Written in the page's own source (raw HTML, or a value of its front matter)?
		if p != nil && strings.HasSuffix(p.Source, ".md") {
			if pos, ok := l.find(p.Source, pr.Href); ok {
				k := key{pos, fmt.Sprintf("the link %q: %s", pr.Href, msg)}
				if pagesOf[k] == nil {
					order = append(order, k)
				}
				pagesOf[k] = append(pagesOf[k], "")
				continue
			}
		}
		// Written in a template, as it is or as the address given to .Rel?
		for _, t := range others {
			if !slices.Contains(tmpls, t) {
				tmpls = append(tmpls, t)
			}
		}
		addr := strings.TrimSuffix(pr.Target, "index.html")
		needles := []string{`"` + addr + `"`, `"/` + addr + `"`, `"` + strings.TrimSuffix(addr, "/") + `"`, `"` + pr.Href + `"`, pr.Href}
		if pr.Kind == linkcheck.Absolute || pr.Kind == linkcheck.Outside {
			needles = []string{`"` + pr.Href + `"`, pr.Href}
		}
		if pr.Fragment != "" {
			needles = append(needles, "#"+pr.Fragment)
		}
		pos := diag.Pos{Path: templates.Dir}
		if len(tmpls) > 0 {
			pos = diag.Pos{Path: tmpls[0]}
		}
		for _, t := range tmpls {
			if found, ok := l.find(t, needles...); ok {
				pos = found
				break
			}
		}
		k := key{pos, msg}
		if pagesOf[k] == nil {
			order = append(order, k)
		}
		pagesOf[k] = append(pagesOf[k], from)
	}
	var out diag.List
	for _, k := range order {
		ps := pagesOf[k]
		msg := k.msg
		if ps[0] != "" {
			slices.Sort(ps)
			ps = slices.Compact(ps)
			switch len(ps) {
			case 1:
				msg += fmt.Sprintf(" (on %s)", ps[0])
			default:
				msg += fmt.Sprintf(" (on %s and %d other %s)", ps[0], len(ps)-1, diag.Plural(len(ps)-1, "page", "pages"))
			}
		}
		out = append(out, diag.Errorf(k.pos, "%s", msg))
	}
	return out
}

// message says what is wrong with a link and what to do, in words that do not depend on the
// page it is on (so that a template's mistake is reported once).
func (l *locator) message(pr linkcheck.Problem) string {
	addr := strings.TrimSuffix(pr.Target, "index.html")
	switch pr.Kind {
	case linkcheck.Absolute:
		return fmt.Sprintf("a link to %q starts with /, so it breaks when the site is published under a sub-path: in a template write {{ .Rel %q }}; in Markdown link to the source file", pr.Href, strings.TrimPrefix(pr.Href, "/"))
	case linkcheck.Outside:
		return fmt.Sprintf("a link to %q climbs above the site's root: remove a ../, or build addresses with {{ .Rel }}", pr.Href)
	case linkcheck.NoAnchor:
		ids := linkcheck.IDs(l.files[pr.Target])
		hint := "it has no ids at all"
		if len(ids) > 0 {
			if len(ids) > 8 {
				ids = append(ids[:8], "...")
			}
			hint = "its ids are " + strings.Join(ids, ", ")
		}
		return fmt.Sprintf("a link to %s#%s names an id that page does not have: fix the #fragment (%s)", render.ShowAddr(addr), pr.Fragment, hint)
	}
	return render.Nowhere(addr)
}

// languageSites returns the site in each of its languages, the default language's first.
func languageSites(s *site.Site) []*site.Site {
	if len(s.Languages) == 0 {
		return []*site.Site{s}
	}
	out := make([]*site.Site, len(s.Languages))
	for i, l := range s.Languages {
		out[i] = l.Site
	}
	return out
}
