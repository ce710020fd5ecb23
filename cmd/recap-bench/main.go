// Command recap-bench measures a full recap build against the floor, the bare work of the
// job, on a synthetic event archive, and prints both side by side.
//
//	go run ./cmd/recap-bench -pages 10000 -runs 5
//
// It writes an archive of the given size (internal/synth, with the repository's templates;
// -length 2 makes its pages twice as long)
// and builds the recap command once. Then it alternates runs, each a child process, of:
//
//   - recap build: a rebuild of the same content, as on a save that changes little; recap
//     stages into the output it kept from earlier builds and leaves alone the files whose
//     bytes are unchanged;
//
//   - recap, changed: recap build on a copy of the archive whose site title changes before
//     every run, so that every page differs from all earlier output and every file is
//     rewritten;
//
//   - recap, empty: recap build into an empty folder, as in a clean checkout (the folder and
//     its spare are deleted before each run, outside the timing);
//
//   - the floor: read every Markdown file, split its front matter, convert it with goldmark
//     (GFM), minify the HTML and write it to a pretty address, on every core, with no
//     templates and no links between pages;
//
//   - floor, empty: the floor into an empty folder;
//
//   - with -hugo PATH, that Hugo binary on the same archive converted to a Hugo site
//     (taxonomies for the references, hugo --minify);
//
//   - with -langs N, the archive is in N languages (every page also translated into the
//     first N-1 of fr, de, it, ...); with -against BIN -against-langs M, BIN builds the same
//     archive in M languages, so a translated site is timed against a single-language one;
//     -against-templates DIR gives BIN the templates it can run, and -only-builds times just
//     the two builds and compares their CPU time too;
//
//   - with -runs-of LIST, only the runs named (build, changed, empty, floor, floor-empty,
//     base, base-changed, hugo), such as -runs-of build,floor;
//
//   - with -against PATH, another recap binary (built from an earlier commit, say) as
//     "base build" and "base, changed", in the same rounds, so that a change to the
//     generator is timed before and after with the two binaries alternating:
//
//     git worktree add /tmp/recap-base main && (cd /tmp/recap-base && go build -o /tmp/recap-base.bin ./cmd/recap)
//     go run ./cmd/recap-bench -pages 10000 -runs 7 -against /tmp/recap-base.bin
//
// With -search it measures instead what a one-word query costs in Chromium, from disk and
// over HTTP, and with -pagefind PATH the same query with Pagefind run over recap's output:
//
//	go run ./cmd/recap-bench -search -pages 10000 -runs 5 -pagefind /path/to/pagefind_extended
//
// With -images N it times image processing instead (images.go): N generated photographs
// and N/2 portraits, recap cold and warm, the same pages without images, and with -hugo
// Hugo making the same files:
//
//	go run ./cmd/recap-bench -images 8 -runs 3 -hugo /path/to/hugo
//
// Before each run it flushes the disk (sync), so that no run pays for the writes of another.
// For each it prints the median wall time (with the least and the greatest), the median CPU
// time, pages per second, milliseconds per page and the median peak memory (the child's
// maximum resident set size), then how each recap run compares with the floor and Hugo.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/urls"
	"github.com/icc-recap/recap/internal/synth"
)

