package bodies

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/icc-recap/recap/generator/site"
)

// TestPutAndReadBack stores bodies from several goroutines, more than the write buffer
// holds, and reads each back, some before the buffer is flushed, some after.
func TestPutAndReadBack(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 400
	got := make([]site.Body, n)
	html := func(i int) string { return fmt.Sprintf("<p>%d %s</p>", i, strings.Repeat("é", i*17)) }
	text := func(i int) string { return fmt.Sprintf("%d %s", i, strings.Repeat("x", i*23)) }
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			var h, tx []byte // one buffer each, written over after every Put, as the load does
			for i := w; i < n; i += 4 {
				h, tx = append(h[:0], html(i)...), append(tx[:0], text(i)...)
				got[i] = s.Put(h, tx)
				if i%50 == 0 && got[i].HTML() != html(i) { // read while others still write
					t.Errorf("body %d read back early as %.40q", i, got[i].HTML())
				}
			}
		})
	}
	wg.Wait()
	var buf []byte // one buffer for every text, as the search index reads them
	for i, b := range got {
		if b.HTML() != html(i) || b.Text() != text(i) {
			t.Fatalf("body %d read back as %.40q, %.40q", i, b.HTML(), b.Text())
		}
		buf = b.(site.TextAppender).AppendText(buf[:0])
		if string(buf) != text(i) {
			t.Fatalf("body %d's text appended as %.40q", i, buf)
		}
		if after := b.(site.TextAppender).AppendText([]byte("before ")); string(after) != "before "+text(i) {
			t.Fatalf("body %d's text appended to other bytes as %.40q", i, after)
		}
	}
	if empty := s.Put(nil, nil); empty.HTML() != "" || empty.Text() != "" {
		t.Errorf("an empty body reads back as %q %q", empty.HTML(), empty.Text())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestNoFileLeftBehind: the store's file is gone once it is closed (at once where the
// system lets an open file lose its name), and bodies read after that are empty.
func TestNoFileLeftBehind(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Put([]byte("<p>a</p>"), []byte("a"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files left in the folder", len(entries))
	}
	if b.HTML() != "" || s.Err() != nil {
		t.Errorf("after Close a body reads %q, error %v", b.HTML(), s.Err())
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// TestReadFailureIsReported: a body that cannot be read back reads as empty, and Err says
// so, so that the build fails instead of publishing pages without their text.
func TestReadFailureIsReported(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := s.Put([]byte("<p>gone</p>"), []byte("gone"))
	_ = b.Text() // flushes
	if err := s.f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if h := b.HTML(); h != "" {
		t.Errorf("read %q from an emptied file", h)
	}
	if got := b.(site.TextAppender).AppendText([]byte("kept")); string(got) != "kept" {
		t.Errorf("appended %q from an emptied file, want the buffer as it was", got)
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "cannot read page bodies back") {
		t.Errorf("Err = %v", err)
	}
}

func TestNewInAMissingFolder(t *testing.T) {
	if _, err := New(t.TempDir() + "/nowhere"); err == nil || !strings.Contains(err.Error(), "temporary file for page bodies") {
		t.Errorf("err = %v", err)
	}
}
