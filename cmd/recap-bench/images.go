package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/parallel"
	"github.com/icc-recap/recap/internal/synth"
	"github.com/icc-recap/recap/internal/testimage"
)

// imageSite holds the numbers of an image benchmark's site.
type imageSite struct {
	photos, portraits int
	// photoW x photoH is a photograph's size; a portrait is photoH x photoW.
	photoW, photoH int
}

func (s imageSite) total() int { return s.photos + s.portraits }

// photosPerPage is how many photographs one gallery page shows.
const photosPerPage = 4

// writeImageSite writes, under dir, the benchmark's site in three forms: site (gallery
// pages showing the photographs in their bodies, speaker pages with a portrait each, with
// the repository's templates), plain (the same pages without any image, for the warm
// cost per image) and hugo (the same images in a Hugo site whose home page template asks
// for the same variants). Images already there are kept.
func writeImageSite(dir string, s imageSite) error {
	root, err := synth.RepoRoot()
	if err != nil {
		return err
	}
	files := map[string]map[string]string{"site": {}, "plain": {}}
	home := "---\ntitle: Image benchmark\ndescription: Generated photographs and portraits.\nlanguage: en\n---\nGalleries and portraits.\n"
	for _, v := range files {
		v["content/_index.md"] = home
		v["content/days/_index.md"] = "---\ntitle: Galleries\n---\n"
		v["content/speakers/_index.md"] = "---\ntitle: People\n---\n"
	}
	for g := 0; g*photosPerPage < s.photos; g++ {
		var body, plain strings.Builder
		for i := g * photosPerPage; i < min(s.photos, (g+1)*photosPerPage); i++ {
			fmt.Fprintf(&body, "Photograph %d of the gallery.\n\n![A generated scene, number %d](photo-%03d.jpg)\n\n", i, i, i)
			fmt.Fprintf(&plain, "Photograph %d of the gallery.\n\n", i)
		}
		fm := fmt.Sprintf("---\ntitle: Gallery %d\n---\n", g)
		files["site"][fmt.Sprintf("content/days/gallery-%03d.md", g)] = fm + body.String()
		files["plain"][fmt.Sprintf("content/days/gallery-%03d.md", g)] = fm + plain.String()
	}
	for i := range s.portraits {
		name := fmt.Sprintf("content/speakers/person-%03d.md", i)
		files["site"][name] = fmt.Sprintf("---\ntitle: Person %d\nimage: person-%03d.jpg\n---\nA speaker.\n", i, i)
		files["plain"][name] = fmt.Sprintf("---\ntitle: Person %d\n---\nA speaker.\n", i)
	}
	for form, fs := range files {
		base := filepath.Join(dir, form)
		if err := os.RemoveAll(filepath.Join(base, "content")); err != nil {
			return err
		}
		for _, d := range []string{"templates", "static"} {
			if err := os.RemoveAll(filepath.Join(base, d)); err != nil {
				return err
			}
			if err := synth.CopyTree(filepath.Join(root, d), filepath.Join(base, d)); err != nil {
				return err
			}
		}
		if err := writeFiles(base, fs); err != nil {
			return err
		}
	}
	// The images, made once and kept (making 12 megapixels takes a moment).
	imgs := filepath.Join(dir, "images")
	if err := os.MkdirAll(imgs, 0o755); err != nil {
		return err
	}
	var names []string
	for i := range s.photos {
		names = append(names, fmt.Sprintf("photo-%03d.jpg", i))
	}
	for i := range s.portraits {
		names = append(names, fmt.Sprintf("person-%03d.jpg", i))
	}
	// At most 24 different pictures of each shape are drawn and encoded; the others are
	// the same pictures with another camera name in their EXIF block, so different files
	// that a build processes each on its own (drawing 500 pictures of 12 megapixels would
	// take longer than processing them).
	const distinct = 24
	var made atomic.Int64
	bases := make([][]byte, 2*distinct)
	onces := make([]sync.Once, 2*distinct)
	errs := make([]error, len(names))
	parallel.For(len(names), nil, func(i int) {
		name := names[i]
		p := filepath.Join(imgs, fmt.Sprintf("%dx%d-%s", s.photoW, s.photoH, name))
		if _, err := os.Stat(p); err == nil {
			return
		}
		w, h, b := s.photoW, s.photoH, i%distinct
		if strings.HasPrefix(name, "person") {
			w, h, b = h, w, distinct+i%distinct
		}
		onces[b].Do(func() { bases[b] = testimage.JPEG(testimage.Scene(w, h, b+1), testimage.EXIF{}) })
		data := testimage.WithEXIF(bases[b], testimage.EXIF{Camera: fmt.Sprintf("BenchCam %d", i), GPS: true})
		errs[i] = os.WriteFile(p, data, 0o644)
		made.Add(1)
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if n := made.Load(); n > 0 {
		fmt.Printf("made %d images of %d x %d pixels in %s\n", n, s.photoW, s.photoH, imgs)
	}
	hugoSites := []string{filepath.Join(dir, "hugo-cold"), filepath.Join(dir, "hugo-warm")}
	for _, h := range hugoSites {
		if err := os.RemoveAll(filepath.Join(h, "assets")); err != nil {
			return err
		}
	}
	for _, name := range names {
		from := filepath.Join(imgs, fmt.Sprintf("%dx%d-%s", s.photoW, s.photoH, name))
		section := "days"
		sub := "photos"
		if strings.HasPrefix(name, "person") {
			section, sub = "speakers", "portraits"
		}
		for _, to := range []string{filepath.Join(dir, "site", "content", section, name), filepath.Join(hugoSites[0], "assets", sub, name), filepath.Join(hugoSites[1], "assets", sub, name)} {
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return err
			}
			_ = os.Remove(to)
			if err := os.Link(from, to); err != nil {
				return err
			}
		}
	}
	for _, h := range hugoSites {
		if err := writeFiles(h, map[string]string{
			"hugo.toml":         "baseURL = \"https://example.org/\"\ntitle = \"Image benchmark\"\ndisableKinds = [\"RSS\", \"sitemap\", \"taxonomy\", \"term\", \"section\", \"page\", \"404\", \"robotsTXT\"]\n",
			"layouts/home.html": hugoImagesTemplate(),
		}); err != nil {
			return err
		}
	}
	return nil
}

// hugoImagesTemplate asks Hugo for the variants recap makes of the same images: a
// photograph at 480, 800, 1200 and 1600 pixels wide, a portrait cropped square at 64, 128,
// 200 and 400, each as WebP and JPEG, at recap's quality for each width
// (imaging.WebPQuality, imaging.JPEGQuality); Hugo's other settings are its defaults (the
// Box filter; the anchor Center instead of Smart, closer to recap's fixed window and
// cheaper).
func hugoImagesTemplate() string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>` + "\n")
	b.WriteString(`{{ range resources.Match "photos/*.jpg" }}<picture>`)
	for _, w := range media.BodyWidths {
		fmt.Fprintf(&b, `{{ with .Resize "%dx webp q%d" }}<source srcset="{{ .RelPermalink }} {{ .Width }}w" type="image/webp">{{ end }}`, w, imaging.WebPQuality(w))
		fmt.Fprintf(&b, `{{ with .Resize "%dx jpg q%d" }}<img src="{{ .RelPermalink }}" width="{{ .Width }}" height="{{ .Height }}" alt="">{{ end }}`, w, imaging.JPEGQuality(w))
	}
	b.WriteString("</picture>\n{{ end }}\n")
	b.WriteString(`{{ range resources.Match "portraits/*.jpg" }}<picture>`)
	for _, w := range []int{64, 128, 200, 400} {
		fmt.Fprintf(&b, `{{ with .Fill "%dx%d webp q%d Center" }}<source srcset="{{ .RelPermalink }} {{ .Width }}w" type="image/webp">{{ end }}`, w, w, imaging.WebPQuality(w))
		fmt.Fprintf(&b, `{{ with .Fill "%dx%d jpg q%d Center" }}<img src="{{ .RelPermalink }}" width="{{ .Width }}" height="{{ .Height }}" alt="">{{ end }}`, w, w, imaging.JPEGQuality(w))
	}
	b.WriteString("</picture>\n{{ end }}\n</body></html>\n")
	return b.String()
}

func writeFiles(base string, files map[string]string) error {
	for name, data := range files {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// imagesBench times recap on a site of generated photographs and portraits: cold (empty
// cache and output) and warm (nothing changed), beside the warm build of the same pages
// without their images, and with hugo set the same variants made by Hugo, cold and warm,
// all alternating. It prints images per second, the warm cost per image and the bytes of
// each kind of variant.
func imagesBench(s imageSite, runs int, keep, hugo string) error {
	dir := keep
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "recap-bench-images-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	if err := writeImageSite(dir, s); err != nil {
		return err
	}
	if runs < 1 {
		return nil
	}
	root, err := synth.RepoRoot()
	if err != nil {
		return err
	}
	bin := filepath.Join(dir, "recap")
	if err := buildRecap(root, bin); err != nil {
		return err
	}
	site, plain := filepath.Join(dir, "site"), filepath.Join(dir, "plain")
	recap := func(src, out, cache string) func() *exec.Cmd {
		return func() *exec.Cmd {
			return exec.Command(bin, "build", "--source", src, "--out", filepath.Join(dir, out), "--cache-dir", filepath.Join(dir, cache))
		}
	}
	// Each of Hugo's runs has its own site folder: Hugo keeps processed images in the
	// site's resources/ folder as well as in its cache folder.
	hugoCmd := func(hsite string) func() *exec.Cmd {
		return func() *exec.Cmd {
			return exec.Command(hugo, "--quiet", "-s", hsite, "-d", filepath.Join(hsite, "public"), "--cacheDir", filepath.Join(hsite, "cache"))
		}
	}
	cs := []*contender{
		{name: "recap cold", empty: []string{filepath.Join(dir, "public-cold"), filepath.Join(dir, "cache-cold")}, cmd: recap(site, "public-cold", "cache-cold")},
		{name: "recap warm", cmd: recap(site, "public-warm", "cache-warm")},
		{name: "recap no images", cmd: recap(plain, "public-plain", "cache-plain")},
	}
	if hugo != "" {
		cs = append(cs,
			&contender{name: "hugo cold", empty: []string{filepath.Join(dir, "hugo-cold", "public"), filepath.Join(dir, "hugo-cold", "cache"), filepath.Join(dir, "hugo-cold", "resources")}, cmd: hugoCmd(filepath.Join(dir, "hugo-cold"))},
			&contender{name: "hugo warm", cmd: hugoCmd(filepath.Join(dir, "hugo-warm"))})
	}
	// The warm ones start warm.
	for _, c := range cs {
		if len(c.empty) == 0 {
			if out, err := c.cmd().CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %w\n%s", c.name, err, out)
			}
		}
	}
	for i := range runs {
		for _, c := range cs {
			if err := c.run(i); err != nil {
				return err
			}
		}
	}
	n := s.total()
	fmt.Printf("\n%d photographs of %d x %d and %d portraits of %d x %d, 8 files each (4 widths, WebP and JPEG); median of %d runs, %d cores (%s)\n",
		s.photos, s.photoW, s.photoH, s.portraits, s.photoH, s.photoW, runs, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%-16s %9s %13s %9s %10s %12s %11s\n", "", "wall s", "min-max", "cpu s", "images/s", "cpu ms/img", "peak MiB")
	walls, cpus := map[string]float64{}, map[string]float64{}
	for _, c := range cs {
		wall := func(s sample) float64 { return s.wall.Seconds() }
		w := median(c.got, wall)
		cpu := median(c.got, func(s sample) float64 { return s.cpu.Seconds() })
		walls[c.name], cpus[c.name] = w, cpu
		spread := fmt.Sprintf("%.2f-%.2f", quantile(c.got, wall, 0), quantile(c.got, wall, 1))
		fmt.Printf("%-16s %9.2f %13s %9.2f %10.2f %12.1f %11.0f\n", c.name, w, spread, cpu, float64(n)/w, 1000*cpu/float64(n),
			median(c.got, func(s sample) float64 { return float64(s.rss) / 1024 }))
	}
	fmt.Println()
	// The warm cost of an image: the warm build's time beyond the same pages' without
	// images, per image, taken round by round (the two runs of a round are next to each
	// other, so they share the machine's load).
	var diffs, cpuDiffs []float64
	warm, none := cs[1].got, cs[2].got
	for i := range warm {
		diffs = append(diffs, 1000*(warm[i].wall-none[i].wall).Seconds()/float64(n))
		cpuDiffs = append(cpuDiffs, 1000*(warm[i].cpu-none[i].cpu).Seconds()/float64(n))
	}
	slices.Sort(diffs)
	slices.Sort(cpuDiffs)
	fmt.Printf("recap warm costs %.2f ms of wall time (%.2f ms of CPU time) per unchanged image beyond the same pages without images (median of the rounds' differences)\n",
		diffs[len(diffs)/2], cpuDiffs[len(cpuDiffs)/2])
	if hugo != "" {
		fmt.Printf("recap cold makes %.2f images/s, Hugo %.2f: Hugo takes %.2fx recap's wall time and %.2fx its CPU time for the same files\n",
			float64(n)/walls["recap cold"], float64(n)/walls["hugo cold"], walls["hugo cold"]/walls["recap cold"], cpus["hugo cold"]/cpus["recap cold"])
		fmt.Printf("warm, Hugo takes %.2fx recap's wall time\n", walls["hugo warm"]/walls["recap warm"])
	}
	fmt.Println()
	fmt.Println("bytes per file (median over the images; recap's names are NAME-WIDTH.HASH.EXT):")
	sizes, err := variantSizes(filepath.Join(dir, "public-warm"), regexp.MustCompile(`/(photo|person)-\d+-(\d+)\.[0-9a-f]{10}\.(webp|jpg)$`))
	if err != nil {
		return err
	}
	var hsizes map[string][]int64
	if hugo != "" {
		// Hugo's names: NAME_hu_HASH.EXT in the images' folder; the width is in the image.
		if hsizes, err = hugoSizes(filepath.Join(dir, "hugo-warm", "public")); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(sizes))
	for k := range sizes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		var ka, kb variantKey
		fmt.Sscanf(a, "%s %d %s", &ka.kind, &ka.w, &ka.ext)
		fmt.Sscanf(b, "%s %d %s", &kb.kind, &kb.w, &kb.ext)
		if ka.kind != kb.kind {
			return strings.Compare(ka.kind, kb.kind)
		}
		if ka.w != kb.w {
			return ka.w - kb.w
		}
		return strings.Compare(ka.ext, kb.ext)
	})
	for _, k := range keys {
		fmt.Printf("  %-22s recap %8.1f KB", k, float64(medianInt(sizes[k]))/1000)
		if hs, ok := hsizes[k]; ok {
			fmt.Printf("   Hugo %8.1f KB", float64(medianInt(hs))/1000)
		}
		fmt.Println()
	}
	return nil
}

type variantKey struct {
	kind string
	w    int
	ext  string
}

func medianInt(v []int64) int64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// variantSizes groups the sizes of the files under dir whose path re matches, by kind
// (photo or person), width and extension.
func variantSizes(dir string, re *regexp.Regexp) (map[string][]int64, error) {
	out := map[string][]int64{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		m := re.FindStringSubmatch(filepath.ToSlash(p))
		if m == nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		k := fmt.Sprintf("%s %s %s", m[1], m[2], m[3])
		out[k] = append(out[k], info.Size())
		return nil
	})
	return out, err
}

// hugoSizes reads the widths of Hugo's files from its page (each <source> and <img> names
// its file and width) and groups their sizes like variantSizes.
func hugoSizes(dir string) (map[string][]int64, error) {
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		return nil, err
	}
	out := map[string][]int64{}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`srcset="(/(photos|portraits)/[^" ]+\.(webp|jpg)) (\d+)w"`),
		regexp.MustCompile(`src="(/(photos|portraits)/[^" ]+\.(webp|jpg))" width="(\d+)"`),
	} {
		for _, m := range re.FindAllStringSubmatch(string(page), -1) {
			info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(m[1])))
			if err != nil {
				return nil, err
			}
			kind := "photo"
			if m[2] == "portraits" {
				kind = "person"
			}
			k := fmt.Sprintf("%s %s %s", kind, m[4], m[3])
			out[k] = append(out[k], info.Size())
		}
	}
	return out, nil
}
