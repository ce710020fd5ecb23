// Package content is the load stage: it walks the content folder of a site, splits each
// Markdown file into front matter and body, reads the site settings from the home page,
// checks the type of every key it knows and converts each body to HTML. It returns one
// site.Page per file, drafts included; it does not link pages to each other (resolve does).
package content

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/frontmatter"
	"github.com/icc-recap/recap/generator/markdown"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/parallel"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/suggest"
	"github.com/icc-recap/recap/generator/urls"
)

// Dir is the name of the content folder inside a site.
const Dir = "content"

// Options set how content is loaded.
type Options struct {
	// FileURLs makes body links end in index.html.
	FileURLs bool
	// BaseURL, when set, overrides the base URL of the site settings.
	BaseURL string
	// Label, when set, gives the words shown after a link from a page in one language to a
	// page in another, in the first language ("(in English)" on a German page linking to
	// an English one). See markdown.Input.Link.
	Label func(pageLang, targetLang string) string
	// AnchorLabel, when set, gives the words that start the accessible name of a heading's
	// link to itself, in a page's language (see markdown.Input.AnchorLabel); "" keeps
	// the default.
	AnchorLabel func(lang string) string
	// Bodies, when not nil, keeps the converted bodies (HTML and text) out of memory; without
	// it they stay in the pages.
	Bodies Bodies
	// Media, when set, processes the images beside the content that pages name; without
	// it such images are errors.
	Media *media.Pipeline
	// Done, when closed, stops the load early: files not yet read or converted are left
	// out, and the caller is expected to throw the incomplete result away.
	Done <-chan struct{}
}

// Bodies keeps page bodies somewhere other than the heap (package bodies does, in a file).
type Bodies interface {
	Put(html, text []byte) site.Body
}

// Result is what the load stage gives.
type Result struct {
	Config site.Config
	// Sections are the names of the folders of content/, sorted.
	Sections []string
	// Pages are every page of the default language, drafts included, sorted by source path.
	Pages []*site.Page
	// Translations are the pages of the other languages (files such as day-1.fr.md),
	// sorted by source path. They carry only text: the languages stage gives them what
	// their default-language page declares.
	Translations []*site.Page
	// Broken lists the files that exist but could not be loaded; their errors are reported,
	// and links to them should not be reported again.
	Broken []string
}

// File is one content file to load: its slash path relative to the site root and its bytes.
type File struct {
	Path string
	Data []byte
}

// Load reads the content folder under root. Each file is read by the worker that converts
// it and dropped once converted, so that the Markdown of the whole site is never in memory
// at once.
func Load(root string, opts Options) (*Result, diag.List) {
	paths, sections, diags := list(root)
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i].Path = p
	}
	res, more := loadFiles(files, sections, opts, func(f File) ([]byte, error) {
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
	})
	return res, append(diags, more...).Sort()
}

// Walk lists the Markdown files of content/ under root with their bytes, and the section
// folders. Files are read in parallel. Symbolic links that lead out of root are refused.
func Walk(root string) ([]File, []string, diag.List) { return walk(root, nil) }