func main() {
	pages := flag.Int("pages", 10000, "pages in the synthetic archive")
	runs := flag.Int("runs", 5, "runs of each, alternating (0: only write the archive, into -dir)")
	seed := flag.Uint64("seed", 1, "seed of the archive")
	length := flag.Int("length", 1, "length of the pages, as a multiple of the usual 400 to 700 words (2: twice as long)")
	keep := flag.String("dir", "", "write the archive here and keep it for the next run, which copies in the templates and static files of its checkout (default: a temporary folder)")
	hugo := flag.String("hugo", "", "a Hugo binary to time on the same archive (optional)")
	against := flag.String("against", "", "another recap binary to time in the same rounds, as the base of a before/after comparison (optional)")
	search := flag.Bool("search", false, "measure a one-word search in Chromium (bytes read, time to results) instead of the build")
	pagefind := flag.String("pagefind", "", "with -search: a Pagefind binary to index recap's output with and measure beside it (optional)")
	query := flag.String("query", "climate", "with -search: the word to look for")
	againstTemplates := flag.String("against-templates", "", "with -against: the templates folder the base binary builds with (default: the repository's)")
	langs := flag.Int("langs", 1, "languages of the synthetic archive: each page is translated into the first langs-1 of fr, de, it, ...")
	againstLangs := flag.Int("against-langs", 0, "with -against: the languages of the archive the base binary builds (default: -langs), to time a translated archive against the same one in fewer languages")
	runsOf := flag.String("runs-of", "", "time only these kinds of run, comma-separated, from "+strings.Join(slices.Sorted(maps.Keys(runKeys)), ", ")+" (default: all that apply); -runs-of build,floor at 100,000 pages is the ratio to the floor in a third of the time")
	only := flag.Bool("only-builds", false, "with -against: time only recap build and base build, alternating (no floor, changed or empty runs), and compare their CPU time too")
	images := flag.Int("images", 0, "time image processing instead: this many generated photographs (and half as many portraits), cold and warm, and with -hugo the same variants made by Hugo")
	imageSize := flag.String("image-size", "4000x3000", "with -images: the photographs' size in pixels (portraits are turned)")
	floorSrc := flag.String("floor", "", "internal: run the floor on this archive")
	floorOut := flag.String("floor-out", "", "internal: the floor's output folder")
	flag.Parse()
	if *floorSrc != "" {
		if err := floor(*floorSrc, *floorOut); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	if *images > 0 {
		s := imageSite{photos: *images, portraits: max(1, *images/2)}
		if _, err := fmt.Sscanf(*imageSize, "%dx%d", &s.photoW, &s.photoH); err != nil || s.photoW < 16 || s.photoH < 16 {
			fmt.Fprintf(os.Stderr, "recap-bench: -image-size %q should be WIDTHxHEIGHT, such as 4000x3000\n", *imageSize)
			os.Exit(2)
		}
		if err := imagesBench(s, *runs, *keep, *hugo); err != nil {
			fmt.Fprintln(os.Stderr, "recap-bench:", err)
			os.Exit(1)
		}
		return
	}
	if *search {
		if err := searchBench(*pages, *runs, *seed, *length, *keep, *pagefind, *query); err != nil {
			fmt.Fprintln(os.Stderr, "recap-bench:", err)
			os.Exit(1)
		}
		return
	}
	var want []string
	for k := range strings.SplitSeq(*runsOf, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		name, ok := runKeys[k]
		if !ok {
			fmt.Fprintf(os.Stderr, "recap-bench: -runs-of: no run is called %q; the runs are %s\n", k, strings.Join(slices.Sorted(maps.Keys(runKeys)), ", "))
			os.Exit(2)
		}
		want = append(want, name)
	}
	if err := run(*pages, *runs, *seed, synth.Options{Length: *length, Langs: *langs}, *againstLangs, *only && *against != "", want, *keep, *hugo, *against, *againstTemplates); err != nil {
		fmt.Fprintln(os.Stderr, "recap-bench:", err)
		os.Exit(1)
	}
}

type sample struct {
	wall time.Duration
	cpu  time.Duration
	rss  int64 // KiB
}

// archive returns the working folder (keep, or a temporary one that done removes) and the
// synthetic archive in it, written unless it is there already.
func archive(pages int, seed uint64, opts synth.Options, keep string) (dir, site string, done func(), err error) {
	dir, done = keep, func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "recap-bench-"); err != nil {
			return "", "", nil, err
		}
		done = func() { os.RemoveAll(dir) }
	}
	site = filepath.Join(dir, "site")
	if _, err := os.Stat(filepath.Join(site, "content")); err != nil {
		fmt.Printf("writing a %d-page archive (seed %d, length %d, %d languages) into %s\n", pages, seed, max(opts.Length, 1), max(opts.Langs, 1), site)
		if _, err := synth.SiteWith(site, pages, seed, opts); err != nil {
			done()
			return "", "", nil, err
		}
	} else if err := synth.Theme(site, opts); err != nil {
		// A kept archive is built with the theme of this commit, not of the one that wrote it.
		return "", "", nil, err
	}
	return dir, site, done, nil
}

