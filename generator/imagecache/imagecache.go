// Package imagecache keeps processed images between builds in a folder outside the output,
// content-addressed: an entry's name is a hash of everything its bytes depend on (the
// original's content, the processing settings, the encoder's version), so an entry is
// never stale, only unused. It also remembers, per original, the size and modification time
// it had when it was last hashed and probed, so that a build where no image changed reads no
// image. Entries a build did not use are removed when it asks (Prune), unless another
// process is using the folder at that moment: every Cache holds a shared lock on the folder
// from its first use to Close, and Prune needs it exclusive (flock on Unix; elsewhere
// Prune goes ahead). The folder is safe to delete at any time. It knows nothing of what
// the bytes are.
//
// What is remembered of an original is trusted only while its size, modification time,
// inode and status change time are all those it had when it was hashed: writing a file
// changes its status change time even when a tool puts back the size and modification
// time (the classic hole of a stat cache). And, as git does with racy timestamps, a file
// whose modification time was within RacyWindow of the moment it was hashed is hashed
// again next time: on a file system that keeps coarse times, a second write within the
// same tick would leave the time unchanged.
package imagecache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// version is the layout of the folder; a new layout starts a new subfolder. (v2: entries
// have the permissions of a new file, 0644 under the umask, so that an output can link to
// them.)
const version = "v2"

// Cache is one cache folder. It is safe for concurrent use.
type Cache struct {
	dir string

	lockMu sync.Mutex
	lock   *os.File // the shared lock, once the folder exists

	mu      sync.Mutex
	used    map[string]bool
	sources map[string]Source
	changed bool
}

// RacyWindow is how recent a modification time must be, when a file is hashed, for the
// file to be hashed again on the next build.
const RacyWindow = 2 * time.Second

// Source is what is remembered of an original file.
type Source struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	// Inode and CTime (status change time, in nanoseconds) are 0 where the system does
	// not give them.
	Inode uint64 `json:"inode,omitempty"`
	CTime int64  `json:"ctime,omitempty"`
	// Racy is set when the file was hashed within RacyWindow of its modification: it is
	// not trusted next time.
	Racy bool `json:"racy,omitempty"`
	// Hash is the SHA-256 of the file's bytes, in hex.
	Hash string `json:"sha256"`
	// Info is whatever the caller wants kept with it (the image's size and orientation).
	Info json.RawMessage `json:"info"`
}

const manifestName = "sources.json"

// Open returns the cache in dir, reading what it remembers of the originals. A missing or
// damaged folder is an empty cache.
func Open(dir string) *Cache {
	c := &Cache{dir: filepath.Join(dir, version), used: map[string]bool{}, sources: map[string]Source{}}
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

// Path returns the file of the entry of that key and file extension. An entry is never
// written again once made (it may be removed by Prune), so an output may link to it.
func (c *Cache) Path(key, ext string) string { return c.path(key + "." + ext) }

// Get returns the entry of that key and file extension, and marks it used.
func (c *Cache) Get(key, ext string) ([]byte, bool) {
	c.hold()
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
	c.hold()
	name := key + "." + ext
	if _, err := os.Stat(c.path(name)); err != nil {
		return false
	}
	c.mark(name)
	return true
}

const lockName = ".lock"

// hold takes the shared lock on the folder, once it exists: while it is held no other
// process prunes the folder.
func (c *Cache) hold() {
	c.lockMu.Lock()
	defer c.lockMu.Unlock()
	if c.lock != nil {
		return
	}
	f, err := os.OpenFile(filepath.Join(c.dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return // no folder yet: nothing in it to keep
	}
	if err := lockShared(f); err != nil {
		_ = f.Close()
		return
	}
	c.lock = f
}

// Close lets other processes prune the folder again. The Cache may not be used after it.
func (c *Cache) Close() error {
	c.lockMu.Lock()
	defer c.lockMu.Unlock()
	if c.lock == nil {
		return nil
	}
	err := c.lock.Close()
	c.lock = nil
	return err
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
	c.hold()
	// Not os.CreateTemp, which makes the file 0600: an entry gets the permissions any new
	// file gets (0644 under the umask), those of the files of an output that links to it.
	var tmp *os.File
	var err error
	for range 100 {
		tmp, err = os.OpenFile(filepath.Join(filepath.Dir(p), ".tmp-"+strconv.FormatUint(rand.Uint64(), 36)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
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
// choosing, such as its slash path in the site), if its size, modification time, inode and
// status change time are still those of st and it was not racy.
func (c *Cache) Source(path string, st fs.FileInfo) (Source, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sources[path]
	inode, ctime := identity(st)
	if !ok || s.Racy || s.Size != st.Size() || !s.ModTime.Equal(st.ModTime()) || s.Inode != inode || s.CTime != ctime {
		return Source{}, false
	}
	return s, true
}

// SetSource remembers an original, whose status (read before its bytes were) is st:
// its size, times and inode are taken from st, the hash and info from s.
func (c *Cache) SetSource(path string, st fs.FileInfo, s Source) {
	s.Size, s.ModTime = st.Size(), st.ModTime()
	s.Inode, s.CTime = identity(st)
	s.Racy = time.Since(st.ModTime()) < RacyWindow
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
	tmp := filepath.Join(c.dir, manifestName+".tmp-"+strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	c.changed = false
	return os.Rename(tmp, filepath.Join(c.dir, manifestName))
}

// Prune removes the entries this Cache did not use, and the folders of older layouts. It
// returns how many entries it removed. While another process holds the folder (a build,
// a preview server), it removes nothing: that process may need what this one did not.
func (c *Cache) Prune() (int, error) {
	c.hold()
	c.lockMu.Lock()
	defer c.lockMu.Unlock()
	if c.lock == nil {
		return 0, nil // no folder
	}
	if !tryExclusive(c.lock) {
		// A failed conversion may have dropped the shared lock: take it again.
		_ = lockShared(c.lock)
		return 0, nil
	}
	defer func() { _ = lockShared(c.lock) }()
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
		name := d.Name()
		if d.IsDir() || name == manifestName || name == lockName {
			return nil
		}
		// Temporary files left by a process that was killed go too.
		if c.used[name] && !strings.HasPrefix(name, ".tmp-") {
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
