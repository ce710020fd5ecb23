// Package incremental keeps a built site in memory and brings it up to date after files
// change, redoing only what the change affects: a changed page is loaded again and rendered
// with the pages whose output shows it (the pages related to it before and after, its
// neighbours, its section's list and the home page); a changed page template re-renders the
// pages that use it; a changed static file is copied again. On a site in several languages,
// an edit to a default-language page renders the same pages in every language (each
// language's site has the default one's pages, links and order, so the pages that show the
// edited one are the same there), and other changes to content (a translation, a page added
// or removed) render every language. Every change resolves the whole site again, which is
// linear and cheap, so links and backlinks are always complete. Changes that touch every
// page (the site settings, the section folders, base.html or a partial) fall back to
// rendering everything.
//
// What is served is a Snapshot: the files of the last good build, its problems, and its
// extra files (search index, sitemap, feed), made when first asked for. A snapshot never
// changes once published; an update makes a new one and publishes it in one step when it has
// succeeded, so readers never wait for an update, and a failed update leaves the last good
// files served with its errors. Every snapshot is byte-identical to a full build of the files
// it was made from. It does not watch files or serve them (packages watch and serve do).
package incremental

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/i18n"
	"github.com/icc-recap/recap/generator/languages"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/render"
	"github.com/icc-recap/recap/generator/resolve"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
	"github.com/icc-recap/recap/generator/watch"
)

// Site is a site kept up to date in memory. Update is called by one goroutine at a time;
// Current may be called by any number at once.
type Site struct {
	opts build.Options
	min  *minify.Minifier
	cur  atomic.Pointer[Snapshot]

	// media is the image pipeline; it lives as long as the site, so that an image is
	// processed again only when it is saved.
	media *media.Pipeline
	// staleMedia are files made from images saved since, to stop serving.
	staleMedia []string

	mu sync.Mutex
	// What the sources hold.
	files     map[string][]byte // content files by slash path
	sections  []string
	walkDiags diag.List
	pages     map[string]*site.Page // loaded pages by source path, as loaded (never resolved)
	trans     []*site.Page          // loaded translations, when the site has several languages
	broken    map[string]bool
	loadDiags map[string]diag.List // by the path they are about
	config    site.Config
	set       *templates.Set
	tdiags    diag.List
	strs      *i18n.Strings // the template strings
	idiags    diag.List
	statics   []string
	sdiags    diag.List

	// The last good build: its resolved site (never changed once built: an update resolves
	// copies of the pages), what each page was rendered with, and its problems (warnings).
	good      *site.Site
	sigs      map[string]uint64 // each page's link signature at the last good render
	tmplOf    map[string]string // the template each page was rendered with
	tmplBytes map[string][]byte // template sources at the last good render
	// Changes not yet rendered because the build had errors.
	pending pendingWork
}

type pendingWork struct {
	full      bool
	pages     map[string]bool // source paths changed
	statics   map[string]bool // static paths changed
	templates bool
}

// Result is what one update did.
type Result struct {
	// Rendered counts the pages rendered again (in every language); Full says whether
	// everything was.
	Rendered int
	Full     bool
	// Written lists, sorted, the files the update made again (pages, the 404 pages, static
	// files and images), served in place of the last ones; the extras (search index,
	// sitemap, feed) are made again when asked for after any update.
	Written []string
	// Changed says whether a served file other than the extras changed: a save that changes
	// nothing in the output (or a failed update) leaves it false.
	Changed  bool
	Diags    diag.List
	Duration time.Duration
	// Snapshot is what is served after the update.
	Snapshot *Snapshot
}

// New builds the site in memory from scratch.
func New(ctx context.Context, opts build.Options) (*Site, *Result) {
	s := &Site{opts: opts, min: minify.New()}
	s.media = media.New(media.Options{Root: opts.Source, CacheDir: opts.CacheDir, Budget: opts.ImageMemory, Minify: s.min.File})
	s.cur.Store(&Snapshot{})
	s.pending.full = true
	return s, s.Update(ctx, nil)
}

// Current returns what is being served. It never waits for an update.
func (s *Site) Current() *Snapshot { return s.cur.Load() }

