package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icc-recap/recap/internal/sitetest"
)

// next waits for the next batch (the watcher delivers one once events stop for Quiet).
func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches:
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no batch within 10s")
	}
	return nil
}

// until gathers batches until every path of want has been reported, and returns all the
// paths reported meanwhile.
func until(t *testing.T, w *Watcher, want ...string) []string {
	t.Helper()
	var got []string
	for {
		got = append(got, next(t, w)...)
		missing := false
		for _, p := range want {
			if !slices.Contains(got, p) {
				missing = true
			}
		}
		if !missing {
			return got
		}
	}
}

func start(t *testing.T, root string, opts Options) *Watcher {
	t.Helper()
	w, err := New(root, []string{"content", "templates", "static"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return w
}

// write writes a file of the site at root, creating its folder.
func write(t *testing.T, root, rel, data string) {
	t.Helper()
	sitetest.WriteInto(t, root, map[string]string{rel: data})
}

func TestBatches(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"content/days", "static"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w := start(t, root, Options{Quiet: 30 * time.Millisecond})

	// Every file of a burst is reported, each once per batch, sorted.
	var burst []string
	for i := range 20 {
		rel := fmt.Sprintf("content/days/d%02d.md", i)
		burst = append(burst, rel)
		write(t, root, rel, "x")
	}
	got := until(t, w, burst...)
	for _, p := range got {
		if !slices.Contains(burst, p) {
			t.Errorf("the burst reported %s", p)
		}
	}

	// An editor's save: write a temporary file, rename it over the page: the page alone.
	write(t, root, "content/days/.d00.md.tmp", "new")
	if err := os.Rename(filepath.Join(root, "content/days/.d00.md.tmp"), filepath.Join(root, "content/days/d00.md")); err != nil {
		t.Fatal(err)
	}
	if b := next(t, w); !slices.Equal(b, []string{"content/days/d00.md"}) {
		t.Errorf("rename save: %v", b)
	}

	// A folder created after start, with a file in it; once that is reported the folder is
	// watched, and a file written in it afterwards is reported too.
	write(t, root, "content/rooms/hall.md", "x")
	until(t, w, "content/rooms")
	write(t, root, "content/rooms/annex.md", "x")
	until(t, w, "content/rooms/annex.md")

	// A source folder that did not exist at start.
	write(t, root, "templates/page.html", "x")
	until(t, w, "templates")

	// Deleting is reported; files outside the source folders are not.
	write(t, root, "public/index.html", "x")
	if err := os.Remove(filepath.Join(root, "content/days/d01.md")); err != nil {
		t.Fatal(err)
	}
	for _, p := range until(t, w, "content/days/d01.md") {
		if strings.HasPrefix(p, "public") {
			t.Errorf("a change outside the source folders was reported: %s", p)
		}
	}
}

// TestBatchFolding checks what a batch keeps, event by event, with no clock involved.
func TestBatchFolding(t *testing.T) {
	type ev struct {
		rel     string
		created bool
	}
	tests := []struct {
		name   string
		events []ev
		exists []string // what is there when the batch ends
		want   []string
	}{
		{"a write", []ev{{"content/a.md", false}}, []string{"content/a.md"}, []string{"content/a.md"}},
		{"twice the same", []ev{{"content/a.md", false}, {"content/a.md", false}}, []string{"content/a.md"}, []string{"content/a.md"}},
		{"a new page", []ev{{"content/b.md", true}}, []string{"content/b.md"}, []string{"content/b.md"}},
		{"a deleted page", []ev{{"content/a.md", false}}, nil, []string{"content/a.md"}},
		{"a file that came and went", []ev{{"content/tmp.md", true}, {"content/tmp.md", false}}, nil, nil},
		{"deleted, then made again", []ev{{"content/a.md", false}, {"content/a.md", true}}, []string{"content/a.md"}, []string{"content/a.md"}},
		{"vim: probe, backup, write, delete the backup", []ev{
			{"content/4913", true}, {"content/4913", false},
			{"content/a.md", false}, {"content/a.md~", true},
			{"content/a.md", true}, {"content/a.md", false}, {"content/a.md~", false},
		}, []string{"content/a.md"}, []string{"content/a.md"}},
		{"emacs: lock and auto-save files", []ev{{"content/.#a.md", true}, {"content/#a.md#", true}, {"content/a.md", false}},
			[]string{"content/.#a.md", "content/#a.md#", "content/a.md"}, []string{"content/a.md"}},
		{"swap files", []ev{{"content/.a.md.swp", true}, {"content/.a.md.swx", true}}, []string{"content/.a.md.swp"}, nil},
		{"sorted", []ev{{"static/z.css", false}, {"content/a.md", false}}, []string{"static/z.css", "content/a.md"}, []string{"content/a.md", "static/z.css"}},
	}
	for _, tt := range tests {
		var b batch
		for _, e := range tt.events {
			b.note(e.rel, e.created)
		}
		got := b.take(func(rel string) bool { return slices.Contains(tt.exists, rel) })
		if !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if !b.empty() {
			t.Errorf("%s: the batch is not empty after take", tt.name)
		}
	}
}

func TestEditorFile(t *testing.T) {
	for name, want := range map[string]bool{
		"page.md": false, "page.md~": true, ".page.md.swp": true, ".page.md.swx": true, "#page.md#": true,
		".#page.md": true, "4913": true, "5036": true, "5159": true, "4914": false, "1234": false,
		"#": false, "site.css": false, ".hidden": true, "notes.txt": false,
	} {
		if got := EditorFile(name); got != want {
			t.Errorf("EditorFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestUnwatchableFolderIsReported: a folder that cannot be watched (the system's limit
// reached) is reported on Errors, with what to do.
func TestUnwatchableFolderIsReported(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"content/days", "content/speakers"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(root, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.fsw.Close()
	w.dirs = []string{"content"}
	w.add = func(p string) error {
		if filepath.Base(p) == "speakers" {
			return fmt.Errorf("inotify_add_watch: %w", syscall.ENOSPC)
		}
		return w.fsw.Add(p)
	}
	w.addTree(filepath.Join(root, "content"), nil)
	select {
	case err := <-w.Errors:
		if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "cannot watch content/speakers") {
			t.Errorf("error %v", err)
		}
		if msg := Explain(err); !strings.Contains(msg, "sudo sysctl fs.inotify.max_user_watches=") {
			t.Errorf("Explain: %s", msg)
		}
	default:
		t.Fatal("no error reported")
	}
}

func TestExplain(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("x: %w", syscall.ENOSPC), "fs.inotify.max_user_watches"},
		{fmt.Errorf("x: %w", syscall.EMFILE), "fs.inotify.max_user_instances"},
		{errors.New("other"), "other"},
	} {
		if got := Explain(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("Explain(%v) = %q, want it to mention %q", tt.err, got, tt.want)
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
