package incremental

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/sitetest"
)

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// writeAt writes a file of the site at root, creating its folder.
func writeAt(t *testing.T, root, rel, data string) {
	t.Helper()
	sitetest.WriteInto(t, root, map[string]string{rel: data})
}

// same compares what is served with a full build of good, a copy of the sources as they
// were at the last update that succeeded: the search index, sitemap and feed included.
func same(t *testing.T, step string, s *Site, good string) {
	t.Helper()
	full := output.NewMemory()
	res := build.Run(context.Background(), build.Options{Source: good, Inject: s.opts.Inject}, full)
	if res.Diags.HasErrors() {
		t.Fatalf("%s: the full build failed: %v", step, res.Diags)
	}
	sn := s.Current()
	got, want := sn.Paths(), full.Paths()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: files differ\nincremental: %v\nfull:        %v", step, got, want)
	}
	for _, p := range want {
		a, _ := sn.Get(p)
		b, _ := full.Get(p)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from a full build of the last good sources\nincremental: %s\nfull:        %s", step, p, a, b)
		}
	}
	// After a good update, the problems are those a full build reports (warnings), the
	// extras' included.
	if !sn.Diags.HasErrors() {
		ds := append(slices.Clone(sn.Diags), sn.Extras()...).Sort()
		if fmt.Sprint(ds) != fmt.Sprint(res.Diags) {
			t.Errorf("%s: the update reports\n%v\na full build\n%v", step, ds, res.Diags)
		}
	}
}

// keep copies the sources into a fresh folder: the last good state, for same.
func keep(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, src, dir)
	return dir
}

