package output

import (
	"cmp"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestManifestSparesReadingBack: with the manifest a build leaves, files of the spare that
// already hold the bytes to write are neither read nor written; a file changed by hand
// since, even to bytes of the same size, is read back and made right; a file written anew
// with the same bytes is read back and kept; a manifest that cannot be read, or is wrong,
// changes nothing but the time taken.
func TestManifestSparesReadingBack(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	spare := filepath.Join(parent, SparePrefix+"public")
	files := map[string]string{"index.html": "home", "a/index.html": "page a", "a/b/index.html": "page b", "style.css": "body{}", "edited.html": "original", "copied.html": "copied"}
	build(t, target, files)
	build(t, target, files) // the first build's output and manifest become the spare's
	rebuild := func(what string, readBack int, rewritten ...string) {
		t.Helper()
		was := changeTimes(t, spare, files)
		before := readBacks.Load()
		build(t, target, files)
		if n := readBacks.Load() - before; n != int64(readBack) {
			t.Errorf("%s: %d files read back, want %d", what, n, readBack)
		}
		if got := readAll(t, target); !maps.Equal(got, files) {
			t.Errorf("%s: the output holds %v, want %v", what, got, files)
		}
		now := changeTimes(t, target, files)
		for p := range files {
			if written := now[p] != was[p]; written != slices.Contains(rewritten, p) {
				t.Errorf("%s: %s written = %v", what, p, written)
			}
		}
	}
	rebuild("the same files", 0)

	for p, data := range map[string]string{"edited.html": "ORIGINAL", "copied.html": "copied"} {
		if err := os.WriteFile(filepath.Join(spare, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rebuild("two files changed by hand", 2, "edited.html")

	wrong := map[string]sum{}
	for p := range files {
		wrong[p] = sum{size: 1, hash: 1}
	}
	for what, write := range map[string]func(string) error{
		"a manifest that is not one": func(p string) error {
			return os.WriteFile(p, []byte(manifestHeader+"\nnot a line\n"), 0o644)
		},
		"a wrong manifest": func(p string) error { return writeManifest(p, wrong, map[string]int64{"": 1, "a": 1, "a/b": 1}) },
		"no manifest":      os.Remove,
	} {
		if err := write(filepath.Join(parent, SpareManifestPrefix+"public")); err != nil {
			t.Fatal(err)
		}
		rebuild(what, len(files))
	}
}

// changeTimes returns the change time of each of files in dir.
func changeTimes(t *testing.T, dir string, files map[string]string) map[string]int64 {
	t.Helper()
	times := map[string]int64{}
	for p := range files {
		st, err := os.Lstat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		times[p] = changeTime(st)
	}
	return times
}

// TestManifestReadsWhatItWrites: a manifest read back lists what was written, and looks
// files up by path.
func TestManifestReadsWhatItWrites(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m")
	sums := map[string]sum{"b/index.html": {1, 2, 3}, "a.css": {4, 5, 1<<64 - 1}, "a b/é.html": {0, -1, 0}}
	dirs := map[string]int64{"": 7, "b": 8, "a b": -9}
	if err := writeManifest(p, sums, dirs); err != nil {
		t.Fatal(err)
	}
	m := readManifest(p)
	if m == nil {
		t.Fatal("the manifest could not be read back")
	}
	for rel, want := range sums {
		if got, ok := m.lookup(rel); !ok || got != want {
			t.Errorf("%s: %v %v, want %v", rel, got, ok, want)
		}
	}
	for _, rel := range []string{"", "a", "b/index.htm", "c"} {
		if _, ok := m.lookup(rel); ok {
			t.Errorf("%q found", rel)
		}
	}
	for rel, want := range dirs {
		name := cmp.Or(rel, ".")
		i := slices.IndexFunc(m.dirs, func(e manifestEntry) bool { return m.name(e) == name })
		if i < 0 || m.dirs[i].changed != want || !m.hasDir(name) {
			t.Errorf("folder %q not read back with its time %d", name, want)
		}
	}
	if m.hasDir("a") || m.hasDir("") {
		t.Error("a folder not written is found")
	}
	// A name with a line break cannot be listed: then there is no manifest at all, for a
	// manifest must list every file.
	q := filepath.Join(t.TempDir(), "m")
	if err := writeManifest(q, map[string]sum{"a\nb.html": {}, "c.html": {}}, map[string]int64{"": 1}); err == nil {
		t.Error("a name with a line break was written")
	}
	if _, err := os.Stat(q); err == nil {
		t.Error("a manifest was left")
	}
	if _, ok := (*manifest)(nil).lookup("a.css"); ok {
		t.Error("found in no manifest")
	}
	for _, bad := range []string{"", "recap output manifest 1\n", "recap output manifest 2\nzz 1 2 a\n", "recap output manifest 2\n1 2 3 b\n1 2 3 a\n", "recap output manifest 2\n/ 1 b\n/ 1 a\n", "recap output manifest 2\n/ x a\n"} {
		if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if readManifest(p) != nil {
			t.Errorf("%q read as a manifest", bad)
		}
	}
}

func TestKept(t *testing.T) {
	for name, want := range map[string]bool{
		".recap-spare-public":              true,
		".recap-manifest-public":           true,
		".recap-spare-manifest-public":     true,
		".recap-manifest-public.tmp-12345": false,
		".recap-staging-public-12345":      false,
		".recap-old-public-12345":          false,
		".recap-perm-1":                    false,
		"public":                           false,
	} {
		if got := Kept(name); got != want {
			t.Errorf("Kept(%q) = %v", name, got)
		}
	}
}

// TestManifestFolders: a rebuild with the spare's manifest reads only the folders changed
// since, and still finds and removes what was added to them by hand (a file, a folder, a
// link out of the output), or deeper; a folder deleted by hand is made again.
func TestManifestFolders(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "public")
	spare := filepath.Join(parent, SparePrefix+"public")
	outside := filepath.Join(parent, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	// "-x" sorts before ".", the top's name in a manifest.
	files := map[string]string{"index.html": "home", "-x/index.html": "x", "a/index.html": "a", "a/b/index.html": "b", "a/b/c/index.html": "c", "d/index.html": "d", "e/f/index.html": "f"}
	build(t, target, files)
	build(t, target, files)
	before := foldersRead.Load()
	build(t, target, files)
	if n := foldersRead.Load() - before; n != 1 {
		t.Errorf("a rebuild read %d folders, want 1 (the top, where the build tries a file)", n)
	}
	// By hand, in the spare the next build writes into.
	for p, data := range map[string]string{"a/b/stray.html": "stray", "a/new/deep/x.html": "x", "stray.txt": "stray"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(spare, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(spare, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(spare, "a/b/c/link")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(spare, "e")); err != nil {
		t.Fatal(err)
	}
	before = foldersRead.Load()
	build(t, target, files)
	if got := readAll(t, target); !maps.Equal(got, files) {
		t.Errorf("the output holds %v, want %v", got, files)
	}
	if got := dirsUnder(t, target); !slices.Equal(got, []string{"-x", "a", "a/b", "a/b/c", "d", "e", "e/f"}) {
		t.Errorf("folders %v", got)
	}
	// The top, a, a/b, a/b/c (changed), a/new and a/new/deep (walked).
	if n := foldersRead.Load() - before; n != 6 {
		t.Errorf("read %d folders, want 6", n)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("something was written outside: %v", entries)
	}
	// The manifests give the folders' times as they are after each build, the folders
	// repaired and the one a new page is made in included: every rebuild reads the top alone.
	files["a/g/index.html"] = "g"
	for i := range 4 {
		before = foldersRead.Load()
		build(t, target, files)
		if n := foldersRead.Load() - before; n != 1 {
			t.Errorf("rebuild %d after the repair read %d folders, want 1", i+1, n)
		}
		if got := readAll(t, target); !maps.Equal(got, files) {
			t.Errorf("rebuild %d: the output holds %v, want %v", i+1, got, files)
		}
	}
}
