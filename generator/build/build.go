// Package build runs the stages of a build in order (load, resolve, render, write) and joins
// them with plain data. It decides which files a site produces besides its pages (static
// files and the extra files of package extras) and where they go; the stages themselves
// live in their own packages.
package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/icc-recap/recap/generator/bodies"
	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/extras"
	"github.com/icc-recap/recap/generator/i18n"
	"github.com/icc-recap/recap/generator/languages"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/parallel"
	"github.com/icc-recap/recap/generator/render"
	"github.com/icc-recap/recap/generator/resolve"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
)

// StaticDir is the name of the static folder inside a site.
const StaticDir = "static"

// Options set what a build does.
type Options struct {
	// Source is the site root (holding content/, templates/, static/).
	Source string
	// Out is the output folder; relative paths are taken from the working directory.
	Out string
	// Drafts keeps pages marked draft: true.
	Drafts bool
	// BaseURL overrides the base URL of the site settings.
	BaseURL string
	// FileURLs makes every link to a page end in index.html, for reading from disk.
	FileURLs bool
	// Inject is HTML added before </body> of every page (the preview server's script).
	Inject string
	// NoPartialCache runs every .Partial call, keeping no result: for tests that compare the
	// two, and to measure what the cache saves.
	NoPartialCache bool
	// CacheDir is the folder of processed images (media.DefaultCacheDir in the site root
	// when empty).
	CacheDir string
	// ImageMemory is the memory, in bytes, that images being decoded may take at once
	// (media.DefaultBudget when 0).
	ImageMemory int64
}

// Result is what a build did.
type Result struct {
	Site *site.Site
	// Templates is the parsed template set (nil when the build stopped before).
	Templates *templates.Set
	Pages     int
	Files     int
	Duration  time.Duration
	Diags     diag.List
	// Media is the build's image pipeline; Images what it did.
	Media  *media.Pipeline
	Images media.Stats
	// Stages is how long each stage of the build took, in the order they ended.
	Stages []Stage
}

// Stage is the wall time of one stage of a build. Stages with the same Alongside ran at
// the same time as the stage it names.
type Stage struct {
	Name      string
	Duration  time.Duration
	Alongside string
}

// stageTimer notes the stages of one build; stages run alongside others note themselves
// from their own goroutines.
type stageTimer struct {
	mu     sync.Mutex
	stages []Stage
}

// time runs f as the stage name and notes how long it took.
func (t *stageTimer) time(name, alongside string, f func()) {
	start := time.Now()
	f()
	t.mu.Lock()
	t.stages = append(t.stages, Stage{Name: name, Duration: time.Since(start), Alongside: alongside})
	t.mu.Unlock()
}

// ErrFailed is returned when the build found errors; they are in Result.Diags.
var ErrFailed = errors.New("the build failed")

