// Package media is the image pipeline of a build. Pages and templates ask it for pictures
// of images that sit beside the content (Picture); it answers at once with the HTML (a
// <picture> with WebP and the original's format at a few widths, width and height, lazy
// or eager loading) and notes the files that HTML names. Process then makes those files,
// on every core within a memory budget, from the cache where it can (package imagecache)
// and by decoding, scaling and encoding where it must (package imaging), and writes them to
// the output. Generated images (social cards) and files copied as they are (slides, video
// files, SVG) go the same way. It does not decide which pages show which image.
package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/imagecache"
	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/generator/output"
)

// DefaultCacheDir is the cache folder's name inside the site root.
const DefaultCacheDir = ".recap-cache"

// DefaultBudget is the memory the decoding of images may take at once.
const DefaultBudget = 512 << 20

// BodyWidths are the widths, in pixels, an image of a Markdown body is made at (those
// narrower than the original): a phone's screen at 1x and 2x up to the page's text column
// at 2x. The page's column is at most about 40rem wide, hence BodySizes.
var BodyWidths = []int{480, 800, 1200, 1600}

// BodySizes is the sizes attribute of a body image.
const BodySizes = "(min-width: 42rem) 40rem, 100vw"

// Options set up a pipeline.
type Options struct {
	// Root is the site root; image paths are slash paths relative to it.
	Root string
	// CacheDir is the cache folder (DefaultCacheDir inside Root when empty).
	CacheDir string
	// Budget is the memory, in bytes, that images being decoded may take at once
	// (DefaultBudget when 0). An image that alone needs more is an error.
	Budget int64
	// Minify, when set, minifies files copied as they are whose type it knows (SVG).
	Minify func(name string, data []byte) ([]byte, error)
}

// Pipeline is the image pipeline of one build. It is safe for concurrent use.
type Pipeline struct {
	opts  Options
	cache *imagecache.Cache

	mu       sync.Mutex
	sources  map[string]*source
	variants map[string]*variant
	made     map[string]*made
	copies   map[string]*copied
	// users holds, for each original, the source files of the pages that show it.
	users map[string]map[string]bool
	// bad holds the files whose making failed (and said so).
	bad map[string]bool
	// written holds the files a Process has written, which a later one (in the preview
	// server, where the pipeline lives on) need not write again.
	written map[string]bool
	// hashed counts the originals read and hashed since the last Process.
	hashed atomic.Int64
}

// New returns a pipeline.
func New(opts Options) *Pipeline {
	if opts.CacheDir == "" {
		opts.CacheDir = filepath.Join(opts.Root, DefaultCacheDir)
	}
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	return &Pipeline{opts: opts, cache: imagecache.Open(opts.CacheDir),
		sources: map[string]*source{}, variants: map[string]*variant{}, made: map[string]*made{}, copies: map[string]*copied{},
		users: map[string]map[string]bool{}, written: map[string]bool{}, bad: map[string]bool{}}
}

// Cache returns the pipeline's cache.
func (p *Pipeline) Cache() *imagecache.Cache { return p.cache }

// source is an original image.
type source struct {
	once sync.Once
	path string
	info imaging.Info
	hash string
	err  error
}

// variant is one file made from an original: a part of it, at a size, in a format.
type variant struct {
	src    *source
	box    image.Rectangle
	w, h   int
	format imaging.Format
	key    string
	out    string
	pos    diag.Pos
}

// made is a generated image, such as a social card.
type made struct {
	key, ext, out string
	weight        int64
	make          func() ([]byte, error)
	pos           diag.Pos
}

// copied is a file published as it is.
type copied struct {
	src, out string
	pos      diag.Pos
}

// IsImage reports whether a file name is one the pipeline processes (JPEG, PNG, GIF,
// WebP); SVG is published as it is.
func IsImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// IsSVG reports whether a file name is an SVG image.
func IsSVG(name string) bool { return strings.EqualFold(path.Ext(name), ".svg") }

// Error is a problem with an image, said for a contributor; the caller adds the position.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Image is what is known of an original: its size once upright.
type Image struct {
	Path          string
	Width, Height int
	Format        imaging.Format
}

