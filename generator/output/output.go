// Package output is where a build puts its files. Dir stages a build in a fresh folder beside
// the target and swaps it in only when the whole build succeeded, so a failed or interrupted
// build leaves the previous output exactly as it was; Memory keeps files in memory for the
// preview server. Neither knows what the files are.
package output

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Writer receives the files of a build. Paths are slash-separated and relative to the site's
// output root. WriteFile must be safe for concurrent use.
type Writer interface {
	WriteFile(rel string, data []byte) error
}

// Clean checks that rel is a relative slash path that stays inside the output.
func Clean(rel string) (string, error) {
	c := path.Clean("/" + rel)[1:]
	if c == "" || rel != c && rel != c+"/" || strings.Contains(rel, "\\") || strings.HasPrefix(rel, "/") {
		return "", fmt.Errorf("output path %q is not a clean relative path", rel)
	}
	return c, nil
}

// Dir writes a build into a staging folder next to the target folder.
type Dir struct {
	target  string
	staging string
	mu      sync.Mutex
	dirs    map[string]bool
}

// StagingPrefix starts the name of a staging folder; an old one left by a killed process is
// removed by the next build.
const StagingPrefix = ".recap-staging-"

// NewDir prepares a staging folder for target.
func NewDir(target string) (*Dir, error) {
	target = filepath.Clean(target)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	removeStale(parent, filepath.Base(target))
	staging, err := os.MkdirTemp(parent, StagingPrefix+filepath.Base(target)+"-")
	if err != nil {
		return nil, fmt.Errorf("create a staging folder beside %s: %w", target, err)
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return nil, err
	}
	return &Dir{target: target, staging: staging, dirs: map[string]bool{"": true}}, nil
}

// removeStale deletes staging and old folders that an interrupted build left behind.
func removeStale(parent, base string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, StagingPrefix+base+"-") || strings.HasPrefix(n, ".recap-old-"+base+"-") {
			_ = os.RemoveAll(filepath.Join(parent, n))
		}
	}
}

// Staging returns the staging folder.
func (d *Dir) Staging() string { return d.staging }

// WriteFile writes one file into the staging folder.
func (d *Dir) WriteFile(rel string, data []byte) error {
	c, err := Clean(rel)
	if err != nil {
		return err
	}
	dir := path.Dir(c)
	if dir == "." {
		dir = ""
	}
	d.mu.Lock()
	known := d.dirs[dir]
	d.mu.Unlock()
	if !known {
		// One mkdir is enough when the parent exists, as it mostly does.
		full := filepath.Join(d.staging, filepath.FromSlash(dir))
		if err := os.Mkdir(full, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(full, 0o755); err != nil {
				return err
			}
		}
		d.mu.Lock()
		d.dirs[dir] = true
		d.mu.Unlock()
	}
	return os.WriteFile(filepath.Join(d.staging, filepath.FromSlash(c)), data, 0o644)
}

// Commit swaps the staging folder in for the target; the previous target is removed.
func (d *Dir) Commit() error {
	parent := filepath.Dir(d.target)
	old := ""
	if _, err := os.Lstat(d.target); err == nil {
		o, err := os.MkdirTemp(parent, ".recap-old-"+filepath.Base(d.target)+"-")
		if err != nil {
			return err
		}
		_ = os.Remove(o)
		if err := os.Rename(d.target, o); err != nil {
			return fmt.Errorf("move the previous output aside: %w", err)
		}
		old = o
	}
	if err := os.Rename(d.staging, d.target); err != nil {
		if old != "" {
			_ = os.Rename(old, d.target)
		}
		return fmt.Errorf("move the new output into place: %w", err)
	}
	if old != "" {
		return removeAll(old)
	}
	return nil
}

// removeAll deletes a folder tree, its top-level entries in parallel: deleting the previous
// output of a large site is many small system calls.
func removeAll(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range max(runtime.GOMAXPROCS(0), 2) {
		wg.Go(func() {
			for p := range work {
				if err := os.RemoveAll(p); err != nil {
					mu.Lock()
					first = cmp.Or(first, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, e := range entries {
		if !e.IsDir() {
			_ = os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		// Split big folders one level further, so one section does not take all the time.
		sub, err := os.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil || len(sub) < 64 {
			work <- filepath.Join(dir, e.Name())
			continue
		}
		for _, s := range sub {
			work <- filepath.Join(dir, e.Name(), s.Name())
		}
	}
	close(work)
	wg.Wait()
	if first != nil {
		return first
	}
	return os.RemoveAll(dir)
}

// Abort removes the staging folder and leaves the target as it was.
func (d *Dir) Abort() error {
	return os.RemoveAll(d.staging)
}

// Memory keeps files in memory.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores one file.
func (m *Memory) WriteFile(rel string, data []byte) error {
	c, err := Clean(rel)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.files[c] = data
	m.mu.Unlock()
	return nil
}

// Remove deletes one file.
func (m *Memory) Remove(rel string) {
	m.mu.Lock()
	delete(m.files, rel)
	m.mu.Unlock()
}

// Get returns one file.
func (m *Memory) Get(rel string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[rel]
	return b, ok
}

// Paths lists the stored files, sorted.
func (m *Memory) Paths() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Sorted(maps.Keys(m.files))
}

// Discard accepts every file and keeps none.
type Discard struct{}

// WriteFile checks rel and drops data.
func (Discard) WriteFile(rel string, _ []byte) error {
	_, err := Clean(rel)
	return err
}