// runKeys are the names -runs-of knows the runs by.
var runKeys = map[string]string{
	"build": "recap build", "changed": "recap, changed", "empty": "recap, empty",
	"floor": "floor", "floor-empty": "floor, empty",
	"base": "base build", "base-changed": "base, changed", "hugo": "hugo --minify",
}

// run times the builds of the archive; want, when not empty, names the runs to keep.
func run(pages, runs int, seed uint64, opts synth.Options, againstLangs int, only bool, want []string, keep, hugo, against, againstTemplates string) error {
	if againstLangs == 0 {
		againstLangs = opts.Langs
	}
	dir, site, done, err := archive(pages, seed, opts, keep)
	if err != nil {
		return err
	}
	defer done()
	if runs < 1 {
		return nil // -runs 0: only write the archive (with -dir, to keep it)
	}
	bin := filepath.Join(dir, "recap")
	self, _ := os.Executable()
	root, err := synth.RepoRoot()
	if err != nil {
		return err
	}
	if err := buildRecap(root, bin); err != nil {
		return err
	}
	// A second copy of the archive whose site title changes before every run, so that every
	// page differs from everything written before: recap then rewrites every file, where
	// the plain "recap build" (same content as last time) finds most files unchanged.
	// (Made only when a changed run is timed: at 100,000 pages it is 572 MB to copy.)
	changed := filepath.Join(dir, "site-changed")
	wanted := func(name string) bool { return !only && (len(want) == 0 || slices.Contains(want, name)) }
	if wanted("recap, changed") || against != "" && wanted("base, changed") {
		if err := os.RemoveAll(changed); err != nil {
			return err
		}
		if err := os.CopyFS(changed, os.DirFS(site)); err != nil {
			return err
		}
	}
	homeTexts := map[string]string{}
	var edits int
	// changedBuild edits the title of the copy src, then builds it with that binary into out.
	changedBuild := func(binary, src, out string) *exec.Cmd {
		home := filepath.Join(src, "content", "_index.md")
		if _, ok := homeTexts[src]; !ok {
			b, err := os.ReadFile(home)
			if err != nil {
				panic(err)
			}
			homeTexts[src] = string(b)
		}
		homeText := homeTexts[src]
		edits++
		title := fmt.Sprintf("title: Synthetic City Lab archive, edit %d\n", edits)
		text := strings.Replace(string(homeText), "title: Synthetic City Lab archive\n", title, 1)
		if err := os.WriteFile(home, []byte(text), 0o644); err != nil {
			panic(err)
		}
		return exec.Command(binary, "build", "--source", src, "--out", filepath.Join(dir, out))
	}
	// The base binary's copies of the archive: in its own number of languages, and with
	// its own templates, when asked.
	baseSite, baseChanged := site, changed
	if against != "" && (againstTemplates != "" || againstLangs != opts.Langs) {
		baseSite, baseChanged = filepath.Join(dir, "site-base"), filepath.Join(dir, "site-base-changed")
		from := site
		if againstLangs != opts.Langs {
			from = filepath.Join(dir, fmt.Sprintf("site-%d-langs", againstLangs))
			if _, err := os.Stat(filepath.Join(from, "content")); err != nil {
				fmt.Printf("writing the base's archive in %d languages into %s\n", againstLangs, from)
				bopts := opts
				bopts.Langs = againstLangs
				if _, err := synth.SiteWith(from, pages, seed, bopts); err != nil {
					return err
				}
			}
		}
		copies := []string{baseSite}
		if wanted("base, changed") {
			copies = append(copies, baseChanged)
		}
		for _, d := range copies {
			if err := os.RemoveAll(d); err != nil {
				return err
			}
			if err := os.CopyFS(d, os.DirFS(from)); err != nil {
				return err
			}
			if againstTemplates == "" {
				continue
			}
			if err := os.RemoveAll(filepath.Join(d, "templates")); err != nil {
				return err
			}
			if err := os.CopyFS(filepath.Join(d, "templates"), os.DirFS(againstTemplates)); err != nil {
				return err
			}
		}
	}
	cs := []*contender{
		{name: "recap build", cmd: func() *exec.Cmd {
			return exec.Command(bin, "build", "--source", site, "--out", filepath.Join(dir, "public"))
		}},
		{name: "recap, changed", cmd: func() *exec.Cmd { return changedBuild(bin, changed, "public-changed") }},
		{name: "recap, empty", empty: []string{filepath.Join(dir, "public-empty"), filepath.Join(dir, output.SparePrefix+"public-empty"), filepath.Join(dir, output.ManifestPrefix+"public-empty"), filepath.Join(dir, output.SpareManifestPrefix+"public-empty")}, cmd: func() *exec.Cmd {
			return exec.Command(bin, "build", "--source", site, "--out", filepath.Join(dir, "public-empty"))
		}},
		{name: "floor", cmd: func() *exec.Cmd {
			return exec.Command(self, "-floor", site, "-floor-out", filepath.Join(dir, "floor"))
		}},
		{name: "floor, empty", empty: []string{filepath.Join(dir, "floor-empty")}, cmd: func() *exec.Cmd {
			return exec.Command(self, "-floor", site, "-floor-out", filepath.Join(dir, "floor-empty"))
		}},
	}
	if against != "" {
		cs = append(cs,
			&contender{name: "base build", cmd: func() *exec.Cmd {
				return exec.Command(against, "build", "--source", baseSite, "--out", filepath.Join(dir, "public-base"))
			}},
			&contender{name: "base, changed", cmd: func() *exec.Cmd { return changedBuild(against, baseChanged, "public-base-changed") }})
	}
	if only {
		cs = slices.DeleteFunc(cs, func(c *contender) bool { return c.name != "recap build" && c.name != "base build" })
	}
	if hugo != "" {
		hsite := filepath.Join(dir, "hugo")
		// Converted afresh each time: a kept folder may hold an older archive's copy.
		if err := os.RemoveAll(hsite); err != nil {
			return err
		}
		if err := toHugo(site, hsite); err != nil {
			return err
		}
		cs = append(cs, &contender{name: "hugo --minify", cmd: func() *exec.Cmd {
			return exec.Command(hugo, "--minify", "--quiet", "-s", hsite, "-d", filepath.Join(dir, "hugo-public"))
		}})
	}
	if len(want) > 0 {
		cs = slices.DeleteFunc(cs, func(c *contender) bool { return !slices.Contains(want, c.name) })
	}
	for i := range runs {
		for _, c := range cs {
			if err := c.run(i); err != nil {
				return err
			}
		}
	}
	fmt.Printf("\n%d pages, median of %d runs, %d cores (%s)\n", pages, runs, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%-15s %9s %13s %9s %10s %9s %11s\n", "", "wall s", "min-max", "cpu s", "pages/s", "ms/page", "peak MiB")
	walls, rsss := map[string]float64{}, map[string]float64{}
	for _, c := range cs {
		wall := func(s sample) float64 { return s.wall.Seconds() }
		w := median(c.got, wall)
		cpu := median(c.got, func(s sample) float64 { return s.cpu.Seconds() })
		rss := median(c.got, func(s sample) float64 { return float64(s.rss) / 1024 })
		walls[c.name], rsss[c.name] = w, rss
		spread := fmt.Sprintf("%.2f-%.2f", quantile(c.got, wall, 0), quantile(c.got, wall, 1))
		fmt.Printf("%-15s %9.2f %13s %9.2f %10.0f %9.3f %11.0f\n", c.name, w, spread, cpu, float64(pages)/w, 1000*w/float64(pages), rss)
	}
	fmt.Println()
	if only {
		cpus := map[string]float64{}
		for _, c := range cs {
			cpus[c.name] = median(c.got, func(s sample) float64 { return s.cpu.Seconds() })
		}
		fmt.Printf("recap build     takes %.3fx the base build's time, %.3fx its CPU time and %.3fx its peak memory\n",
			walls["recap build"]/walls["base build"], cpus["recap build"]/cpus["base build"], rsss["recap build"]/rsss["base build"])
		return nil
	}
	for _, r := range []string{"recap build", "recap, changed", "recap, empty"} {
		floor := "floor"
		if r == "recap, empty" {
			floor = "floor, empty"
		}
		if walls[r] == 0 || walls[floor] == 0 {
			continue // not run (-runs-of)
		}
		fmt.Printf("%-15s takes %.2fx the %s time", r, walls[r]/walls[floor], floor+"'s")
		if h, ok := walls["hugo --minify"]; ok {
			fmt.Printf(", and Hugo takes %.2fx its time", h/walls[r])
		}
		fmt.Println()
	}
	for _, pair := range [][2]string{{"recap build", "base build"}, {"recap, changed", "base, changed"}} {
		if walls[pair[0]] == 0 || walls[pair[1]] == 0 {
			continue
		}
		fmt.Printf("%-15s takes %.3fx the %s time, and %.3fx its peak memory\n", pair[0], walls[pair[0]]/walls[pair[1]], pair[1]+"'s", rsss[pair[0]]/rsss[pair[1]])
	}
	return nil
}

// contender is one command timed in the rounds.
type contender struct {
	name string
	// empty, when set, is an output folder deleted before each run, outside the timing.
	empty []string
	cmd   func() *exec.Cmd
	got   []sample
}

// run times one run of the contender (the i-th) and prints it.
func (c *contender) run(i int) error {
	for _, e := range c.empty {
		if err := os.RemoveAll(e); err != nil {
			return err
		}
	}
	// Flush what earlier runs (and deletions) left for the disk to write, so that no
	// run pays for another's.
	syscall.Sync()
	cmd := c.cmd()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", c.name, err, out.String())
	}
	wall := time.Since(t0)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	c.got = append(c.got, sample{wall, cpu, ru.Maxrss})
	fmt.Printf("run %d  %-16s %7.2f s  cpu %6.2f s  peak %6.0f MiB\n", i+1, c.name, wall.Seconds(), cpu.Seconds(), float64(ru.Maxrss)/1024)
	return nil
}