// fail publishes the errors of a failed update over the last good files.
func (s *Site) fail(diags diag.List, start time.Time) *Result {
	cur := s.cur.Load()
	sn := &Snapshot{files: cur.files, Built: cur.Built, x: cur.x, Diags: diags.Sort()}
	s.cur.Store(sn)
	return &Result{Diags: sn.Diags, Duration: time.Since(start), Snapshot: sn}
}

// publish makes files (with the given resolved site) what is served, and says whether they
// differ from what was.
func (s *Site) publish(files map[string][]byte, resolved *site.Site, diags diag.List) (*Snapshot, bool) {
	cur := s.cur.Load()
	sn := &Snapshot{files: files, Built: true, Diags: diags.Sort(), x: cur.x}
	if resolved != s.good || sn.x == nil {
		sn.x = newExtras(resolved, s.statics, s.min)
	}
	changed := !cur.Built || len(files) != len(cur.files)
	for p, b := range files {
		if changed {
			break
		}
		old, ok := cur.files[p]
		changed = !ok || !bytes.Equal(old, b)
	}
	s.cur.Store(sn)
	return sn, changed
}

// Update takes the changed paths (slash paths relative to the site root, as a watcher
// reports them) into account and re-renders what they affect. nil means "look at
// everything again". It returns once the new files are served (or the errors, if it failed).
func (s *Site) Update(ctx context.Context, changed []string) *Result {
	start := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if changed == nil {
		s.pending.full = true
	}
	var contentChanged []string
	for _, c := range changed {
		c = path.Clean(filepath.ToSlash(c))
		top, rest, _ := strings.Cut(c, "/")
		if watch.EditorFile(path.Base(c)) {
			continue
		}
		switch top {
		case content.Dir:
			if content.IsMediaFile(c) && s.files != nil {
				// An image (or slides, a video) beside the pages: only the pages that show
				// it are loaded and rendered again, with its new addresses.
				pages, stale := s.media.Changed(c)
				for _, pg := range pages {
					delete(s.files, pg)
					contentChanged = append(contentChanged, pg)
				}
				s.staleMedia = append(s.staleMedia, stale...)
				continue
			}
			contentChanged = append(contentChanged, c)
		case templates.Dir:
			s.pending.templates = true
			if strings.HasPrefix(rest, i18n.Dir+"/") {
				// The template strings also give words to the pages' bodies.
				s.pending.full = true
			}
		case build.StaticDir:
			if s.pending.statics == nil {
				s.pending.statics = map[string]bool{}
			}
			s.pending.statics[rest] = true
		}
	}
	if s.pending.templates || s.set == nil || s.strs == nil {
		s.set, s.tdiags = templates.Load(s.opts.Source, render.Funcs())
		s.strs, s.idiags = i18n.Load(s.opts.Source)
	}
	// On a site in several languages, only edits of existing default-language pages are
	// loaded alone; a translation is loaded with every file, since the pages of its language
	// link to it or to its default-language page.
	multi := len(s.config.Languages) > 0
	reloadAll := s.pending.full || s.files == nil || multi && !s.defaultPageEdits(contentChanged)
	if !reloadAll {
		reloadAll = s.readChanged(contentChanged)
	}
	if reloadAll {
		s.loadAll()
	}
	staticChanged := s.pending.statics != nil
	if staticChanged || s.statics == nil || reloadAll {
		s.statics, s.sdiags = build.ListStatic(s.opts.Source)
	}
	cur := s.cur.Load()

	if !reloadAll && !multi && s.bodyOnly(cur) {
		// Only page bodies changed: the links between pages are as they were. The new pages
		// go into a copy of the last good site, which stays as it was if rendering fails.
		resolved, todo := s.withNewBodies()
		ov := output.NewMemory()
		r := render.New(resolved, s.set, s.min, ov, s.renderOptions([]*site.Site{resolved}))
		diags := r.All(ctx, todo)
		if !diags.HasErrors() && ctx.Err() == nil {
			_, md := s.media.Process(ctx, ov, 0)
			diags = append(diags, md...)
		}
		if diags.HasErrors() || ctx.Err() != nil {
			return s.fail(append(s.warnings(), diags...), start)
		}
		files := maps.Clone(cur.files)
		for _, o := range s.staleMedia {
			delete(files, o)
		}
		s.staleMedia = nil
		for _, p := range ov.Paths() {
			files[p], _ = ov.Get(p)
		}
		sn, differs := s.publish(files, resolved, s.warnings())
		s.good = resolved
		s.pending = pendingWork{}
		return &Result{Rendered: len(todo), Changed: differs, Written: ov.Paths(), Diags: sn.Diags, Duration: time.Since(start), Snapshot: sn}
	}

	// Resolve everything: linear in pages and links. Resolve fills in the pages it is given,
	// so it is given copies: the last good site must stay as it was until this succeeds.
	pages := make([]*site.Page, 0, len(s.pages))
	for _, p := range s.pages {
		cp := *p
		pages = append(pages, &cp)
	}
	slices.SortFunc(pages, func(a, b *site.Page) int { return strings.Compare(a.Source, b.Source) })
	brokenList := slices.Sorted(maps.Keys(s.broken))
	resolved, rdiags := resolve.Resolve(s.config, s.sections, pages, resolve.Options{Drafts: s.opts.Drafts, StaticFiles: s.statics, Broken: brokenList, TemplatePages: s.set.PageNames()})
	sites, ldiags := languages.Sites(resolved, s.config.Languages, s.trans)
	rdiags = append(rdiags, ldiags...)

	diags := append(s.warnings(), rdiags...)
	if diags.HasErrors() || ctx.Err() != nil {
		return s.fail(diags, start)
	}

	// Decide what to render.
	full := s.pending.full || s.good == nil || s.globalTemplateChange() ||
		!reflect.DeepEqual(siteShape(s.good), siteShape(resolved)) ||
		len(sites) > 1 && !s.sameBuiltPages(resolved)
	sigs := signatures(resolved)
	var todo []*site.Page
	if full {
		todo = resolved.Pages
	} else {
		todo = s.affected(resolved, sigs)
	}

	// Render into an overlay; the served files change only if everything succeeded.
	ov := output.NewMemory()
	r := render.New(resolved, s.set, s.min, ov, s.renderOptions(sites))
	rendered := len(todo)
	switch {
	case len(sites) > 1 && full:
		rendered = 0
		diags = append(diags, build.RenderSites(ctx, sites, s.set, s.min, ov, s.renderOptions(sites), &rendered)...)
	case len(sites) > 1:
		// Every language's site has the default one's pages at the same ranks, with the
		// same links: the pages to render are those of the same ranks, where a language has
		// its own version.
		ranks := make(map[int]bool, len(todo))
		for _, p := range todo {
			ranks[p.Rank] = true
		}
		ro := s.renderOptions(sites)
		for i, ls := range sites {
			lr := render.New(ls, s.set, s.min, ov, ro)
			var own []*site.Page
			for _, p := range build.OwnPages(ls) {
				if ranks[p.Rank] {
					own = append(own, p)
				}
			}
			if i > 0 {
				rendered += len(own)
			}
			diags = append(diags, lr.All(ctx, own)...)
			if s.templateChanged("404.html") {
				diags = append(diags, lr.NotFound()...)
			}
		}
	default:
		diags = append(diags, r.All(ctx, todo)...)
		if full || s.templateChanged("404.html") {
			diags = append(diags, r.NotFound()...)
		}
	}
	staticBase := filepath.Join(s.opts.Source, build.StaticDir)
	var staticTodo []string
	if full {
		staticTodo = s.statics
	} else {
		for p := range s.pending.statics {
			if slices.Contains(s.statics, p) {
				staticTodo = append(staticTodo, p)
			}
		}
		slices.Sort(staticTodo)
	}
	_, cd := build.CopyStatic(ctx, staticBase, staticTodo, s.min, ov)
	diags = append(diags, cd...)
	if !diags.HasErrors() && ctx.Err() == nil {
		if full {
			// The files are made from the overlay alone: write every image into it again.
			s.media.Rewrite()
		}
		_, md := s.media.Process(ctx, ov, 0)
		diags = append(diags, md...)
	}
	if diags.HasErrors() || ctx.Err() != nil {
		return s.fail(diags, start)
	}

	// The new files: everything rendered, or what was served with the overlay on top and
	// what no longer exists taken away.
	var files map[string][]byte
	if full {
		files = make(map[string][]byte, len(ov.Paths()))
	} else {
		files = maps.Clone(cur.files)
		// Only pages that changed can have gone away.
		gone := map[string]bool{}
		for src := range s.pending.pages {
			gone[src] = true
		}
		for _, p := range resolved.Pages {
			delete(gone, p.Source)
		}
		for _, p := range s.good.Pages {
			if gone[p.Source] {
				delete(files, render.OutputPath(p))
			}
		}
		for p := range s.pending.statics {
			if !slices.Contains(s.statics, p) {
				delete(files, p)
			}
		}
		for _, o := range s.staleMedia {
			delete(files, o)
		}
	}
	s.staleMedia = nil
	for _, p := range ov.Paths() {
		files[p], _ = ov.Get(p)
	}
	sn, differs := s.publish(files, resolved, diags)
	s.good = resolved
	s.sigs = sigs
	if full || s.tmplOf == nil {
		s.tmplOf = make(map[string]string, len(resolved.Pages))
	}
	for _, p := range todo {
		s.tmplOf[p.Source], _ = r.TemplateFor(p)
	}
	s.tmplBytes = maps.Clone(s.set.Sources)
	s.pending = pendingWork{}
	return &Result{Rendered: rendered, Full: full, Changed: differs, Written: ov.Paths(), Diags: sn.Diags, Duration: time.Since(start), Snapshot: sn}
}

