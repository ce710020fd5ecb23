// Package render is the third stage of a build: it executes each page's template with a
// Context, minifies the result and hands it to an output.Writer, on every core, one page at a
// time so that no more than a page per core is held in memory. It does not decide where
// files go on disk (output does) nor which pages exist (resolve does).
package render

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/i18n"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/parallel"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
	"github.com/icc-recap/recap/generator/urls"
)

// Options set how pages are rendered.
type Options struct {
	// FileURLs makes links to folders end in index.html.
	FileURLs bool
	// Inject is HTML inserted before </body> of every page (the live-reload script of the
	// preview server); empty in builds.
	Inject string
	// Strings are the template strings of every language, for .T and .LocalDate.
	Strings *i18n.Strings
	// NoPartialCache runs every partial called with Partial, keeping nothing: for tests that
	// compare the two, and to measure what the cache saves.
	NoPartialCache bool
	// Exists, when set, reports whether the site has a page or file at a site address (a
	// slash path such as "people/", "people" or "css/site.css", without ?query or
	// #fragment): Rel and Abs then refuse any other address, so that a template's link to
	// nowhere fails the build at the template's line.
	Exists func(addr string) bool
	// Workers is how many pages render at once (0: one per core). The preview leaves a core
	// to the requests it answers while it rebuilds.
	Workers int
	// Media, when set, is the image pipeline that the templates' Picture, SocialImage,
	// Video and Slides ask for files (media.go, recording.go).
	Media *media.Pipeline
}

// Renderer renders pages of one site with one template set.
type Renderer struct {
	Site  *site.Site
	Set   *templates.Set
	Min   *minify.Minifier
	Out   output.Writer
	Opts  Options
	bufs  sync.Pool // page and partial buffers
	outs  sync.Pool // minified pages
	pages atomic.Int64
	// partials keeps the output of Context.Partial calls, by the folder above the pages
	// that may reuse it, or for results shared by depth by the key sharing gives (see
	// Partial), and then by call. pending counts, for each such key, the pages of Plan not
	// yet rendered: when it reaches 0 nothing can reuse those partials any more, and they
	// are dropped.
	mu       sync.RWMutex
	partials map[string]*keptSet
	pending  map[string]int
}

// New returns a Renderer.
func New(s *site.Site, set *templates.Set, m *minify.Minifier, out output.Writer, opts Options) *Renderer {
	r := &Renderer{Site: s, Set: set, Min: m, Out: out, Opts: opts, partials: map[string]*keptSet{}}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	r.outs.New = func() any { return new([]byte) }
	return r
}

// Pages returns how many pages were written.
func (r *Renderer) Pages() int { return int(r.pages.Load()) }

// All renders pages on every core and returns the problems found. It stops early when ctx
// is cancelled.
func (r *Renderer) All(ctx context.Context, pages []*site.Page) diag.List {
	var col diag.Collector
	parallel.On(r.Opts.Workers, len(pages), func() bool { return ctx.Err() != nil }, func(i int) {
		col.Add(r.Page(pages[i])...)
	})
	return col.List().MergePages()
}

// OutputPath is the file a page is written to.
func OutputPath(p *site.Page) string {
	return p.URL + "index.html"
}

// TemplateFor returns the template that renders p, or "" and the diagnostic that says why
// there is none.
func (r *Renderer) TemplateFor(p *site.Page) (string, *diag.Diagnostic) {
	var cands []string
	sec := p.Section
	switch {
	case p.Layout != "":
		if sec != "" {
			cands = append(cands, sec+"/"+p.Layout+".html")
		}
		cands = append(cands, p.Layout+".html")
		if name := r.Set.Find(cands...); name != "" {
			return name, nil
		}
		return "", diag.Errorf(p.KeyPosOr("layout"), "layout %q names no template: create templates/%s or remove the layout line", p.Layout, strings.Join(cands, " or templates/"))
	case p.Kind == site.KindHome:
		cands = []string{"home.html", "list.html"}
	case p.Kind == site.KindSection:
		cands = []string{sec + "/list.html", "list.html"}
	case sec == "":
		// A page outside any section, such as content/search.md, may have a template of its
		// own in templates/pages/.
		cands = []string{templates.PagesDir + "/" + p.Slug + ".html", "page.html"}
	default:
		cands = []string{sec + "/page.html", "page.html"}
	}
	if name := r.Set.Find(cands...); name != "" {
		return name, nil
	}
	d := diag.Errorf(diag.Pos{Path: templates.Dir}, "no template can render this kind of page: create templates/%s", strings.Join(cands, " or templates/"))
	d.Rendering = p.Source
	return "", d
}