// Build builds the site into opts.Out. The previous output is replaced only when the whole
// build succeeded; otherwise it is left exactly as it was.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	if err := checkOut(opts.Source, opts.Out); err != nil {
		return &Result{Diags: diag.List{err}}, ErrFailed
	}
	if st, err := os.Stat(filepath.Join(opts.Source, content.Dir)); err != nil || !st.IsDir() {
		// Nothing to build: say so before creating any folder.
		return &Result{Diags: diag.List{diag.Errorf(diag.Pos{Path: content.Dir}, "there is no content folder in %s: run recap in the site's root or pass --source", opts.Source)}}, ErrFailed
	}
	dir, err := output.NewDir(opts.Out)
	if err != nil {
		return &Result{Diags: diag.List{diag.Wrap(diag.Pos{Path: opts.Out}, err, err.Error())}}, ErrFailed
	}
	res := Run(ctx, opts, dir)
	if ctx.Err() != nil {
		_ = dir.Abort()
		return res, ctx.Err()
	}
	if res.Diags.HasErrors() {
		_ = dir.Abort()
		return res, ErrFailed
	}
	commitStart := time.Now()
	err = dir.Commit()
	res.Stages = append(res.Stages, Stage{Name: "replacing the output folder", Duration: time.Since(commitStart)})
	if err != nil {
		_ = dir.Abort()
		res.Diags = append(res.Diags, diag.Wrap(diag.Pos{Path: opts.Out}, err, err.Error()))
		return res, ErrFailed
	}
	if res.Media != nil {
		// Forget what this build did not use; a failure only costs the next build time.
		if err := res.Media.Finish(true); err != nil {
			res.Diags = append(res.Diags, diag.Warnf(diag.Pos{Path: opts.CacheDir}, "cannot tidy the image cache: %v", err))
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// checkOut refuses an output folder that would overwrite the site's own sources.
func checkOut(source, out string) *diag.Diagnostic {
	absOut, err1 := filepath.Abs(out)
	absSrc, err2 := filepath.Abs(source)
	if err := errors.Join(err1, err2); err != nil {
		return diag.Wrap(diag.Pos{Path: out}, err, err.Error())
	}
	absOut, absSrc = realPath(absOut), realPath(absSrc)
	if st, err := os.Stat(absOut); err == nil && !st.IsDir() {
		return diag.Errorf(diag.Pos{Path: out}, "--out names a file, not a folder: the build would replace it; choose a folder, such as public")
	}
	for _, forbidden := range []string{"", content.Dir, templates.Dir, StaticDir, ".git"} {
		f := filepath.Join(absSrc, forbidden)
		if absOut == f || strings.HasPrefix(f, absOut+string(filepath.Separator)) || forbidden != "" && strings.HasPrefix(absOut, f+string(filepath.Separator)) {
			what := "the site's root"
			if forbidden != "" {
				what = forbidden + "/"
			}
			return diag.Errorf(diag.Pos{Path: out}, "--out would replace or sit inside %s: choose another folder, such as public", what)
		}
	}
	return nil
}

// realPath resolves the symbolic links of the longest part of p that exists, so that two
// names of one folder compare equal.
func realPath(p string) string {
	rest := ""
	for cur := p; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return p
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// Run builds the site into w without swapping anything in: the caller decides what to do
// with the files. The pages' bodies are kept in a temporary file while it runs (package
// bodies), so the pages of the Result's Site have no body left after it.
func Run(ctx context.Context, opts Options, w output.Writer) *Result {
	start := time.Now()
	res := &Result{}
	var diags diag.List
	var timer stageTimer
	defer func() { res.Stages = timer.stages }()
	var store content.Bodies
	if st, err := bodies.New(""); err == nil {
		store = st
		defer func() {
			if err := cmp.Or(st.Err(), st.Close()); err != nil {
				res.Diags = append(res.Diags, diag.Wrap(diag.Pos{Path: content.Dir}, err, err.Error())).Sort()
			}
		}()
	} // else the bodies stay in memory: slower to grow, but the build works

	// Load content, templates and the static file list at once.
	var (
		loaded   *content.Result
		set      *templates.Set
		statics  []string
		wg       sync.WaitGroup
		ld, td   diag.List
		sd       diag.List
		staticFS = filepath.Join(opts.Source, StaticDir)
	)
	// The template strings first: a few small files, and links to pages in another
	// language carry their words.
	strs, id := i18n.Load(opts.Source)
	m := minify.New()
	pipe := media.New(media.Options{Root: opts.Source, CacheDir: opts.CacheDir, Budget: opts.ImageMemory, Minify: m.File})
	res.Media = pipe
	timer.time("load", "", func() {
		wg.Go(func() {
			loaded, ld = content.Load(opts.Source, content.Options{FileURLs: opts.FileURLs, BaseURL: opts.BaseURL, Label: strs.Label, AnchorLabel: strs.AnchorLabel, Media: pipe, Done: ctx.Done(), Bodies: store})
		})
		wg.Go(func() { set, td = templates.Load(opts.Source, render.Funcs()) })
		wg.Go(func() { statics, sd = ListStatic(opts.Source) })
		wg.Wait()
	})
	diags = append(diags, ld...)
	diags = append(diags, td...)
	diags = append(diags, id...)
	if !td.HasErrors() && loaded != nil {
		diags = append(diags, CheckStrings(strs, set, loaded.Config)...)
	}
	diags = append(diags, sd...)
	if ctx.Err() != nil {
		// Interrupted while loading: what was loaded is incomplete, so stop here.
		res.Diags = diags.Sort()
		return res
	}

	var (
		s       *site.Site
		sites   []*site.Site
		rd, lgd diag.List
	)
	timer.time("links and languages", "", func() {
		s, rd = resolve.Resolve(loaded.Config, loaded.Sections, loaded.Pages, resolve.Options{Drafts: opts.Drafts, StaticFiles: statics, Broken: loaded.Broken, TemplatePages: set.PageNames()})
		sites, lgd = languages.Sites(s, loaded.Config.Languages, loaded.Translations)
	})
	diags = append(diags, rd...)
	diags = append(diags, lgd...)
	forgetDeclared(sites)
	res.Site = s
	res.Templates = set
	if ctx.Err() != nil {
		res.Diags = diags.Sort()
		return res
	}
	if diags.HasErrors() {
		// The build has failed, but the templates may hold mistakes too: render the pages
		// that loaded, writing nothing, so that one run reports every problem.
		if !td.HasErrors() {
			ro := RenderOptions(opts, sites, set, statics)
			ro.Inject, ro.Strings, ro.Media, ro.Exists = "", strs, pipe, pipe.Or(ro.Exists)
			diags = append(diags, RenderSites(ctx, sites, set, minify.New(), output.Discard{}, ro, nil)...)
		}
		res.Diags = diags.Sort()
		return res
	}

	// The static files and the extra files (search index, feed, sitemap) need nothing the
	// pages give: write them while the pages render, so that a large site's search index is
	// not left for the end.
	var sdiags, xdiags diag.List
	var files int
	const pagesStage = "pages"
	wg.Go(func() {
		timer.time("static files", pagesStage, func() { files, sdiags = CopyStatic(ctx, staticFS, statics, m, w) })
	})
	wg.Go(func() {
		timer.time("search index, feeds, sitemap", pagesStage, func() { xdiags = extras.Write(s, statics, m, w) })
	})
	var pages int
	timer.time(pagesStage, "", func() {
		ro := RenderOptions(opts, sites, set, statics)
		ro.Strings, ro.Media, ro.Exists = strs, pipe, pipe.Or(ro.Exists)
		diags = append(diags, RenderSites(ctx, sites, set, m, w, ro, &pages)...)
	})
	timer.time("waiting for the stages beside the pages", "", wg.Wait)
	if pipe.Used() && !diags.HasErrors() {
		// The pages have said which images they show: make them (from the cache where it
		// has them) and write them.
		var idiags diag.List
		timer.time("images", "", func() { res.Images, idiags = pipe.Process(ctx, w, 0) })
		diags = append(diags, idiags...)
	}
	diags = append(diags, sdiags...)
	diags = append(diags, xdiags...)
	diags = firstWriteError(diags)
	res.Pages = pages
	res.Files = res.Pages + files + res.Images.Written
	res.Diags = diags.Sort()
	res.Duration = time.Since(start)
	return res
}

// forgetDeclared drops what each page declared of its links (Refs and BodyLinks) once
// resolve and languages have made them into the pages' links: nothing after that reads
// them, and on a large site they are a fifth of the objects the pages hold, which the
// garbage collector marks on every cycle while the pages render.
func forgetDeclared(sites []*site.Site) {
	for _, s := range sites {
		for _, p := range s.Pages {
			p.Refs, p.BodyLinks = nil, nil
		}
	}
}

// firstWriteError keeps, of the files that could not be written, the first: the pages, the
// static files and the extra files are written at the same time, and a full disk stops
// each of them.
func firstWriteError(diags diag.List) diag.List {
	seen := false
	return slices.DeleteFunc(diags, func(d *diag.Diagnostic) bool {
		if !isWriteError(d) {
			return false
		}
		drop := seen
		seen = true
		return drop
	})
}

// isWriteError reports whether d is a file of the output that could not be written.
func isWriteError(d *diag.Diagnostic) bool {
	var we *output.WriteError
	return errors.As(d, &we)
}

// RenderSites renders the pages of the site in every language (sites as languages.Sites
// returns them, the default language first) and each language's 404 page, and adds the
// number of pages written to *pages when pages is not nil. A language renders only its own
// pages: the others are linked to where they are. The pages of every language share one
// pool of workers, so that no core waits at the end of one language for its last pages.
func RenderSites(ctx context.Context, sites []*site.Site, set *templates.Set, m *minify.Minifier, w output.Writer, opts render.Options, pages *int) diag.List {
	type job struct {
		r *render.Renderer
		p *site.Page
	}
	var jobs []job
	rs := make([]*render.Renderer, len(sites))
	for i, s := range sites {
		rs[i] = render.New(s, set, m, w, opts)
		own := OwnPages(s)
		rs[i].Plan(own)
		for _, p := range own {
			jobs = append(jobs, job{rs[i], p})
		}
	}
	// The first file that cannot be written stops the pages, and is the one reported (see
	// output.WriteError): a full disk made a line for every page after it.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var col diag.Collector
	parallel.On(opts.Workers, len(jobs), func() bool { return ctx.Err() != nil }, func(i int) {
		ds := jobs[i].r.Page(jobs[i].p)
		if slices.ContainsFunc(ds, isWriteError) {
			stop()
		}
		col.Add(ds...)
	})
	diags := firstWriteError(col.List().MergePages())
	for _, r := range rs {
		diags = append(diags, r.NotFound()...)
	}
	if pages != nil {
		for _, r := range rs {
			*pages += r.Pages()
		}
	}
	return diags
}

// CheckStrings reports the template strings the templates name and a language of the site
// lacks, and a language that lacks the words marking links to untranslated pages.
func CheckStrings(strs *i18n.Strings, set *templates.Set, cfg site.Config) diag.List {
	langs := append([]string{cfg.Language}, cfg.Languages...)
	diags := strs.Check(set.Calls(i18n.MethodT, i18n.MethodDate), langs)
	return append(diags, strs.CheckLabels(cfg.Language, cfg.Languages)...)
}

// OwnPages returns the pages of s written in its language: all of them for the default
// language, the translations for another.
func OwnPages(s *site.Site) []*site.Page {
	if s.IsDefault() {
		return s.Pages
	}
	own := make([]*site.Page, 0, len(s.Pages))
	for _, p := range s.Pages {
		if p.Translation {
			own = append(own, p)
		}
	}
	return own
}

// RenderOptions are the options the pages of s are rendered with: the links templates make
// are checked against every address the build writes (pages in every language, static
// files, the extra files and the 404 page).
func RenderOptions(opts Options, sites []*site.Site, set *templates.Set, statics []string) render.Options {
	addrs := make(map[string]struct{}, len(sites[0].Pages)+len(statics)+len(extras.Files)+1)
	for _, s := range sites {
		for _, p := range s.Pages {
			addrs[p.URL] = struct{}{}
		}
	}
	for _, list := range [][]string{statics, extras.Outputs(sites[0])} {
		for _, f := range list {
			addrs[f] = struct{}{}
		}
	}
	if set.Has(render.NotFoundFile) {
		for _, f := range render.NotFoundFiles(sites) {
			addrs[f] = struct{}{}
		}
	}
	exists := func(a string) bool {
		a = strings.TrimSuffix(a, "index.html")
		if _, ok := addrs[a]; ok {
			return true
		}
		_, ok := addrs[a+"/"] // a folder without its slash: servers redirect
		return ok
	}
	return render.Options{FileURLs: opts.FileURLs, Inject: opts.Inject, Exists: exists, NoPartialCache: opts.NoPartialCache}
}

// ListStatic lists the files of static/, slash paths relative to it.
func ListStatic(root string) ([]string, diag.List) {
	base := filepath.Join(root, StaticDir)
	realRoot, _ := filepath.EvalSymlinks(root)
	var files []string
	var diags diag.List
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == base && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(base, p)
		rel = filepath.ToSlash(rel)
		if p != base && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			t, err := filepath.EvalSymlinks(p)
			if err != nil || !content.Within(realRoot, t) {
				diags = append(diags, diag.Errorf(diag.Pos{Path: StaticDir + "/" + rel}, "this symbolic link points outside the site: replace it with the file itself"))
				return nil
			}
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		diags = append(diags, diag.Wrap(diag.Pos{Path: StaticDir}, err, "cannot read the static folder: "+err.Error()))
	}
	slices.Sort(files)
	return files, diags
}

// CopyStatic copies the static files into w, minifying those of a known type.
func CopyStatic(ctx context.Context, base string, files []string, m *minify.Minifier, w output.Writer) (int, diag.List) {
	var diags diag.List
	n := 0
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		pos := diag.Pos{Path: StaticDir + "/" + f}
		data, err := os.ReadFile(filepath.Join(base, filepath.FromSlash(f)))
		if err != nil {
			diags = append(diags, diag.Wrap(pos, err, "cannot read: "+err.Error()))
			continue
		}
		out, err := m.File(f, data)
		if err != nil {
			diags = append(diags, diag.Wrap(pos, err, fmt.Sprintf("cannot minify: %v: fix the file's syntax", err)))
			continue
		}
		if err := w.WriteFile(f, out); err != nil {
			// What stops this file stops the others alike (see output.WriteError).
			diags = append(diags, output.WriteFailed(pos, f, err))
			break
		}
		n++
	}
	return n, diags
}