// list finds the Markdown files of content/ under root (slash paths relative to root) and
// the section folders, reading no file.
func list(root string) ([]string, []string, diag.List) {
	var diags diag.List
	var paths, sections []string
	base := filepath.Join(root, Dir)
	info, err := os.Stat(base)
	if err != nil || !info.IsDir() {
		return nil, nil, diag.List{diag.Errorf(diag.Pos{Path: Dir}, "there is no content folder: create %s/_index.md with the site's title", Dir)}
	}
	realRoot, _ := filepath.EvalSymlinks(root)
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			diags = append(diags, diag.Wrap(diag.Pos{Path: rel}, err, "cannot read: "+err.Error()))
			return nil
		}
		name := d.Name()
		if p != base && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil || !Within(realRoot, target) {
				diags = append(diags, diag.Errorf(diag.Pos{Path: rel}, "this symbolic link points outside the site: replace it with the file itself"))
				return nil
			}
			st, err := os.Stat(target)
			if err != nil || st.IsDir() {
				diags = append(diags, diag.Errorf(diag.Pos{Path: rel}, "this symbolic link points at a folder: recap follows links to files only; move the folder here"))
				return nil
			}
		}
		depth := strings.Count(strings.TrimPrefix(rel, Dir+"/"), "/")
		if d.IsDir() {
			if p == base {
				return nil
			}
			if depth > 0 {
				diags = append(diags, diag.Errorf(diag.Pos{Path: rel}, "folders inside a section are not read: move its pages up into %s/", path.Dir(rel)))
				return filepath.SkipDir
			}
			sections = append(sections, name)
			return nil
		}
		if !strings.HasSuffix(name, ".md") {
			if IsMediaFile(name) {
				// An image, slides or a recording beside its page: the pages that name
				// it publish it.
				return nil
			}
			diags = append(diags, NotAPage(rel))
			return nil
		}
		paths = append(paths, rel)
		return nil
	})
	if err != nil {
		diags = append(diags, diag.Wrap(diag.Pos{Path: Dir}, err, "cannot read the content folder: "+err.Error()))
	}
	return paths, sections, diags
}

func walk(root string, done <-chan struct{}) ([]File, []string, diag.List) {
	paths, sections, diags := list(root)
	files := make([]File, len(paths))
	var col diag.Collector
	parallel.For(len(paths), closed(done), func(i int) {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(paths[i])))
		files[i] = File{Path: paths[i], Data: data}
		if err != nil {
			files[i].Data = nil
			col.Add(diag.Wrap(diag.Pos{Path: paths[i]}, err, "cannot read: "+err.Error()))
		}
	})
	files = slices.DeleteFunc(files, func(f File) bool { return f.Data == nil })
	return files, sections, append(diags, col.List()...)
}

// NotAPage is the warning about a file under content/ that is not a page (rel is its slash
// path from the site root).
func NotAPage(rel string) *diag.Diagnostic {
	return diag.Warnf(diag.Pos{Path: rel}, "not a Markdown file nor an image, PDF or video beside a page, so it is ignored: pages end in .md; other downloads go in static/")
}

// closed returns a function that reports whether done is closed (false for a nil done).
func closed(done <-chan struct{}) func() bool {
	return func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
}

// Within reports whether the path p is root or lies under it.
func Within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// LoadFiles loads pages from files already read. sections are the section folder names.
func LoadFiles(files []File, sections []string, opts Options) (*Result, diag.List) {
	return loadFiles(files, sections, opts, nil)
}