// Page renders one page and writes it.
func (r *Renderer) Page(p *site.Page) diag.List {
	defer r.done(p)
	name, d := r.TemplateFor(p)
	if d != nil {
		return diag.List{d}
	}
	return r.PageWith(p, name, OutputPath(p))
}

// Plan says which pages Page will be called for, so that the partials kept for a folder's
// pages are dropped once the last of them is rendered: a large site then holds the kept
// partials of the folders being rendered, not of every folder. Without a plan they are
// kept to the end.
func (r *Renderer) Plan(pages []*site.Page) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = map[string]int{}
	for _, p := range pages {
		if own := ownDir(p.URL); own != "" {
			r.pending[parentDir(own)]++
			depth, _ := r.sharing(own)
			r.pending[depth]++
		}
	}
}

// done notes that p has been rendered (see Plan).
func (r *Renderer) done(p *site.Page) {
	own := ownDir(p.URL)
	if own == "" {
		return
	}
	depth, _ := r.sharing(own)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, folder := range [...]string{parentDir(own), depth} {
		if n, ok := r.pending[folder]; ok {
			if n <= 1 {
				delete(r.pending, folder)
				delete(r.partials, folder)
			} else {
				r.pending[folder] = n - 1
			}
		}
	}
}

// NotFoundFile is the site's 404 page, made from the template of the same name.
const NotFoundFile = "404.html"

// NotFoundKey is the template string of the 404 page's title ("Page not found").
const NotFoundKey = "not_found"

// NotFound renders the site's 404 page from templates/404.html into 404.html, if the
// template exists; a site in another language writes its own under its prefix
// (fr/404.html), in its words. Its links start at RootPath(base URL) when the site has a
// base URL, so they work at whatever address the page is served; without one they are
// relative to the folder where the page is.
func (r *Renderer) NotFound() diag.List {
	const name = NotFoundFile
	if !r.Set.Has(name) {
		return nil
	}
	title, err := r.Opts.Strings.T(r.Site.Language, NotFoundKey)
	if err != nil {
		title = "Page not found"
	}
	out := r.Site.Prefix + name
	p := &site.Page{Source: templates.Dir + "/" + name, Kind: site.KindPage, Lang: r.Site.Language, Title: title, URL: out, Params: map[string]any{}}
	return r.render(&Context{Site: r.Site, Page: p, fileURLs: r.Opts.FileURLs, root: RootPath(r.Site.BaseURL), r: r}, name, out)
}

// NotFoundFiles returns the 404 pages of the sites of every language, as NotFound writes
// them: 404.html, then fr/404.html and the others.
func NotFoundFiles(sites []*site.Site) []string {
	out := make([]string, len(sites))
	for i, s := range sites {
		out[i] = s.Prefix + NotFoundFile
	}
	return out
}

// RootPath is the path of the host a site with that base URL is published under, "/" or
// "/sub/"; "" without a base URL.
func RootPath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || baseURL == "" {
		return ""
	}
	root := "/" + strings.TrimPrefix(u.Path, "/")
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return root
}

// PageWith renders p with the named template into the file out.
func (r *Renderer) PageWith(p *site.Page, name, out string) diag.List {
	return r.render(r.Context(p), name, out)
}

// Context returns the dot of the templates for page p.
func (r *Renderer) Context(p *site.Page) *Context {
	return &Context{Site: r.Site, Page: p, fileURLs: r.Opts.FileURLs, r: r}
}

func (r *Renderer) render(ctx *Context, name, out string) diag.List {
	p := ctx.Page
	buf := r.bufs.Get().(*bytes.Buffer)
	defer r.bufs.Put(buf)
	buf.Reset()
	if err := r.Set.Execute(buf, name, ctx); err != nil {
		d := templates.FromError(err, name)
		d.Rendering, d.Template = p.Source, name
		return diag.List{d}
	}
	html := buf.Bytes()
	if r.Opts.Inject != "" {
		html = InjectBeforeBodyEnd(html, []byte(r.Opts.Inject))
	}
	op := r.outs.Get().(*[]byte)
	defer r.outs.Put(op)
	min, err := r.Min.Append((*op)[:0], "text/html", html)
	*op = min
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return diag.List{diag.Wrap(diag.Pos{Path: p.Source}, err, "the page's HTML could not be minified: "+first+": check the page's raw HTML and its template "+name)}
	}
	if err := r.Out.WriteFile(out, min); err != nil {
		return diag.List{output.WriteFailed(diag.Pos{Path: p.Source}, out, err)}
	}
	r.pages.Add(1)
	return nil
}

