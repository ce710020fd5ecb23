// Package imagecache keeps processed images between builds in a folder outside the output,
// content-addressed: an entry's name is a hash of everything its bytes depend on (the
// original's content, the processing settings, the encoder's version), so an entry is
// never stale, only unused. It also remembers, per original, the size and modification time
// it had when it was last hashed and probed, so that a build where no image changed reads no
// image. Entries a build did not use are removed when it asks (Prune). The folder is safe
// to delete at any time. It knows nothing of what the bytes are.
package imagecache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// version is the layout of the folder; a new layout starts a new subfolder.
const version = "v1"

// Cache is one cache folder. It is safe for concurrent use.
type Cache struct {
	dir    string
	opened time.Time

	mu      sync.Mutex
	used    map[string]bool
	sources map[string]Source
	changed bool
}

// Source is what is remembered of an original file.
type Source struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	// Hash is the SHA-256 of the file's bytes, in hex.
	Hash string `json:"sha256"`
	// Info is whatever the caller wants kept with it (the image's size and orientation).
	Info json.RawMessage `json:"info"`
}

const manifestName = "sources.json"

// Open returns the cache in dir, reading what it remembers of the originals. A missing or
// damaged folder is an empty cache.
func Open(dir string) *Cache {
	c := &Cache{dir: filepath.Join(dir, version), opened: time.Now().Add(-2 * time.Second), used: map[string]bool{}, sources: map[string]Source{}}
	if data, err := os.ReadFile(filepath.Join(c.dir, manifestName)); err == nil {
		_ = json.Unmarshal(data, &c.sources)
	}
	return c
}

// Dir is the folder the entries are in.
func (c *Cache) Dir() string { return c.dir }

// Key returns the key of an entry made from parts (hashed together with their lengths, so
// that no two lists of parts give the same key).
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		l := len(p)
		for i := range n {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashBytes returns the hex SHA-256 of data.
func HashBytes(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func (c *Cache) path(name string) string {
	return filepath.Join(c.dir, name[:2], name)
}

// Get returns the entry of that key and file extension, and marks it used.
func (c *Cache) Get(key, ext string) ([]byte, bool) {
	name := key + "." + ext
	data, err := os.ReadFile(c.path(name))
	if err != nil {
		return nil, false
	}
	c.mark(name)
	return data, true
}

// Has reports whether the entry exists, and marks it used.
func (c *Cache) Has(key, ext string) bool {
	name := key + "." + ext
	st, err := os.Stat(c.path(name))
	if err != nil {
		return false
	}
	if st.ModTime().Before(c.opened) {
		// Another build sharing the folder prunes only what is older than its own start.
		now := time.Now()
		_ = os.Chtimes(c.path(name), now, now)
	}
	c.mark(name)
	return true
}

func (c *Cache) mark(name string) {
	c.mu.Lock()
	c.used[name] = true
	c.mu.Unlock()
}

// Put stores an entry (written to a temporary file and renamed, so a reader never sees
// half of one) and marks it used.
func (c *Cache) Put(key, ext string, data []byte) error {
	name := key + "." + ext
	p := c.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	c.mark(name)
	return nil
}

// Source returns what is remembered of the original at path (a key of the caller's
// choosing, such as its slash path in the site), if its size and modification time are
// still those of st.
func (c *Cache) Source(path string, st fs.FileInfo) (Source, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sources[path]
	if !ok || s.Size != st.Size() || !s.ModTime.Equal(st.ModTime()) {
		return Source{}, false
	}
	return s, true
}

// SetSource remembers an original.
func (c *Cache) SetSource(path string, s Source) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sources[path] = s
	c.changed = true
}

// Save writes what is remembered of the originals, keeping only those in keep.
func (c *Cache) Save(keep map[string]bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.sources {
		if !keep[p] {
			delete(c.sources, p)
			c.changed = true
		}
	}
	if !c.changed {
		return nil
	}
	data, err := json.Marshal(c.sources)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(c.dir, manifestName+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	c.changed = false
	return os.Rename(tmp, filepath.Join(c.dir, manifestName))
}

// Prune removes the entries not used since Open, and the folders of older layouts. It
// returns how many entries it removed. An entry written or used after Open by another
// build sharing the folder is left alone.
func (c *Cache) Prune() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	removed := 0
	var errs []error
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || p == filepath.Join(c.dir, manifestName) {
			return nil
		}
		name := d.Name()
		if c.used[name] && !strings.HasPrefix(name, ".tmp-") {
			return nil
		}
		if info, err := d.Info(); err != nil || !info.ModTime().Before(c.opened) {
			return nil
		}
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
		} else {
			removed++
		}
		return nil
	})
	// Older layouts' folders beside this one.
	if entries, rerr := os.ReadDir(filepath.Dir(c.dir)); rerr == nil {
		for _, e := range entries {
			if e.IsDir() && e.Name() != version && strings.HasPrefix(e.Name(), "v") {
				errs = append(errs, os.RemoveAll(filepath.Join(filepath.Dir(c.dir), e.Name())))
			}
		}
	}
	return removed, errors.Join(append(errs, err)...)
}
