package build_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/synth"
)

// TestPartialCacheChangesNothing builds synthetic archives with the repository's templates
// twice, keeping partials' results and running every call: every file is the same, in one
// language and in three (where pages of the default language are shown among the
// translations), with links to folders and to index.html files.
func TestPartialCacheChangesNothing(t *testing.T) {
	for _, tt := range []struct {
		langs    int
		fileURLs bool
	}{{1, false}, {3, false}, {3, true}} {
		dir := t.TempDir()
		if _, err := synth.SiteWith(dir, 300, 7, synth.Options{Langs: tt.langs}); err != nil {
			t.Fatal(err)
		}
		kept, fresh := output.NewMemory(), output.NewMemory()
		for _, b := range []struct {
			w  *output.Memory
			no bool
		}{{kept, false}, {fresh, true}} {
			if res := build.Run(context.Background(), build.Options{Source: dir, NoPartialCache: b.no, FileURLs: tt.fileURLs}, b.w); res.Diags.HasErrors() {
				t.Fatal(res.Diags)
			}
		}
		if !slices.Equal(kept.Paths(), fresh.Paths()) {
			t.Fatalf("%d languages: the files differ:\n%v\n%v", tt.langs, kept.Paths(), fresh.Paths())
		}
		for _, p := range kept.Paths() {
			a, _ := kept.Get(p)
			b, _ := fresh.Get(p)
			if !bytes.Equal(a, b) {
				t.Errorf("%d languages, file URLs %v: %s differs with kept partials:\n%s\nrunning every partial:\n%s", tt.langs, tt.fileURLs, p, a, b)
			}
		}
	}
}