// Probe reads (or recalls from the cache) the format, size and orientation of the image at
// the slash path rel under the site root, and checks that it can be processed. page is
// the source file of the page that names it.
func (p *Pipeline) Probe(rel, page string) (Image, error) {
	p.mu.Lock()
	p.use(rel, page)
	p.mu.Unlock()
	s := p.source(rel)
	if s.err != nil {
		return Image{}, s.err
	}
	w, h := s.info.Upright()
	return Image{Path: rel, Width: w, Height: h, Format: s.info.Format}, nil
}

func (p *Pipeline) source(rel string) *source {
	p.mu.Lock()
	s := p.sources[rel]
	if s == nil {
		s = &source{path: rel}
		p.sources[rel] = s
	}
	p.mu.Unlock()
	s.once.Do(func() { s.info, s.hash, s.err = p.probe(rel) })
	return s
}

func (p *Pipeline) probe(rel string) (imaging.Info, string, error) {
	full := filepath.Join(p.opts.Root, filepath.FromSlash(rel))
	st, err := os.Stat(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return imaging.Info{}, "", &Error{Msg: fmt.Sprintf("the image %s does not exist: check the file name (letter case counts), or put the image beside the page", rel), Err: err}
		}
		return imaging.Info{}, "", &Error{Msg: fmt.Sprintf("cannot read the image %s: %v", rel, err), Err: err}
	}
	if st.IsDir() {
		return imaging.Info{}, "", &Error{Msg: fmt.Sprintf("%s is a folder, not an image: name an image file", rel)}
	}
	var info imaging.Info
	if c, ok := p.cache.Source(rel, st); ok && json.Unmarshal(c.Info, &info) == nil && info.Width > 0 {
		return info, c.Hash, p.fits(rel, info)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return imaging.Info{}, "", &Error{Msg: fmt.Sprintf("cannot read the image %s: %v", rel, err), Err: err}
	}
	p.hashed.Add(1)
	info, err = imaging.Probe(data)
	if err != nil {
		return imaging.Info{}, "", &Error{Msg: fmt.Sprintf("the image %s cannot be read (%v): save it again as a JPEG, PNG, GIF or WebP file", rel, err), Err: err}
	}
	hash := imagecache.HashBytes(data)
	raw, _ := json.Marshal(info)
	p.cache.SetSource(rel, st, imagecache.Source{Hash: hash, Info: raw})
	return info, hash, p.fits(rel, info)
}

// fits checks that decoding the image stays within the memory budget.
func (p *Pipeline) fits(rel string, info imaging.Info) error {
	need := imaging.DecodeBytes(info.Width, info.Height)
	if need <= p.opts.Budget {
		return nil
	}
	// The largest image of the same shape that fits: DecodeBytes grows with the area.
	lo, hi := 0.0, 1.0
	for range 40 {
		mid := (lo + hi) / 2
		if imaging.DecodeBytes(int(float64(info.Width)*mid), int(float64(info.Height)*mid)) <= p.opts.Budget {
			lo = mid
		} else {
			hi = mid
		}
	}
	maxW, maxH := int(float64(info.Width)*lo), int(float64(info.Height)*lo)
	return &Error{Msg: fmt.Sprintf("the image %s is %d x %d pixels (%.0f megapixels): decoding it needs about %d MiB, more than the image memory budget of %d MiB: scale it down to at most %d x %d pixels, or raise the budget with --image-memory",
		rel, info.Width, info.Height, float64(info.Width)*float64(info.Height)/1e6, need>>20, p.opts.Budget>>20, maxW, maxH)}
}