// monolingual turns the copy of the golden site at src into a site in one language, whose
// updates redo only what a change affects (a site in several languages is rendered whole).
func monolingual(t *testing.T, src string) {
	t.Helper()
	for _, f := range []string{"content/_index.fr.md", "content/people/ada.fr.md", "content/talks/_index.fr.md"} {
		if err := os.Remove(filepath.Join(src, filepath.FromSlash(f))); err != nil {
			t.Fatal(err)
		}
	}
	home := filepath.Join(src, "content", "_index.md")
	b, err := os.ReadFile(home)
	if err != nil || !bytes.Contains(b, []byte("languages: [fr]\n")) {
		t.Fatalf("the golden site's home page lists no languages: %v", err)
	}
	if err := os.WriteFile(home, bytes.Replace(b, []byte("languages: [fr]\n"), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSequenceOfEditsMatchesFullBuilds(t *testing.T) {
	src := t.TempDir()
	copyDir(t, "../build/testdata/sites/small", src)
	monolingual(t, src)
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src, Inject: "<script>live()</script>"})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	good := keep(t, src)
	same(t, "start", s, good)
	write := func(rel, data string) { writeAt(t, src, rel, data) }
	remove := func(rel string) {
		if err := os.RemoveAll(filepath.Join(src, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
	const (
		ok = iota
		broken
		unchanged // succeeds and serves the same files as before
	)
	steps := []struct {
		name     string
		do       func()
		changed  []string
		full     bool // the update must render everything
		maxPages int  // otherwise at most this many pages
		outcome  int
	}{
		{"edit a body", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda wrote programs.\n")
		}, []string{"content/people/ada.md"}, false, 1, ok},
		{"a body edit that fails at render time", func() {
			write("templates/people/page.html", "{{ define \"main\" }}<h1>{{ .Page.Title }}</h1>{{ with .Page.Params.extra }}<p>{{ .note }}</p>{{ end }}{{ if gt (len .Page.PlainText) 200 }}{{ .Page.Title.TooLong }}{{ end }}{{ .Page.Content }}{{ end }}")
		}, []string{"templates/people/page.html"}, false, 2, ok},
		{"... then a body too long for it", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda wrote programs."+strings.Repeat(" And more programs.", 20)+"\n")
		}, []string{"content/people/ada.md"}, false, 0, broken},
		{"... shortened", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda wrote programs, and a few more.\n")
		}, []string{"content/people/ada.md"}, false, 1, ok},
		{"... then the page gives the template what it cannot use", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n  extra: oops\n---\n## Biography\n\nAda wrote programs and more.\n")
		}, []string{"content/people/ada.md"}, false, 0, broken},
		{"... and another page's body changes meanwhile", func() {
			write("content/people/grace.md", "---\ntitle: Grace\n---\nGrace spoke three times.\n")
		}, []string{"content/people/grace.md"}, false, 0, broken},
		{"... fixed", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n  extra:\n    note: Fixed.\n---\n## Biography\n\nAda wrote programs and more.\n")
		}, []string{"content/people/ada.md"}, false, 6, ok},
		{"rename a page's title", func() {
			write("content/people/grace.md", "---\ntitle: Grace Hopper\n---\nGrace spoke twice.\n")
		}, []string{"content/people/grace.md"}, false, 6, ok},
		{"a new title and summary that fail at render time", func() {
			write("content/people/grace.md", "---\ntitle: Grace B. Hopper\nsummary: Rear admiral.\nparams:\n  extra: [1, 2]\n---\nGrace spoke twice.\n")
		}, []string{"content/people/grace.md"}, false, 0, broken},
		{"... back as it was", func() {
			write("content/people/grace.md", "---\ntitle: Grace Hopper\n---\nGrace spoke twice.\n")
		}, []string{"content/people/grace.md"}, false, 6, unchanged},
		{"add a page with a reference", func() {
			write("content/people/alan.md", "---\ntitle: Alan\ntalks: closing\n---\nAlan asked questions.\n")
		}, []string{"content/people/alan.md"}, false, 7, ok},
		{"a broken edit keeps the site, with a section's new title", func() {
			write("content/talks/closing.md", "{\n  \"title\": \"Closing\",\n")
			write("content/talks/_index.md", "+++\ntitle = \"All talks\"\nweight = 1\n+++\nAll the talks.\n")
		}, []string{"content/talks/closing.md", "content/talks/_index.md"}, false, 0, broken},
		{"a page removed while broken", func() { remove("content/people/alan.md") }, []string{"content/people/alan.md"}, false, 0, broken},
		{"a link to a missing page, while broken", func() {
			write("content/people/ada.md", "---\ntitle: Ada\n---\nSee [nobody](nobody.md).\n")
		}, []string{"content/people/ada.md"}, false, 0, broken},
		{"fixing both recovers", func() {
			write("content/talks/_index.md", "+++\ntitle = \"Talks\"\nweight = 1\n+++\nAll the talks.\n")
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\n---\n## Biography\n\nAda.\n")
			write("content/talks/closing.md", "{\n  \"title\": \"Closing remarks\",\n  \"date\": \"2021-03-02\",\n  \"weight\": 2,\n  \"people\": \"grace\"\n}\n\n## Q and A\n\nQuestions.\n")
		}, []string{"content/talks/closing.md", "content/people/ada.md", "content/talks/_index.md"}, false, 8, ok},
		{"reorder by weight", func() {
			write("content/talks/opening.md", "---\ntitle: \"Opening\"\ndate: 2021-03-01\nweight: 9\npeople: [ada, \"grace\"]\n---\nThe opening talk, with one to [closing](closing.md#q-and-a).\n")
		}, []string{"content/talks/opening.md"}, false, 8, ok},
		{"edit a section template", func() {
			write("templates/people/page.html", "{{ define \"main\" }}<h1>{{ .Page.Title }}!</h1>{{ .Page.Content }}{{ end }}")
		}, []string{"templates/people/page.html"}, false, 2, ok},
		{"a template that fails at render time", func() {
			write("templates/list.html", "{{ define \"main\" }}{{ .Page.Title.Nope }}{{ end }}")
		}, []string{"templates/list.html"}, false, 0, broken},
		{"a partial that does not parse", func() {
			write("templates/partials/nav.html", "<nav>{{ range .Site.Sections }}")
		}, []string{"templates/partials/nav.html"}, false, 0, broken},
		{"both templates fixed", func() {
			remove("templates/list.html")
			copyDir(t, "../build/testdata/sites/small/templates", filepath.Join(src, "templates"))
			write("templates/partials/nav.html", "<nav>{{ range .Site.Sections }}<a href=\"{{ $.Rel .URL }}\">{{ .Title }}</a>{{ end }}</nav>")
		}, []string{"templates/partials/nav.html", "templates/list.html", "templates/people/page.html"}, true, 0, ok},
		{"change a static file", func() {
			write("static/css/site.css", "body { color: blue }")
			write("static/css/print.css", "body { color: black }")
		}, []string{"static/css/site.css", "static/css/print.css"}, false, 0, ok},
		{"add and remove static files", func() {
			write("static/img/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")
			remove("static/css/print.css") // linked by no template: a build without it succeeds
		}, []string{"static/img/a.svg", "static/css/print.css", "static/img"}, false, 0, ok},
		{"a new section", func() {
			write("content/rooms/hall.md", "---\ntitle: Hall\n---\nBig.\n")
		}, []string{"content/rooms", "content/rooms/hall.md"}, true, 0, ok},
		{"the site settings, broken", func() {
			write("content/_index.md", "---\ntitle: [Small Conf 2\n---\nWelcome.\n")
		}, []string{"content/_index.md"}, false, 0, broken},
		{"the site settings", func() {
			write("content/_index.md", "---\ntitle: Small Conf 2\nlanguage: en-GB\nbase_url: https://small.example/2/\n---\nWelcome.\n")
		}, []string{"content/_index.md"}, true, 0, ok},
		{"editor save through a temporary file", func() {
			write("content/people/.ada.md.swp", "junk")
			write("content/people/ada.md", "---\ntitle: Ada L.\n---\nShort.\n")
		}, []string{"content/people/.ada.md.swp", "content/people/ada.md", "content/people/ada.md~"}, false, 6, ok},
		{"a file that is not a page", func() { write("content/people/notes.txt", "to do") }, []string{"content/people/notes.txt"}, false, 0, unchanged},
		{"a save that changes nothing", func() { write("content/people/grace.md", "---\ntitle: Grace Hopper\n---\nGrace spoke twice.\n") }, []string{"content/people/grace.md"}, false, 0, unchanged},
	}
	for i, st := range steps {
		st.do()
		before := s.Current()
		res := s.Update(ctx, st.changed)
		if res.Snapshot != s.Current() {
			t.Fatalf("%s: the result's snapshot is not the one served", st.name)
		}
		if st.outcome == broken {
			if !res.Diags.HasErrors() {
				t.Fatalf("%s: no error", st.name)
			}
			if res.Changed {
				t.Errorf("%s: a failed update says it changed the served files", st.name)
			}
			same(t, st.name, s, good)
			_ = before
			continue
		}
		if res.Diags.HasErrors() {
			t.Fatalf("%s: %v", st.name, res.Diags)
		}
		if res.Full != st.full {
			t.Errorf("%s: full = %v, want %v", st.name, res.Full, st.full)
		}
		if !st.full && res.Rendered > st.maxPages {
			t.Errorf("%s: rendered %d pages, want at most %d", st.name, res.Rendered, st.maxPages)
		}
		if want := st.outcome != unchanged; res.Changed != want && !before.Diags.HasErrors() {
			t.Errorf("%s: changed = %v, want %v", st.name, res.Changed, want)
		}
		good = keep(t, src)
		// The extras are written when first asked for: before a failed update, leave them
		// unwritten, so that they are made only after it, from the last good site.
		if i+1 == len(steps) || steps[i+1].outcome != broken {
			same(t, st.name, s, good)
		}
	}
}

