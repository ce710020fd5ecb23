package synth

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/output"
)

func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			m[rel] = b
		}
		return nil
	})
	return m
}

func TestDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := Write(d, 200, 7); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(c, 200, 8); err != nil {
		t.Fatal(err)
	}
	ta, tb, tc := tree(t, a), tree(t, b), tree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("%d files, then %d", len(ta), len(tb))
	}
	same := true
	for p, x := range ta {
		if !bytes.Equal(x, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		if !bytes.Equal(x, tc[p]) {
			same = false
		}
	}
	if same {
		t.Error("another seed gave the same archive")
	}
}

func TestShapeAndBuild(t *testing.T) {
	dir := t.TempDir()
	sh, err := Site(dir, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Total() != 1000 || sh.Days != 50 || sh.Organisations != 20 || sh.Initiatives != 100 {
		t.Errorf("shape = %+v", sh)
	}
	day, _ := os.ReadFile(filepath.Join(dir, "content", "days", "day-00003.md"))
	refs := strings.Count(strings.SplitN(string(day), "speakers: [", 2)[1], "spe-")
	if refs < 8 || refs > 12 {
		t.Errorf("a day refers to %d speakers, want about ten", refs)
	}
	sp, _ := os.ReadFile(filepath.Join(dir, "content", "speakers", "spe-00010.md"))
	body := strings.SplitN(string(sp), "\n---\n", 2)[1]
	if n := len(strings.Fields(body)); n < 400 || n > 700 {
		t.Errorf("a page has %d words, want 400 to 700", n)
	}
	for _, want := range []string{"## ", "- ", "| --- |", "`", "*", "](../"} {
		if !strings.Contains(body, want) {
			t.Errorf("a page lacks %q", want)
		}
	}
	res := build.Run(context.Background(), build.Options{Source: dir}, output.Discard{})
	if res.Diags.HasErrors() {
		t.Fatalf("the archive does not build: %v", res.Diags[:min(5, len(res.Diags))])
	}
	// The missing base URL is the one thing to warn of: the archive is otherwise clean.
	if len(res.Diags) != 1 || !strings.Contains(res.Diags[0].Message, "base_url") {
		t.Errorf("the archive gives %d diagnostics, want only the base URL warning: %v", len(res.Diags), res.Diags[:min(5, len(res.Diags))])
	}
	if res.Pages < 1000 {
		t.Errorf("built %d pages", res.Pages)
	}
}

// TestLength checks that Length 2 makes the archive twice as long and every page longer,
// and that Length 1 changes nothing.
func TestLength(t *testing.T) {
	one, same, two := t.TempDir(), t.TempDir(), t.TempDir()
	if _, err := Write(one, 100, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteWith(same, 100, 3, Options{Length: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteWith(two, 100, 3, Options{Length: 2}); err != nil {
		t.Fatal(err)
	}
	t1, ts, t2 := tree(t, one), tree(t, same), tree(t, two)
	var n1, n2 int
	for p, b := range t1 {
		if !bytes.Equal(b, ts[p]) {
			t.Errorf("%s differs with Length 1", p)
		}
		if strings.HasSuffix(p, "_index.md") {
			continue
		}
		w1, w2 := len(strings.Fields(string(b))), len(strings.Fields(string(t2[p])))
		if w2 <= w1 {
			t.Errorf("%s: %d words, then %d with Length 2", p, w1, w2)
		}
		n1, n2 = n1+w1, n2+w2
	}
	if r := float64(n2) / float64(n1); r < 1.9 || r > 2.1 {
		t.Errorf("Length 2 makes the archive %.2f times as long, want about 2", r)
	}
}

// TestLangs checks a translated archive: the English pages are those of a single-language
// archive of the same seed, every page has its translations, and the whole builds cleanly
// into twice as many pages.
func TestLangs(t *testing.T) {
	one, three := t.TempDir(), t.TempDir()
	if _, err := Site(one, 200, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := SiteWith(three, 200, 3, Options{Langs: 3}); err != nil {
		t.Fatal(err)
	}
	t1, t3 := tree(t, filepath.Join(one, "content")), tree(t, filepath.Join(three, "content"))
	for p, b := range t1 {
		if p == "_index.md" {
			if !bytes.Contains(t3[p], []byte("languages: [fr, de]\n")) {
				t.Errorf("the home page does not list the languages:\n%s", t3[p])
			}
			continue
		}
		if !bytes.Equal(b, t3[p]) {
			t.Errorf("%s differs in the translated archive", p)
		}
		for _, code := range []string{"fr", "de"} {
			tr := strings.TrimSuffix(p, ".md") + "." + code + ".md"
			if len(t3[tr]) == 0 {
				t.Errorf("%s is missing", tr)
			}
		}
	}
	if len(t3) != 3*len(t1) {
		t.Errorf("%d files in three languages, %d in one", len(t3), len(t1))
	}
	r1 := build.Run(context.Background(), build.Options{Source: one}, output.Discard{})
	r3 := build.Run(context.Background(), build.Options{Source: three}, output.Discard{})
	if r3.Diags.HasErrors() || len(r3.Diags) != 1 {
		t.Fatalf("the translated archive gives: %v", r3.Diags[:min(5, len(r3.Diags))])
	}
	// Every file of the archive is a page in each of the two more languages (list pages
	// split in several add theirs too).
	if r3.Pages < r1.Pages+2*len(t1) {
		t.Errorf("built %d pages in three languages, %d in one, from %d files each", r3.Pages, r1.Pages, len(t1))
	}
	if _, err := WriteWith(t.TempDir(), 200, 3, Options{Langs: len(Codes) + 2}); err == nil {
		t.Error("too many languages gave no error")
	}
}

// TestThemeReplacesAnOlderCopy: a kept archive gets the repository's templates again, and a
// template the repository no longer has is gone (an archive written before a template was
// removed would otherwise still run it).
func TestThemeReplacesAnOlderCopy(t *testing.T) {
	dir := t.TempDir()
	// Four languages: en, fr and de have string files in the repository; the fourth, it,
	// gets a copy of en.yaml.
	opts := Options{Langs: 4}
	if _, err := SiteWith(dir, 20, 1, opts); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "templates", "partials", "gone.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "templates", "base.html")
	if err := os.WriteFile(base, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Theme(dir, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a template the repository does not have is left: %v", err)
	}
	root, _ := RepoRoot()
	want, _ := os.ReadFile(filepath.Join(root, "templates", "base.html"))
	if got, _ := os.ReadFile(base); string(got) != string(want) {
		t.Errorf("base.html is %q, not the repository's", got)
	}
	if _, err := os.Stat(filepath.Join(root, "templates", "i18n", "it.yaml")); err == nil {
		t.Fatal("the repository has it.yaml: pick a language it has no string file for")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "templates", "i18n", "it.yaml")); len(got) == 0 {
		t.Error("the language without a string file in the repository got none after Theme")
	}
}
