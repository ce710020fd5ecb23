package serve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/incremental"
	"github.com/icc-recap/recap/generator/output"
)

// archive writes a synthetic event archive of n pages with the repository's own templates:
// days with about ten speaker references each, speakers referring to organisations and
// initiatives, bodies of a few hundred words with headings, lists, a table and links.
func archive(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, d := range []string{"templates", "static"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("..", "..", d))); err != nil {
			tb.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	counts := map[string]int{"days": n / 20, "organisations": n / 50, "initiatives": n / 10}
	counts["speakers"] = n - counts["days"] - counts["organisations"] - counts["initiatives"] - 5
	words := strings.Fields("city cities recovery ecosystem smart green skills mission partnership innovation digital climate neutral urban policy funding citizens industry data mobility energy")
	slug := func(sec string, i int) string { return fmt.Sprintf("%s-%05d", sec[:3], i) }
	para := func() string {
		var b strings.Builder
		for i := range 60 + r.IntN(40) {
			if i > 0 {
				b.WriteByte(' ')
			}
			w := words[r.IntN(len(words))]
			switch r.IntN(20) {
			case 0:
				w = "*" + w + "*"
			case 1:
				w = "`" + w + "`"
			}
			b.WriteString(w)
		}
		return b.String() + "."
	}
	write := func(rel, s string) {
		p := filepath.Join(dir, "content", filepath.FromSlash(rel))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("_index.md", "---\ntitle: Archive\nparams:\n  start_date: 2020-09-21\n  end_date: 2020-09-25\n---\n"+para()+"\n")
	w := 1
	for sec, c := range counts {
		write(sec+"/_index.md", fmt.Sprintf("---\ntitle: %s\nweight: %d\n---\n%s\n", strings.ToUpper(sec[:1])+sec[1:], w, para()))
		w++
		for i := range c {
			var fm strings.Builder
			fmt.Fprintf(&fm, "---\ntitle: %s %d\n", sec, i)
			switch sec {
			case "days":
				fmt.Fprintf(&fm, "date: 2020-09-%02d\nspeakers: [", 1+i%28)
				for k := range 10 {
					if k > 0 {
						fm.WriteString(", ")
					}
					fm.WriteString(slug("speakers", r.IntN(counts["speakers"])))
				}
				fm.WriteString("]\n")
			case "speakers":
				fmt.Fprintf(&fm, "organisations: [%s]\ninitiatives: [%s]\n", slug("organisations", r.IntN(counts["organisations"])), slug("initiatives", r.IntN(counts["initiatives"])))
			}
			fm.WriteString("---\n")
			body := fmt.Sprintf("%s\n\n## Overview\n\n%s\n\n- %s\n- %s\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## More\n\n%s See [this](../speakers/%s.md) and [that](../initiatives/%s.md#overview).\n",
				para(), para(), words[r.IntN(len(words))], words[r.IntN(len(words))], para(), slug("speakers", r.IntN(counts["speakers"])), slug("initiatives", r.IntN(counts["initiatives"])))
			write(sec+"/"+slug(sec, i)+".md", fm.String()+body)
		}
	}
	return dir
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func benchSize(b *testing.B) int {
	if testing.Short() {
		return 1000
	}
	return 10000
}

// BenchmarkRebuildLatency measures, on a running server, the time from the write of one page
// file to the reload event sent to open tabs (watcher, reload, resolve, render).
func BenchmarkRebuildLatency(b *testing.B) {
	n := benchSize(b)
	dir := archive(b, n)
	srv, res := New(context.Background(), Options{Source: dir, Addr: "127.0.0.1:0"})
	if res.Diags.HasErrors() {
		b.Fatal(res.Diags[:min(5, len(res.Diags))])
	}
	rebuilt := make(chan *incremental.Result, 16)
	srv.Rebuilt = func(r *incremental.Result) { rebuilt <- r }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	go func() { _ = srv.Run(ctx, func(string) { close(ready) }) }()
	<-ready
	page := filepath.Join(dir, "content", "speakers", "spe-00007.md")
	orig, _ := os.ReadFile(page)
	var lat []time.Duration
	var rendered int
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		t0 := time.Now()
		if err := os.WriteFile(page, append(slices.Clone(orig), fmt.Sprintf("\nEdit %d.\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		r := <-rebuilt
		if r.Diags.HasErrors() {
			b.Fatal(r.Diags)
		}
		lat = append(lat, time.Since(t0))
		rendered = r.Rendered
	}
	b.ReportMetric(float64(median(lat).Microseconds())/1000, "ms-median-latency")
	b.ReportMetric(float64(rendered), "pages-rendered")
	b.ReportMetric(float64(n), "pages")
}

// BenchmarkFullBuild is the full build of the same archive into memory, for comparison.
func BenchmarkFullBuild(b *testing.B) {
	n := benchSize(b)
	dir := archive(b, n)
	b.ReportAllocs()
	for b.Loop() {
		res := build.Run(context.Background(), build.Options{Source: dir, Inject: liveScript}, output.Discard{})
		if res.Diags.HasErrors() {
			b.Fatal(res.Diags[:min(5, len(res.Diags))])
		}
	}
	b.ReportMetric(float64(n), "pages")
}
