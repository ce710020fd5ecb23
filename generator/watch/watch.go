// Package watch reports changes to a site's source folders (content/, templates/, static/)
// with fsnotify, recursively, including folders created after it started, and folds bursts
// of events (an editor's save through a temporary file, a git checkout) into one batch of
// changed paths. It leaves out what editors write besides the file being saved (backup,
// swap and lock files, vim's 4913 probe) and files that appear and vanish within one batch,
// so that a save is one change. It does not decide what a change means (package incremental
// does).
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options set how a Watcher batches events.
type Options struct {
	// Quiet is how long no event must arrive before a batch is sent (default 10ms).
	Quiet time.Duration
	// MaxWait caps how long a batch may be held back by a steady stream of events
	// (default 500ms).
	MaxWait time.Duration
}

// Watcher watches folders under a root.
type Watcher struct {
	root string
	dirs []string
	fsw  *fsnotify.Watcher
	opts Options
	// Batches receives the changed paths, slash-separated and relative to the root, sorted.
	Batches chan []string
	// Errors receives problems of the underlying watcher, and folders that could not be
	// watched (see Explain). Read it: a full channel drops errors.
	Errors chan error
	// add watches one folder (fsw.Add; tests replace it).
	add func(string) error
}

// EditorFile reports whether a file name is one an editor writes beside the file being
// saved, never a source: backups (name~), swap and lock files (.name.swp, .#name), Emacs
// auto-saves (#name#), vim's probe of whether it may write in a folder (4913, and 5036, 5159
// and so on when that exists), and every hidden file (the build reads none).
func EditorFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"),
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	}
	if n, err := strconv.Atoi(name); err == nil && n >= 4913 && (n-4913)%123 == 0 && n < 4913+123*100 {
		return true
	}
	return false
}

// Explain turns a watcher's error into a line that says what to do. Linux limits how many
// folders one user may watch, and how many watchers may be open: when a site (or other
// programs) reach that limit, changes in the folders left out are not seen.
func Explain(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return err.Error() + ": the system's limit on watched folders is reached, so changes there are not seen: raise it with " +
			"sudo sysctl fs.inotify.max_user_watches=524288 (add the line fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it), then restart recap serve"
	case errors.Is(err, syscall.EMFILE):
		return err.Error() + ": the system's limit on file watchers is reached: raise it with " +
			"sudo sysctl fs.inotify.max_user_instances=1024, or close other programs that watch files, then restart recap serve"
	case errors.Is(err, fsnotify.ErrEventOverflow):
		return err.Error() + ": too many changes at once for the system's queue, so some were missed: save a file again to rebuild, or raise " +
			"fs.inotify.max_queued_events with sudo sysctl"
	}
	return err.Error()
}

// New watches the folders dirs (relative to root) and everything below them. Folders that
// do not exist yet are watched from when they are created, if root is watched.
func New(root string, dirs []string, opts Options) (*Watcher, error) {
	if opts.Quiet == 0 {
		opts.Quiet = 10 * time.Millisecond
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = 500 * time.Millisecond
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, dirs: dirs, fsw: fsw, opts: opts, Batches: make(chan []string, 1), Errors: make(chan error, 16), add: fsw.Add}
	// The root itself, so that a source folder created later is noticed.
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, d := range dirs {
		w.addTree(filepath.Join(root, d), nil)
	}
	return w, nil
}

// addTree watches dir and its subfolders; found receives the files already there (for a
// folder created while we were not yet watching it).
func (w *Watcher) addTree(dir string, found func(string)) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if err := w.add(p); err != nil {
				rel, _ := filepath.Rel(w.root, p)
				w.report(fmt.Errorf("cannot watch %s: %w", filepath.ToSlash(rel), err))
				return filepath.SkipDir
			}
		} else if found != nil {
			found(p)
		}
		return nil
	})
}

// report sends an error to Errors, or drops it if nobody reads them.
func (w *Watcher) report(err error) {
	select {
	case w.Errors <- err:
	default:
	}
}

// rel returns the slash path of abs relative to the root, if it is inside a watched folder.
func (w *Watcher) rel(abs string) (string, bool) {
	rel, err := filepath.Rel(w.root, abs)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	for _, d := range w.dirs {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return rel, true
		}
	}
	return "", false
}

// batch gathers the paths of one burst of events.
type batch struct {
	// created tells, for each changed path, whether it was created within the batch: such
	// a path that is gone when the batch ends was never anything but a temporary file.
	created map[string]bool
}

// note records a change to rel; created says whether the event created it. Editors' files
// are left out.
func (b *batch) note(rel string, created bool) {
	if EditorFile(path.Base(rel)) {
		return
	}
	if b.created == nil {
		b.created = map[string]bool{}
	}
	if was, seen := b.created[rel]; seen {
		created = was
	}
	b.created[rel] = created
}

func (b *batch) empty() bool { return len(b.created) == 0 }

// take returns the changed paths, sorted, without those created within the batch that do
// not exist any more, and empties the batch.
func (b *batch) take(exists func(rel string) bool) []string {
	out := make([]string, 0, len(b.created))
	for p, created := range b.created {
		if !created || exists(p) {
			out = append(out, p)
		}
	}
	clear(b.created)
	slices.Sort(out)
	return out
}

// Run delivers batches until ctx is cancelled, then closes the watcher and both channels.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.Batches)
	defer close(w.Errors)
	defer w.fsw.Close()
	var pending batch
	var quiet, maxWait <-chan time.Time
	note := func(abs string, created bool) {
		rel, ok := w.rel(abs)
		if !ok {
			return
		}
		if pending.empty() {
			maxWait = time.After(w.opts.MaxWait)
		}
		pending.note(rel, created)
		if pending.empty() {
			maxWait = nil
			return
		}
		quiet = time.After(w.opts.Quiet)
	}
	exists := func(rel string) bool {
		_, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
		return err == nil
	}
	flush := func() {
		quiet, maxWait = nil, nil
		b := pending.take(exists)
		if len(b) == 0 {
			return
		}
		select {
		case w.Batches <- b:
		case <-ctx.Done():
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if _, ok := w.rel(ev.Name); !ok {
				continue
			}
			created := ev.Has(fsnotify.Create)
			if created {
				if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
					w.addTree(ev.Name, func(p string) { note(p, true) })
				}
			}
			note(ev.Name, created)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.report(err)
		case <-quiet:
			flush()
		case <-maxWait:
			flush()
		}
	}
}
