package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/testimage"
)

// gallery writes n photographs of w x h under root/content/g/ and returns their paths.
func gallery(t testing.TB, root string, n, w, h int) []string {
	t.Helper()
	var rels []string
	for i := range n {
		rel := fmt.Sprintf("content/g/photo-%03d.jpg", i)
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		// Padded at the end (decoders stop at the image's end marker), so that a test can
		// save other pixels in the same number of bytes.
		data := append(testimage.JPEG(testimage.Scene(w, h, i+1), testimage.EXIF{GPS: true}), make([]byte, 32<<10)...)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, rel)
	}
	return rels
}

// pass is one build's use of the pipeline: every image asked for as a body picture, made,
// written into out (staged, and swapped in as a build does), and the cache saved.
func pass(t testing.TB, root, cache, out string, rels []string) Stats {
	t.Helper()
	p := New(Options{Root: root, CacheDir: cache})
	for _, rel := range rels {
		if _, err := p.Picture(Request{Source: rel, Alt: "x", Rel: func(s string) string { return s }, Pos: diag.Pos{Path: "content/g/index.md", Line: 1, Col: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := output.NewDir(out)
	if err != nil {
		t.Fatal(err)
	}
	st, diags := p.Process(context.Background(), d, 0)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := p.Finish(true); err != nil {
		t.Fatal(err)
	}
	return st
}

// A build where no image changed decodes no image and reads no original (the decoder's own
// counter says so); an image saved again with other pixels, even at the same size and with
// its old modification time put back, is read and decoded again.
func TestWarmBuildDecodesAndReadsNoImage(t *testing.T) {
	root, cache, out := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "public")
	rels := gallery(t, root, 3, 900, 600)
	// Make the originals look old, as they are on a real second build (a file saved in
	// the last moments is hashed again every time; see the next part).
	old := time.Now().Add(-time.Hour)
	for _, rel := range rels {
		if err := os.Chtimes(filepath.Join(root, rel), old, old); err != nil {
			t.Fatal(err)
		}
	}
	cold := pass(t, root, cache, out, rels)
	if cold.Decoded != 3 || cold.Hashed != 3 {
		t.Fatalf("cold build: %+v", cold)
	}
	for range 2 {
		before := imaging.Decodes()
		warm := pass(t, root, cache, out, rels)
		if n := imaging.Decodes() - before; n != 0 || warm.Decoded != 0 || warm.Hashed != 0 || warm.Encoded != 0 {
			t.Fatalf("warm build decoded %d images: %+v", n, warm)
		}
		if warm.Cached != cold.Encoded {
			t.Errorf("warm build found %d files in the cache, the cold one made %d", warm.Cached, cold.Encoded)
		}
	}

	// The same size, the same modification time, other pixels: the status change time
	// (and the inode, when the file is replaced) still tell.
	p := filepath.Join(root, rels[1])
	changed := testimage.Scene(900, 600, 2)
	for y := 100; y < 200; y++ {
		for x := 100; x < 200; x++ {
			changed.Pix[changed.PixOffset(x, y)] = 0
		}
	}
	data := testimage.JPEG(changed, testimage.EXIF{GPS: true})
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	data = fitSize(data, int(st.Size()))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if st2, _ := os.Stat(p); st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Fatalf("the test did not keep the size and time: %d %v", st2.Size(), st2.ModTime())
	}
	before := imaging.Decodes()
	again := pass(t, root, cache, out, rels)
	if n := imaging.Decodes() - before; n != 1 || again.Hashed != 1 {
		t.Fatalf("after one image changed behind the same size and time: %d decoded, %+v", n, again)
	}
}

// fitSize pads or cuts a JPEG to n bytes (bytes after its end are ignored by decoders).
func fitSize(data []byte, n int) []byte {
	for len(data) < n {
		data = append(data, 0)
	}
	if len(data) > n {
		panic(fmt.Sprintf("the new image is %d bytes, more than %d", len(data), n))
	}
	return data
}

// BenchmarkWarm is the cost, per image, of the image stage of a build where no image
// changed: asking for each image's picture, finding its files in the cache and writing them
// over the previous output. Photographs of 1600 x 1200 are made at the 4 body widths in 2
// formats, 8 files each.
func BenchmarkWarm(b *testing.B) {
	const n = 24
	root, cache, out := b.TempDir(), b.TempDir(), filepath.Join(b.TempDir(), "public")
	rels := gallery(b, root, n, 1600, 1200)
	old := time.Now().Add(-time.Hour)
	for _, rel := range rels {
		if err := os.Chtimes(filepath.Join(root, rel), old, old); err != nil {
			b.Fatal(err)
		}
	}
	pass(b, root, cache, out, rels)
	pass(b, root, cache, out, rels)
	before := imaging.Decodes()
	b.ResetTimer()
	for b.Loop() {
		pass(b, root, cache, out, rels)
	}
	if imaging.Decodes() != before {
		b.Fatal("a warm build decoded images")
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*n), "ms/image")
}

// fullDisk is an output whose disk is full: every write fails.
type fullDisk struct{ tries int }

func (f *fullDisk) WriteFile(string, []byte) error {
	f.tries++
	return fmt.Errorf("write: %w", os.ErrInvalid)
}

// An output that cannot be written gives one error, for the first file, and the others
// are not tried: a full disk is one problem, not one per image.
func TestWriteFailureStopsAtTheFirst(t *testing.T) {
	root := t.TempDir()
	rels := gallery(t, root, 3, 320, 240)
	p := New(Options{Root: root, CacheDir: filepath.Join(t.TempDir(), "cache")})
	for _, rel := range rels {
		if _, err := p.Picture(Request{Source: rel, Alt: "x", Rel: func(s string) string { return s }, Pos: diag.Pos{Path: "content/g/index.md", Line: 1, Col: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	w := &fullDisk{}
	_, diags := p.Process(context.Background(), w, 1)
	var we *output.WriteError
	if len(diags) != 1 || !errors.As(diags[0], &we) {
		t.Fatalf("%d diagnostics, want one write error: %v", len(diags), diags)
	}
	if w.tries != 1 {
		t.Errorf("%d writes tried, want 1: the files after the first failure were tried", w.tries)
	}
}