// Exists reports whether a regular file is at the slash path rel under the site root.
func (p *Pipeline) Exists(rel string) bool {
	st, err := os.Stat(filepath.Join(p.opts.Root, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}

// Size returns the size in bytes of the file at the slash path rel under the site root.
func (p *Pipeline) Size(rel string) int64 {
	st, err := os.Stat(filepath.Join(p.opts.Root, filepath.FromSlash(rel)))
	if err != nil {
		return 0
	}
	return st.Size()
}

// Request asks for a picture of an image.
type Request struct {
	// Source is the image's slash path from the site root.
	Source string
	// Alt is the alternative text; "" makes a decorative image (alt="").
	Alt string
	// Width and Height are the box the picture is shown in, in CSS pixels; both 0 for an
	// image of a body (made at BodyWidths, shown at its column's width). Height 0 keeps
	// the image's shape at that width.
	Width, Height int
	// Crop says whether to fill the box, cutting what overflows, or fit in it.
	Crop imaging.Crop
	// Eager loads the image at once with high priority (the first image of a page);
	// otherwise it is loaded lazily.
	Eager bool
	// Class is the class of the <img>, if any.
	Class string
	// Rel turns a site address into one relative to the page being rendered.
	Rel func(string) string
	// Pos is where the image is named, for errors while processing it.
	Pos diag.Pos
}

// Picture returns the HTML of a picture of the image, and notes the files it names.
func (p *Pipeline) Picture(r Request) (string, error) {
	p.mu.Lock()
	p.use(r.Source, r.Pos.Path)
	p.mu.Unlock()
	s := p.source(r.Source)
	if s.err != nil {
		return "", s.err
	}
	uw, uh := s.info.Upright()
	box := image.Rect(0, 0, uw, uh)
	var sizes []int
	var cssW, cssH int
	sizesAttr := BodySizes
	switch {
	case r.Width <= 0:
		for _, w := range BodyWidths {
			if w < uw {
				sizes = append(sizes, w)
			}
		}
		if len(sizes) < len(BodyWidths) {
			sizes = append(sizes, uw)
		}
	default:
		if r.Height > 0 {
			box = imaging.Box(uw, uh, r.Width, r.Height, r.Crop)
		}
		cssW = min(r.Width, box.Dx())
		sizes = []int{cssW}
		if 2*r.Width <= box.Dx() {
			sizes = append(sizes, 2*r.Width)
		} else if box.Dx() > cssW {
			sizes = append(sizes, box.Dx())
		}
		sizesAttr = strconv.Itoa(cssW) + "px"
	}
	heightAt := func(w int) int { return max(1, (w*box.Dy()+box.Dx()/2)/box.Dx()) }
	if cssW == 0 {
		cssW = sizes[len(sizes)-1]
	}
	cssH = heightAt(cssW)
	fallback := s.info.Format
	if fallback == imaging.GIF {
		// A still of an animation: PNG keeps its colours exactly.
		fallback = imaging.PNG
	}
	formats := []imaging.Format{imaging.WebP}
	if fallback != imaging.WebP {
		formats = append(formats, fallback)
	}
	srcsets := make([][]string, len(formats))
	var src string
	for fi, f := range formats {
		for _, w := range sizes {
			v := p.variant(s, box, w, heightAt(w), f, r.Pos)
			u := r.Rel(v.out)
			srcsets[fi] = append(srcsets[fi], escapeSrcset(u)+" "+strconv.Itoa(w)+"w")
			if fi == len(formats)-1 {
				src = u
			}
		}
	}
	var b strings.Builder
	b.WriteString("<picture>")
	if len(formats) > 1 {
		b.WriteString(`<source type="image/webp" srcset="`)
		b.WriteString(html.EscapeString(strings.Join(srcsets[0], ", ")))
		b.WriteString(`" sizes="` + sizesAttr + `">`)
	}
	b.WriteString(`<img src="`)
	b.WriteString(html.EscapeString(src))
	b.WriteString(`" srcset="`)
	b.WriteString(html.EscapeString(strings.Join(srcsets[len(srcsets)-1], ", ")))
	b.WriteString(`" sizes="` + sizesAttr + `" width="` + strconv.Itoa(cssW) + `" height="` + strconv.Itoa(cssH) + `" alt="`)
	b.WriteString(html.EscapeString(r.Alt))
	b.WriteString(`"`)
	if r.Class != "" {
		b.WriteString(` class="` + html.EscapeString(r.Class) + `"`)
	}
	if r.Eager {
		b.WriteString(` loading="eager" fetchpriority="high" decoding="async">`)
	} else {
		b.WriteString(` loading="lazy" decoding="async">`)
	}
	b.WriteString("</picture>")
	return b.String(), nil
}

// escapeSrcset escapes what would end a srcset candidate: spaces and commas.
func escapeSrcset(u string) string {
	return strings.NewReplacer(" ", "%20", ",", "%2C").Replace(u)
}

// URL returns the site address of the image scaled to fit w x h (h 0: at width w) in
// format f, or cropped to fill it; it notes the file. It is for addresses used outside a
// <picture>, such as og:image.
func (p *Pipeline) URL(rel string, w, h int, crop imaging.Crop, f imaging.Format, pos diag.Pos) (string, int, int, error) {
	s := p.source(rel)
	if s.err != nil {
		return "", 0, 0, s.err
	}
	uw, uh := s.info.Upright()
	box := image.Rect(0, 0, uw, uh)
	if h > 0 {
		box = imaging.Box(uw, uh, w, h, crop)
	}
	w = min(w, box.Dx())
	vh := max(1, (w*box.Dy()+box.Dx()/2)/box.Dx())
	v := p.variant(s, box, w, vh, f, pos)
	return v.out, w, vh, nil
}

// variant notes a file to make and returns it.
func (p *Pipeline) variant(s *source, box image.Rectangle, w, h int, f imaging.Format, pos diag.Pos) *variant {
	key := imagecache.Key(s.hash, box.String(), strconv.Itoa(w), strconv.Itoa(h), string(f), imaging.Settings)
	dir, file := path.Split(strings.TrimPrefix(s.path, "content/"))
	base := strings.TrimSuffix(file, path.Ext(file))
	out := dir + base + "-" + strconv.Itoa(w) + "." + key[:10] + "." + f.Ext()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.use(s.path, pos.Path)
	if v := p.variants[out]; v != nil {
		if before(pos, v.pos) {
			v.pos = pos
		}
		return v
	}
	v := &variant{src: s, box: box, w: w, h: h, format: f, key: key, out: out, pos: pos}
	p.variants[out] = v
	return v
}

// use notes that the page of source file page shows the original at rel.
func (p *Pipeline) use(rel, page string) {
	if p.users[rel] == nil {
		p.users[rel] = map[string]bool{}
	}
	p.users[rel][page] = true
}

// Changed forgets what is known of the file at the slash path rel, which was saved or
// removed. It returns the source files of the pages that showed it, sorted, which must be
// rendered again (the new file's variants have new addresses), and the files made from
// the old one, which no page shows any more.
func (p *Pipeline) Changed(rel string) (pages, stale []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sources, rel)
	for out, v := range p.variants {
		if v.src.path == rel {
			delete(p.variants, out)
			delete(p.written, out)
			stale = append(stale, out)
		}
	}
	for out, c := range p.copies {
		if c.src == rel {
			delete(p.written, out)
		}
	}
	for pg := range p.users[rel] {
		pages = append(pages, pg)
	}
	slices.Sort(pages)
	slices.Sort(stale)
	return pages, stale
}

// before orders positions by file, line and column, so that a file named on several pages
// reports its problems at the same place whatever the order the pages were read in.
func before(a, b diag.Pos) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// Make notes a generated image: its bytes are make's, cached under key, written to out.
// weight is the memory making it takes.
func (p *Pipeline) Make(out, key, ext string, weight int64, pos diag.Pos, make func() ([]byte, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.made[out]; !ok {
		p.made[out] = &made{key: key, ext: ext, out: out, weight: weight, make: make, pos: pos}
	}
}

// Copy notes a file published as it is (minified if it is SVG): the file at the slash path
// src from the site root is written to out.
func (p *Pipeline) Copy(src, out string, pos diag.Pos) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.copies[out]; !ok {
		p.copies[out] = &copied{src: src, out: out, pos: pos}
	}
}

// Stats says what Process did.
type Stats struct {
	// Hashed is how many originals were read and hashed, since the cache did not know them
	// or their files had changed (0 on a build where no image changed); Decoded how many
	// were decoded; Encoded how many files were encoded or generated; Cached how many came
	// from the cache; Copied how many were copied.
	Hashed, Decoded, Encoded, Cached, Copied int
	// Written is how many files were written, Bytes their size.
	Written int
	Bytes   int64
}

// Process makes every file noted so far and writes it to w, with up to workers at once (0:
// one per core), decoding no more images at once than the budget allows.
func (p *Pipeline) Process(ctx context.Context, w output.Writer, workers int) (Stats, diag.List) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p.mu.Lock()
	variants := make([]*variant, 0, len(p.variants))
	for out, v := range p.variants {
		if !p.written[out] {
			variants = append(variants, v)
		}
	}
	mades := make([]*made, 0, len(p.made))
	for out, m := range p.made {
		if !p.written[out] {
			mades = append(mades, m)
		}
	}
	copies := make([]*copied, 0, len(p.copies))
	for out, c := range p.copies {
		if !p.written[out] {
			copies = append(copies, c)
		}
	}
	p.mu.Unlock()
	slices.SortFunc(variants, func(a, b *variant) int { return strings.Compare(a.out, b.out) })
	slices.SortFunc(mades, func(a, b *made) int { return strings.Compare(a.out, b.out) })
	slices.SortFunc(copies, func(a, b *copied) int { return strings.Compare(a.out, b.out) })

	// One job per original with a variant missing from the cache, one per generated image
	// missing, and one per file to write.
	var st statsCounter
	var col diag.Collector
	bySource := map[*source][]*variant{}
	var order []*source
	for _, v := range variants {
		if p.cache.Has(v.key, v.format.Ext()) {
			st.add(&st.cached, 1)
			continue
		}
		if bySource[v.src] == nil {
			order = append(order, v.src)
		}
		bySource[v.src] = append(bySource[v.src], v)
	}
	var missing []*made
	for _, m := range mades {
		if !p.cache.Has(m.key, m.ext) {
			missing = append(missing, m)
		}
	}
	bud := newBudget(p.opts.Budget)
	if len(order)+len(missing) > 0 {
		// The pixels may take up to the budget on top of what the rest of the build holds:
		// a soft memory limit set for the build (cmd/recap sets one for text) would
		// otherwise make the collector run again and again and return to the system the
		// memory each image is about to ask for again.
		if limit := debug.SetMemoryLimit(-1); limit < math.MaxInt64-p.opts.Budget {
			debug.SetMemoryLimit(limit + p.opts.Budget)
			defer debug.SetMemoryLimit(limit)
			// And the heap is collected when it doubles, not later: what the images
			// leave is garbage at once.
			defer debug.SetGCPercent(debug.SetGCPercent(100))
		}
	}
	jobs := make([]func(), 0, len(order)+len(missing))
	for _, s := range order {
		vs := bySource[s]
		jobs = append(jobs, func() {
			need := imaging.DecodeBytes(s.info.Width, s.info.Height)
			bud.acquire(need)
			defer bud.release(need)
			if err := p.makeVariants(s, vs, &st); err != nil {
				col.Add(diag.Wrap(vs[0].pos, err, err.Error()))
				for _, v := range vs {
					p.fail(v.out)
				}
			}
		})
	}
	for _, m := range missing {
		jobs = append(jobs, func() {
			bud.acquire(m.weight)
			defer bud.release(m.weight)
			data, err := m.make()
			if err == nil {
				err = p.cache.Put(m.key, m.ext, data)
			}
			if err != nil {
				col.Add(diag.Wrap(m.pos, err, fmt.Sprintf("cannot make %s: %v", m.out, err)))
				p.fail(m.out)
				return
			}
			st.add(&st.encoded, 1)
		})
	}
	run(ctx, workers, jobs)
	if ctx.Err() != nil {
		return st.get(), col.List()
	}
	// Write everything, from the cache.
	jobs = jobs[:0]
	for _, v := range variants {
		jobs = append(jobs, func() { p.write(w, v.key, v.format.Ext(), v.out, v.pos, &st, &col) })
	}
	for _, m := range mades {
		jobs = append(jobs, func() { p.write(w, m.key, m.ext, m.out, m.pos, &st, &col) })
	}
	for _, c := range copies {
		jobs = append(jobs, func() {
			data, err := os.ReadFile(filepath.Join(p.opts.Root, filepath.FromSlash(c.src)))
			if err != nil {
				col.Add(diag.Wrap(c.pos, err, fmt.Sprintf("cannot read %s: %v", c.src, err)))
				return
			}
			if p.opts.Minify != nil && IsSVG(c.src) {
				if data, err = p.opts.Minify(c.src, data); err != nil {
					col.Add(diag.Wrap(c.pos, err, fmt.Sprintf("the SVG image %s cannot be minified (%v): fix its syntax", c.src, err)))
					return
				}
			}
			if st.writeFailed.Load() {
				return
			}
			if err := w.WriteFile(c.out, data); err != nil {
				st.writeFailed.Store(true)
				col.Add(output.WriteFailed(c.pos, c.out, err))
				return
			}
			st.add(&st.copied, 1)
			p.wrote(c.out)
			st.add(&st.written, 1)
			st.add(&st.bytes, int64(len(data)))
		})
	}
	run(ctx, workers, jobs)
	stats := st.get()
	stats.Hashed = int(p.hashed.Swap(0))
	return stats, col.List()
}

