package output

import (
	"bufio"
	"cmp"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A manifest lists the files a build wrote into its output folder: for each, its size, the
// time the file last changed (see changeTime) and a 64-bit hash of its bytes; and the
// folders, each with its modification time. It is kept beside the folder (ManifestPrefix +
// the target's name) and follows the folder when it becomes the spare (SpareManifestPrefix). A build that writes over the spare asks it,
// before anything else, whether a file already holds the bytes to write: when the file
// has the size and change time the manifest gives, and the bytes have its hash, the file is
// left alone without being opened or read. Reading every file of the spare back to compare
// it read 1.6 GB at 100,000 pages, from disk when the spare was no longer in the system's
// cache.
//
// A file changed in any way since (written, truncated, its times or permissions set) has
// another change time, and is compared by reading it, as without a manifest.
//
// The folders spare the build listing the whole spare (100,000 folders of a page each,
// opened and read one by one): a folder whose modification time is the one listed has had
// no entry added, removed or renamed since, so it holds what the manifest says; only the
// others are read (and any folder in them the manifest does not list, whole). That holds
// where times are kept finely, as on ext4, XFS, Btrfs and tmpfs (in nanoseconds, from a
// clock that moves every few milliseconds): a change by hand in the same tick as the
// build's last change to that folder or file would go unseen, and where times are kept to
// the second, in the same second.
//
// So a manifest that is out of date, or belongs to another folder, costs time, never a
// wrong output.
const (
	// ManifestPrefix starts the name of the output's manifest, beside it.
	ManifestPrefix = ".recap-manifest-"
	// SpareManifestPrefix starts the name of the spare's manifest, beside it.
	SpareManifestPrefix = ".recap-spare-manifest-"
	manifestHeader      = "recap output manifest 2"
)

// Kept reports whether name, beside an output folder, is what recap keeps there between
// builds on purpose: the spare and the two manifests (anything else named .recap-... is
// left by an interrupted build and removed by the next).
func Kept(name string) bool {
	return strings.HasPrefix(name, SparePrefix) || strings.HasPrefix(name, ManifestPrefix) && !strings.Contains(name, ".tmp-")
}

// sum is what a manifest says of one file.
type sum struct {
	size, changed int64
	hash          uint64
}

// manifestEntry is a file or folder of a manifest: its path is names[off:off+n].
type manifestEntry struct {
	off, n uint32
	sum
}

// manifest is a read manifest: its files and its folders (the size and hash unused, the
// change time the folder's modification time), each sorted by path, the paths in one
// string, so that it holds no pointers for the garbage collector to follow however many
// files it lists. The root folder's path is ".".
type manifest struct {
	names   string
	entries []manifestEntry
	dirs    []manifestEntry
}

func (m *manifest) name(e manifestEntry) string { return m.names[e.off : e.off+e.n] }

// hasDir reports whether the manifest lists the folder rel.
func (m *manifest) hasDir(rel string) bool {
	_, ok := slices.BinarySearchFunc(m.dirs, rel, func(e manifestEntry, rel string) int {
		return strings.Compare(m.name(e), rel)
	})
	return ok
}

// lookup returns what the manifest says of the file rel.
func (m *manifest) lookup(rel string) (sum, bool) {
	if m == nil {
		return sum{}, false
	}
	i, ok := slices.BinarySearchFunc(m.entries, rel, func(e manifestEntry, rel string) int {
		return strings.Compare(m.name(e), rel)
	})
	if !ok {
		return sum{}, false
	}
	return m.entries[i].sum, true
}

// readManifest reads the manifest at p; nil when there is none or it cannot be read whole.
func readManifest(p string) *manifest {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	head, rest, ok := strings.Cut(string(data), "\n")
	if !ok || head != manifestHeader {
		return nil
	}
	var names strings.Builder
	m := &manifest{}
	for line := range strings.Lines(rest) {
		line = strings.TrimSuffix(line, "\n")
		if dir, ok := strings.CutPrefix(line, "/ "); ok {
			t, rel, ok := strings.Cut(dir, " ")
			mtime, err := strconv.ParseInt(t, 10, 64)
			if !ok || err != nil || rel == "" {
				return nil
			}
			m.dirs = append(m.dirs, manifestEntry{off: uint32(names.Len()), n: uint32(len(rel)), sum: sum{changed: mtime}})
			names.WriteString(rel)
			continue
		}
		h, rest, ok1 := strings.Cut(line, " ")
		sz, rest, ok2 := strings.Cut(rest, " ")
		ch, rel, ok3 := strings.Cut(rest, " ")
		hash, err1 := strconv.ParseUint(h, 16, 64)
		size, err2 := strconv.ParseInt(sz, 10, 64)
		changed, err3 := strconv.ParseInt(ch, 10, 64)
		if err := cmp.Or(err1, err2, err3); err != nil || !ok1 || !ok2 || !ok3 || rel == "" {
			return nil
		}
		m.entries = append(m.entries, manifestEntry{off: uint32(names.Len()), n: uint32(len(rel)), sum: sum{size: size, changed: changed, hash: hash}})
		names.WriteString(rel)
	}
	m.names = names.String()
	byName := func(a, b manifestEntry) int { return strings.Compare(m.name(a), m.name(b)) }
	if !slices.IsSortedFunc(m.entries, byName) || !slices.IsSortedFunc(m.dirs, byName) {
		return nil
	}
	return m
}

// writeManifest writes the manifest of the files sums and the folders dirs (path to
// modification time, the root "") to p, through a temporary file renamed into place, so
// that a manifest is whole or absent. A manifest must list every file and folder, so an
// output with a line break in a name has none.
func writeManifest(p string, sums map[string]sum, dirs map[string]int64) error {
	for rel := range sums {
		if strings.Contains(rel, "\n") {
			return fmt.Errorf("%q cannot be written in a manifest", rel)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), filepath.Base(p)+".tmp-")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	fmt.Fprintln(w, manifestHeader)
	var line []byte
	for _, rel := range slices.Sorted(maps.Keys(sums)) {
		s := sums[rel]
		line = strconv.AppendUint(line[:0], s.hash, 16)
		line = append(line, ' ')
		line = strconv.AppendInt(line, s.size, 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, s.changed, 10)
		line = append(line, ' ')
		line = append(line, rel...)
		line = append(line, '\n')
		_, _ = w.Write(line)
	}
	names := make([]string, 0, len(dirs))
	for rel := range dirs {
		names = append(names, cmp.Or(rel, "."))
	}
	slices.Sort(names)
	for _, name := range names {
		rel := name
		if name == "." {
			rel = ""
		}
		line = append(line[:0], "/ "...)
		line = strconv.AppendInt(line, dirs[rel], 10)
		line = append(line, ' ')
		line = append(line, name...)
		line = append(line, '\n')
		_, _ = w.Write(line)
	}
	err = cmp.Or(w.Flush(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}
