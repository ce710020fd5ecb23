package imagecache

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// Prune removes what this Cache did not use, but nothing while another Cache (another
// build, a preview server) holds the folder.
func TestPruneWaitsForOtherUsers(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the folder is locked with flock, on Unix systems only")
	}
	dir := t.TempDir()
	a := Open(dir)
	for _, k := range []string{Key("a"), Key("b")} {
		if err := a.Put(k, "webp", []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	user, pruner := Open(dir), Open(dir)
	if !user.Has(Key("b"), "webp") || !pruner.Has(Key("a"), "webp") {
		t.Fatal("entries missing")
	}
	if n, err := pruner.Prune(); n != 0 || err != nil {
		t.Fatalf("pruned %d entries (%v) while another cache held the folder", n, err)
	}
	if err := user.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := pruner.Prune(); n != 1 || err != nil {
		t.Fatalf("pruned %d entries (%v), want 1", n, err)
	}
	if pruner.Has(Key("b"), "webp") || !pruner.Has(Key("a"), "webp") {
		t.Error("the wrong entry went")
	}
	// An entry is readable by others (0644 under the umask), so an output may link to it.
	st, err := os.Stat(pruner.Path(Key("a"), "webp"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o044 == 0 && umaskAllowsRead() {
		t.Errorf("entry permissions: %v", st.Mode())
	}
}

func umaskAllowsRead() bool {
	p := filepath.Join(os.TempDir(), "recap-umask-probe")
	defer os.Remove(p)
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().Perm()&0o044 != 0
}

// What is remembered of a file holds while nothing about it changed, and not when its
// size, modification time or status change time did, nor when it was hashed right after
// it was written (a racy time).
func TestSourceIsTrustedOnlyWhenUnchanged(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "photo.jpg")
	write := func(data string, mtime time.Time) os.FileInfo {
		t.Helper()
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if !mtime.IsZero() {
			if err := os.Chtimes(file, mtime, mtime); err != nil {
				t.Fatal(err)
			}
		}
		st, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	tests := []struct {
		name   string
		change func(before os.FileInfo) os.FileInfo
		trust  bool
	}{
		{"unchanged", func(before os.FileInfo) os.FileInfo { return before }, true},
		{"other size", func(os.FileInfo) os.FileInfo { return write("pixels!", old) }, false},
		{"other modification time", func(os.FileInfo) os.FileInfo { return write("pixels", old.Add(time.Second)) }, false},
		{"same size and time, other bytes", func(os.FileInfo) os.FileInfo { return write("PIXELS", old) }, runtime.GOOS != "linux" && runtime.GOOS != "darwin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Open(filepath.Join(dir, "cache-"+tt.name))
			before := write("pixels", old)
			c.SetSource("photo.jpg", before, Source{Hash: "h"})
			if _, ok := c.Source("photo.jpg", before); !ok {
				t.Fatal("not trusted right after SetSource")
			}
			// Status change times are in nanoseconds; make sure the clock moved.
			time.Sleep(10 * time.Millisecond)
			if _, ok := c.Source("photo.jpg", tt.change(before)); ok != tt.trust {
				t.Errorf("trusted %v, want %v", ok, tt.trust)
			}
		})
	}
	// Hashed right after it was written: not trusted next time, whatever the stat says.
	c := Open(filepath.Join(dir, "cache-racy"))
	st := write("fresh", time.Time{})
	c.SetSource("photo.jpg", st, Source{Hash: "h"})
	if _, ok := c.Source("photo.jpg", st); ok {
		t.Error("a file hashed within the racy window was trusted")
	}
}