// defaultPageEdits reports whether the changed content files are all existing pages of
// the default language (not a translation, not a new or removed file), whose edits can be
// loaded alone on a site in several languages.
func (s *Site) defaultPageEdits(changed []string) bool {
	for _, c := range changed {
		if !strings.HasSuffix(c, ".md") || s.files[c] == nil {
			return false
		}
		for _, l := range s.config.Languages {
			if strings.HasSuffix(c, "."+l+".md") {
				return false
			}
		}
		if _, err := os.Lstat(filepath.Join(s.opts.Source, filepath.FromSlash(c))); err != nil {
			return false
		}
	}
	return true
}

// sameBuiltPages reports whether the pages changed since the last good build are built
// before and after: then no page comes or goes in any language.
func (s *Site) sameBuiltPages(now *site.Site) bool {
	if len(now.Pages) != len(s.good.Pages) {
		return false
	}
	built := make(map[string]bool, len(now.Pages))
	for _, p := range now.Pages {
		built[p.Source] = true
	}
	for src := range s.pending.pages {
		if !built[src] || s.goodPage(src) == nil {
			return false
		}
	}
	return true
}

// renderOptions are a build's render options for the sites of every language (links that
// templates make are checked against the addresses they have), with one worker fewer than
// there are cores: the preview answers requests while it renders, and they should not wait
// for a core.
func (s *Site) renderOptions(sites []*site.Site) render.Options {
	ro := build.RenderOptions(s.opts, sites, s.set, s.statics)
	ro.Strings, ro.Media, ro.Exists = s.strs, s.media, s.media.Or(ro.Exists)
	ro.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	return ro
}

