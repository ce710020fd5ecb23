package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/internal/sitetest"
	"github.com/icc-recap/recap/internal/synth"
)

// repoSite writes a site with the repository's own templates and static files and the
// content files given.
func repoSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root, err := synth.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{"templates", "static"} {
		if err := synth.CopyTree(filepath.Join(root, d), filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	sitetest.WriteInto(t, dir, files)
	return dir
}

// buildInto builds the site in dir into dir/public, failing the test on any error, and
// returns the output folder.
func buildInto(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "public")
	if res, err := build.Build(context.Background(), build.Options{Source: dir, Out: out}); err != nil {
		t.Fatalf("%v: %v", err, res.Diags)
	}
	return out
}

var (
	relRe   = regexp.MustCompile(`<link rel=(?:"?)(prev|next)(?:"?) href=(?:"?)([^" >]+)`)
	cardRe  = regexp.MustCompile(`<li class=(?:"?)card(?:"?)><a href=(?:"?)([^" >]+)`)
	introRe = regexp.MustCompile(`class="?prose"?><p>Everyone who spoke.`)
	curRe   = regexp.MustCompile(`aria-label="Page (\d+)" aria-current=(?:"?)page(?:"?)>(\d+)<`)
)

// TestPaginationBoundaries builds lists of one card fewer than, as many as and one more
// than whole pages hold, with the repository's templates, and checks every list page's
// cards, its rel="prev"/"next" links and its numbered navigation.
func TestPaginationBoundaries(t *testing.T) {
	const per = 3
	for _, n := range []int{0, 1, per - 1, per, per + 1, 2 * per, 2*per + 1} {
		t.Run(fmt.Sprint(n, " pages"), func(t *testing.T) {
			files := map[string]string{
				"content/_index.md": "---\ntitle: Conf\n---\nHello.\n",
				"content/search.md": "---\ntitle: Search\nunlisted: true\n---\n",
				// The search page links to these.
				"content/days/_index.md":          "---\ntitle: Days\n---\n",
				"content/initiatives/_index.md":   "---\ntitle: Initiatives\n---\n",
				"content/organisations/_index.md": "---\ntitle: Organisations\n---\n",
				"content/speakers/_index.md":      fmt.Sprintf("---\ntitle: Speakers\npaginate: %d\n---\nEveryone who spoke.\n", per),
			}
			for i := range n {
				files[fmt.Sprintf("content/speakers/s%02d.md", i)] = fmt.Sprintf("---\ntitle: Speaker %02d\nweight: %d\n---\nText.\n", i, i+1)
			}
			dir := repoSite(t, files)
			out := buildInto(t, dir)
			lists := max(1, (n+per-1)/per)
			read := func(rel string) string {
				b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			addr := func(k int) string {
				if k == 1 {
					return "speakers/index.html"
				}
				return fmt.Sprintf("speakers/page/%d/index.html", k)
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(addr(lists+1)))); err == nil {
				t.Errorf("%s exists, but %d pages fill only %d list pages", addr(lists+1), n, lists)
			}
			if _, err := os.Stat(filepath.Join(out, "speakers/page/1")); err == nil {
				t.Errorf("speakers/page/1/ exists: the first page keeps the list's own address")
			}
			for k := 1; k <= lists; k++ {
				html := read(addr(k))
				var cards []string
				for _, m := range cardRe.FindAllStringSubmatch(html, -1) {
					cards = append(cards, m[1])
				}
				var want []string
				for i := (k - 1) * per; i < min(k*per, n); i++ {
					if k == 1 {
						want = append(want, fmt.Sprintf("s%02d/", i))
					} else {
						want = append(want, fmt.Sprintf("../../s%02d/", i))
					}
				}
				if !slices.Equal(cards, want) {
					t.Errorf("%s shows the cards %v, want %v", addr(k), cards, want)
				}
				rels := map[string]string{}
				for _, m := range relRe.FindAllStringSubmatch(html, -1) {
					rels[m[1]] = m[2]
				}
				wantRels := map[string]string{}
				if k > 1 {
					wantRels["prev"] = map[bool]string{true: "../../", false: fmt.Sprintf("../%d/", k-1)}[k == 2]
				}
				if k < lists {
					wantRels["next"] = map[bool]string{true: "page/2/", false: fmt.Sprintf("../%d/", k+1)}[k == 1]
				}
				if fmt.Sprint(rels) != fmt.Sprint(wantRels) {
					t.Errorf("%s links %v in its head, want %v", addr(k), rels, wantRels)
				}
				nav := strings.Contains(html, `aria-label="Pages of the list"`)
				if nav != (lists > 1) {
					t.Errorf("%s: page navigation shown = %v with %d list pages", addr(k), nav, lists)
				}
				if lists > 1 {
					if m := curRe.FindStringSubmatch(html); m == nil || m[1] != fmt.Sprint(k) || m[2] != m[1] {
						t.Errorf("%s: the current page in the navigation is %v, want %d", addr(k), m, k)
					}
				}
				if intro := introRe.MatchString(html); intro != (k == 1) {
					t.Errorf("%s: the section's text shown = %v; only its first page shows it", addr(k), intro)
				}
			}
			// The made-up pages are not in the sitemap nor the search index.
			for _, f := range []string{"search-index.js"} {
				if strings.Contains(read(f), "page/2") {
					t.Errorf("%s lists a second list page", f)
				}
			}
			// And recap check follows every link of every list page.
			if res := build.Check(context.Background(), build.Options{Source: dir}); len(res.Diags.Errors()) > 0 {
				t.Errorf("check: %v", res.Diags)
			}
		})
	}
}