func (p *Pipeline) write(w output.Writer, key, ext, out string, pos diag.Pos, st *statsCounter, col *diag.Collector) {
	gone := func() {
		if !p.failed(out) {
			col.Add(diag.Errorf(pos, "the processed image %s has gone from the cache %s while the site was being built (another build removing it?): build again", out, p.cache.Dir()))
		}
	}
	if st.writeFailed.Load() {
		return
	}
	var size int64
	if l, ok := w.(output.Linker); ok {
		// A link to the entry: no bytes read or written, and nothing at all when the
		// output already holds that entry (a build where the image did not change).
		n, err := l.LinkFile(out, p.cache.Path(key, ext))
		if errors.Is(err, fs.ErrNotExist) {
			gone()
			return
		}
		if err != nil {
			st.writeFailed.Store(true)
			col.Add(output.WriteFailed(pos, out, err))
			return
		}
		size = n
	} else {
		data, ok := p.cache.Get(key, ext)
		if !ok {
			gone()
			return
		}
		if err := w.WriteFile(out, data); err != nil {
			st.writeFailed.Store(true)
			col.Add(output.WriteFailed(pos, out, err))
			return
		}
		size = int64(len(data))
	}
	p.wrote(out)
	st.add(&st.written, 1)
	st.add(&st.bytes, size)
}