func (s *Site) contentOptions() content.Options {
	return content.Options{FileURLs: s.opts.FileURLs, BaseURL: s.opts.BaseURL, Label: s.strs.Label, AnchorLabel: s.strs.AnchorLabel, Media: s.media}
}

// warnings returns the problems found while reading the sources (the errors among them too).
func (s *Site) warnings() diag.List {
	var diags diag.List
	diags = append(diags, s.walkDiags...)
	for _, ds := range s.loadDiags {
		diags = append(diags, ds...)
	}
	diags = append(diags, s.tdiags...)
	diags = append(diags, s.idiags...)
	if !s.tdiags.HasErrors() && s.set != nil {
		diags = append(diags, build.CheckStrings(s.strs, s.set, s.config)...)
	}
	return append(diags, s.sdiags...)
}

// readChanged reads the changed content files again and loads them. It reports whether the
// change needs a full reload instead (a folder, a setting, anything but a plain page).
func (s *Site) readChanged(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	home := content.Dir + "/_index.md"
	var reload []content.File
	for _, c := range changed {
		rel := strings.TrimPrefix(c, content.Dir+"/")
		if c == content.Dir || c == home || strings.Count(rel, "/") > 1 {
			return true
		}
		if strings.Count(rel, "/") == 1 && !slices.Contains(s.sections, path.Dir(rel)) {
			return true // a new section
		}
		full := filepath.Join(s.opts.Source, filepath.FromSlash(c))
		st, err := os.Lstat(full)
		if !strings.HasSuffix(c, ".md") {
			// Not a page: it changes the output only if a page uses it; otherwise only the
			// warning a build gives about it comes or goes.
			if s.usedByAPage(c) || err == nil && st.IsDir() {
				return true
			}
			s.walkDiags = slices.DeleteFunc(slices.Clone(s.walkDiags), func(d *diag.Diagnostic) bool { return d.Path == c })
			if err == nil {
				s.walkDiags = append(s.walkDiags, content.NotAPage(c))
			}
			continue
		}
		if errors.Is(err, fs.ErrNotExist) {
			if s.files[c] != nil {
				delete(s.files, c)
				s.forget(c)
			}
			continue
		}
		if err != nil || !st.Mode().IsRegular() {
			return true
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return true
		}
		if bytes.Equal(data, s.files[c]) {
			continue
		}
		s.files[c] = data
		reload = append(reload, content.File{Path: c, Data: data})
		if s.pending.pages == nil {
			s.pending.pages = map[string]bool{}
		}
		s.pending.pages[c] = true
	}
	if len(reload) == 0 {
		return false
	}
	// The home page goes along: its settings decide how bodies are converted.
	if h, ok := s.files[home]; ok {
		reload = append(reload, content.File{Path: home, Data: h})
	}
	res, diags := content.LoadFiles(reload, s.sections, s.contentOptions())
	if !reflect.DeepEqual(res.Config, s.config) {
		return true
	}
	for _, f := range reload {
		s.drop(f.Path)
	}
	s.store(res, diags)
	return false
}