// loadFiles loads pages from files; read, when not nil, gives the bytes of a file whose
// Data is nil.
func loadFiles(files []File, sections []string, opts Options, read func(File) ([]byte, error)) (*Result, diag.List) {
	var col diag.Collector
	readOne := func(f File) (File, bool) {
		if f.Data != nil || read == nil {
			return f, true
		}
		data, err := read(f)
		if err != nil {
			col.Add(diag.Wrap(diag.Pos{Path: f.Path}, err, "cannot read: "+err.Error()))
			return f, false
		}
		f.Data = data
		return f, true
	}
	res := &Result{Sections: slices.Sorted(slices.Values(sections))}
	isSection := map[string]bool{}
	for _, s := range res.Sections {
		isSection[s] = true
	}
	// The home page comes first: its settings decide how every body is converted.
	homeIdx := slices.IndexFunc(files, func(f File) bool { return f.Path == Dir+"/_index.md" })
	var home *parsed
	if homeIdx < 0 {
		col.Errorf(diag.Pos{Path: Dir + "/_index.md"}, "the home page is missing: create it with front matter giving the site's title")
	} else {
		if f, ok := readOne(files[homeIdx]); ok {
			home = parse(f, &col)
		}
		if home != nil {
			res.Config = readConfig(home, &col)
		}
	}
	if opts.BaseURL != "" {
		res.Config.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	if res.Config.Language == "" {
		res.Config.Language = "en"
	}
	langs := sortLanguages(files, res.Config, isSection, &col)
	langs.label = opts.Label
	anchors := map[string]string{}
	if opts.AnchorLabel != nil {
		for _, l := range append([]string{res.Config.Language}, res.Config.Languages...) {
			anchors[l] = opts.AnchorLabel(l)
		}
	}
	conv := markdown.New(markdown.Options{RawHTML: res.Config.RawHTML, FileURLs: opts.FileURLs, Multilingual: langs.multi(), Images: opts.Media})
	pages := make([]*site.Page, len(files))
	parallel.For(len(files), closed(opts.Done), func(i int) {
		if langs.skip[i] {
			return
		}
		p := home
		if i != homeIdx {
			f, ok := readOne(files[i])
			if !ok {
				return
			}
			p = parse(f, &col)
		}
		if p == nil {
			return
		}
		p.lang, p.rel = langs.lang[i], langs.rel[i]
		if p.lang != "" {
			p.anchorLabel = anchors[p.lang]
		} else {
			p.anchorLabel = anchors[res.Config.Language]
		}
		pages[i] = p.page(conv, isSection, langs, opts.Bodies, opts.Media, &col)
	})
	for i, p := range pages {
		switch {
		case p != nil && p.Translation:
			res.Translations = append(res.Translations, p)
		case p != nil:
			p.Lang = res.Config.Language
			res.Pages = append(res.Pages, p)
		case !langs.skip[i]:
			res.Broken = append(res.Broken, files[i].Path)
		}
	}
	slices.SortFunc(res.Pages, func(a, b *site.Page) int { return strings.Compare(a.Source, b.Source) })
	slices.SortFunc(res.Translations, func(a, b *site.Page) int { return strings.Compare(a.Source, b.Source) })
	return res, col.List()
}

type parsed struct {
	file     File
	matter   *frontmatter.Matter
	body     []byte
	bodyLine int
	// lang is the language of a translation ("fr"), "" for a default-language file; rel is
	// the path of the default-language file relative to content/.
	lang string
	rel  string
	// anchorLabel starts the name of headings' links to themselves ("" for the default).
	anchorLabel string
}

func parse(f File, col *diag.Collector) *parsed {
	m, body, line, err := frontmatter.Parse(f.Path, f.Data)
	if err != nil {
		col.Add(err)
		return nil
	}
	return &parsed{file: f, matter: m, body: body, bodyLine: line}
}

// page builds the page of a parsed file.
func (p *parsed) page(conv *markdown.Converter, isSection map[string]bool, langs *languages, bodies Bodies, pipe *media.Pipeline, col *diag.Collector) *site.Page {
	rel := p.rel
	if rel == "" {
		rel = strings.TrimPrefix(p.file.Path, Dir+"/")
	}
	pg := &site.Page{
		Source:   p.file.Path,
		URL:      urls.OfSource(rel),
		Params:   map[string]any{},
		BodyLine: p.bodyLine,
	}
	if p.lang != "" {
		pg.Lang, pg.Translation = p.lang, true
		pg.URL = p.lang + "/" + pg.URL
	}
	dir, file := path.Split(rel)
	pg.Section = strings.TrimSuffix(dir, "/")
	name := strings.TrimSuffix(file, ".md")
	switch {
	case rel == "_index.md":
		pg.Kind = site.KindHome
	case name == "_index":
		pg.Kind = site.KindSection
	default:
		pg.Kind = site.KindPage
		pg.Slug = urls.Slugify(name)
		if pg.Slug == "" {
			col.Errorf(diag.Pos{Path: p.file.Path}, "the file name %q gives an empty address: name the file with letters or digits, e.g. my-page.md", file)
			return nil
		}
	}
	m := p.matter
	pg.KeyPos = site.KeyPositions{Path: p.file.Path}
	for _, k := range m.Keys {
		pg.KeyPos.Add(k, m.Pos(k))
	}
	v := values{m: m, col: col}
	// Params: every key, with those of a "params" map lifted to the top.
	for k, val := range m.Values {
		pg.Params[k] = val
	}
	if pm, ok := m.Values["params"]; ok {
		if mp, ok := pm.(map[string]any); ok {
			for k, val := range mp {
				if _, clash := pg.Params[k]; !clash {
					pg.Params[k] = val
				}
			}
		} else {
			col.Errorf(m.Pos("params"), "params must be a map of keys to values (indented lines under params:), not %s", describe(pm))
		}
	}
	pg.Title = v.str("title")
	if pg.Translation {
		declaredOnce(m, isSection, Dir+"/"+rel, col)
	}
	if strings.TrimSpace(pg.Title) == "" && pg.Translation {
		if _, has := m.Values["title"]; has && isText(m.Values["title"]) {
			col.Errorf(m.Pos("title"), "the title is empty: give the translation a title, or remove the line to keep the title of %s", Dir+"/"+rel)
		}
		// Without a title, the translation keeps its default-language page's.
	} else if strings.TrimSpace(pg.Title) == "" {
		tv, has := m.Values["title"]
		switch {
		case has && tv != nil && !isText(tv):
			// str has said what is wrong.
		case has:
			col.Errorf(m.Pos("title"), "the title is empty: give the page a title")
		case pg.Kind == site.KindSection:
			pg.Title = site.NameTitle(pg.Section)
		case m.Format == "":
			col.Errorf(diag.Pos{Path: p.file.Path, Line: 1, Col: 1}, "the file has no front matter: start it with a line ---, then a line title: The title, then a line ---")
		default:
			if k := misspelt(m, "title"); k != "" {
				col.Errorf(m.Pos(k), "the page has no title: %s looks like a misspelt title; write title: ...", k)
				break
			}
			col.Errorf(m.Pos("title"), "the page has no title: add a line 'title: ...' to its front matter")
		}
	}
	lookalikes(m, isSection, col)
	pg.Date = v.date("date")
	pg.Weight = v.integer("weight")
	pg.Draft = v.boolean("draft")
	pg.Unlisted = v.boolean("unlisted")
	pg.Summary = v.str("summary")
	pg.Description = v.str("description")
	pg.Layout = v.str("layout")
	pg.Paginate = v.paginate(pg.Kind)
	if pg.Layout != "" && (strings.Contains(pg.Layout, "..") || strings.ContainsAny(pg.Layout, `/\`)) {
		col.Errorf(m.Pos("layout"), "layout %q must be a plain template name such as wide: it may not contain / or ..", pg.Layout)
		pg.Layout = ""
	}
	// References: keys named after a section.
	for _, k := range m.Keys {
		if !isSection[k] {
			continue
		}
		pg.Refs = append(pg.Refs, v.refs(k)...)
	}
	readMedia(pg, v, pipe)
	in := markdown.Input{Source: p.file.Path, URL: pg.URL, Body: p.body, BodyLine: p.bodyLine, AnchorLabel: p.anchorLabel, OwnImage: pg.Image != ""}
	if langs.multi() {
		lang := p.lang
		if lang == "" {
			lang = langs.def
		}
		in.Link = func(target string) (string, string, string, string) { return langs.link(lang, target) }
	}
	var doc *markdown.Doc
	if bodies != nil {
		var b site.Body
		doc = conv.ConvertInto(in, func(html, text []byte) { b = bodies.Put(html, text) })
		pg.SetBody(b)
	} else {
		doc = conv.Convert(in)
		pg.SetBody(site.InMemory(doc.HTML, doc.PlainText))
	}
	col.Add(doc.Diags...)
	pg.Headings = doc.Headings
	pg.Anchors = site.AnchorsOf(doc.Anchors)
	pg.BodyLinks = doc.Links
	pg.WordCount = doc.WordCount
	if pg.Summary == "" {
		pg.Summary = doc.Summary
	}
	if pg.Description == "" {
		pg.Description = pg.Summary
	}
	return pg
}

func isText(v any) bool {
	_, ok := v.(string)
	return ok
}

// known are the front-matter keys the generator reads itself.
var known = map[string]bool{"title": true, "date": true, "weight": true, "draft": true, "unlisted": true, "summary": true,
	"description": true, "layout": true, "params": true, "paginate": true, "image": true, "image_alt": true, "video": true, "slides": true,
	// The site's settings, on the home page.
	"language": true, "languages": true, "base_url": true, "repository": true, "branch": true, "raw_html": true}

// lookalikes warns about keys that are neither known nor a section but nearly spelt like
// one: most likely a reference or a setting with a typo, which would silently become a
// parameter.
func lookalikes(m *frontmatter.Matter, isSection map[string]bool, col *diag.Collector) {
	for _, k := range m.Keys {
		if known[k] || isSection[k] || len(k) < 4 {
			continue
		}
		best := ""
		for _, cand := range slices.Sorted(maps.Keys(isSection)) {
			if suggest.NearlySame(k, cand) {
				best = cand
				break
			}
		}
		if best == "" {
			for _, cand := range slices.Sorted(maps.Keys(known)) {
				if suggest.NearlySame(k, cand) {
					best = cand
					break
				}
			}
		}
		if best == "title" && m.Values["title"] == nil {
			continue // reported as the missing title
		}
		if best != "" {
			col.Warnf(m.Pos(k), "%s is not a setting nor a section, so it is only passed to templates: did you mean %s?", k, best)
		}
	}
}

// misspelt returns a key of m that is nearly the same as want, if want itself is absent.
func misspelt(m *frontmatter.Matter, want string) string {
	if _, ok := m.Values[want]; ok {
		return ""
	}
	for _, k := range m.Keys {
		if suggest.NearlySame(k, want) {
			return k
		}
	}
	return ""
}

// values reads typed values from front matter, reporting wrong types at the key.
type values struct {
	m   *frontmatter.Matter
	col *diag.Collector
}

func (v values) str(key string) string {
	val, ok := v.m.Values[key]
	if !ok || val == nil {
		return ""
	}
	switch x := val.(type) {
	case string:
		return x
	case int64, float64, bool:
		return fmt.Sprint(x)
	case time.Time:
		return x.Format("2006-01-02")
	}
	v.col.Errorf(v.m.Pos(key), "%s must be a single text value, not %s: write %s: some text", key, describe(val), key)
	return ""
}

// valuePos points at a text value where it is written, else at its key.
func (v values) valuePos(key string, val any) diag.Pos {
	if s, ok := val.(string); ok {
		return v.m.ValuePos(key, s)
	}
	return v.m.Pos(key)
}

func (v values) integer(key string) int {
	val, ok := v.m.Values[key]
	if !ok || val == nil {
		return 0
	}
	switch x := val.(type) {
	case int64:
		return int(x)
	case float64:
		if x == float64(int(x)) {
			return int(x)
		}
	}
	v.col.Errorf(v.valuePos(key, val), "%s must be a whole number, not %s: write %s: 1", key, describe(val), key)
	return 0
}

func (v values) boolean(key string) bool {
	val, ok := v.m.Values[key]
	if !ok || val == nil {
		return false
	}
	if b, ok := val.(bool); ok {
		return b
	}
	v.col.Errorf(v.valuePos(key, val), "%s must be true or false, not %s", key, describe(val))
	return false
}

// paginate reads how many cards a list page shows: a whole number of 1 or more, on a
// section's _index.md or, as the site's default, on the home page.
func (v values) paginate(kind site.Kind) int {
	val, ok := v.m.Values["paginate"]
	if !ok || val == nil {
		return 0
	}
	if kind == site.KindPage {
		v.col.Warnf(v.m.Pos("paginate"), "paginate only splits a section's list: move it to the section's _index.md, or to content/_index.md for every section")
		return 0
	}
	n := v.integer("paginate")
	if x, whole := val.(int64); whole && x < 1 {
		v.col.Errorf(v.m.Pos("paginate"), "paginate must be 1 or more cards per list page, not %d: write paginate: 50", x)
		return 0
	}
	return n
}

var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"}

func (v values) date(key string) time.Time {
	val, ok := v.m.Values[key]
	if !ok || val == nil {
		return time.Time{}
	}
	switch x := val.(type) {
	case time.Time:
		return x
	case string:
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return t
			}
		}
		v.col.Errorf(v.m.ValuePos(key, x), "%s %q is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21", key, x)
		return time.Time{}
	}
	v.col.Errorf(v.m.Pos(key), "%s must be a date written as YYYY-MM-DD, not %s", key, describe(val))
	return time.Time{}
}

// refs reads a reference key: one slug or a list of slugs.
func (v values) refs(key string) []site.Ref {
	val := v.m.Values[key]
	hint := fmt.Sprintf("write %s: some-slug, or a list %s: [a-slug, another-slug], naming files of content/%s/ without .md", key, key, key)
	var items []any
	switch x := val.(type) {
	case nil:
		return nil
	case string:
		items = []any{x}
	case []any:
		items = x
	default:
		v.col.Errorf(v.m.Pos(key), "%s must list pages of the section %s, not %s: %s", key, key, describe(val), hint)
		return nil
	}
	var refs []site.Ref
	for _, it := range items {
		s, ok := it.(string)
		if !ok || strings.TrimSpace(s) == "" {
			v.col.Errorf(v.m.Pos(key), "%s must list page slugs, but one item is %s: %s", key, describe(it), hint)
			continue
		}
		s = strings.TrimSpace(s)
		refs = append(refs, site.Ref{Section: key, Slug: strings.TrimSuffix(s, ".md"), Pos: v.m.ValuePos(key, s)})
	}
	return refs
}

// describe names the type of a front-matter value as a contributor would.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the text %q", x)
	case bool:
		return fmt.Sprintf("the truth value %v", x)
	case int64, float64:
		return fmt.Sprintf("the number %v", x)
	case time.Time:
		return "a date"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("a %T", v)
}

// readConfig takes the site settings from the home page's front matter.
func readConfig(home *parsed, col *diag.Collector) site.Config {
	m := home.matter
	v := values{m: m, col: col}
	cfg := site.Config{
		Title:       v.str("title"),
		Description: v.str("description"),
		Language:    v.str("language"),
		BaseURL:     strings.TrimSpace(v.str("base_url")),
		Repository:  strings.TrimSuffix(strings.TrimSpace(v.str("repository")), "/"),
		Branch:      v.str("branch"),
		RawHTML:     v.boolean("raw_html"),
		Params:      map[string]any{},
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.Branch == "" {
		cfg.Branch = "main"
	}
	if pm, ok := m.Values["params"].(map[string]any); ok {
		cfg.Params = pm
	}
	cfg.Languages = readLanguages(v, cfg.Language)
	if n, ok := m.Values["paginate"].(int64); ok && n > 0 {
		cfg.Paginate = int(n) // a wrong value is reported with the home page's other keys
	}
	if cfg.BaseURL != "" && !strings.HasPrefix(cfg.BaseURL, "https://") && !strings.HasPrefix(cfg.BaseURL, "http://") {
		col.Errorf(m.ValuePos("base_url", cfg.BaseURL), "base_url %q must be an absolute address starting with https:// or http://", cfg.BaseURL)
		cfg.BaseURL = ""
	}
	if cfg.BaseURL != "" && !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	return cfg
}