// TestTranslatedSiteMatchesFullBuilds edits the golden site in two languages: its default
// pages, its translations and its template strings; after each update every language is
// what a full build gives, byte for byte. An edit to a default-language page renders only
// the pages that show it, in both languages (the English ones, and the French versions of
// the same pages where there are some), and every file that changed is among them.
func TestTranslatedSiteMatchesFullBuilds(t *testing.T) {
	src := t.TempDir()
	copyDir(t, "../build/testdata/sites/small", src)
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	same(t, "start", s, keep(t, src))
	// The pages that show talks/opening.md: itself, the talk after it, its people, the list
	// of talks and the home page; in French, those translated: the home page, the list of
	// talks and Ada (the talk itself is not translated, nor Grace).
	openingShown := []string{"fr/index.html", "fr/people/ada/index.html", "fr/talks/index.html", "index.html", "people/ada/index.html", "people/grace/index.html", "talks/closing/index.html", "talks/index.html", "talks/opening/index.html"}
	steps := []struct {
		name, file, data string
		broken           bool
		written          []string // the files an update of a default page writes; nil: not checked
	}{
		{"a default page's title, shown in the French lists", "content/talks/opening.md", "---\ntitle: Opening talk\ndate: 2021-03-01\nweight: 1\npeople: [ada, grace]\n---\nThe opening.\n", false, openingShown},
		{"a default page's body", "content/talks/opening.md", "---\ntitle: Opening talk\ndate: 2021-03-01\nweight: 1\npeople: [ada, grace]\n---\nThe opening, again.\n", false, openingShown},
		// Ada, translated: her page in both languages, the people list (not translated),
		// Grace after her, the talk she gave, and both home pages.
		{"a translated default page's summary", "content/people/ada.md", "---\ntitle: Ada\nsummary: Ada opened the conference.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda wrote a program.\n", false,
			[]string{"fr/index.html", "fr/people/ada/index.html", "index.html", "people/ada/index.html", "people/grace/index.html", "people/index.html", "talks/opening/index.html"}},
		{"a translation's body", "content/people/ada.fr.md", "---\nsummary: Ada a ouvert.\n---\n## Biographie\n\nAda a écrit des programmes.\n", false, nil},
		{"a new translation, which French pages now link to", "content/talks/opening.fr.md", "---\ntitle: Ouverture\n---\nL'ouverture.\n", false, nil},
		{"a reference in a translation", "content/talks/opening.fr.md", "---\ntitle: Ouverture\npeople: [ada]\n---\nL'ouverture.\n", true, nil},
		{"fixed", "content/talks/opening.fr.md", "---\ntitle: Ouverture !\n---\nL'ouverture.\n", false, nil},
		{"a default page whose translation now exists", "content/talks/opening.md", "---\ntitle: Opening talk\ndate: 2021-03-01\nweight: 1\npeople: [ada, grace]\n---\nThe opening, once more.\n", false,
			append([]string{"fr/talks/opening/index.html"}, openingShown...)},
		{"a default page that breaks a French link", "content/people/ada.md", "---\ntitle: Ada\n---\nNo biography.\n", true, nil},
		{"and mended", "content/people/ada.md", "---\ntitle: Ada\nsummary: Ada opened the conference.\n---\n## Biography\n\nAda wrote a program.\n", false, nil},
		{"a template string", "templates/i18n/fr.yaml", "", false, nil},
	}
	for _, st := range steps {
		if st.data == "" {
			// The French words: a plural form, the heading links' name, the date layout.
			b, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(st.file)))
			if err != nil {
				t.Fatal(err)
			}
			r := strings.NewReplacer(`exposés"`, `exposés au total"`, "Lien vers cette section", "Lien", "long: Monday 2 January 2006", "long: 2 January 2006")
			st.data = r.Replace(string(b))
		}
		before := s.Current()
		writeAt(t, src, st.file, st.data)
		res := s.Update(ctx, []string{st.file})
		if st.broken {
			if !res.Diags.HasErrors() {
				t.Fatalf("%s: no error", st.name)
			}
			continue
		}
		if res.Diags.HasErrors() {
			t.Fatalf("%s: %v", st.name, res.Diags)
		}
		same(t, st.name, s, keep(t, src))
		if st.written != nil {
			slices.Sort(st.written)
			if res.Full || !slices.Equal(res.Written, st.written) {
				t.Errorf("%s: the update wrote (full: %v)\n%v\nwant\n%v", st.name, res.Full, res.Written, st.written)
			}
		}
		if !res.Full && before.Built {
			// Every file that differs from what was served was written again (the extras,
			// made when asked for, aside).
			for p, b := range res.Snapshot.files {
				if a := before.files[p]; !bytes.Equal(a, b) && !slices.Contains(res.Written, p) {
					t.Errorf("%s: %s changed but the update says it did not write it", st.name, p)
				}
			}
		}
	}
}

