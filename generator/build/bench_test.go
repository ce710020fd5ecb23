package build

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/i18n"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/render"
	"github.com/icc-recap/recap/generator/resolve"
	"github.com/icc-recap/recap/generator/search"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
	"github.com/icc-recap/recap/internal/synth"
)

// Benchmarks of each stage and of the whole build on synthetic archives of 1,000 and 10,000
// pages (the 10,000-page ones are left out under -short):
//
//	go test ./generator/build -run '^$' -bench . -benchmem

var archives = map[int]string{}

func archiveOf(b *testing.B, n int) string {
	b.Helper()
	if testing.Short() && n > 1000 {
		b.Skip("10,000 pages: run without -short")
	}
	if dir, ok := archives[n]; ok {
		return dir
	}
	dir, err := mkdirTemp(fmt.Sprintf("recap-bench-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := synth.Site(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	archives[n] = dir
	return dir
}

var sizes = []int{1000, 10000}

func eachSize(b *testing.B, f func(b *testing.B, dir string, n int)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			dir := archiveOf(b, n)
			b.ReportAllocs()
			f(b, dir, n)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(n), "ms/page")
		})
	}
}

func loaded(b *testing.B, dir string) (*content.Result, []string) {
	res, diags := content.Load(dir, content.Options{})
	if diags.HasErrors() {
		b.Fatal(diags[0])
	}
	statics, _ := ListStatic(dir)
	return res, statics
}

func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		for b.Loop() {
			loaded(b, dir)
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		res, statics := loaded(b, dir)
		for b.Loop() {
			resolve.Resolve(res.Config, res.Sections, res.Pages, resolve.Options{StaticFiles: statics})
		}
	})
}

func resolved(b *testing.B, dir string) (*site.Site, *templates.Set) {
	res, statics := loaded(b, dir)
	s, diags := resolve.Resolve(res.Config, res.Sections, res.Pages, resolve.Options{StaticFiles: statics})
	if diags.HasErrors() {
		b.Fatal(diags[0])
	}
	set, diags := templates.Load(dir, render.Funcs())
	if diags.HasErrors() {
		b.Fatal(diags[0])
	}
	return s, set
}

// renderAll renders every page of s as recap build does (with the archive's template
// strings) into out, and fails the benchmark on any error: a page whose templates fail
// stops at the first error, and timing that would time nothing.
func renderAll(b *testing.B, dir string, s *site.Site, set *templates.Set, m *minify.Minifier, out output.Writer) {
	strs, diags := i18n.Load(dir)
	if diags.HasErrors() {
		b.Fatal(diags[0])
	}
	if diags := render.New(s, set, m, out, render.Options{Strings: strs}).All(context.Background(), s.Pages); len(diags) > 0 {
		b.Fatal(diags[0])
	}
}

// BenchmarkRender executes the templates and minifies every page, writing nothing.
func BenchmarkRender(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		s, set := resolved(b, dir)
		m := minify.New()
		for b.Loop() {
			renderAll(b, dir, s, set, m, output.Discard{})
		}
	})
}

// BenchmarkMinify minifies the HTML of every page, rendered once beforehand.
func BenchmarkMinify(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		s, set := resolved(b, dir)
		mem := output.NewMemory()
		renderAll(b, dir, s, set, minify.New(), mem)
		var pages [][]byte
		for _, p := range mem.Paths() {
			if strings.HasSuffix(p, ".html") {
				d, _ := mem.Get(p)
				pages = append(pages, d)
			}
		}
		m := minify.New()
		b.SetBytes(int64(len(slices.Concat(pages...))))
		for b.Loop() {
			for _, p := range pages {
				if _, err := m.Bytes("text/html", p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkWrite writes every page's bytes into a staging folder and swaps it in.
func BenchmarkWrite(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		s, set := resolved(b, dir)
		mem := output.NewMemory()
		renderAll(b, dir, s, set, minify.New(), mem)
		out := filepath.Join(b.TempDir(), "public")
		for b.Loop() {
			d, err := output.NewDir(out)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range mem.Paths() {
				data, _ := mem.Get(p)
				if err := d.WriteFile(p, data); err != nil {
					b.Fatal(err)
				}
			}
			if err := d.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuild is the whole build, to disk, as recap build does it.
func BenchmarkBuild(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		out := filepath.Join(b.TempDir(), "public")
		for b.Loop() {
			if res, err := Build(context.Background(), Options{Source: dir, Out: out}); err != nil {
				b.Fatal(err, res.Diags[:min(3, len(res.Diags))])
			}
		}
	})
}

// BenchmarkTemplates executes the templates only (no minifying, no writing) for the pages
// of each kind and section of the 10,000-page archive, one page in turn per iteration, to
// show where template time goes; ns/op is the cost of one page of that kind.
func BenchmarkTemplates(b *testing.B) {
	if testing.Short() {
		b.Skip("10,000 pages: run without -short")
	}
	dir := archiveOf(b, 10000)
	s, set := resolved(b, dir)
	strs, diags := i18n.Load(dir)
	if diags.HasErrors() {
		b.Fatal(diags[0])
	}
	r := render.New(s, set, minify.New(), output.Discard{}, render.Options{Strings: strs})
	groups := map[string][]*site.Page{}
	var names []string
	for _, p := range s.Pages {
		k := string(p.Kind)
		if p.Section != "" {
			k += "/" + p.Section
		}
		if groups[k] == nil {
			names = append(names, k)
		}
		groups[k] = append(groups[k], p)
	}
	slices.Sort(names)
	for _, k := range names {
		pages := groups[k]
		b.Run(k, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pages[i%len(pages)]
				i++
				name, d := r.TemplateFor(p)
				if d != nil {
					b.Fatal(d)
				}
				buf.Reset()
				if err := set.Execute(&buf, name, r.Context(p)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/page")
		})
	}
}

// BenchmarkSearchIndex builds the search index of the whole site (package search), to set
// beside BenchmarkBuild: the index may cost at most 5% of the build.
func BenchmarkSearchIndex(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, n int) {
		s, _ := resolved(b, dir)
		for b.Loop() {
			search.Build(s.Language, s.Pages, search.Options{})
		}
	})
}
