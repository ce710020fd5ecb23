package output

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestClean(t *testing.T) {
	good := map[string]string{"index.html": "index.html", "a/b/index.html": "a/b/index.html", "dir/": "dir"}
	for in, want := range good {
		if got, err := Clean(in); err != nil || got != want {
			t.Errorf("Clean(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "/etc/passwd", "../x", "a/../../x", "a/../b", "a\\b", "./a", "a//b"} {
		if got, err := Clean(bad); err == nil {
			t.Errorf("Clean(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDirCommitReplacesAndAbortKeeps(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "old.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Abort: the target is untouched and the staging folder is gone.
	d, err := NewDir(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("new.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(target, "old.html")); string(b) != "old" {
		t.Error("abort changed the target")
	}
	if _, err := os.Stat(filepath.Join(target, "new.html")); err == nil {
		t.Error("abort let a new file in")
	}
	assertOnly(t, parent, "public")

	// Commit: the target holds exactly what was written, concurrently, in nested folders.
	d, err = NewDir(target)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, p := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c.css", "z/index.html"} {
		wg.Go(func() {
			if err := d.WriteFile(p, []byte(p)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := d.WriteFile("../escape.html", []byte("x")); err == nil {
		t.Error("a path leaving the output was accepted")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "old.html")); err == nil {
		t.Error("a stale file survived the commit")
	}
	if b, _ := os.ReadFile(filepath.Join(target, "a/b/c.css")); string(b) != "a/b/c.css" {
		t.Errorf("a/b/c.css = %q", b)
	}
	assertOnly(t, parent, "public")
}

func TestStaleStagingIsRemoved(t *testing.T) {
	parent := t.TempDir()
	stale := filepath.Join(parent, StagingPrefix+"public-123")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := NewDir(filepath.Join(parent, "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if _, err := os.Stat(stale); err == nil {
		t.Error("a staging folder of a killed build was left")
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestMemory(t *testing.T) {
	m := NewMemory()
	_ = m.WriteFile("b/index.html", []byte("b"))
	_ = m.WriteFile("a.css", []byte("a"))
	if err := m.WriteFile("/abs", nil); err == nil {
		t.Error("an absolute path was accepted")
	}
	if got := strings.Join(m.Paths(), ","); got != "a.css,b/index.html" {
		t.Errorf("Paths = %s", got)
	}
	m.Remove("a.css")
	if _, ok := m.Get("a.css"); ok {
		t.Error("Remove did not remove")
	}
	if b, ok := m.Get("b/index.html"); !ok || string(b) != "b" {
		t.Error("Get")
	}
}
