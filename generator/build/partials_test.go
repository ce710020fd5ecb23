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

// TestPartialCacheChangesNothing builds a synthetic archive with the repository's templates
// twice, keeping partials' results and running every call: every file is the same.
func TestPartialCacheChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Site(dir, 300, 7); err != nil {
		t.Fatal(err)
	}
	kept, fresh := output.NewMemory(), output.NewMemory()
	for _, b := range []struct {
		w  *output.Memory
		no bool
	}{{kept, false}, {fresh, true}} {
		if res := build.Run(context.Background(), build.Options{Source: dir, NoPartialCache: b.no}, b.w); res.Diags.HasErrors() {
			t.Fatal(res.Diags)
		}
	}
	if !slices.Equal(kept.Paths(), fresh.Paths()) {
		t.Fatalf("the files differ:\n%v\n%v", kept.Paths(), fresh.Paths())
	}
	for _, p := range kept.Paths() {
		a, _ := kept.Get(p)
		b, _ := fresh.Get(p)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs with kept partials:\n%s\nrunning every partial:\n%s", p, a, b)
		}
	}
}
