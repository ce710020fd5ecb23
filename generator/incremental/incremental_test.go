package incremental

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/output"
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
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// same compares the incremental output with a full build of the same files.
func same(t *testing.T, step string, s *Site, src string) {
	t.Helper()
	full := output.NewMemory()
	res := build.Run(context.Background(), build.Options{Source: src, Inject: s.opts.Inject}, full)
	if res.Diags.HasErrors() {
		t.Fatalf("%s: the full build failed: %v", step, res.Diags)
	}
	s.Extras()
	got, want := s.Output().Paths(), full.Paths()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: files differ\nincremental: %v\nfull:        %v", step, got, want)
	}
	for _, p := range want {
		a, _ := s.Output().Get(p)
		b, _ := full.Get(p)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from a full build\nincremental: %s\nfull:        %s", step, p, a, b)
		}
	}
}

func TestSequenceOfEditsMatchesFullBuilds(t *testing.T) {
	src := t.TempDir()
	copyDir(t, "../build/testdata/sites/small", src)
	ctx := context.Background()
	s, res := New(ctx, build.Options{Source: src, Inject: "<script>live()</script>"})
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	same(t, "start", s, src)
	write := func(rel, data string) { writeAt(t, src, rel, data) }
	remove := func(rel string) {
		if err := os.RemoveAll(filepath.Join(src, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name     string
		do       func()
		changed  []string
		full     bool // the update must render everything
		maxPages int  // otherwise at most this many pages
		broken   bool // the update must fail and keep the site
	}{
		{"edit a body", func() {
			write("content/people/ada.md", "---\ntitle: Ada\nsummary: Ada gave the opening.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda wrote programs.\n")
		}, []string{"content/people/ada.md"}, false, 1, false},
		{"rename a page's title", func() {
			write("content/people/grace.md", "---\ntitle: Grace Hopper\n---\nGrace spoke twice.\n")
		}, []string{"content/people/grace.md"}, false, 6, false},
		{"add a page with a reference", func() {
			write("content/people/alan.md", "---\ntitle: Alan\ntalks: closing\n---\nAlan asked questions.\n")
		}, []string{"content/people/alan.md"}, false, 7, false},
		{"a broken edit keeps the site", func() {
			write("content/talks/closing.md", "{\n  \"title\": \"Closing\",\n")
		}, []string{"content/talks/closing.md"}, false, 0, true},
		{"fixing it recovers", func() {
			write("content/talks/closing.md", "{\n  \"title\": \"Closing remarks\",\n  \"date\": \"2021-03-02\",\n  \"weight\": 2,\n  \"people\": \"grace\"\n}\n\n## Q and A\n\nQuestions.\n")
		}, []string{"content/talks/closing.md"}, false, 8, false},
		{"delete a page", func() { remove("content/people/alan.md") }, []string{"content/people/alan.md"}, false, 7, false},
		{"reorder by weight", func() {
			write("content/talks/opening.md", "---\ntitle: \"Opening\"\ndate: 2021-03-01\nweight: 9\npeople: [ada, \"grace\"]\n---\nThe opening talk, with one to [closing](closing.md#q-and-a).\n")
		}, []string{"content/talks/opening.md"}, false, 8, false},
		{"edit a section template", func() {
			write("templates/people/page.html", "{{ define \"main\" }}<h1>{{ .Page.Title }}!</h1>{{ .Page.Content }}{{ end }}")
		}, []string{"templates/people/page.html"}, false, 2, false},
		{"edit a partial", func() {
			write("templates/partials/nav.html", "<nav>{{ range .Site.Sections }}<a href=\"{{ $.Rel .URL }}\">{{ .Title }}</a>{{ end }}</nav>")
		}, []string{"templates/partials/nav.html"}, true, 0, false},
		{"change a static file", func() { write("static/css/site.css", "body { color: blue }") }, []string{"static/css/site.css"}, false, 0, false},
		{"add and remove static files", func() {
			write("static/img/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")
			remove("static/css/site.css")
		}, []string{"static/img/a.svg", "static/css/site.css", "static/img"}, false, 0, false},
		{"a new section", func() {
			write("content/rooms/hall.md", "---\ntitle: Hall\n---\nBig.\n")
		}, []string{"content/rooms", "content/rooms/hall.md"}, true, 0, false},
		{"the site settings", func() {
			write("content/_index.md", "---\ntitle: Small Conf 2\nlanguage: en\n---\nWelcome.\n")
		}, []string{"content/_index.md"}, true, 0, false},
		{"editor save through a temporary file", func() {
			write("content/people/.ada.md.swp", "junk")
			write("content/people/ada.md", "---\ntitle: Ada L.\n---\nShort.\n")
		}, []string{"content/people/.ada.md.swp", "content/people/ada.md", "content/people/ada.md~"}, false, 6, false},
	}
	for _, st := range steps {
		st.do()
		before := s.Output().Paths()
		res := s.Update(ctx, st.changed)
		if st.broken {
			if !res.Diags.HasErrors() {
				t.Fatalf("%s: no error", st.name)
			}
			if strings.Join(s.Output().Paths(), ",") != strings.Join(before, ",") {
				t.Errorf("%s: a failed update changed the served files", st.name)
			}
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
		same(t, st.name, s, src)
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
	same(t, "start", s, src)
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
		same(t, st.name, s, src)
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
	write("content/search.md", "---\ntitle: Search\nlayout: search\nunlisted: true\n---\n")
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
	same(t, "start", s, src)
	if _, ok := s.Output().Get("speakers/page/2/index.html"); !ok {
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
		same(t, st.name, s, src)
	}
}