// buildRecap builds the recap command of the repository at root into bin.
func buildRecap(root, bin string) error {
	build := exec.Command("go", "build", "-o", bin, "./cmd/recap")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

func median(ss []sample, f func(sample) float64) float64 { return quantile(ss, f, 0.5) }

// quantile returns the value at q (0 the least, 1 the greatest) of f over the samples.
func quantile(ss []sample, f func(sample) float64, q float64) float64 {
	vs := make([]float64, len(ss))
	for i, s := range ss {
		vs[i] = f(s)
	}
	slices.Sort(vs)
	return vs[min(int(q*float64(len(vs))), len(vs)-1)]
}

// floor does the bare work of a static site generator on the archive: no templates, no
// links between pages.
//
// Like Hugo, and like recap with its spare folder, it writes over its previous output
// instead of deleting it first: deleting is not part of the bare work.
func floor(src, out string) error {
	var files []string
	err := filepath.WalkDir(filepath.Join(src, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	m := minify.New()
	m.Add("text/html", &html.Minifier{})
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf, min bytes.Buffer
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(files) {
					return
				}
				data, err := os.ReadFile(files[i])
				if err != nil {
					errs <- err
					return
				}
				var fm map[string]any
				body, err := frontmatter.Parse(bytes.NewReader(data), &fm)
				if err != nil {
					errs <- err
					return
				}
				buf.Reset()
				if err := md.Convert(body, &buf); err != nil {
					errs <- err
					return
				}
				min.Reset()
				if err := m.Minify("text/html", &min, &buf); err != nil {
					errs <- err
					return
				}
				rel, _ := filepath.Rel(filepath.Join(src, "content"), files[i])
				dst := filepath.Join(out, filepath.FromSlash(urls.OfSource(filepath.ToSlash(rel))), "index.html")
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					errs <- err
					return
				}
				if err := os.WriteFile(dst, min.Bytes(), 0o644); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}
