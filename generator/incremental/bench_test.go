package incremental

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/internal/synth"
)

var titleLine = regexp.MustCompile(`(?m)^title: .*\n`)

// BenchmarkEditTranslated edits one speaker's page, title and body, in a synthetic archive
// translated into French (1,000 pages with -short, else 10,000, each in two languages), and
// times the update: "page" as recap serve does it after a save, "everything" as an update
// that renders both languages whole, which is what a save cost before.
func BenchmarkEditTranslated(b *testing.B) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	dir := b.TempDir()
	if _, err := synth.SiteWith(dir, n, 1, synth.Options{Langs: 2}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: dir})
	if res.Diags.HasErrors() {
		b.Fatal(res.Diags[:min(5, len(res.Diags))])
	}
	const rel = "content/speakers/spe-00007.md"
	page := filepath.Join(dir, filepath.FromSlash(rel))
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name    string
		changed []string
	}{{"page", []string{rel}}, {"everything", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			var rendered int
			for b.Loop() {
				i++
				edited := titleLine.ReplaceAll(orig, fmt.Appendf(nil, "title: Edited %d\n", i))
				edited = append(edited, fmt.Sprintf("\nEdit %d.\n", i)...)
				if err := os.WriteFile(page, edited, 0o644); err != nil {
					b.Fatal(err)
				}
				r := s.Update(ctx, bc.changed)
				if r.Diags.HasErrors() {
					b.Fatal(r.Diags[:min(5, len(r.Diags))])
				}
				rendered = r.Rendered
			}
			b.ReportMetric(float64(rendered), "pages-rendered")
		})
	}
}