// Rewrite makes the next Process write every file again, not only those it has not
// written yet (for an output that was emptied).
func (p *Pipeline) Rewrite() {
	p.mu.Lock()
	clear(p.written)
	p.mu.Unlock()
}

func (p *Pipeline) fail(out string) {
	p.mu.Lock()
	p.bad[out] = true
	p.mu.Unlock()
}

func (p *Pipeline) failed(out string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bad[out]
}

func (p *Pipeline) wrote(out string) {
	p.mu.Lock()
	p.written[out] = true
	p.mu.Unlock()
}

// makeVariants decodes an original once and makes the variants asked of it, largest first,
// each scaled from the largest of its part of the image already made.
func (p *Pipeline) makeVariants(s *source, vs []*variant, st *statsCounter) error {
	data, err := os.ReadFile(filepath.Join(p.opts.Root, filepath.FromSlash(s.path)))
	if err != nil {
		return fmt.Errorf("cannot read the image %s: %w", s.path, err)
	}
	if imagecache.HashBytes(data) != s.hash {
		return fmt.Errorf("the image %s changed while the site was being built: build again", s.path)
	}
	img, err := imaging.Decode(data, s.info.Format)
	data = nil
	if err != nil {
		return fmt.Errorf("the image %s cannot be decoded (%v): it may be damaged or cut short; save it again as a JPEG, PNG, GIF or WebP file", s.path, err)
	}
	st.add(&st.decoded, 1)
	slices.SortFunc(vs, func(a, b *variant) int {
		if a.w != b.w {
			return b.w - a.w
		}
		return strings.Compare(string(a.format), string(b.format))
	})
	type scaled struct {
		box  image.Rectangle
		w, h int
		img  *image.RGBA // stored orientation
	}
	var done []scaled
	o := s.info.Orientation
	for _, v := range vs {
		var stored *image.RGBA
		for _, d := range done {
			if d.box == v.box && d.w == v.w && d.h == v.h {
				stored = d.img
				break
			}
		}
		if stored == nil {
			// Scale from the smallest made image of the same part that is still larger.
			var from *scaled
			for i := range done {
				if done[i].box == v.box && done[i].w >= v.w && (from == nil || done[i].w < from.w) {
					from = &done[i]
				}
			}
			if from != nil {
				sw, sh := v.w, v.h
				if o >= 5 {
					sw, sh = v.h, v.w
				}
				stored = imaging.ScaleStored(from.img, 1, from.img.Rect, sw, sh)
			} else {
				stored = imaging.ScaleStored(img, o, v.box, v.w, v.h)
			}
			done = append(done, scaled{v.box, v.w, v.h, stored})
		}
		var buf bytes.Buffer
		if err := imaging.Encode(&buf, imaging.Orient(stored, o), v.format); err != nil {
			return fmt.Errorf("cannot encode %s as %s: %w", s.path, v.format, err)
		}
		if err := p.cache.Put(v.key, v.format.Ext(), buf.Bytes()); err != nil {
			return fmt.Errorf("cannot write to the image cache %s: %w", p.cache.Dir(), err)
		}
		st.add(&st.encoded, 1)
	}
	return nil
}

