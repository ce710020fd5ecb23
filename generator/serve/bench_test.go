package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/incremental"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/synth"
)

// archive writes a synthetic archive of n pages with the repository's own templates.
func archive(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := synth.Site(dir, n, 1); err != nil {
		tb.Fatal(err)
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
