package content

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/icc-recap/recap/generator/site"
)

func load(t *testing.T, files map[string]string, sections ...string) (*Result, []string) {
	t.Helper()
	var fs []File
	for p, d := range files {
		fs = append(fs, File{Path: p, Data: []byte(d)})
	}
	res, diags := LoadFiles(fs, sections, Options{})
	var lines []string
	for _, d := range diags {
		lines = append(lines, d.Error())
	}
	return res, lines
}

const home = "---\ntitle: Site\n---\n"

func TestPagesAndSettings(t *testing.T) {
	res, diags := load(t, map[string]string{
		"content/_index.md":              "---\ntitle: Site\ndescription: D\nlanguage: fr\nbase_url: https://example.org/sub\nrepository: https://github.com/o/r/\nparams:\n  x: 1\n---\nHome body.\n",
		"content/people/_index.md":       "---\nweight: 2\n---\n",
		"content/people/Ada Lovelace.md": "---\ntitle: Ada\nsummary: S\ntalks: [t1, \"t2\"]\nparams:\n  role: Speaker\nrole2: top\n---\nFirst para.\n",
		"content/talks/t1.md":            "+++\ntitle = \"T1\"\ndate = 2020-09-21\nweight = 3\ndraft = true\n+++\nBody **bold**.\n",
	}, "people", "talks")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	c := res.Config
	if c.Title != "Site" || c.Language != "fr" || c.BaseURL != "https://example.org/sub/" || c.Repository != "https://github.com/o/r" || c.Branch != "main" || c.Params["x"] != int64(1) {
		t.Errorf("config = %+v", c)
	}
	by := map[string]int{}
	for i, p := range res.Pages {
		by[p.Source] = i
	}
	ada := res.Pages[by["content/people/Ada Lovelace.md"]]
	if ada.URL != "people/ada-lovelace/" || ada.Slug != "ada-lovelace" || ada.Section != "people" || ada.Kind != "page" {
		t.Errorf("ada = %+v", ada)
	}
	if ada.Params["role"] != "Speaker" || ada.Params["role2"] != "top" {
		t.Errorf("params = %v (keys of params: must be lifted to the top)", ada.Params)
	}
	if len(ada.Refs) != 2 || ada.Refs[1].Slug != "t2" || ada.Refs[1].Pos.String() != "content/people/Ada Lovelace.md:4:14" {
		t.Errorf("refs = %+v", ada.Refs)
	}
	if ada.Summary != "S" || ada.Description != "S" {
		t.Errorf("summary = %q", ada.Summary)
	}
	t1 := res.Pages[by["content/talks/t1.md"]]
	if !t1.Draft || t1.Weight != 3 || t1.Date.Format("2006-01-02") != "2020-09-21" || t1.Summary != "Body bold." {
		t.Errorf("t1 = %+v", t1)
	}
	if !strings.Contains(string(t1.Content()), "<strong>bold</strong>") {
		t.Errorf("content = %s", t1.Content())
	}
	idx := res.Pages[by["content/people/_index.md"]]
	if idx.Title != "People" || idx.Kind != "section" || idx.URL != "people/" || idx.Weight != 2 {
		t.Errorf("section index = %+v", idx)
	}
}