// usedByAPage reports whether a page links to the file c.
func (s *Site) usedByAPage(c string) bool {
	for _, p := range s.pages {
		for _, l := range p.BodyLinks {
			if l.Target == c {
				return true
			}
		}
	}
	return false
}

// forget drops a page that changed or went away, and marks it for rendering.
func (s *Site) forget(p string) {
	s.drop(p)
	if s.pending.pages == nil {
		s.pending.pages = map[string]bool{}
	}
	s.pending.pages[p] = true
}

func (s *Site) store(res *content.Result, diags diag.List) {
	for _, p := range res.Pages {
		s.pages[p.Source] = p
	}
	for _, b := range res.Broken {
		s.broken[b] = true
	}
	for _, d := range diags {
		s.loadDiags[d.Path] = append(s.loadDiags[d.Path], d)
	}
}

// drop removes what was loaded from p.
func (s *Site) drop(p string) {
	delete(s.pages, p)
	delete(s.broken, p)
	delete(s.loadDiags, p)
}

// loadAll walks content/ and loads every file.
func (s *Site) loadAll() {
	files, sections, wd := content.Walk(s.opts.Source)
	s.files = map[string][]byte{}
	for _, f := range files {
		s.files[f.Path] = f.Data
	}
	s.sections, s.walkDiags = sections, wd
	s.pages, s.broken, s.loadDiags = map[string]*site.Page{}, map[string]bool{}, map[string]diag.List{}
	res, diags := content.LoadFiles(files, sections, s.contentOptions())
	s.config = res.Config
	s.store(res, diags)
	s.trans = res.Translations
	s.pending.full = true
}

// globalTemplateChange reports whether a template every page may use changed: the base,
// a partial, or the set of page templates itself (a new section template takes pages over).
func (s *Site) globalTemplateChange() bool {
	if !s.pending.templates {
		return false
	}
	if !slices.Equal(slices.Sorted(maps.Keys(s.tmplBytes)), slices.Sorted(maps.Keys(s.set.Sources))) {
		return true
	}
	for name, b := range s.set.Sources {
		if !bytes.Equal(b, s.tmplBytes[name]) && (name == templates.Base || strings.HasPrefix(name, "partials/")) {
			return true
		}
	}
	return false
}