// TestRealTemplatesMatchFullBuilds edits the repository's own site, whose templates keep
// partials with .Partial, and compares every update with a full build: a card kept from
// before an edit must never reach a page rendered after it.
func TestRealTemplatesMatchFullBuilds(t *testing.T) {
	src := t.TempDir()
	for _, d := range []string{"content", "templates", "static"} {
		copyDir(t, filepath.Join("..", "..", d), filepath.Join(src, d))
	}
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src, Inject: "<script>live()</script>"})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	same(t, "start", s, keep(t, src))
	edit := func(rel, old, new string) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s lacks %q (%v)", rel, old, err)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name, file, old, new string
	}{
		{"a speaker's title, shown on the cards of other pages", "content/speakers/pia-laurila.md", "title: Pia Laurila", "title: Pia Laurila (DG REGIO)"},
		{"a speaker's summary, shown on the cards too", "content/speakers/ulla-engelmann.md", "summary: ", "summary: Speaker. "},
		{"an initiative's acronym, in its cards", "content/initiatives/european-urban-initiative.md", "acronym: EUI", "acronym: E.U.I."},
		{"the card template", "templates/partials/card.html", `<li class="card">`, `<li class="card card-x">`},
		{"a section's title, in every header", "content/days/_index.md", "title: ", "title: The "},
	}
	for _, st := range steps {
		edit(st.file, st.old, st.new)
		if res := s.Update(ctx, []string{st.file}); res.Diags.HasErrors() {
			t.Fatalf("%s: %v", st.name, res.Diags)
		}
		same(t, st.name, s, keep(t, src))
	}
}

