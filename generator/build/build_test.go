package build

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/output"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden from the current output")

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGolden builds each site of testdata/sites and compares every output file with
// testdata/golden. Run go test ./generator/build -update to rewrite them, then read the diff.
func TestGolden(t *testing.T) {
	sites, err := os.ReadDir("testdata/sites")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		t.Run(s.Name(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			res, err := Build(context.Background(), Options{Source: filepath.Join("testdata/sites", s.Name()), Out: out})
			if err != nil {
				t.Fatalf("build: %v\n%v", err, res.Diags)
			}
			got := readTree(t, out)
			golden := filepath.Join("testdata/golden", s.Name())
			if *update {
				_ = os.RemoveAll(golden)
				for name, data := range got {
					writeTree(t, golden, map[string]string{name: string(data)})
				}
				return
			}
			want := readTree(t, golden)
			for name, w := range want {
				g, ok := got[name]
				if !ok {
					t.Errorf("%s is missing from the output", name)
					continue
				}
				if !bytes.Equal(g, w) {
					t.Errorf("%s differs from the golden file:\ngot  %s\nwant %s", name, g, w)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s is in the output but not in the golden files", name)
				}
			}
		})
	}
}

func TestBuildsAreByteIdentical(t *testing.T) {
	src := "testdata/sites/small"
	var trees []map[string][]byte
	for range 3 {
		m := output.NewMemory()
		res := Run(context.Background(), Options{Source: src}, m)
		if res.Diags.HasErrors() {
			t.Fatal(res.Diags)
		}
		tree := map[string][]byte{}
		for _, p := range m.Paths() {
			tree[p], _ = m.Get(p)
		}
		trees = append(trees, tree)
	}
	for i := 1; i < len(trees); i++ {
		if len(trees[i]) != len(trees[0]) {
			t.Fatalf("build %d wrote %d files, build 0 wrote %d", i, len(trees[i]), len(trees[0]))
		}
		for p, b := range trees[0] {
			if !bytes.Equal(trees[i][p], b) {
				t.Errorf("build %d differs in %s", i, p)
			}
		}
	}
}

func TestFailedBuildLeavesOutputUntouched(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"content/_index.md":     "---\ntitle: Site\n---\nHello\n",
		"content/talks/a.md":    "---\ntitle: A\n---\nText\n",
		"templates/page.html":   "<p>{{ .Page.Title }}</p>",
		"templates/list.html":   "<p>{{ .Page.Title }}</p>",
		"templates/home.html":   "<p>{{ .Site.Title }}</p>",
		"static/css/a.css":      "a { color: red }",
		"public/stale.txt":      "from an earlier build",
		"public/talks/a/x.html": "old",
	})
	out := filepath.Join(dir, "public")
	before := readTree(t, out)

	// A broken page: the build fails and public/ stays exactly as it was.
	writeTree(t, dir, map[string]string{"content/talks/b.md": "---\ntitle: [unclosed\n---\n"})
	res, err := Build(context.Background(), Options{Source: dir, Out: out})
	if err == nil {
		t.Fatal("the build succeeded on a broken page")
	}
	if len(res.Diags) != 1 || !strings.HasPrefix(res.Diags[0].Error(), "content/talks/b.md:2:") {
		t.Errorf("diagnostics = %v", res.Diags)
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Errorf("public/ has %d files after a failed build, %d before", len(after), len(before))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s changed after a failed build", p)
		}
	}
	assertNoStaging(t, dir)

	// Fixed: the build replaces public/ and leaves no stale file.
	writeTree(t, dir, map[string]string{"content/talks/b.md": "---\ntitle: B\n---\n"})
	if res, err := Build(context.Background(), Options{Source: dir, Out: out}); err != nil {
		t.Fatal(err, res.Diags)
	}
	after = readTree(t, out)
	if _, stale := after["stale.txt"]; stale {
		t.Error("a file of an earlier build is still in public/")
	}
	for _, want := range []string{"index.html", "talks/index.html", "talks/a/index.html", "talks/b/index.html", "css/a.css"} {
		if _, ok := after[want]; !ok {
			t.Errorf("%s is missing", want)
		}
	}
	if got := string(after["css/a.css"]); got != "a{color:red}" {
		t.Errorf("css/a.css = %q, want it minified", got)
	}
	assertNoStaging(t, dir)
}

func assertNoStaging(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".recap-") && !output.Kept(e.Name()) {
			t.Errorf("a temporary folder was left behind: %s", e.Name())
		}
	}
}

func TestOutRefusedWhereItWouldReplaceSources(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"content/_index.md": "---\ntitle: S\n---\n", "templates/home.html": "x"})
	for _, out := range []string{dir, filepath.Join(dir, "content"), filepath.Join(dir, "templates"), filepath.Join(dir, "static"), filepath.Dir(dir), filepath.Join(dir, "content", "sub")} {
		res, err := Build(context.Background(), Options{Source: dir, Out: out})
		if err == nil {
			t.Errorf("--out %s was accepted", out)
			continue
		}
		if len(res.Diags) != 1 || !strings.Contains(res.Diags[0].Message, "--out would replace or sit inside") {
			t.Errorf("--out %s: %v", out, res.Diags)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "_index.md")); err != nil {
		t.Fatal("the content was touched")
	}
}

func TestContentAndTemplateErrorsInOneRun(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"content/_index.md":   "---\ntitle: Site\n---\n",
		"content/talks/a.md":  "---\ntitle: A\npeople: [nobody]\n---\n",
		"content/people/b.md": "---\ntitle: B\n---\n",
		"templates/home.html": "<p>{{ .Site.Title }}</p>",
		"templates/list.html": "<p>{{ .Page.Title }}</p>",
		"templates/page.html": "<p>\n{{ .Page.Nope }}</p>",
	})
	res, err := Build(context.Background(), Options{Source: dir, Out: filepath.Join(dir, "public")})
	if err == nil {
		t.Fatal("the build succeeded")
	}
	var got []string
	for _, d := range res.Diags {
		got = append(got, d.Pos.String())
	}
	want := "content/talks/a.md:3:10,templates/page.html:2:8"
	if strings.Join(got, ",") != want {
		t.Errorf("diagnostics at %v, want %s:\n%v", got, want, res.Diags)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("a failed build wrote public/")
	}
}