func TestTypeProblems(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"missing title", "---\ndate: 2020-01-01\n---\n", "content/talks/x.md:1:1: the page has no title: add a line 'title: ...' to its front matter"},
		{"no front matter", "Just text\n", "content/talks/x.md:1:1: the file has no front matter: start it with a line ---, then a line title: The title, then a line ---"},
		{"empty title", "---\ntitle: \"\"\n---\n", "content/talks/x.md:2:1: the title is empty: give the page a title"},
		{"list title", "---\ntitle: [a, b]\n---\n", "content/talks/x.md:2:1: title must be a single text value, not a list: write title: some text"},
		{"bad date", "---\ntitle: x\ndate: 21/09/2020\n---\n", `content/talks/x.md:3:7: date "21/09/2020" is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21`},
		{"impossible date", "---\ntitle: x\ndate: 2020-02-31\n---\n", `content/talks/x.md:3:7: date "2020-02-31" is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21`},
		{"bad weight", "---\ntitle: x\nweight: first\n---\n", `content/talks/x.md:3:9: weight must be a whole number, not the text "first": write weight: 1`},
		{"bad draft", "---\ntitle: x\ndraft: yes please\n---\n", `content/talks/x.md:3:8: draft must be true or false, not the text "yes please"`},
		{"number reference", "---\ntitle: x\ntalks: 5\n---\n", "content/talks/x.md:3:1: talks must list pages of the section talks, not the number 5: write talks: some-slug, or a list talks: [a-slug, another-slug], naming files of content/talks/ without .md"},
		{"map reference", "---\ntitle: x\ntalks:\n  a: b\n---\n", "content/talks/x.md:3:1: talks must list pages of the section talks, not a map: write talks: some-slug, or a list talks: [a-slug, another-slug], naming files of content/talks/ without .md"},
		{"bad params", "---\ntitle: x\nparams: 3\n---\n", "content/talks/x.md:3:1: params must be a map of keys to values (indented lines under params:), not the number 3"},
		{"bad layout", "---\ntitle: x\nlayout: ../../etc\n---\n", `content/talks/x.md:3:1: layout "../../etc" must be a plain template name such as wide: it may not contain / or ..`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := load(t, map[string]string{"content/_index.md": home, "content/talks/x.md": tt.src}, "talks")
			if strings.Join(diags, "\n") != tt.want {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(diags, "\n"), tt.want)
			}
		})
	}
}

func TestBrokenFilesAreListed(t *testing.T) {
	res, diags := load(t, map[string]string{"content/_index.md": home, "content/talks/x.md": "---\ntitle: x\n"}, "talks")
	if len(diags) != 1 || len(res.Broken) != 1 || res.Broken[0] != "content/talks/x.md" {
		t.Errorf("diags %v, broken %v", diags, res.Broken)
	}
}

func TestMissingHome(t *testing.T) {
	_, diags := load(t, map[string]string{"content/talks/x.md": "---\ntitle: x\n---\n"}, "talks")
	if len(diags) != 1 || diags[0] != "content/_index.md:1:1: the home page is missing: create it with front matter giving the site's title" {
		t.Errorf("diags = %v", diags)
	}
}

func TestLoadStopsWhenDone(t *testing.T) {
	files := []File{{Path: "content/_index.md", Data: []byte(home)}}
	for i := range 50 {
		files = append(files, File{Path: "content/s/p" + strings.Repeat("x", i) + ".md", Data: []byte("---\ntitle: P\n---\nBody.\n")})
	}
	for _, tt := range []struct {
		name      string
		closed    bool
		wantPages int
	}{
		{"running", false, 51},
		{"interrupted", true, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			if tt.closed {
				close(done)
			}
			res, _ := LoadFiles(files, []string{"s"}, Options{Done: done})
			if len(res.Pages) != tt.wantPages {
				t.Errorf("%d pages loaded, want %d", len(res.Pages), tt.wantPages)
			}
		})
	}
}

func TestUnlistedAndDraftFlags(t *testing.T) {
	for _, tt := range []struct {
		front           string
		unlisted, draft bool
	}{
		{"title: A", false, false},
		{"title: A\nunlisted: true", true, false},
		{"title: A\ndraft: true\nunlisted: false", false, true},
	} {
		res, diags := load(t, map[string]string{"content/_index.md": home, "content/s/a.md": "---\n" + tt.front + "\n---\nBody.\n"}, "s")
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		p := res.Pages[len(res.Pages)-1]
		if p.Source != "content/s/a.md" || p.Unlisted != tt.unlisted || p.Draft != tt.draft {
			t.Errorf("%q: %s unlisted %v draft %v, want %v %v", tt.front, p.Source, p.Unlisted, p.Draft, tt.unlisted, tt.draft)
		}
	}
}

