package incremental

import (
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/extras"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/site"
)

// Snapshot is the site as served at one moment: the files of the last good build and the
// problems of the last update. It never changes once published, so it may be read by any
// number of goroutines while the next update runs.
type Snapshot struct {
	// files holds every file but the extras, by slash path.
	files map[string][]byte
	// Diags are the problems of the update that published this snapshot. When they hold
	// errors, the files are still those of the last good build.
	Diags diag.List
	// Built says whether any build has succeeded yet; until then there are no files.
	Built bool
	x     *extraFiles
}

// extraFiles are the search index, sitemap, feed and robots.txt of one resolved site,
// written the first time they are asked for: they depend on every page, and a preview that
// rebuilds one page should not wait for them.
type extraFiles struct {
	once  sync.Once
	site  *site.Site
	stats []string
	min   *minify.Minifier
	files *output.Memory
	diags diag.List
}

func newExtras(s *site.Site, statics []string, m *minify.Minifier) *extraFiles {
	return &extraFiles{site: s, stats: statics, min: m}
}

func (x *extraFiles) write() {
	x.once.Do(func() {
		x.files = output.NewMemory()
		x.diags = extras.Write(x.site, x.stats, x.min, x.files)
		x.site, x.stats = nil, nil // not needed any more: let the pages go when nothing else holds them
	})
}

// Get returns a file of the site being served. An extra file is written on the first call
// that needs it (every call after that returns at once).
func (sn *Snapshot) Get(p string) ([]byte, bool) {
	if b, ok := sn.files[p]; ok {
		return b, true
	}
	if sn.x == nil || !slices.Contains(extras.Files, path.Base(p)) && !strings.Contains("/"+p, "/"+extras.SearchDir) { // fr/search-index.js and search-index/2.js too
		return nil, false
	}
	sn.x.write()
	return sn.x.files.Get(p)
}

// Paths lists every file served, the extras included, sorted.
func (sn *Snapshot) Paths() []string {
	ps := slices.Collect(maps.Keys(sn.files))
	if sn.x != nil {
		sn.x.write()
		ps = append(ps, sn.x.files.Paths()...)
	}
	slices.Sort(ps)
	return ps
}

// Extras writes the extra files if no request has yet, and returns their problems (a
// warning when the site has no base URL; errors would mean a file could not be made). A
// full build reports the same problems.
func (sn *Snapshot) Extras() diag.List {
	if sn.x == nil {
		return nil
	}
	sn.x.write()
	return sn.x.diags
}

// SameExtras reports whether two snapshots serve the same extra files. Both are written if
// they were not yet.
func (sn *Snapshot) SameExtras(other *Snapshot) bool {
	if sn.x == other.x {
		return true
	}
	if sn.x == nil || other.x == nil {
		return false
	}
	sn.x.write()
	other.x.write()
	a, b := sn.x.files.Paths(), other.x.files.Paths()
	if !slices.Equal(a, b) {
		return false
	}
	for _, p := range a {
		ab, _ := sn.x.files.Get(p)
		bb, _ := other.x.files.Get(p)
		if string(ab) != string(bb) {
			return false
		}
	}
	return true
}
