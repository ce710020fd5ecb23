package main

import (
	"bytes"
	"context"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/urls"
	"github.com/icc-recap/recap/internal/crawl"
	"github.com/icc-recap/recap/internal/sitetest"
)

// buildRealSite builds the repository's own site with the command, as a user would.
func buildRealSite(t *testing.T, extra ...string) (string, *crawl.Site) {
	t.Helper()
	return buildSite(t, "../..", extra...)
}

// buildRealSiteWith builds a copy of the repository's own site (content/, templates/ and
// static/) changed by change: each file given a function is rewritten by it, from its old
// content ("" for a new file); a function returning "" removes the file.
func buildRealSiteWith(t *testing.T, change map[string]func(string) string, extra ...string) (string, *crawl.Site) {
	t.Helper()
	return buildSite(t, writeRealSiteWith(t, change), extra...)
}

// writeRealSiteWith writes a copy of the repository's own site changed by change, as
// buildRealSiteWith does, and returns its root.
func writeRealSiteWith(t *testing.T, change map[string]func(string) string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{}
	for _, dir := range []string{"content", "templates", "static"} {
		for rel, data := range sitetest.Snapshot(t, filepath.Join("../..", dir)) {
			if !strings.HasSuffix(rel, "/") {
				files[dir+"/"+rel] = data
			}
		}
	}
	for rel, f := range change {
		if data := f(files[rel]); data != "" {
			files[rel] = data
		} else {
			delete(files, rel)
		}
	}
	sitetest.WriteInto(t, root, files)
	return root
}

// TestRealSiteChecksCleanWithBaseURL runs recap check on the repository's site with a base
// URL set, as the README recommends, at the root of a host and under a sub-path: no problem
// (the notes on untranslated pages, which never fail a run, aside), and the same output on
// every run.
func TestRealSiteChecksCleanWithBaseURL(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://example.org/recap/"} {
		t.Run(base, func(t *testing.T) {
			root := writeRealSiteWith(t, map[string]func(string) string{
				"content/_index.md": func(s string) string {
					out := strings.Replace(s, "\nbase_url: \"\"\n", "\nbase_url: \""+base+"\"\n", 1)
					if out == s {
						t.Fatal("content/_index.md has no empty base_url line to set")
					}
					return out
				},
			})
			var first string
			for i := range 3 {
				code, out, errOut := runCmd(t, "check", "--source", root)
				if code != 0 {
					t.Fatalf("recap check exited %d:\n%s%s", code, out, errOut)
				}
				for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
					if line != "" && !strings.Contains(line, ": note: ") {
						t.Fatalf("recap check reported a problem: %s\n%s%s", line, out, errOut)
					}
				}
				if i == 0 {
					first = out + errOut
				} else if out+errOut != first {
					t.Fatalf("run %d said %q, run 1 said %q", i+1, out+errOut, first)
				}
			}
		})
	}
}

// buildSite builds the site under root with the command into a temporary folder.
func buildSite(t *testing.T, root string, extra ...string) (string, *crawl.Site) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "--source", root, "--out", out}, extra...)
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("recap build exited %d:\n%s", code, stderr.String())
	}
	s, err := crawl.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, s
}

func TestRealSiteLinksResolve(t *testing.T) {
	_, s := buildRealSite(t)
	var broken []string
	for _, name := range sortedKeys(s.Links) {
		for _, l := range s.Links[name] {
			switch {
			case strings.HasPrefix(l.Raw, "/") && !strings.HasPrefix(l.Raw, "//"):
				broken = append(broken, name+": absolute path "+l.Raw+" (internal links must be relative)")
			case !l.Internal():
			case s.Files[l.Target] == nil:
				broken = append(broken, name+": "+l.Attr+"="+l.Raw+" leads to "+l.Target+", which does not exist")
			case l.Fragment != "" && strings.HasSuffix(l.Target, ".html") && !s.IDs[l.Target][l.Fragment]:
				broken = append(broken, name+": "+l.Raw+" names #"+l.Fragment+", which "+l.Target+" does not have")
			}
		}
	}
	if len(broken) > 0 {
		t.Errorf("%d broken links:\n%s", len(broken), strings.Join(broken, "\n"))
	}
}

