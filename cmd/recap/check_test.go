package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/icc-recap/recap/generator/output"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/internal/sitetest"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestCheckFormats(t *testing.T) {
	broken := sitetest.With(sitetest.Base, map[string]string{
		"content/talks/opening.md": "---\ntitle: Opening\nspeakers: [grace]\n---\nSee [x](nope.md), <b>bold</b>.\n",
	})
	root := sitetest.Write(t, broken)
	cases := []struct {
		format string
		want   string
	}{
		{"text", "content/talks/opening.md:3:12: there is no page \"grace\" in content/speakers/: create content/speakers/grace.md or fix the slug\n" +
			"content/talks/opening.md:5:9: the link points at content/talks/nope.md, which does not exist: check the file name and the ../ steps (links are relative to content/talks/opening.md)\n" +
			"content/talks/opening.md:5:19: warning: raw HTML is shown as text, since the site does not allow it: write Markdown instead, or set raw_html: true in content/_index.md\n"},
		{"github", "::error file=content/talks/opening.md,line=3,col=12,title=recap check::there is no page \"grace\" in content/speakers/: create content/speakers/grace.md or fix the slug\n" +
			"::error file=content/talks/opening.md,line=5,col=9,title=recap check::the link points at content/talks/nope.md, which does not exist: check the file name and the ../ steps (links are relative to content/talks/opening.md)\n" +
			"::warning file=content/talks/opening.md,line=5,col=19,title=recap check::raw HTML is shown as text, since the site does not allow it: write Markdown instead, or set raw_html: true in content/_index.md\n"},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			code, out, _ := runCmd(t, "check", "--source", root, "--format", tc.format)
			if code != 1 || out != tc.want {
				t.Errorf("exit %d, output:\n%s\nwant exit 1 and:\n%s", code, out, tc.want)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		code, out, _ := runCmd(t, "check", "--source", root, "--format", "json")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 1 || len(lines) != 3 {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
		var d struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		if err := json.Unmarshal([]byte(lines[2]), &d); err != nil {
			t.Fatal(err)
		}
		if d.File != "content/talks/opening.md" || d.Line != 5 || d.Column != 19 || d.Severity != "warning" || !strings.HasPrefix(d.Message, "raw HTML is shown as text") {
			t.Errorf("third diagnostic = %+v", d)
		}
	})
	t.Run("warnings do not fail", func(t *testing.T) {
		ok := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\n<b>bold</b>\n"}))
		code, out, errOut := runCmd(t, "check", "--source", ok)
		if code != 0 || !strings.Contains(out, "warning: raw HTML") || !strings.Contains(errOut, "1 warning") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("a clean site", func(t *testing.T) {
		code, out, _ := runCmd(t, "check", "--source", sitetest.Write(t, sitetest.Base))
		if code != 0 || out != "" {
			t.Errorf("exit %d, output %q", code, out)
		}
	})
	t.Run("github paths from the source folder", func(t *testing.T) {
		wd, _ := os.Getwd()
		t.Cleanup(func() { _ = os.Chdir(wd) })
		if err := os.Chdir(filepath.Dir(root)); err != nil {
			t.Fatal(err)
		}
		_, out, _ := runCmd(t, "check", "--source", filepath.Base(root), "--format", "github")
		if !strings.HasPrefix(out, "::error file="+filepath.Base(root)+"/content/talks/opening.md,") {
			t.Errorf("output %q", out)
		}
	})
	t.Run("bad format", func(t *testing.T) {
		if code, _, errOut := runCmd(t, "check", "--source", root, "--format", "xml"); code != 2 || !strings.Contains(errOut, "must be text, github or json") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	if _, err := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/")
	}
}

func TestGithubEscaping(t *testing.T) {
	var b bytes.Buffer
	printFormatted(&b, "github", "a,b:c", nil)
	if got := escapeProperty("a,b:c%\n"); got != "a%2Cb%3Ac%25%0A" {
		t.Errorf("escapeProperty = %q", got)
	}
	if got := escapeData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("escapeData = %q", got)
	}
}

// TestBuildRefusesOut checks that --out can never overwrite the site's sources.
func TestBuildRefusesOut(t *testing.T) {
	root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{"notes.txt": "keep me\n"}))
	before := sitetest.Snapshot(t, root)
	for _, out := range []string{".", "content", "templates", "static", "content/speakers", "notes.txt", ".git", ".."} {
		t.Run(out, func(t *testing.T) {
			code, _, errOut := runCmd(t, "build", "--source", root, "--out", filepath.Join(root, out))
			if code != 1 || !strings.Contains(errOut, "--out") || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
				t.Errorf("exit %d, stderr:\n%s", code, errOut)
			}
		})
	}
	if after := sitetest.Snapshot(t, root); !maps.Equal(before, after) {
		t.Errorf("a refused build changed the site")
	}
}

// TestFailedBuildKeepsPublic builds a site, breaks it, builds again, and checks that the
// previous output is byte-for-byte what it was.
func TestFailedBuildKeepsPublic(t *testing.T) {
	root := sitetest.Write(t, sitetest.Base)
	if code, _, errOut := runCmd(t, "build", "--source", root); code != 0 {
		t.Fatalf("first build: exit %d: %s", code, errOut)
	}
	public := filepath.Join(root, "public")
	before := sitetest.Snapshot(t, public)
	if len(before) < 5 {
		t.Fatalf("the first build wrote %d files", len(before))
	}
	for name, change := range map[string]map[string]string{
		"content error":  {"content/speakers/ada.md": "---\ntitle: [\n---\n"},
		"template error": {"templates/page.html": "{{ define \"main\" }}{{ .Page.Nope }}{{ end }}"},
		"static clash":   {"static/speakers/ada/index.html": "x"},
	} {
		t.Run(name, func(t *testing.T) {
			sitetest.WriteInto(t, root, sitetest.With(sitetest.Base, change))
			t.Cleanup(func() {
				for k := range change {
					_ = os.Remove(filepath.Join(root, k))
				}
				sitetest.WriteInto(t, root, sitetest.Base)
			})
			code, _, errOut := runCmd(t, "build", "--source", root)
			if code != 1 || !strings.Contains(errOut, "is unchanged") {
				t.Errorf("exit %d: %s", code, errOut)
			}
			if after := sitetest.Snapshot(t, public); !maps.Equal(before, after) {
				t.Errorf("the failed build changed public/")
			}
			assertNoLeftovers(t, root)
		})
	}
}

func assertNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".recap-") && !output.Kept(e.Name()) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
