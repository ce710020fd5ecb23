package build_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/sitetest"
)

// TestNothingOutsideIsRead links files from outside the site into content/, static/ and
// templates/: each is refused with an error, and nothing of them reaches the output.
func TestNothingOutsideIsRead(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(secret, []byte("---\ntitle: SECRET-TEXT\n---\nSECRET-TEXT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"content/speakers/eve.md", "static/secret.txt", "templates/partials/x.html"} {
		t.Run(link, func(t *testing.T) {
			root := sitetest.Write(t, sitetest.Base)
			if err := os.Symlink(secret, filepath.Join(root, filepath.FromSlash(link))); err != nil {
				if os.IsNotExist(err) {
					_ = os.MkdirAll(filepath.Dir(filepath.Join(root, filepath.FromSlash(link))), 0o755)
					err = os.Symlink(secret, filepath.Join(root, filepath.FromSlash(link)))
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			res := build.Check(context.Background(), build.Options{Source: root})
			var got []string
			for _, d := range res.Diags {
				got = append(got, d.Error())
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], link+":1:1: ") || !strings.Contains(got[0], "symbolic link") {
				t.Errorf("diagnostics: %q", got)
			}
		})
	}
}

// TestSafeOutput checks what contributors write can never become script on a page.
func TestSafeOutput(t *testing.T) {
	body := "<script>alert('x')</script>\n\nHello <b onmouseover=\"alert(1)\">b</b>\n\n" +
		"[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](&#x6a;avascript:alert(3)) <vbscript:x> ![d](data:text/html;base64,PHNjcmlwdD4=)\n\n" +
		"<iframe src=\"https://evil.example\"></iframe>\n"
	cases := []struct {
		name    string
		rawHTML bool
		want    []string // in the page
		wantNot []string
	}{
		{
			name:    "raw HTML off",
			want:    []string{"&lt;script>alert", "&lt;b onmouseover=", "&lt;iframe"},
			wantNot: []string{"<script>alert", "<b onmouseover", "<iframe", "javascript:", "=vbscript:", `="vbscript:`, "data:text/html", "JavaScript:"},
		},
		{
			name:    "raw HTML on",
			rawHTML: true,
			want:    []string{"<script>alert", "<iframe"},
			wantNot: []string{"javascript:", "JavaScript:", "=vbscript:", `="vbscript:`, "data:text/html"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := "---\ntitle: \"<script>alert('title')</script>\"\n---\nWelcome.\n"
			if tc.rawHTML {
				home = "---\ntitle: \"<script>alert('title')</script>\"\nraw_html: true\n---\nWelcome.\n"
			}
			root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
				"content/_index.md":       home,
				"content/speakers/ada.md": "---\ntitle: Ada\n---\n" + body,
			}))
			out := filepath.Join(root, "public")
			res, err := build.Build(context.Background(), build.Options{Source: root, Out: out})
			if err != nil {
				t.Fatalf("build: %v %v", err, res.Diags)
			}
			if n := len(res.Diags.Warnings()); n < 4 {
				t.Errorf("want a warning for each script URL (and raw HTML), got %v", res.Diags)
			}
			page, _ := os.ReadFile(filepath.Join(out, "speakers", "ada", "index.html"))
			for _, w := range tc.want {
				if !strings.Contains(string(page), w) {
					t.Errorf("the page lacks %q:\n%s", w, page)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(string(page), w) {
					t.Errorf("the page has %q:\n%s", w, page)
				}
			}
			home2, _ := os.ReadFile(filepath.Join(out, "index.html"))
			if strings.Contains(string(home2), "<script>alert('title')") {
				t.Errorf("a title became a script:\n%s", home2)
			}
		})
	}
}

// TestSlugsStayInside gives files names that try to climb out: their pages land inside.
func TestSlugsStayInside(t *testing.T) {
	root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
		"content/speakers/x..y...md":    "---\ntitle: Dots\n---\n",
		"content/speakers/%2e%2e.md":    "---\ntitle: Encoded\n---\n",
		"content/speakers/a\\..\\b.md":  "---\ntitle: Backslashes\n---\n",
		"content/speakers/ünïcode ß.md": "---\ntitle: Unicode\n---\n",
	}))
	out := filepath.Join(t.TempDir(), "site")
	res, err := build.Build(context.Background(), build.Options{Source: root, Out: out})
	if err != nil {
		t.Fatalf("build: %v %v", err, res.Diags)
	}
	var files []string
	_ = filepath.WalkDir(filepath.Dir(out), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, f := range files {
		if strings.HasPrefix(f, "../") && f != "../"+output.ManifestPrefix+"site" {
			t.Errorf("written outside the output: %s", f)
		}
	}
	for _, want := range []string{"speakers/x..y/index.html", "speakers/2e-2e/index.html", "speakers/a-..-b/index.html", "speakers/ünïcode-ß/index.html"} {
		if !slices.Contains(files, want) {
			t.Errorf("no %s among %q", want, files)
		}
	}
}