// TestPaginateSetting reads paginate: on a section's _index.md and, as the site's default,
// on the home page, and reports values that cannot be a number of cards.
func TestPaginateSetting(t *testing.T) {
	cases := []struct {
		name            string
		home, idx, page string
		wantSite, want  int
		diags           []string
	}{
		{"unset", "", "", "", 0, 0, nil},
		{"on the section", "", "paginate: 20\n", "", 0, 20, nil},
		{"on the home page", "paginate: 30\n", "", "", 30, 0, nil},
		{"one card a page", "", "paginate: 1\n", "", 0, 1, nil},
		{"zero", "", "paginate: 0\n", "", 0, 0, []string{"content/people/_index.md:2:1: paginate must be 1 or more cards per list page, not 0: write paginate: 50"}},
		{"negative on the home page", "paginate: -5\n", "", "", 0, 0, []string{"content/_index.md:2:1: paginate must be 1 or more cards per list page, not -5: write paginate: 50"}},
		{"text", "", "paginate: many\n", "", 0, 0, []string{`content/people/_index.md:2:11: paginate must be a whole number, not the text "many": write paginate: 1`}},
		{"on a page", "", "", "paginate: 5\n", 0, 0, []string{"content/people/ada.md:3:1: warning: paginate only splits a section's list: move it to the section's _index.md, or to content/_index.md for every section"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, diags := load(t, map[string]string{
				"content/_index.md":        "---\n" + c.home + "title: Site\n---\n",
				"content/people/_index.md": "---\n" + c.idx + "title: People\n---\n",
				"content/people/ada.md":    "---\ntitle: Ada\n" + c.page + "---\n",
			}, "people")
			if strings.Join(diags, "\n") != strings.Join(c.diags, "\n") {
				t.Errorf("diagnostics\n%s\nwant\n%s", strings.Join(diags, "\n"), strings.Join(c.diags, "\n"))
			}
			if res.Config.Paginate != c.wantSite {
				t.Errorf("the site's paginate = %d, want %d", res.Config.Paginate, c.wantSite)
			}
			for _, p := range res.Pages {
				if p.Source == "content/people/_index.md" && p.Paginate != c.want {
					t.Errorf("the section's paginate = %d, want %d", p.Paginate, c.want)
				}
				if p.Source == "content/people/ada.md" && p.Paginate != 0 {
					t.Errorf("a page's paginate = %d", p.Paginate)
				}
			}
		})
	}
}

// countingBodies keeps bodies in memory and counts them, to see that the load gives every
// converted body to Options.Bodies.
type countingBodies struct {
	mu sync.Mutex
	n  int
}

func (c *countingBodies) Put(html, text []byte) site.Body {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return site.InMemory("[kept] "+string(html), "[kept] "+string(text))
}

// TestBodiesGoToTheStore loads a folder from disk with a body store: every page's body is
// put there once and read back from it, and the summary taken from the text is the same.
func TestBodiesGoToTheStore(t *testing.T) {
	dir := t.TempDir()
	for rel, data := range map[string]string{
		"content/_index.md":       home + "Welcome home.\n",
		"content/people/ada.md":   "---\ntitle: Ada\n---\nAda wrote *programs*.\n\nMore.\n",
		"content/people/grace.md": "---\ntitle: Grace\nsummary: Given.\n---\nGrace spoke.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	store := &countingBodies{}
	res, diags := Load(dir, Options{Bodies: store})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if store.n != 3 || len(res.Pages) != 3 {
		t.Fatalf("%d bodies put for %d pages", store.n, len(res.Pages))
	}
	want := map[string][3]string{
		"content/_index.md":       {"[kept] <p>Welcome home.</p>\n", "[kept] Welcome home.", "Welcome home."},
		"content/people/ada.md":   {"[kept] <p>Ada wrote <em>programs</em>.</p>\n<p>More.</p>\n", "[kept] Ada wrote programs. More.", "Ada wrote programs."},
		"content/people/grace.md": {"[kept] <p>Grace spoke.</p>\n", "[kept] Grace spoke.", "Given."},
	}
	for _, p := range res.Pages {
		w := want[p.Source]
		if string(p.Content()) != w[0] || p.PlainText() != w[1] || p.Summary != w[2] {
			t.Errorf("%s: content %q, text %q, summary %q; want %q", p.Source, p.Content(), p.PlainText(), p.Summary, w)
		}
	}
}
