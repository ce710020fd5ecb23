// Package output is where a build puts its files. Dir stages a build in a folder beside the
// target and swaps it in only when the whole build succeeded, so a failed or interrupted
// build leaves the previous output exactly as it was; the output it replaces is kept as the
// next build's staging folder. Memory keeps files in memory for the preview server. Neither
// knows what the files are.
package output

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/cespare/xxhash/v2"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/parallel"
)

// Writer receives the files of a build. Paths are slash-separated and relative to the site's
// output root. WriteFile must be safe for concurrent use, and may not keep data after it
// returns: the caller reuses it for the next file (a Writer that keeps files copies them).
type Writer interface {
	WriteFile(rel string, data []byte) error
}

// Linker is a Writer that can publish a file that never changes once written (an entry
// of the image cache) by linking to it instead of copying its bytes. LinkFile puts at rel
// the file at src, a hard link where one can be made and a copy where not (another file
// system), and returns its size.
type Linker interface {
	Writer
	LinkFile(rel, src string) (int64, error)
}

// WriteError is a file of the output that could not be written. What stops one file (a
// full disk, a folder that may not be written in) stops the others alike, so a build stops
// at the first and reports that one, not a line for every page.
type WriteError struct {
	Path string // slash path in the output
	Err  error
}

func (e *WriteError) Error() string { return "cannot write " + e.Path + ": " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// WriteFailed is the diagnostic of the file path of the output that could not be written,
// at pos (the source the file is made from): it says the build stopped there, and what to do.
func WriteFailed(pos diag.Pos, path string, err error) *diag.Diagnostic {
	return diag.Wrap(pos, &WriteError{Path: path, Err: err}, "cannot write "+path+": "+err.Error()+
		"; the build stopped at this first file it could not write: make room on the disk, or give an output folder (--out) that can be written, and build again")
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
//
// After a successful build the previous output is not deleted but kept beside the target as
// the spare (SparePrefix + the target's name), and the next build stages into it: writing
// over files and folders that exist costs far less than deleting one tree and creating
// another (on ext4, deleting 10,000 pages took 0.8 to 1.0 s, writing over them 0.2 s,
// creating them 0.3 to 1.2 s). Before the swap, what the spare held and this build did not
// write is deleted, so the result is the same as a build into an empty folder. The spare may
// be deleted at any time.
type Dir struct {
	target  string
	staging string
	mu      sync.Mutex
	dirs    map[string]bool // folders known to exist in staging
	// sums holds the files this build wrote, with what the manifest of its output will say
	// of each (see manifest.go); prev is the spare's manifest, nil when staging is not the
	// spare or the spare has none.
	sums map[string]sum
	prev *manifest
	// seen holds the modification times of the folders list looked at, touched the folders
	// this build has added entries to or removed entries from since (under mu): the
	// manifest gives the others the times seen, and looks the touched ones up again.
	seen    map[string]int64
	touched map[string]bool

	// recycled is set when staging is the spare of an earlier build; ready is closed when
	// its contents are listed (and anything but files and folders removed), and old holds
	// that listing.
	recycled bool
	ready    chan struct{}
	old      []entry
	oldDirs  map[string]bool
	clearing sync.Mutex
	// perm is what 0644 becomes under the process's umask: the permissions of a new file
	// (set when the staging folder is recycled, and by the first LinkFile).
	perm     fs.FileMode
	permOnce sync.Once
	// failed is set when no staging folder could be had; every write returns it.
	failed error
	// writeFailed is set when a write into a recycled folder failed.
	writeFailed atomic.Bool
}

type entry struct {
	rel string
	dir bool
}

// StagingPrefix starts the name of a staging folder; an old one left by a killed process is
// removed by the next build.
const StagingPrefix = ".recap-staging-"

// SparePrefix starts the name of the previous output kept for the next build to write over.
const SparePrefix = ".recap-spare-"

const oldPrefix = ".recap-old-"

// NewDir prepares a staging folder for target: the spare of an earlier build if there is
// one, otherwise a new folder.
func NewDir(target string) (*Dir, error) {
	target = filepath.Clean(target)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	base := filepath.Base(target)
	removeStale(parent, base)
	staging, err := os.MkdirTemp(parent, StagingPrefix+base+"-")
	if err != nil {
		return nil, fmt.Errorf("create a staging folder beside %s: %w", target, err)
	}
	d := &Dir{target: target, staging: staging, dirs: map[string]bool{"": true}, sums: map[string]sum{}, seen: map[string]int64{}, touched: map[string]bool{}, ready: make(chan struct{})}
	spare := filepath.Join(parent, SparePrefix+base)
	if st, err := os.Lstat(spare); err == nil && st.IsDir() {
		if err := os.Remove(staging); err == nil {
			if err := os.Rename(spare, staging); err == nil {
				d.recycled = true
				d.perm = filePerm(staging)
				go d.list()
				return d, nil
			}
			if err := os.Mkdir(staging, 0o700); err != nil {
				return nil, fmt.Errorf("create a staging folder beside %s: %w", target, err)
			}
		}
	}
	close(d.ready)
	if err := os.Chmod(staging, 0o755); err != nil {
		return nil, err
	}
	return d, nil
}

// list records what the recycled staging folder holds, removing what is neither a file nor
// a folder (a symbolic link could make a write land outside the output), then lets writes
// begin. It goes by the spare's manifest where there is a whole one (listFrom), and walks
// the folder otherwise.
//
// A spare that cannot be read whole, or holds a folder this process may not write in, is
// given up for a new, empty staging folder (what is left of it is removed as stale by a
// later build): files of it that were not listed could not be removed before the swap, and
// a folder it cannot write in would fail the build.
func (d *Dir) list() {
	defer close(d.ready)
	d.oldDirs = map[string]bool{}
	d.prev = readManifest(filepath.Join(filepath.Dir(d.target), SpareManifestPrefix+filepath.Base(d.target)))
	var err error
	if d.prev != nil {
		if err = d.listFrom(d.prev); errors.Is(err, errIncomplete) {
			d.old, d.prev = nil, nil
			clear(d.oldDirs)
			clear(d.seen)
			err = d.walk("")
		}
	} else {
		err = d.walk("")
	}
	if err == nil {
		return
	}
	_ = removeAll(d.staging)
	d.recycled, d.old, d.oldDirs, d.prev = false, nil, nil, nil
	clear(d.seen)
	fresh, err := os.MkdirTemp(filepath.Dir(d.target), StagingPrefix+filepath.Base(d.target)+"-")
	if err == nil {
		err = os.Chmod(fresh, 0o755)
		d.staging = fresh
	}
	if err != nil {
		d.failed = fmt.Errorf("create a staging folder beside %s: %w", d.target, err)
	}
}

// walk records the folder rel of the staging folder ("" for all of it) and everything in
// it, removing what is neither a file nor a folder.
func (d *Dir) walk(rel string) error {
	return filepath.WalkDir(filepath.Join(d.staging, filepath.FromSlash(rel)), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			foldersRead.Add(1)
		}
		if p == d.staging {
			return nil
		}
		r, _ := filepath.Rel(d.staging, p)
		return d.record(filepath.ToSlash(r), e)
	})
}