func (s *Site) templateChanged(name string) bool {
	return s.pending.templates && !bytes.Equal(s.set.Sources[name], s.tmplBytes[name])
}

// shape is what every page's output may show of the site as a whole: the sections and
// their titles and addresses (the navigation), and the site settings.
type shape struct {
	Config   site.Config
	Sections []string
}

func siteShape(s *site.Site) shape {
	sh := shape{Config: s.Config()}
	for _, sec := range s.Sections {
		// The number of list pages too: every one links to all the others, and one that is
		// no longer made must be removed.
		sh.Sections = append(sh.Sections, fmt.Sprintf("%s\x00%s\x00%s\x00%d", sec.Name, sec.Title, sec.URL, len(sec.Lists)))
	}
	return sh
}

// signatures records, for each page, a hash of the pages its output shows besides itself
// (neighbours, related pages, listed pages), by their source paths.
func signatures(s *site.Site) map[string]uint64 {
	sigs := make(map[string]uint64, len(s.Pages))
	for _, p := range s.Pages {
		h := uint64(14695981039346656037)
		mix := func(src string, sep byte) {
			for i := 0; i < len(src); i++ {
				h = (h ^ uint64(src[i])) * 1099511628211
			}
			h = (h ^ uint64(sep)) * 1099511628211
		}
		for _, n := range []*site.Page{p.Prev, p.Next} {
			if n != nil {
				mix(n.Source, 0)
			} else {
				mix("", 0)
			}
		}
		for _, g := range p.Related {
			for _, r := range g.Pages {
				mix(r.Source, 1)
			}
		}
		for _, r := range p.Pages {
			mix(r.Source, 2)
		}
		sigs[p.Source] = h
	}
	return sigs
}

// affected lists the pages to render again after the pending changes.
func (s *Site) affected(now *site.Site, sigs map[string]uint64) []*site.Page {
	byPath := make(map[string]*site.Page, len(now.Pages))
	for _, p := range now.Pages {
		byPath[p.Source] = p
	}
	want := map[string]bool{}
	add := func(p *site.Page) {
		if p != nil && byPath[p.Source] != nil {
			want[p.Source] = true
		}
	}
	addShown := func(p *site.Page) {
		// p itself and every page that shows it: related pages, neighbours, the section's
		// list page and the home page.
		add(p)
		for _, g := range p.Related {
			for _, r := range g.Pages {
				add(r)
			}
		}
		add(p.Prev)
		add(p.Next)
		if p.SectionInfo != nil {
			add(p.SectionInfo.Index)
			add(p.SectionInfo.ListOf(p))
		}
		add(now.Home)
	}
	// Whether a template shows something of another page's body decides whether a body
	// edit can change other pages.
	bodyShown := s.set.ShowsOtherPages("Content", "PlainText", "WordCount", "Headings", "Anchors")
	old := map[string]*site.Page{}
	for _, p := range s.good.Pages {
		old[p.Source] = p
	}
	for src := range s.pending.pages {
		was, is := old[src], byPath[src]
		if was != nil && is != nil && reflect.DeepEqual(card(was, bodyShown), card(is, bodyShown)) {
			// Only the body changed: no other page shows it. Pages whose relations or
			// neighbours changed are found by their signatures below.
			add(is)
			continue
		}
		if was != nil {
			addShown(was) // as it was: the pages that showed it before
		}
		if is != nil {
			addShown(is)
		}
	}
	for _, p := range now.Pages {
		if s.sigs[p.Source] != sigs[p.Source] {
			add(p)
		}
	}
	if s.pending.templates {
		r := render.New(now, s.set, nil, nil, render.Options{})
		for _, p := range now.Pages {
			name, _ := r.TemplateFor(p)
			if name != s.tmplOf[p.Source] || s.templateChanged(name) {
				add(p)
			}
		}
	}
	var out []*site.Page
	for _, p := range now.Pages {
		if want[p.Source] {
			out = append(out, p)
		}
	}
	return out
}