func TestRealSiteEveryPageWithinTwoClicksOfHome(t *testing.T) {
	_, s := buildRealSite(t)
	depth := map[string]int{"index.html": 0}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, l := range s.Links[p] {
			if _, seen := depth[l.Target]; !seen && l.Internal() && strings.HasSuffix(l.Target, "index.html") && s.Files[l.Target] != nil {
				depth[l.Target] = depth[p] + 1
				queue = append(queue, l.Target)
			}
		}
	}
	for name := range s.Files {
		if !strings.HasSuffix(name, "index.html") {
			continue
		}
		d, ok := depth[name]
		switch {
		case !ok:
			t.Errorf("%s cannot be reached from the home page", name)
		case d > 2:
			t.Errorf("%s is %d clicks from the home page, more than 2", name, d)
		}
	}
}

// TestRealSiteRelationsGoBothWays reads every reference declared in content/ and checks
// that the two pages link to each other in the output.
func TestRealSiteRelationsGoBothWays(t *testing.T) {
	_, s := buildRealSite(t)
	loaded, diags := loadRealContent(t)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	linksTo := func(from, to string) bool {
		for _, l := range s.Links[from] {
			if l.Target == to {
				return true
			}
		}
		return false
	}
	n := 0
	for _, p := range loaded.Pages {
		if p.Draft {
			continue
		}
		from := p.URL + "index.html"
		for _, r := range p.Refs {
			to := urls.OfSource(r.Section+"/"+r.Slug+".md") + "index.html"
			if !linksTo(from, to) {
				t.Errorf("%s refers to %s/%s, but %s does not link to %s", p.Source, r.Section, r.Slug, from, to)
			}
			if !linksTo(to, from) {
				t.Errorf("%s refers to %s/%s, but %s does not link back to %s", p.Source, r.Section, r.Slug, to, from)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d references in content/; the seed has at least 20 relations", n)
	}
}

// TestRealSiteRecordsTheSeed checks the relations the event's record must have: day 5 with
// each speaker, each speaker with their initiative and their Directorate-General.
func TestRealSiteRecordsTheSeed(t *testing.T) {
	_, s := buildRealSite(t)
	talks := []struct{ speaker, initiative, dg string }{
		{"pia-laurila", "european-urban-initiative", "dg-regio"},
		{"ulla-engelmann", "pact-for-skills", "dg-grow"},
		{"philippe-froissard", "climate-neutral-smart-cities-mission", "dg-rtd"},
		{"georg-houben", "eip-smart-cities-communities", "dg-ener"},
		{"claudia-fusco", "green-city-accord", "dg-env"},
		{"marta-batalla-masana", "advanced-technologies-for-industry", "dg-grow"},
	}
	page := func(section, slug string) string { return section + "/" + slug + "/index.html" }
	linked := func(a, b string) bool {
		for _, l := range s.Links[a] {
			if l.Target == b {
				return true
			}
		}
		return false
	}
	both := func(a, b string) {
		t.Helper()
		if s.Files[a] == nil || s.Files[b] == nil {
			t.Errorf("missing page: %s or %s", a, b)
			return
		}
		if !linked(a, b) || !linked(b, a) {
			t.Errorf("%s and %s do not link to each other", a, b)
		}
	}
	day5 := page("days", "day-5")
	for _, tk := range talks {
		sp, in, dg := page("speakers", tk.speaker), page("initiatives", tk.initiative), page("organisations", tk.dg)
		both(day5, sp)
		both(sp, in)
		both(sp, dg)
		both(in, dg)
	}
	for i := 1; i <= 5; i++ {
		if s.Files[page("days", "day-"+string(rune('0'+i)))] == nil {
			t.Errorf("day %d has no page", i)
		}
	}
	mission := string(s.Files[page("initiatives", "climate-neutral-smart-cities-mission")])
	for _, figure := range []string{"1 billion", "53 million"} {
		if !strings.Contains(mission, figure) {
			t.Errorf("the Mission page does not give the figure %q", figure)
		}
	}
}

// TestRealSiteIsMinified checks that every HTML, CSS, JS, JSON, SVG and XML file is as small
// as the minifier makes it.
func TestRealSiteIsMinified(t *testing.T) {
	_, s := buildRealSite(t)
	m := minify.New()
	checked := 0
	for name, b := range s.Files {
		if minify.TypeOf(name) == "" {
			continue
		}
		again, err := m.File(name, b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(again) < len(b) {
			t.Errorf("%s is not minified: %d bytes, %d after minifying", name, len(b), len(again))
		}
		if path.Ext(name) == ".html" && bytes.Contains(b, []byte("\n  ")) {
			t.Errorf("%s keeps indentation", name)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d minifiable files checked", checked)
	}
}

func TestRealSiteFileURLs(t *testing.T) {
	_, s := buildRealSite(t, "--file-urls")
	for _, name := range sortedKeys(s.Links) {
		for _, l := range s.Links[name] {
			if l.Internal() && l.Attr == "href" && strings.HasSuffix(strings.SplitN(l.Raw, "#", 2)[0], "/") {
				t.Errorf("%s: %s does not end in index.html", name, l.Raw)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage: recap <command>"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"build", "--base-url", "example.org"}, 2, "must be an absolute http:// or https:// address"},
		{[]string{"build", "--source", "testdata/does-not-exist"}, 1, "content:1:1: there is no content folder"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("recap %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "recap ") {
		t.Errorf("recap version: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestNewRelationsGoBothWays adds what the repository's content does not have, a new section
// and a relation between two sections the seed never relates, and checks that each
// reference is a link both ways, also on pages whose template shows chosen groups first.
func TestNewRelationsGoBothWays(t *testing.T) {
	_, s := buildRealSiteWith(t, map[string]func(string) string{
		"content/cities/_index.md": func(string) string { return "---\ntitle: Cities\n---\nThe ICC cities.\n" },
		"content/cities/espoo.md": func(string) string {
			return "---\ntitle: Espoo\nspeakers: [pia-laurila]\ndays: [day-5]\ninitiatives: [green-city-accord]\norganisations: [dg-env]\n---\nEspoo set its commitments.\n"
		},
		"content/organisations/dg-env.md": func(old string) string {
			return strings.Replace(old, "---\n", "---\ndays: [day-1]\n", 1)
		},
	})
	linksTo := func(from, to string) bool {
		for _, l := range s.Links[from] {
			if l.Target == to {
				return true
			}
		}
		return false
	}
	tests := []struct{ from, to string }{
		{"cities/espoo/", "speakers/pia-laurila/"},
		{"cities/espoo/", "days/day-5/"},
		{"cities/espoo/", "initiatives/green-city-accord/"},
		{"cities/espoo/", "organisations/dg-env/"},
		{"organisations/dg-env/", "days/day-1/"},
	}
	for _, tt := range tests {
		from, to := tt.from+"index.html", tt.to+"index.html"
		if !linksTo(from, to) {
			t.Errorf("%s does not link to %s", tt.from, tt.to)
		}
		if !linksTo(to, from) {
			t.Errorf("%s does not link back to %s", tt.to, tt.from)
		}
	}
}

// TestThemeWorksWithoutContentPages builds the repository's site with content/search.md
// removed, and with it changed: the theme's search page is there either way, made from
// templates/pages/search.html, with the content file's title and text when there is one.
func TestThemeWorksWithoutContentPages(t *testing.T) {
	cases := []struct {
		name   string
		search func(string) string
		title  string
		text   string
	}{
		{"no content/search.md", func(string) string { return "" }, "<h1>Search</h1>", "Type words to find the pages of the record"},
		{"content/search.md sets title and text", func(string) string {
			return "---\ntitle: Find anything\nunlisted: true\n---\nLook through every day and person.\n"
		}, "<h1>Find anything</h1>", "Look through every day and person."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			change := map[string]func(string) string{"content/search.md": tc.search}
			if tc.search("") == "" {
				// Without the page go its translations (search.fr.md), which would have
				// no page to translate.
				translations, err := filepath.Glob("../../content/search.*.md")
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range translations {
					change["content/"+filepath.Base(f)] = func(string) string { return "" }
				}
			}
			root := writeRealSiteWith(t, change)
			if code, out, errOut := runCmd(t, "check", "--source", root); code != 0 {
				t.Fatalf("recap check exited %d:\n%s%s", code, out, errOut)
			}
			_, s := buildSite(t, root)
			page := string(s.Files["search/index.html"])
			if !strings.Contains(page, tc.title) || !strings.Contains(page, tc.text) {
				t.Errorf("search/index.html lacks %q or %q:\n%s", tc.title, tc.text, page)
			}
			if strings.Contains(string(s.Files["search-index.js"]), `"search/"`) {
				t.Error("the search page is listed in the search index")
			}
		})
	}
}

// TestPagePartialNotShared builds the repository's site with the footer, which shows the
// page's "Edit this page" link, called through .Partial as if it could be kept: every page
// still links to its own source.
func TestPagePartialNotShared(t *testing.T) {
	_, s := buildRealSiteWith(t, map[string]func(string) string{
		"content/_index.md": func(s string) string {
			return strings.Replace(s, "\nrepository: \"\"\n", "\nrepository: \"https://forge.example/icc/recap\"\n", 1)
		},
		"templates/base.html": func(s string) string {
			out := strings.Replace(s, `{{ template "partials/footer.html" . }}`, `{{ .Partial "partials/footer.html" . }}`, 1)
			if out == s {
				t.Fatal("templates/base.html does not call the footer as expected")
			}
			return out
		},
	})
	n := 0
	for name, b := range s.Files {
		dir, ok := strings.CutSuffix(name, "/index.html")
		if !ok || !strings.HasPrefix(name, "speakers/") || dir == "speakers" {
			continue
		}
		n++
		want := "https://forge.example/icc/recap/edit/main/content/" + dir + ".md"
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s does not link to %s", name, want)
		}
	}
	if n < 2 {
		t.Fatalf("only %d speaker pages", n)
	}
}

// TestDefaultTemplatesNameNoSection: the theme's shared templates (everything but a
// section's own folder) name no section of content/, and its structured-data templates keep
// to lines a reviewer can read.
func TestDefaultTemplatesNameNoSection(t *testing.T) {
	sections := sitetest.Snapshot(t, "../../content")
	var names []string
	for rel := range sections {
		if dir, ok := strings.CutSuffix(rel, "/_index.md"); ok && !strings.Contains(dir, "/") {
			names = append(names, dir)
		}
	}
	if len(names) < 2 {
		t.Fatalf("sections: %v", names)
	}
	for rel, text := range sitetest.Snapshot(t, "../../templates") {
		if dir, _, ok := strings.Cut(rel, "/"); ok && slices.Contains(names, dir) || !strings.HasSuffix(rel, ".html") {
			continue
		}
		for _, n := range names {
			if strings.Contains(text, `"`+n+`"`) || strings.Contains(text, `"`+n+`/"`) {
				t.Errorf("templates/%s names the section %q", rel, n)
			}
		}
		if strings.Contains(rel, "jsonld") {
			for i, line := range strings.Split(text, "\n") {
				if len(line) > 200 {
					t.Errorf("templates/%s:%d is %d characters long", rel, i+1, len(line))
				}
			}
		}
	}
}

// loadRealContent loads the repository's content/ as a build does, with an image pipeline
// whose cache is a temporary folder (the record's pages show images).
func loadRealContent(t *testing.T) (*content.Result, diag.List) {
	t.Helper()
	return content.Load("../..", content.Options{Media: media.New(media.Options{Root: "../..", CacheDir: t.TempDir()})})
}
