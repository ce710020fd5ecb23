package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5s")
	}
	return nil
}

func TestBatches(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"content/days", "static"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(root, []string{"content", "templates", "static"}, Options{Quiet: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	write := func(rel, data string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A burst of writes is one batch.
	for i := range 20 {
		write("content/days/d"+string(rune('a'+i))+".md", "x")
	}
	b := next(t, w)
	if len(b) != 20 {
		t.Errorf("burst gave a batch of %d paths, want 20: %v", len(b), b)
	}

	// An editor's save: write a temporary file, rename it over the page.
	write("content/days/.da.md.tmp", "new")
	if err := os.Rename(filepath.Join(root, "content/days/.da.md.tmp"), filepath.Join(root, "content/days/da.md")); err != nil {
		t.Fatal(err)
	}
	if b := next(t, w); !slices.Contains(b, "content/days/da.md") {
		t.Errorf("rename save: %v", b)
	}

	// A folder created after start, with a file in it, and a file in it afterwards.
	write("content/rooms/hall.md", "x")
	if b := next(t, w); !slices.Contains(b, "content/rooms") {
		t.Errorf("new folder: %v", b)
	}
	time.Sleep(50 * time.Millisecond)
	write("content/rooms/annex.md", "x")
	if b := next(t, w); !slices.Contains(b, "content/rooms/annex.md") {
		t.Errorf("file in a new folder: %v", b)
	}

	// A source folder that did not exist at start.
	write("templates/page.html", "x")
	if b := next(t, w); !slices.Contains(b, "templates") {
		t.Errorf("new templates folder: %v", b)
	}

	// Deleting is reported; files outside the source folders are not.
	write("public/index.html", "x")
	if err := os.Remove(filepath.Join(root, "content/days/db.md")); err != nil {
		t.Fatal(err)
	}
	b = next(t, w)
	if !slices.Contains(b, "content/days/db.md") {
		t.Errorf("delete: %v", b)
	}
	for _, p := range b {
		if strings.HasPrefix(p, "public") {
			t.Errorf("a change outside the source folders was reported: %v", b)
		}
	}
}

func TestRunStopsAndCloses(t *testing.T) {
	w, err := New(t.TempDir(), []string{"content"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, ok := <-w.Batches; ok {
		t.Error("Batches is not closed")
	}
}
