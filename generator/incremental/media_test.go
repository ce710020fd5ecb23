package incremental

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/internal/sitetest"
	"github.com/icc-recap/recap/internal/testimage"
)

// Saving an image processes that image again and renders only the pages that show it; the
// result is what a full build gives.
func TestSavingAnImageRendersOnlyItsPages(t *testing.T) {
	src := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
		"content/talks/opening.md": "---\ntitle: Opening\n---\n![The hall](hall.png)\n",
		"content/talks/closing.md": "---\ntitle: Closing\n---\nNo picture.\n",
		"content/talks/hall.png":   string(testimage.PNG(testimage.Photo(120, 80, 1))),
	}))
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src, CacheDir: filepath.Join(t.TempDir(), "cache")})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	before, _ := s.Current().Get("talks/opening/index.html")
	if err := os.WriteFile(filepath.Join(src, "content/talks/hall.png"), testimage.PNG(testimage.Photo(90, 90, 2)), 0o644); err != nil {
		t.Fatal(err)
	}
	res = s.Update(ctx, []string{"content/talks/hall.png"})
	if res.Diags.HasErrors() || res.Full {
		t.Fatalf("update: full=%v %v", res.Full, res.Diags)
	}
	// The talk, and the pages that list it (its section, the home page), not every page.
	if res.Rendered == 0 || res.Rendered > 4 {
		t.Errorf("rendered %d pages", res.Rendered)
	}
	after, _ := s.Current().Get("talks/opening/index.html")
	if string(before) == string(after) || !strings.Contains(string(after), "width=90 height=90") {
		t.Errorf("the page was not brought up to date: %s", after)
	}
	same(t, "image saved", s, src)
	// An image no page shows: nothing to do.
	if err := os.WriteFile(filepath.Join(src, "content/talks/unused.png"), testimage.PNG(testimage.Photo(10, 10, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	if res = s.Update(ctx, []string{"content/talks/unused.png"}); res.Rendered != 0 || res.Diags.HasErrors() {
		t.Errorf("an unused image rendered %d pages: %v", res.Rendered, res.Diags)
	}
}