// InjectBeforeBodyEnd returns a copy of html with inject inserted before its last </body>,
// or at the end when it has none; html itself is left as it is.
func InjectBeforeBodyEnd(html, inject []byte) []byte {
	i := bytes.LastIndex(html, []byte("</body>"))
	if i < 0 {
		i = len(html)
	}
	out := make([]byte, 0, len(html)+len(inject))
	out = append(out, html[:i]...)
	out = append(out, inject...)
	return append(out, html[i:]...)
}

// Context is what a template sees as its dot.
type Context struct {
	Site     *site.Site
	Page     *site.Page
	fileURLs bool
	// root, when set, makes Rel return root-relative paths under it: the 404 page is served
	// at any depth, so relative links would not work there.
	root string
	// r is the renderer, for Partial; rels collects the addresses given to Rel while a
	// partial runs.
	r    *Renderer
	rels *[]string
	// pageRead, while a partial runs, is set when the partial reads the page being rendered.
	pageRead *bool
	key      []byte // Partial's key, reused
	// depth and top are what Renderer.sharing gives for the page, once worked out.
	depth, top string
}

// Rel returns the relative address from this page to a site address, or an error when the
// site has nothing at that address.
func (c *Context) Rel(to string) (string, error) {
	to = strings.TrimPrefix(to, "/")
	if err := c.exists(to); err != nil {
		return "", err
	}
	if c.rels != nil {
		*c.rels = append(*c.rels, to)
	}
	if c.root != "" {
		return c.root + to, nil
	}
	return urls.Rel(c.Page.URL, to, c.fileURLs), nil
}

// exists returns an error when the renderer knows the site's addresses and addr, without its
// ?query and #fragment, is none of them.
func (c *Context) exists(addr string) error {
	if c.r == nil || c.r.Opts.Exists == nil {
		return nil
	}
	if i := strings.IndexAny(addr, "?#"); i >= 0 {
		addr = addr[:i]
	}
	if c.r.Opts.Exists(addr) {
		return nil
	}
	return errors.New(Nowhere(addr))
}

// Nowhere says that a link to a site address leads nowhere, and what to do.
func Nowhere(addr string) string {
	return fmt.Sprintf("a link to %s leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/", ShowAddr(addr))
}

// ShowAddr names a site address in a message: the address, or "the home page" for "".
func ShowAddr(addr string) string {
	if addr == "" {
		return "the home page"
	}
	return addr
}

// T returns the template string key in the page's language (templates/i18n/<lang>.yaml);
// given a number, the plural form the language uses for it: {{ .T "results" 3 }}.
func (c *Context) T(key string, count ...any) (string, error) {
	return c.r.Opts.Strings.T(c.Site.Language, key, count...)
}

// LocalDate writes a date (a time, or text written YYYY-MM-DD) in the page's language, with
// the layout the string key holds: {{ .LocalDate "date.long" .Page.Date }} gives "Monday
// 21 September 2020", "lundi 21 septembre 2020" or "Montag, 21. September 2020". Nothing
// for no date.
func (c *Context) LocalDate(key string, v any) (string, error) {
	t, err := toTime(v)
	if err != nil || t.IsZero() {
		return "", err
	}
	return c.r.Opts.Strings.Date(c.Site.Language, key, t)
}

// LanguageLink is one language in a language switcher.
type LanguageLink struct {
	// Code is the language's code, Name its name in itself (the string language_name of
	// its file: "Français").
	Code, Name string
	// URL is the site address of this page in that language, or of that language's home
	// page where the page is not translated into it (Translated false).
	URL        string
	Translated bool
	// Current marks the language of the page being rendered.
	Current bool
}

// Languages lists the site's languages for a switcher, the default first; nil for a site in
// one language.
func (c *Context) Languages() ([]LanguageLink, error) {
	if len(c.Site.Languages) == 0 {
		return nil, nil
	}
	out := make([]LanguageLink, 0, len(c.Site.Languages))
	for _, l := range c.Site.Languages {
		name, err := c.r.Opts.Strings.T(l.Code, "language_name")
		if err != nil {
			return nil, err
		}
		ll := LanguageLink{Code: l.Code, Name: name, Current: l.Code == c.Site.Language}
		for _, v := range c.Page.Translations {
			if v.Lang == l.Code {
				ll.URL, ll.Translated = v.URL, true
			}
		}
		if !ll.Translated {
			ll.URL = l.Site.Home.URL
			if ll.Current {
				ll.URL, ll.Translated = c.Page.URL, true
			}
		}
		out = append(out, ll)
	}
	return out, nil
}