// Finish saves what the cache remembers of the originals used by this build and, when
// prune is set, removes the cache entries this build did not use (unless another process
// is using the cache). It lets go of the cache: the pipeline may not be used after it.
func (p *Pipeline) Finish(prune bool) error {
	p.mu.Lock()
	keep := make(map[string]bool, len(p.sources))
	for k, s := range p.sources {
		if s.err == nil {
			keep[k] = true
		}
	}
	p.mu.Unlock()
	err := p.cache.Save(keep)
	if prune {
		_, perr := p.cache.Prune()
		err = errors.Join(err, perr)
	}
	return errors.Join(err, p.cache.Close())
}

// Used reports whether any image, generated image or copied file was asked for.
func (p *Pipeline) Used() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sources)+len(p.made)+len(p.copies) > 0
}

// Sources returns the slash paths of the originals the pages asked for.
func (p *Pipeline) Sources() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.sources))
	for k := range p.sources {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// run runs jobs on workers goroutines until they are done or ctx is cancelled.
func run(ctx context.Context, workers int, jobs []func()) {
	var wg sync.WaitGroup
	next := make(chan func())
	for range min(workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for j := range next {
				j()
			}
		})
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
}

// budget is a weighted semaphore of bytes. A weight above the whole budget waits for the
// whole budget (Probe refuses such images before they get here).
type budget struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
	size int64
}