// TestPaginatedListsMatchFullBuilds edits a site whose lists are split into pages of two
// cards, with the repository's templates: pages added, retitled, moved and deleted across
// a page boundary must leave every list page as a full build makes it, and no list page
// that a full build no longer makes.
func TestPaginatedListsMatchFullBuilds(t *testing.T) {
	src := t.TempDir()
	for _, d := range []string{"templates", "static"} {
		copyDir(t, filepath.Join("..", "..", d), filepath.Join(src, d))
	}
	write := func(rel, data string) { writeAt(t, src, rel, data) }
	speaker := func(slug, title string, weight int) {
		write("content/speakers/"+slug+".md", fmt.Sprintf("---\ntitle: %s\nweight: %d\nsummary: %s spoke.\n---\nText.\n", title, weight, title))
	}
	write("content/_index.md", "---\ntitle: Conf\n---\nHello.\n")
	write("content/search.md", "---\ntitle: Search\nunlisted: true\n---\n")
	for _, sec := range []string{"days", "initiatives", "organisations"} {
		write("content/"+sec+"/_index.md", "---\ntitle: "+sec+"\n---\n")
	}
	write("content/speakers/_index.md", "---\ntitle: Speakers\npaginate: 2\n---\nAll of them.\n")
	for i, n := range []string{"a", "b", "c", "d"} {
		speaker(n, "Speaker "+n, i+1)
	}
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	same(t, "start", s, keep(t, src))
	if _, ok := s.Current().Get("speakers/page/2/index.html"); !ok {
		t.Fatal("no second list page")
	}
	steps := []struct {
		name    string
		do      func()
		changed []string
	}{
		{"retitle a card of the second page", func() { speaker("d", "Speaker D", 4) }, []string{"content/speakers/d.md"}},
		{"a new page makes a third list page", func() { speaker("e", "Speaker e", 5) }, []string{"content/speakers/e.md"}},
		{"a page moves from the third list page to the first", func() { speaker("e", "Speaker e", 1) }, []string{"content/speakers/e.md"}},
		{"deleting a page removes the third list page", func() {
			if err := os.Remove(filepath.Join(src, "content/speakers/a.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/speakers/a.md"}},
		{"a smaller page size", func() {
			write("content/speakers/_index.md", "---\ntitle: Speakers\npaginate: 1\n---\nAll of them.\n")
		}, []string{"content/speakers/_index.md"}},
	}
	for _, st := range steps {
		st.do()
		if res := s.Update(ctx, st.changed); res.Diags.HasErrors() {
			t.Fatalf("%s: %v", st.name, res.Diags)
		}
		same(t, st.name, s, keep(t, src))
	}
}