// Href returns the address to give another site or a search engine for a site address:
// absolute when the site has a base URL, else relative to this page.
func (c *Context) Href(to string) (string, error) {
	if abs, err := c.Abs(to); abs != "" || err != nil {
		return abs, err
	}
	return c.Rel(to)
}

// Crumbs returns the pages above this one, from the home page down: a page of a section
// sits under the section's list page, and so do the list's second and later pages.
func (c *Context) Crumbs() []*site.Page {
	switch c.Page.Kind {
	case site.KindHome:
		return nil
	case site.KindPage:
		if sec := c.Page.SectionInfo; sec != nil {
			return []*site.Page{c.Site.Home, sec.Index}
		}
	case site.KindSection:
		// The second and later pages of a list sit under its first.
		if sec := c.Page.SectionInfo; sec != nil && c.Page != sec.Index {
			return []*site.Page{c.Site.Home, sec.Index}
		}
	}
	return []*site.Page{c.Site.Home}
}

// Abs returns the absolute address of a site address, or "" when the site has no base URL;
// an error when the site has nothing at that address.
func (c *Context) Abs(to string) (string, error) {
	to = strings.TrimPrefix(to, "/")
	if c.Site.BaseURL == "" {
		return "", nil
	}
	if err := c.exists(to); err != nil {
		return "", err
	}
	return urls.Abs(c.Site.BaseURL, to), nil
}

// FileURLs reports whether the site is built to be read from the file system.
func (c *Context) FileURLs() bool { return c.fileURLs }

// Canonical returns the absolute address of the page, or "" without a base URL, and "" for
// the 404 page: it answers for addresses the site does not have, and has none of its own
// that a search engine or a share should point at.
func (c *Context) Canonical() string {
	if c.Page.Source == templates.Dir+"/"+NotFoundFile {
		return ""
	}
	return urls.Abs(c.Site.BaseURL, c.Page.URL)
}

// EditURL returns the address to edit the page's source, or "" without a repository.
func (c *Context) EditURL() string {
	if c.Site.Repository == "" || !strings.HasSuffix(c.Page.Source, ".md") {
		return ""
	}
	return c.Site.Repository + "/edit/" + c.Site.Branch + "/" + c.Page.Source
}

// Funcs are the functions every template may call.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"date": func(layout string, v any) (string, error) {
			t, err := toTime(v)
			if err != nil || t.IsZero() {
				return "", err
			}
			return t.Format(layout), nil
		},
		"isodate": func(v any) (string, error) {
			t, err := toTime(v)
			if err != nil || t.IsZero() {
				return "", err
			}
			return t.Format("2006-01-02"), nil
		},
		"plural": diag.Plural,
		"locale": i18n.Locale,
		"lower":  strings.ToLower,
		"upper":  strings.ToUpper,
		"join": func(list any, sep string) string {
			switch l := list.(type) {
			case []string:
				return strings.Join(l, sep)
			case []any:
				parts := make([]string, len(l))
				for i, v := range l {
					parts[i] = fmt.Sprint(v)
				}
				return strings.Join(parts, sep)
			}
			return fmt.Sprint(list)
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs pairs of keys and values")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys must be text, not %T", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"list": func(v ...any) []any { return v },
		"first": func(n int, pages []*site.Page) []*site.Page {
			if n < len(pages) {
				return pages[:n]
			}
			return pages
		},
		"intersect": Intersect,
		"jsonify":   JSONify,
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
	}
}

// JSONify writes any value as JSON, for structured data in a <script> element:
// {{ jsonify (dict "@type" "Person" "name" .Page.Title) }}. <, > and & are escaped inside
// strings, so the text cannot close the script. A value with no JSON form (a page, whose
// links lead back to it) is an error.
func JSONify(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("jsonify: %v", err)
	}
	return template.JS(b), nil
}

// Intersect returns the pages of a that are also in b, in the order of a, each once: for
// example the people related both to this page and to one of its talks,
// {{ intersect ($.Page.RelatedIn "people") ($talk.RelatedIn "people") }}.
func Intersect(a, b []*site.Page) []*site.Page {
	in := make(map[*site.Page]bool, len(b))
	for _, p := range b {
		in[p] = true
	}
	var out []*site.Page
	for _, p := range a {
		if in[p] {
			out = append(out, p)
			delete(in, p)
		}
	}
	return out
}

// toTime accepts a time or a YYYY-MM-DD text (as dates in params are), or nothing.
func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return x, nil
	case string:
		if x == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse("2006-01-02", x)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date written as YYYY-MM-DD", x)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%v (%T) is not a date", v, v)
}