func newBudget(n int64) *budget {
	b := &budget{free: n, size: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *budget) acquire(n int64) {
	n = min(n, b.size)
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	n = min(n, b.size)
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

type statsCounter struct {
	mu                                               sync.Mutex
	decoded, encoded, cached, copied, written, bytes int64
	// writeFailed is set by the first file that cannot be written: the files after it are
	// not tried (see output.WriteError).
	writeFailed atomic.Bool
}

func (s *statsCounter) add(f *int64, n int64) {
	s.mu.Lock()
	*f += n
	s.mu.Unlock()
}

func (s *statsCounter) get() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Decoded: int(s.decoded), Encoded: int(s.encoded), Cached: int(s.cached), Copied: int(s.copied), Written: int(s.written), Bytes: s.bytes}
}

// Or returns a function that reports whether exists does, or the pipeline has noted a file
// to write at that site address: templates link to the images they asked for, which a
// site's list of addresses (made before the pages render) cannot hold.
func (p *Pipeline) Or(exists func(addr string) bool) func(addr string) bool {
	if exists == nil {
		return nil
	}
	return func(addr string) bool {
		if exists(addr) {
			return true
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, ok := p.variants[addr]; ok {
			return true
		}
		if _, ok := p.made[addr]; ok {
			return true
		}
		_, ok := p.copies[addr]
		return ok
	}
}