// record notes the entry rel of the staging folder, or removes it when it is neither a
// file nor a folder.
func (d *Dir) record(rel string, e fs.DirEntry) error {
	switch {
	case e.IsDir():
		// A folder this build could not write in would fail it, and every build after.
		if st, err := e.Info(); err != nil || !canWriteIn(st) {
			return fmt.Errorf("cannot write in %s", rel)
		}
		d.old = append(d.old, entry{rel, true})
		d.oldDirs[rel] = true
	case e.Type().IsRegular():
		d.old = append(d.old, entry{rel, false})
	default:
		if err := os.Remove(filepath.Join(d.staging, filepath.FromSlash(rel))); err != nil {
			return err
		}
		d.touch(parentOf(rel))
	}
	return nil
}

// listFrom records what the staging folder holds from its manifest m: each folder m lists
// is looked at (one lstat), and only those whose modification time is not the one listed
// are read; a folder in them that m does not list is walked whole.
func (d *Dir) listFrom(m *manifest) error {
	top := slices.IndexFunc(m.dirs, func(e manifestEntry) bool { return m.name(e) == "." })
	if top < 0 {
		return errIncomplete
	}
	gone := map[string]bool{}
	changed := map[string]bool{}
	var order []string
	// The top first (a folder named "-a" sorts before "."), then each folder after the one
	// it is in.
	for _, e := range slices.Concat(m.dirs[top:top+1], m.dirs[:top], m.dirs[top+1:]) {
		rel := m.name(e)
		if rel == "." {
			rel = ""
		} else if _, looked := d.seen[parentOf(rel)]; !looked && !gone[parentOf(rel)] {
			return errIncomplete
		}
		if rel != "" && gone[parentOf(rel)] {
			gone[rel] = true
			continue
		}
		st, err := os.Lstat(filepath.Join(d.staging, filepath.FromSlash(rel)))
		if err != nil || !st.IsDir() {
			// Its folder has changed too, and is read: what is there now is found there.
			gone[rel] = true
			continue
		}
		if !canWriteIn(st) {
			return fmt.Errorf("cannot write in %s", rel)
		}
		d.seen[rel] = st.ModTime().UnixNano()
		if rel != "" {
			d.old = append(d.old, entry{rel, true})
			d.oldDirs[rel] = true
		}
		if d.seen[rel] != e.changed {
			changed[rel] = true
			order = append(order, rel)
		}
	}
	for _, e := range m.entries {
		rel := m.name(e)
		dir := parentOf(rel)
		if _, looked := d.seen[dir]; !looked && !gone[dir] {
			return errIncomplete // the manifest is not one a build wrote
		}
		if !gone[dir] && !changed[dir] {
			d.old = append(d.old, entry{rel, false})
		}
	}
	for _, dir := range order {
		foldersRead.Add(1)
		entries, err := os.ReadDir(filepath.Join(d.staging, filepath.FromSlash(dir)))
		if err != nil {
			return err
		}
		for _, e := range entries {
			rel := path.Join(dir, e.Name())
			switch {
			case e.IsDir() && m.hasDir(rel) && !gone[rel]:
				// Listed, looked at above.
			case e.IsDir():
				if err := d.walk(rel); err != nil {
					return err
				}
			default:
				if err := d.record(rel, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// errIncomplete is a manifest that lists a file or folder but not the folder it is in, which
// a build never writes.
var errIncomplete = errors.New("the manifest lists a file or folder but not the folder it is in")

// parentOf returns the folder of the slash path rel, "" for the root.
func parentOf(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

// touch notes that entries were added to or removed from the folder rel and the folders
// above it.
func (d *Dir) touch(rel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		d.touched[rel] = true
		if rel == "" {
			return
		}
		rel = parentOf(rel)
	}
}

// dirTimes returns the modification time of each folder of the output: the one list saw
// when this build has not touched the folder since, otherwise looked up now.
func (d *Dir) dirTimes() map[string]int64 {
	times := map[string]int64{"": 0}
	for rel := range d.sums {
		for dir := parentOf(rel); ; dir = parentOf(dir) {
			if _, ok := times[dir]; ok && dir != "" {
				break
			}
			times[dir] = 0
			if dir == "" {
				break
			}
		}
	}
	var look []string
	for dir := range times {
		if t, ok := d.seen[dir]; ok && !d.touched[dir] && dir != "" {
			times[dir] = t
		} else {
			look = append(look, dir)
		}
	}
	found := make([]int64, len(look))
	parallel.For(len(look), nil, func(i int) {
		if st, err := os.Lstat(filepath.Join(d.target, filepath.FromSlash(look[i]))); err == nil {
			found[i] = st.ModTime().UnixNano()
		}
	})
	for i, dir := range look {
		times[dir] = found[i]
	}
	return times
}

// filePerm returns the permissions a new file made with 0644 gets in dir under the
// process's umask, by making one.
func filePerm(dir string) fs.FileMode {
	p := filepath.Join(dir, ".recap-perm-"+strconv.Itoa(os.Getpid()))
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return 0o644
	}
	st, err := f.Stat()
	_ = f.Close()
	_ = os.Remove(p)
	if err != nil {
		return 0o644
	}
	return st.Mode().Perm()
}

// removeStale deletes staging and old folders that an interrupted build left behind.
func removeStale(parent, base string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, StagingPrefix+base+"-") || strings.HasPrefix(n, oldPrefix+base+"-") || strings.HasPrefix(n, ManifestPrefix+base+".tmp-") {
			_ = os.RemoveAll(filepath.Join(parent, n))
		}
	}
}

// WriteFile writes one file into the staging folder.
func (d *Dir) WriteFile(rel string, data []byte) error {
	c, full, err := d.prepare(rel)
	if err != nil {
		return err
	}
	h := xxhash.Sum64(data)
	var st fs.FileInfo
	if !d.recycled {
		st, err = create(full, data)
	} else if st, err = d.writeOver(c, full, data, h); err != nil {
		// The spare may hold a file where this build needs a folder, or the reverse.
		d.clearWay(c)
		st, err = d.writeOver(c, full, data, h)
		if err != nil {
			d.writeFailed.Store(true)
		}
	}
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.sums[c] = sum{size: int64(len(data)), changed: changeTime(st), hash: h}
	d.mu.Unlock()
	return nil
}

// create writes data to a new file, or over the file, at full, and returns what it then is.
func create(full string, data []byte) (fs.FileInfo, error) {
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(data)
	var st fs.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	return st, cmp.Or(err, f.Close())
}

// prepare makes the folder of rel and returns its clean form and its path in the staging
// folder.
func (d *Dir) prepare(rel string) (string, string, error) {
	c, err := Clean(rel)
	if err != nil {
		return "", "", err
	}
	<-d.ready
	if d.failed != nil {
		return "", "", d.failed
	}
	dir := parentOf(c)
	d.mu.Lock()
	known := d.dirs[dir]
	d.mu.Unlock()
	full := filepath.Join(d.staging, filepath.FromSlash(c))
	if !known && !d.oldDirs[dir] {
		// No touch here: creating the file in the new folder touches the folders above.
		// One mkdir is enough when the parent exists, as it mostly does.
		fdir := filepath.Dir(full)
		if err := os.Mkdir(fdir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(fdir, 0o755); err != nil && !d.recycled {
				return "", "", err
			}
		}
	}
	if !known {
		d.mu.Lock()
		d.dirs[dir] = true
		d.mu.Unlock()
	}
	return c, full, nil
}

// LinkFile puts at rel a hard link to src, a file that never changes once written (an
// entry of the image cache). When the staging folder (an earlier build's output) holds that
// very file already, nothing is done, not even a read: this is what makes a build where no
// image changed cheap. src is linked only when its permissions are those a new file of the
// output gets; otherwise, or where no link can be made (another file system), it is
// copied. Since a file with other names is never written through (writeOver), a later
// build that puts other bytes at rel leaves src alone.
func (d *Dir) LinkFile(rel, src string) (int64, error) {
	c, full, err := d.prepare(rel)
	if err != nil {
		return 0, err
	}
	sst, err := os.Stat(src)
	if err != nil {
		return 0, err
	}
	d.permOnce.Do(func() {
		if d.perm == 0 {
			d.perm = filePerm(d.staging)
		}
	})
	if d.recycled {
		if st, err := os.Lstat(full); err == nil && os.SameFile(st, sst) && st.Mode().Perm() == d.perm {
			d.noteLinked(c)
			return sst.Size(), nil
		}
	}
	if sst.Mode().Perm() == d.perm {
		d.touch(parentOf(c))
		err := os.Link(src, full)
		if err != nil && d.recycled {
			// Something is in the way: an earlier build's file, or a folder.
			if rerr := os.Remove(full); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				d.clearWay(c)
			}
			err = os.Link(src, full)
		}
		if err == nil {
			d.noteLinked(c)
			return sst.Size(), nil
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	return int64(len(data)), d.WriteFile(rel, data)
}

// noteLinked puts the linked file rel in the manifest, which lists every file of the
// output; with no size or hash of its bytes, since it is never written over (LinkFile).
func (d *Dir) noteLinked(rel string) {
	d.mu.Lock()
	d.sums[rel] = sum{size: -1}
	d.mu.Unlock()
}

// writeOver writes data, of hash h, to the file full (rel) of a recycled staging folder and
// returns what the file then is. A file that holds exactly data already is left as it is:
// reading it back costs less than writing it (no blocks freed and allocated, nothing for the
// disk to flush), and it keeps its modification time, so deploy tools that compare times and
// sizes skip it. The spare's manifest saves even the reading: a file it lists with data's
// size and hash, unchanged since, is not opened.
// A file with other names (a hard-linked copy elsewhere) or other permissions is replaced,
// never written through.
func (d *Dir) writeOver(rel, full string, data []byte, h uint64) (fs.FileInfo, error) {
	if s, ok := d.prev.lookup(rel); ok && s.size == int64(len(data)) && s.hash == h {
		if st, err := os.Lstat(full); err == nil && d.plain(st) && st.Size() == s.size && changeTime(st) == s.changed {
			return st, nil
		}
	}
	f, err := os.OpenFile(full, os.O_RDWR, 0)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			// Not writable as it is (a read-only file, an empty folder): make it anew.
			_ = os.Remove(full)
		}
		d.touch(parentOf(rel))
		return create(full, data)
	}
	st, err := f.Stat()
	if err != nil || !d.plain(st) {
		_ = f.Close()
		if err := os.Remove(full); err != nil {
			return nil, err
		}
		d.touch(parentOf(rel))
		return create(full, data)
	}
	if st.Size() == int64(len(data)) && holds(f, data) {
		return st, f.Close()
	}
	_, err = f.WriteAt(data, 0)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if err == nil {
		st, err = f.Stat()
	}
	return st, cmp.Or(err, f.Close())
}

// plain reports whether st is a file this build may write through: a regular file with
// the permissions of a new one and no other name.
func (d *Dir) plain(st fs.FileInfo) bool {
	return st.Mode().IsRegular() && st.Mode().Perm() == d.perm && links(st) == 1
}

// holds reports whether the file f, read from its start, holds data, reading it a chunk at
// a time: the search index of a large site is hundreds of megabytes.
func holds(f *os.File, data []byte) bool {
	readBacks.Add(1)
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	for len(data) > 0 {
		chunk := (*bp)[:min(len(*bp), len(data))]
		if _, err := io.ReadFull(f, chunk); err != nil || !bytes.Equal(chunk, data[:len(chunk)]) {
			return false
		}
		data = data[len(chunk):]
	}
	return true
}

// readBacks counts the files read back to compare them with the bytes to write, and
// foldersRead the folders of spares read to list them; tests read them.
var readBacks, foldersRead atomic.Int64

var readBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// clearWay makes room in a recycled staging folder for the file rel: each folder on its way
// must be a folder, and rel itself must not be one.
func (d *Dir) clearWay(rel string) {
	d.clearing.Lock()
	defer d.clearing.Unlock()
	d.touch(parentOf(rel))
	parts := strings.Split(rel, "/")
	p := d.staging
	for _, part := range parts[:len(parts)-1] {
		p = filepath.Join(p, part)
		if st, err := os.Lstat(p); err == nil && !st.IsDir() {
			_ = os.Remove(p)
		}
		_ = os.Mkdir(p, 0o755)
	}
	p = filepath.Join(p, parts[len(parts)-1])
	if st, err := os.Lstat(p); err == nil && st.IsDir() {
		_ = os.RemoveAll(p)
	}
}

// Commit swaps the staging folder in for the target; the previous target becomes the spare.
func (d *Dir) Commit() error {
	<-d.ready
	if d.failed != nil {
		return d.failed
	}
	if d.recycled {
		if err := d.removeUnwritten(); err != nil {
			return err
		}
	}
	parent := filepath.Dir(d.target)
	base := filepath.Base(d.target)
	old := ""
	if _, err := os.Lstat(d.target); err == nil {
		o, err := os.MkdirTemp(parent, oldPrefix+base+"-")
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
		keep(old, filepath.Join(parent, SparePrefix+base))
		// The manifest follows its folder (if keep deleted the folder instead, the
		// manifest lists files that are not there, which costs nothing).
		_ = os.Rename(filepath.Join(parent, ManifestPrefix+base), filepath.Join(parent, SpareManifestPrefix+base))
	}
	// Without its manifest, the next build but one reads back what it writes over.
	_ = writeManifest(filepath.Join(parent, ManifestPrefix+base), d.sums, d.dirTimes())
	return nil
}

// removeUnwritten deletes from a recycled staging folder the files this build did not
// write and the folders left empty, deepest first.
func (d *Dir) removeUnwritten() error {
	for i := len(d.old) - 1; i >= 0; i-- {
		e := d.old[i]
		if e.dir {
			if _, file := d.sums[e.rel]; !d.dirs[e.rel] && !file {
				// Fails, as it should, when the folder still holds files of this build.
				if os.Remove(filepath.Join(d.staging, filepath.FromSlash(e.rel))) == nil {
					d.touch(parentOf(e.rel))
				}
			}
			continue
		}
		// A file of the earlier build may have become a folder of this one (kept), or sit
		// under a folder that became a file (already gone).
		if _, ok := d.sums[e.rel]; ok {
			continue
		}
		p := filepath.Join(d.staging, filepath.FromSlash(e.rel))
		err := os.Remove(p)
		if err == nil {
			d.touch(parentOf(e.rel))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			if st, serr := os.Lstat(p); serr == nil && st.IsDir() {
				continue
			}
			return fmt.Errorf("remove a file of an earlier build: %w", err)
		}
	}
	return nil
}

// keep makes the folder old the spare, or deletes it when it cannot be (a spare is already
// there, or old is not a plain folder).
func keep(old, spare string) {
	if st, err := os.Lstat(old); err == nil && st.IsDir() {
		if err := os.Rename(old, spare); err == nil {
			return
		}
	}
	_ = removeAll(old)
}

// removeAll deletes a folder tree, its top-level entries in parallel: deleting the output
// of a large site is many small system calls.
func removeAll(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	var work []string
	for _, e := range entries {
		if !e.IsDir() {
			_ = os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		// Split big folders one level further, so one section does not take all the time.
		sub, err := os.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil || len(sub) < 64 {
			work = append(work, filepath.Join(dir, e.Name()))
			continue
		}
		for _, s := range sub {
			work = append(work, filepath.Join(dir, e.Name(), s.Name()))
		}
	}
	errs := make([]error, len(work))
	parallel.For(len(work), nil, func(i int) { errs[i] = os.RemoveAll(work[i]) })
	if err := cmp.Or(errs...); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// Abort leaves the target as it was. A recycled staging folder goes back to being the
// spare, unless a write into it failed (the next build then starts afresh rather than meet
// the same failure); a new one is removed.
func (d *Dir) Abort() error {
	<-d.ready
	if d.recycled && !d.writeFailed.Load() {
		spare := filepath.Join(filepath.Dir(d.target), SparePrefix+filepath.Base(d.target))
		if err := os.Rename(d.staging, spare); err == nil {
			return nil
		}
	}
	return removeAll(d.staging)
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
	data = bytes.Clone(data)
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