// bodyOnly reports whether the pending changes touch only the bodies of existing pages, in
// ways no other page shows, with links that still resolve: then the last resolution holds.
func (s *Site) bodyOnly(cur *Snapshot) bool {
	if s.good == nil || s.pending.full || s.pending.templates || s.pending.statics != nil || len(s.pending.pages) == 0 || cur.Diags.HasErrors() {
		return false
	}
	bodyShown := s.set.ShowsOtherPages("Content", "PlainText", "WordCount", "Headings", "Anchors")
	for src := range s.pending.pages {
		is := s.pages[src]
		was := s.goodPage(src)
		if is == nil || was == nil || s.broken[src] || len(s.loadDiags[src]) > 0 {
			return false
		}
		if !reflect.DeepEqual(card(was, bodyShown), card(is, bodyShown)) || !reflect.DeepEqual(was.Refs, is.Refs) || !slices.Equal(was.Anchors, is.Anchors) {
			return false
		}
		for _, l := range is.BodyLinks {
			if strings.HasPrefix(l.Target, build.StaticDir+"/") {
				if !slices.Contains(s.statics, strings.TrimPrefix(l.Target, build.StaticDir+"/")) {
					return false
				}
				continue
			}
			t := s.pages[l.Target]
			if t == nil || t.Draft && !s.opts.Drafts || l.Fragment != "" && !t.Anchors.Has(l.Fragment) {
				return false
			}
		}
	}
	return true
}

// goodPage returns the page of a source path as it was at the last good build.
func (s *Site) goodPage(src string) *site.Page {
	for _, p := range s.good.Pages {
		if p.Source == src {
			return p
		}
	}
	return nil
}

// withNewBodies returns a copy of the last good site in which copies of the newly loaded
// pages, given the links of the pages they replace, take those pages' places in the site's
// and their sections' lists, and the new pages to render. The last good site is not
// changed. Other pages keep pointing at the pages as they were: bodyOnly has made sure that
// nothing they show of them changed.
func (s *Site) withNewBodies() (*site.Site, []*site.Page) {
	ns := *s.good
	ns.Pages = slices.Clone(s.good.Pages)
	secs := slices.Clone(s.good.Sections)
	var todo []*site.Page
	for _, src := range slices.Sorted(maps.Keys(s.pending.pages)) {
		was := s.goodPage(src)
		is := new(site.Page)
		*is = *s.pages[src]
		is.SectionInfo, is.Rank, is.Prev, is.Next, is.Pages = was.SectionInfo, was.Rank, was.Prev, was.Next, was.Pages
		is.Links, is.Backlinks, is.Related = was.Links, was.Backlinks, was.Related
		ns.Pages[was.Rank] = is
		if ns.Home == was {
			ns.Home = is
		}
		if i := slices.IndexFunc(secs, func(sec *site.Section) bool { return sec.Name == was.Section }); i >= 0 && was.Kind != site.KindHome {
			sec := *secs[i]
			sec.Pages = slices.Clone(sec.Pages)
			if j := slices.Index(sec.Pages, was); j >= 0 {
				sec.Pages[j] = is
			}
			if sec.Index == was {
				sec.Index = is
			}
			secs[i] = &sec
			is.SectionInfo = &sec
		}
		todo = append(todo, is)
	}
	ns.SetSections(secs)
	slices.SortFunc(todo, func(a, b *site.Page) int { return a.Rank - b.Rank })
	return &ns, todo
}

// cardData is what other pages may show of a page: everything but its body, and the
// body too when some template shows it on other pages.
type cardData struct {
	Kind                         site.Kind
	Section, Slug, URL, Title    string
	Summary, Description, Layout string
	Date                         time.Time
	Weight                       int
	Draft                        bool
	Params                       map[string]any
	Body                         *bodyData
}

type bodyData struct {
	Content   string
	WordCount int
	Headings  []site.Heading
}

func card(p *site.Page, withBody bool) cardData {
	c := cardData{p.Kind, p.Section, p.Slug, p.URL, p.Title, p.Summary, p.Description, p.Layout, p.Date, p.Weight, p.Draft, p.Params, nil}
	if withBody {
		c.Body = &bodyData{string(p.Content()), p.WordCount, p.Headings}
	}
	return c
}
