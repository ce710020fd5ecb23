// Package watch reports changes to a site's source folders (content/, templates/, static/)
// with fsnotify, recursively, including folders created after it started, and folds bursts
// of events (an editor's save through a temporary file, a git checkout) into one batch of
// changed paths. It does not decide what a change means (package incremental does).
package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	// Errors receives problems of the underlying watcher.
	Errors chan error
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
	w := &Watcher{root: root, dirs: dirs, fsw: fsw, opts: opts, Batches: make(chan []string, 1), Errors: make(chan error, 1)}
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
			_ = w.fsw.Add(p)
		} else if found != nil {
			found(p)
		}
		return nil
	})
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

// Run delivers batches until ctx is cancelled, then closes the watcher and both channels.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.Batches)
	defer close(w.Errors)
	defer w.fsw.Close()
	pending := map[string]bool{}
	var quiet, maxWait <-chan time.Time
	note := func(abs string) {
		rel, ok := w.rel(abs)
		if !ok {
			return
		}
		pending[rel] = true
		if len(pending) == 1 {
			maxWait = time.After(w.opts.MaxWait)
		}
		quiet = time.After(w.opts.Quiet)
	}
	flush := func() {
		if len(pending) == 0 {
			return
		}
		batch := make([]string, 0, len(pending))
		for p := range pending {
			batch = append(batch, p)
		}
		slices.Sort(batch)
		clear(pending)
		quiet, maxWait = nil, nil
		select {
		case w.Batches <- batch:
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
			if ev.Has(fsnotify.Create) {
				if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
					w.addTree(ev.Name, note)
				}
			}
			note(ev.Name)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.Errors <- err:
			default:
			}
		case <-quiet:
			flush()
		case <-maxWait:
			flush()
		}
	}
}