// TestCheckFollowsListPages makes a broken link that only the second page of a list has:
// recap check must find it there.
func TestCheckFollowsListPages(t *testing.T) {
	files := sitetest.With(sitetest.Base, map[string]string{
		"content/speakers/_index.md": "---\ntitle: Speakers\npaginate: 1\n---\n",
		"content/speakers/bo.md":     "---\ntitle: Bo\n---\nBo spoke.\n",
		"templates/list.html": "{{ define \"main\" }}<h1>{{ .Page.Title }}</h1>\n" +
			"{{ with .Page.Pager }}{{ with .Next }}<a href=\"{{ $.Rel .URL }}\">next</a>{{ end }}{{ if gt .Number 1 }}<a href=\"{{ $.Rel \"nowhere/\" }}\">x</a>{{ end }}{{ end }}\n" +
			"<ul>{{ range .Page.Pages }}<li><a href=\"{{ $.Rel .URL }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
	})
	dir := sitetest.Write(t, files)
	res := build.Check(context.Background(), build.Options{Source: dir})
	var got []string
	for _, d := range res.Diags.Errors() {
		got = append(got, d.Error())
	}
	// Made with .Rel, the link fails the build itself, at the template's line.
	want := []string{`templates/list.html:2:116: a link to nowhere/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering content/speakers/_index.md#page-2)`}
	if !slices.Equal(got, want) {
		t.Errorf("check found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPaginationInATranslation splits a translated list: its further pages are made in
// the translation's language, at its addresses, and link to each other there.
func TestPaginationInATranslation(t *testing.T) {
	files := sitetest.With(sitetest.Base, map[string]string{
		"content/_index.md":             "---\ntitle: Test Conf\nlanguages: [fr]\n---\nWelcome.\n",
		"content/speakers/_index.md":    "---\ntitle: Speakers\npaginate: 1\n---\n",
		"content/speakers/_index.fr.md": "---\ntitle: Intervenants\n---\n",
		"content/speakers/bo.md":        "---\ntitle: Bo\n---\nBo spoke.\n",
		"templates/i18n/fr.yaml":        "language_name: Français\nin:\n  en: (en anglais)\n",
		"templates/list.html": "{{ define \"main\" }}<h1>{{ .Page.Title }} {{ .Page.Pager.Number }}/{{ .Page.Pager.Total }}</h1>\n" +
			"{{ with .Page.Pager }}{{ range .Pages }}<a href=\"{{ $.Rel .URL }}\">{{ .Title }}</a>{{ end }}{{ end }}{{ end }}\n",
	})
	dir := sitetest.Write(t, files)
	out := buildInto(t, dir)
	for file, want := range map[string]string{
		"speakers/page/2/index.html":    `<h1>Speakers 2/2</h1><a href=../../>Speakers</a><a href=./>Speakers</a>`,
		"fr/speakers/index.html":        `<h1>Intervenants 1/2</h1><a href=./>Intervenants</a><a href=page/2/>Intervenants</a>`,
		"fr/speakers/page/2/index.html": `<h1>Intervenants 2/2</h1><a href=../../>Intervenants</a><a href=./>Intervenants</a>`,
	} {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(file)))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s:\n%s", file, want, b)
		}
	}
	if res := build.Check(context.Background(), build.Options{Source: dir}); len(res.Diags.Errors()) > 0 {
		t.Errorf("check: %v", res.Diags)
	}
}

// TestPaginationInEveryLanguage builds a list of seven cards, three a page, in English,
// French and German with the repository's templates: the second page's title, breadcrumb
// and navigation say "Page 2" in the page's own words, from the string files.
func TestPaginationInEveryLanguage(t *testing.T) {
	files := map[string]string{
		"content/_index.md":          "---\ntitle: Conf\nlanguages: [fr, de]\n---\nHello.\n",
		"content/_index.fr.md":       "---\ntitle: Conf\n---\nBonjour.\n",
		"content/_index.de.md":       "---\ntitle: Conf\n---\nHallo.\n",
		"content/talks/_index.md":    "---\ntitle: Talks\npaginate: 3\n---\n",
		"content/talks/_index.fr.md": "---\ntitle: Exposés\n---\n",
		"content/talks/_index.de.md": "---\ntitle: Vorträge\n---\n",
	}
	for i := range 7 {
		files[fmt.Sprintf("content/talks/t%d.md", i)] = fmt.Sprintf("---\ntitle: Talk %d\nweight: %d\n---\nText.\n", i, i+1)
	}
	dir := repoSite(t, files)
	out := buildInto(t, dir)
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"talks/page/2/index.html", []string{"<title>Talks, page 2 of 3 ·", "<span aria-current=page>Page 2</span>", `aria-label="Pages of the list"`, `aria-label="Previous page">Previous</a>`, `aria-label="Next page">Next</a>`, `aria-label="Page 3">3</a>`, "Page 2 of 3 · 7 in all"}},
		{"fr/talks/page/2/index.html", []string{"<title>Exposés, page 2 sur 3 ·", "<span aria-current=page>Page 2</span>", `aria-label="Pages de la liste"`, `aria-label="Page précédente">Précédente</a>`, `aria-label="Page suivante">Suivante</a>`, `aria-label="Page 3">3</a>`, "Page 2 sur 3 · 7 en tout"}},
		{"de/talks/page/2/index.html", []string{"<title>Vorträge, Seite 2 von 3 ·", "<span aria-current=page>Seite 2</span>", `aria-label="Seiten der Liste"`, `aria-label="Vorherige Seite">Vorherige</a>`, `aria-label="Nächste Seite">Nächste</a>`, `aria-label="Seite 3">3</a>`, "Seite 2 von 3 · 7 insgesamt"}},
	} {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(tc.file)))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %s", tc.file, w)
			}
		}
	}
}
