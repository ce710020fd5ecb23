package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/internal/sitetest"
	"github.com/icc-recap/recap/internal/testimage"
)

// mediaSite is the small site with a portrait (turned by EXIF orientation 6, with a GPS
// position) and two photographs in a talk's body.
func mediaSite() map[string]string {
	portrait := testimage.JPEG(testimage.Photo(600, 450, 1), testimage.EXIF{Orientation: 6, GPS: true, Camera: "SecretCam"})
	return sitetest.With(sitetest.Base, map[string]string{
		"content/speakers/ada.md":      "---\ntitle: Ada\nimage: ada.jpg\n---\nAda spoke.\n",
		"content/speakers/ada.jpg":     string(portrait),
		"content/talks/opening.md":     "---\ntitle: Opening\nspeakers: [ada]\n---\nThe hall:\n\n![The plenary hall](hall.jpg)\n\n![A chart of the votes](chart.png)\n\n![\"\"](rule.svg)\n",
		"content/talks/hall.jpg":       string(testimage.JPEG(testimage.Photo(1000, 500, 2), testimage.EXIF{GPS: true})),
		"content/talks/chart.png":      string(testimage.PNG(testimage.Photo(300, 200, 3))),
		"content/talks/rule.svg":       `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 8"><rect width="400" height="8"/></svg>`,
		"templates/speakers/page.html": `{{ define "main" }}<h1>{{ .Page.Title }}</h1>{{ .Picture .Page "160x160" "eager" }}{{ .Page.Content }}{{ end }}` + "\n",
		"templates/base.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Page.Title }}</title>
{{ with .SocialImage }}<meta property="og:image" content="{{ .URL }}">{{ end }}</head><body><main>{{ block "main" . }}{{ end }}</main></body></html>
`,
	})
}

func TestImagesAreResponsiveStrippedAndCached(t *testing.T) {
	root := sitetest.Write(t, mediaSite())
	out := filepath.Join(root, "public")
	res, err := Build(context.Background(), Options{Source: root, Out: out})
	if err != nil {
		t.Fatalf("%v: %v", err, res.Diags)
	}
	talk := read(t, out, "talks/opening/index.html")
	// The first body image is eager, the next lazy; both have width and height.
	pics := regexp.MustCompile(`<picture>.*?</picture>`).FindAllString(talk, -1)
	if len(pics) != 2 {
		t.Fatalf("want 2 pictures, got %d in %s", len(pics), talk)
	}
	for _, want := range []string{`<source type=image/webp srcset="../hall-480.`, `width=1000 height=500 alt="The plenary hall" loading=eager fetchpriority=high`, `sizes="(min-width: 42rem) 40rem, 100vw"`} {
		if !strings.Contains(pics[0], want) {
			t.Errorf("first picture lacks %s: %s", want, pics[0])
		}
	}
	if !strings.Contains(pics[1], `width=300 height=200 alt="A chart of the votes" loading=lazy`) || !strings.Contains(pics[1], ".png 300w") {
		t.Errorf("second picture: %s", pics[1])
	}
	if !strings.Contains(talk, `<img src=../rule.svg alt width=400 height=8 loading=lazy`) {
		t.Errorf("the decorative SVG: %s", talk)
	}
	// The portrait is upright (450 x 600 once turned), cropped square, eager on its page.
	ada := read(t, out, "speakers/ada/index.html")
	if !strings.Contains(ada, `width=160 height=160 alt=Ada class=fill loading=eager`) || !strings.Contains(ada, "320w") {
		t.Errorf("portrait: %s", ada)
	}
	if !strings.Contains(ada, `<meta property="og:image" content="https://example.org/test/speakers/ada-450.`) {
		t.Errorf("og:image of a page with an image: %s", ada)
	}
	if home := read(t, out, "index.html"); !regexp.MustCompile(`og:image" content="https://example.org/test/card\.[0-9a-f]{10}\.png"`).MatchString(home) {
		t.Errorf("og:image of the home page: %s", home)
	}
	// No published file holds metadata, and each is what its name says.
	files := readTree(t, out)
	n := 0
	for name, data := range files {
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".svg") || strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".js") {
			continue
		}
		n++
		for _, bad := range []string{"Exif", "SecretCam", "GPS"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
		info, err := imaging.Probe(data)
		if err != nil || info.Orientation != 1 {
			t.Errorf("%s: %+v %v", name, info, err)
		}
		if strings.Contains(name, "ada-") && info.Width > info.Height && info.Width != info.Height {
			t.Errorf("%s is %dx%d: the portrait was not turned upright", name, info.Width, info.Height)
		}
	}
	if n < 10 {
		t.Errorf("only %d images published", n)
	}
	if res.Images.Decoded != 3 {
		t.Errorf("decoded %d originals, want 3", res.Images.Decoded)
	}

	// A second build with nothing changed decodes nothing, and gives the same files.
	res2, err := Build(context.Background(), Options{Source: root, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Images.Decoded != 0 || res2.Images.Encoded != 0 {
		t.Errorf("warm build: %+v", res2.Images)
	}
	same(t, files, readTree(t, out))

	// A build into an empty cache, elsewhere, gives identical bytes.
	other := filepath.Join(t.TempDir(), "out")
	res3, err := Build(context.Background(), Options{Source: root, Out: other, CacheDir: filepath.Join(t.TempDir(), "cache")})
	if err != nil || res3.Images.Decoded != 3 {
		t.Fatalf("%v %+v", err, res3.Images)
	}
	same(t, files, readTree(t, other))

	// An image no page names any more leaves the cache.
	if err := os.WriteFile(filepath.Join(root, "content/talks/opening.md"), []byte("---\ntitle: Opening\n---\nNo pictures.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := countFiles(t, filepath.Join(root, ".recap-cache"))
	if _, err := Build(context.Background(), Options{Source: root, Out: out}); err != nil {
		t.Fatal(err)
	}
	if after := countFiles(t, filepath.Join(root, ".recap-cache")); after >= before {
		t.Errorf("the cache kept %d files of %d after the body images went", after, before)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func same(t *testing.T, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%d files, then %d", len(a), len(b))
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			t.Errorf("%s differs between builds", k)
		}
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// A page's recording and slides: the hosted video shows a poster and a link, with the
// privacy-enhanced player only named for the script, and a VideoObject; a file plays in a
// <video preload="none">; slides say their type and size.
func TestRecordingsAndSlides(t *testing.T) {
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 2_400_000)
	root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
		"content/talks/opening.md":          "---\ntitle: Opening\ndate: 2021-03-01\nvideo: https://youtu.be/dQw4w9WgXcQ\nslides: opening.pdf\n---\nThe talk.\n",
		"content/talks/opening.pdf":         pdf,
		"content/talks/closing.md":          "---\ntitle: Closing\nvideo: closing.mp4\nslides: https://example.org/closing-slides.pdf\n---\n",
		"content/talks/closing.mp4":         "not really a video",
		"templates/page.html":               `{{ define "main" }}<h1>{{ .Page.Title }}</h1>{{ template "partials/recording.html" . }}{{ end }}` + "\n",
		"templates/partials/recording.html": readRepo(t, "templates/partials/recording.html"),
		"templates/i18n/en.yaml":            readRepo(t, "templates/i18n/en.yaml"),
		"static/js/video.js":                readRepo(t, "static/js/video.js"),
	}))
	out := filepath.Join(root, "public")
	res, err := Build(context.Background(), Options{Source: root, Out: out})
	if err != nil {
		t.Fatalf("%v: %v", err, res.Diags)
	}
	opening := read(t, out, "talks/opening/index.html")
	for _, want := range []string{
		`data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"`,
		`<a class=video-play href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"`,
		`"@type":"VideoObject"`, `"embedUrl":"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`, `"uploadDate":"2021-03-01"`,
		`"thumbnailUrl":"https://example.org/test/talks/opening/card.`,
		`<a href=../opening.pdf type=application/pdf>Slides</a>, PDF, 2.4 MB`,
	} {
		if !strings.Contains(opening, want) {
			t.Errorf("the talk lacks %s:\n%s", want, opening)
		}
	}
	// Nothing on the page itself loads from the host.
	for _, bad := range []string{"<iframe", `src="https://www.youtube`, `src=https://www.youtube`} {
		if strings.Contains(opening, bad) {
			t.Errorf("the page loads from the video host: %s", bad)
		}
	}
	if got := read(t, out, "talks/opening.pdf"); len(got) != len(pdf) {
		t.Errorf("the slides were not published whole: %d bytes", len(got))
	}
	closing := read(t, out, "talks/closing/index.html")
	for _, want := range []string{`<video preload=none controls playsinline width=1200 height=630 poster=card.`, `<source src=../closing.mp4 type=video/mp4>`, `>Slides</a>, PDF`} {
		if !strings.Contains(closing, want) {
			t.Errorf("the closing talk lacks %s:\n%s", want, closing)
		}
	}
}

func readRepo(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
