package output

import (
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
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
	// The previous output is kept as the spare.
	assertOnly(t, parent, ManifestPrefix+"public", SparePrefix+"public", "public")
	if b, _ := os.ReadFile(filepath.Join(parent, SparePrefix+"public", "old.html")); string(b) != "old" {
		t.Error("the previous output was not kept as the spare")
	}
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

// TestSpareIsWrittenOver builds three times: the third build stages into the first build's
// output, and the result holds exactly what the third build wrote, even where an earlier
// build had a file where this one has a folder, or the reverse.
func TestSpareIsWrittenOver(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	builds := []map[string]string{
		{"index.html": "1", "a/index.html": "1", "a/b/index.html": "1", "gone/deep/x.css": "1", "file": "1", "dir/index.html": "1", "deep": "1"},
		{"index.html": "2", "a/index.html": "2"},
		{"index.html": "3", "a/b/index.html": "3", "new/index.html": "3", "file/index.html": "3", "dir": "3", "deep/er/index.html": "3"},
	}
	for i, files := range builds {
		d, err := NewDir(target)
		if err != nil {
			t.Fatal(err)
		}
		if want := i >= 2; d.recycled != want {
			t.Errorf("build %d: recycled = %v, want %v", i+1, d.recycled, want)
		}
		var wg sync.WaitGroup
		for p, data := range files {
			wg.Go(func() {
				if err := d.WriteFile(p, []byte(data)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, target); !maps.Equal(got, files) {
			t.Errorf("build %d: the output holds %v, want %v", i+1, got, files)
		}
		if got := dirsUnder(t, target); i == 2 && !slices.Equal(got, []string{"a", "a/b", "deep", "deep/er", "file", "new"}) {
			t.Errorf("build 3: folders %v, want a, a/b, deep, deep/er, file and new (the empty ones of build 1 removed)", got)
		}
	}
	assertOnly(t, parent, ManifestPrefix+"public", SpareManifestPrefix+"public", SparePrefix+"public", "public")
}

// TestSpareLinksAreNotFollowed: a symbolic link in the previous output (put there by hand)
// must not make a later build write outside the output.
func TestSpareLinksAreNotFollowed(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	outside := filepath.Join(parent, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		build(t, target, map[string]string{"index.html": "x"})
		// Links in the output that becomes the spare.
		for link, to := range map[string]string{"x.html": secret, "sub": outside} {
			if err := os.Symlink(to, filepath.Join(target, link)); err != nil {
				t.Fatal(err)
			}
		}
	}
	build(t, target, map[string]string{"x.html": "overwritten", "sub/secret.txt": "overwritten"})
	if b, _ := os.ReadFile(secret); string(b) != "keep" {
		t.Errorf("a write went through a link in the spare: %s now holds %q", secret, b)
	}
}

// TestAbortKeepsTheSpare: a failed build that staged into the spare gives it back, and the
// next build still produces exactly its own files.
func TestAbortKeepsTheSpare(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	for _, p := range []string{"one.html", "two.html"} {
		build(t, target, map[string]string{p: p})
	}
	d := stage(t, target, map[string]string{"failed.html": "x"})
	if !d.recycled {
		t.Fatal("the spare was not used")
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, parent, ManifestPrefix+"public", SpareManifestPrefix+"public", SparePrefix+"public", "public")
	if got := readAll(t, target); !maps.Equal(got, map[string]string{"two.html": "two.html"}) {
		t.Errorf("the aborted build changed the output: %v", got)
	}
	build(t, target, map[string]string{"three.html": "three.html"})
	if got := readAll(t, target); !maps.Equal(got, map[string]string{"three.html": "three.html"}) {
		t.Errorf("after the aborted build, the next output holds %v", got)
	}
}

// TestFirstFailedBuildLeavesNothing: without a previous output, an aborted build leaves no
// folder behind.
func TestFirstFailedBuildLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	d, err := NewDir(filepath.Join(parent, "public"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, parent)
}

// stage prepares a build of target and writes files into it.
func stage(t *testing.T, target string, files map[string]string) *Dir {
	t.Helper()
	d, err := NewDir(target)
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		if err := d.WriteFile(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// build stages files into target and swaps them in.
func build(t *testing.T, target string, files map[string]string) {
	t.Helper()
	if err := stage(t, target, files).Commit(); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, root string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func dirsUnder(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() && p != root {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	return got
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

// TestSpareFilesWrittenOnlyWhenChanged: a file of the spare that holds what the build writes
// is left untouched (its modification time stays), others get exactly the new bytes, longer
// or shorter, and a file with a second name or other permissions is replaced, never written
// through.
func TestSpareFilesWrittenOnlyWhenChanged(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	big := strings.Repeat("0123456789abcdef", 200<<10/16) // read back in several chunks
	first := map[string]string{"same.html": "same", "samesize.html": "abcd", "longer.html": "ab", "shorter.html": "abcdef", "linked.html": "linked", "private.html": "private",
		"readonly.html": "readonly", "big-same.js": big, "big-tail.js": big}
	build(t, target, first)
	build(t, target, map[string]string{"other.html": "x"})
	// The first build's output is now the spare: age it, link one file, restrict another.
	spare := filepath.Join(parent, SparePrefix+"public")
	old := time.Date(2020, 9, 21, 9, 0, 0, 0, time.UTC)
	for p := range first {
		if err := os.Chtimes(filepath.Join(spare, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(parent, "copy.html")
	if err := os.Link(filepath.Join(spare, "linked.html"), outside); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(spare, "private.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(spare, "readonly.html"), 0o444); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"same.html": "same", "samesize.html": "wxyz", "longer.html": "abcdefgh", "shorter.html": "a", "linked.html": "relinked", "private.html": "private",
		"readonly.html": "written", "big-same.js": big, "big-tail.js": big[:len(big)-1] + "!"}
	build(t, target, want)
	if got := readAll(t, target); !maps.Equal(got, want) {
		t.Errorf("the output holds %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(outside); string(b) != "linked" {
		t.Errorf("a file linked from the spare was written through: it holds %q", b)
	}
	for p := range want {
		st, err := os.Stat(filepath.Join(target, p))
		if err != nil {
			t.Fatal(err)
		}
		if unchanged := st.ModTime().Equal(old); unchanged != (p == "same.html" || p == "big-same.js") {
			t.Errorf("%s: modification time kept = %v", p, unchanged)
		}
		if (p == "private.html" || p == "readonly.html") && st.Mode().Perm()&0o200 == 0 || p == "private.html" && st.Mode().Perm() == 0o600 {
			t.Errorf("%s kept the permissions of the spare's file: %v", p, st.Mode().Perm())
		}
	}
}

// TestSpareRandomBuilds runs many builds of random trees over a small set of paths, where
// one build's file is often another's folder, and checks after each that the output holds
// exactly the files written and no empty folder: what a build into an empty folder gives.
func TestSpareRandomBuilds(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	universe := []string{"a", "a/b", "a/b/c", "a/index.html", "b/index.html", "b", "c/d/e.css", "c/d", "c", "index.html", "x/y/index.html", "x/y"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 60 {
		files := map[string]string{}
		for _, p := range universe {
			if rng.IntN(2) == 0 {
				continue
			}
			clash := false
			for q := range files {
				if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
					clash = true
				}
			}
			if !clash {
				files[p] = fmt.Sprintf("%s in build %d", p, n/3) // some builds repeat the last
			}
		}
		d := stage(t, target, files)
		if rng.IntN(8) == 0 {
			if err := d.Abort(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := d.Commit(); err != nil {
			t.Fatalf("build %d: %v", n, err)
		}
		if got := readAll(t, target); !maps.Equal(got, files) {
			t.Fatalf("build %d: the output holds %v, want %v", n, got, files)
		}
		for _, dir := range dirsUnder(t, target) {
			if entries, _ := os.ReadDir(filepath.Join(target, dir)); len(entries) == 0 {
				t.Errorf("build %d: the folder %s is empty", n, dir)
			}
		}
	}
}

// TestSpareWithALockedFolder: a folder of the spare the build may not write in (made
// read-only by hand), or may not even read, must not fail the build: as another user than
// root, the spare is given up for a new folder. Run as root, the folder is used anyway.
func TestSpareWithALockedFolder(t *testing.T) {
	for _, mode := range []fs.FileMode{0o555, 0o000} {
		t.Run(mode.String(), func(t *testing.T) { testLockedFolder(t, mode) })
	}
}

func testLockedFolder(t *testing.T, mode fs.FileMode) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	for _, files := range []map[string]string{{"locked/old.html": "1", "index.html": "1"}, {"index.html": "2"}} {
		build(t, target, files)
	}
	locked := filepath.Join(parent, SparePrefix+"public", "locked")
	if err := os.Chmod(locked, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Unlock the folder wherever the build left it, so that the test's folder can go.
		_ = filepath.WalkDir(parent, func(p string, e fs.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	want := map[string]string{"index.html": "3", "locked/new.html": "3"}
	build(t, target, want)
	if got := readAll(t, target); !maps.Equal(got, want) {
		t.Errorf("the output holds %v, want %v", got, want)
	}
}

// LinkFile publishes a file that never changes by a hard link: the output's file is the
// source itself; a build where it is already there does nothing; a later build writing
// other bytes at that address replaces the link and leaves the source alone; a source with
// other permissions than a new file's is copied, not linked; a folder in the way goes.
func TestLinkFile(t *testing.T) {
	src := filepath.Join(t.TempDir(), "entry")
	if err := os.WriteFile(src, []byte("pixels"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "public")
	sst, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 4 {
		d := stage(t, target, map[string]string{"index.html": "home"})
		n, err := d.LinkFile("img/a.webp", src)
		if err != nil || n != 6 {
			t.Fatalf("round %d: %d %v", round, n, err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(target, "img", "a.webp"))
		if err != nil || !os.SameFile(st, sst) {
			t.Fatalf("round %d: the output's file is not the source: %v", round, err)
		}
	}
	// Other bytes at the same address: the source keeps its own.
	build(t, target, map[string]string{"img/a.webp": "other"})
	build(t, target, map[string]string{"img/a.webp": "other"})
	if b, _ := os.ReadFile(src); string(b) != "pixels" {
		t.Fatalf("writing the output changed the linked source: %q", b)
	}
	// A folder where the file goes, in the spare.
	build(t, target, map[string]string{"img/a.webp/x": "x"})
	d := stage(t, target, nil)
	if _, err := d.LinkFile("img/a.webp", src); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, target); len(got) != 1 || got["img/a.webp"] != "pixels" {
		t.Fatalf("after a folder was in the way: %v", got)
	}
	// A source only its owner may read is copied, with a new file's permissions.
	private := filepath.Join(t.TempDir(), "private")
	if err := os.WriteFile(private, []byte("secret pixels"), 0o600); err != nil {
		t.Fatal(err)
	}
	d = stage(t, target, nil)
	if n, err := d.LinkFile("b.webp", private); err != nil || n != 13 {
		t.Fatal(n, err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(target, "b.webp"))
	pst, _ := os.Stat(private)
	if err != nil || os.SameFile(st, pst) || st.Mode().Perm() != filePerm(target) {
		t.Fatalf("the private source was linked or kept its permissions: %v %v", st.Mode(), err)
	}
}
