package templates

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAndExecute(t *testing.T) {
	set, diags := Parse(map[string][]byte{
		"base.html":          []byte(`<main>{{ block "main" . }}default{{ end }}</main>{{ template "partials/foot.html" . }}`),
		"partials/foot.html": []byte(`<footer>{{ . }}</footer>`),
		"page.html":          []byte(`{{ define "main" }}page {{ . }}{{ end }}`),
		"talks/page.html":    []byte(`{{ define "main" }}talk {{ upper . }}{{ end }}`),
		"plain.html":         []byte(`<p>whole {{ . }}</p>`),
		"archetypes/x.md":    []byte(`{{ .Title }}`),
	}, template.FuncMap{"upper": strings.ToUpper})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	tests := []struct{ name, want string }{
		{"page.html", "<main>page x</main><footer>x</footer>"},
		{"talks/page.html", "<main>talk X</main><footer>x</footer>"},
		{"plain.html", "<p>whole x</p>"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := set.Execute(&buf, tt.name, "x"); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, buf.String(), tt.want)
		}
	}
	if set.Has("archetypes/x.md") || set.Has("base.html") {
		t.Error("archetypes and the base are not page templates")
	}
	if got := set.Find("nope.html", "talks/page.html", "page.html"); got != "talks/page.html" {
		t.Errorf("Find = %q", got)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"page parse error", map[string]string{"base.html": "x", "page.html": "{{ define \"main\" }}\n{{ if }}\n{{ end }}"}, "templates/page.html:2:1: missing value for if: fix the template's syntax (docs/templates.md shows the forms)"},
		{"base parse error", map[string]string{"base.html": "a\nb\n{{ .X "}, "templates/base.html:3:1: unclosed action: an action is written {{ ... }}, with two braces on each side"},
		{"unknown function", map[string]string{"page.html": "\n\n{{ nosuch . }}"}, `templates/page.html:3:1: function "nosuch" not defined: docs/templates.md lists the functions a template can call`},
		{"no base", map[string]string{"page.html": "{{ define \"main\" }}x{{ end }}"}, "templates/page.html:1:1: this template defines blocks for base.html, which does not exist: create templates/base.html"},
	}
	for _, tt := range tests {
		files := map[string][]byte{}
		for k, v := range tt.files {
			files[k] = []byte(v)
		}
		_, diags := Parse(files, nil)
		if len(diags) != 1 || diags[0].Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, diags, tt.want)
		}
	}
}

func TestExecError(t *testing.T) {
	set, diags := Parse(map[string][]byte{"page.html": []byte("line one\n{{ .Missing }}")}, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	err := set.Execute(&bytes.Buffer{}, "page.html", struct{ Title string }{})
	d := FromError(err, "page.html")
	if d.Pos.String() != "templates/page.html:2:3" || !strings.Contains(d.Message, "can't evaluate field Missing") {
		t.Errorf("got %s", d)
	}
	if !errors.Is(d, err) {
		t.Error("the diagnostic does not wrap its cause")
	}
}

func TestShowsOtherPages(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`{{ .Page.Content }}{{ $.Page.WordCount }}{{ range .Page.Headings }}{{ .ID }}{{ end }}`, false},
		{`{{ range .Page.Pages }}{{ .Title }}{{ end }}`, false},
		{`{{ range .Page.Pages }}{{ .WordCount }}{{ end }}`, true},
		{`{{ with .Page.Prev }}{{ .Content }}{{ end }}`, true},
		{`{{ $p := .Page.Next }}{{ $p.Headings }}`, true},
		{`{{ if .Page.Next }}{{ (.Page.Next).Content }}{{ end }}`, true},
		{`{{ .Site.Home.Content }}`, true},
	}
	for _, tt := range tests {
		set, diags := Parse(map[string][]byte{"page.html": []byte(tt.src)}, nil)
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		if got := set.ShowsOtherPages("Content", "WordCount", "Headings"); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.src, got, tt.want)
		}
	}
}

// TestUnreadableTemplate: a template that cannot be read is one error at that file, and the
// templates that call it are not reported as calling a missing template.
func TestUnreadableTemplate(t *testing.T) {
	tests := []struct {
		name   string
		make   func(t *testing.T, path string)
		want   string
		asRoot bool // whether the case can be made when running as root
	}{
		{"no permission", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte("{{ template \"partials/head.html\" . }}"), 0o000); err != nil {
				t.Fatal(err)
			}
		}, "templates/%s:1:1: cannot read this template: permission denied: make it readable (chmod a+r)", false},
		{"a socket", func(t *testing.T, p string) {
			ln, err := net.Listen("unix", p)
			if err != nil {
				t.Skipf("cannot make a socket here: %v", err)
			}
			t.Cleanup(func() { ln.Close() })
		}, "templates/%s:1:1: cannot read this template: no such device or address: replace it with a plain file", true},
	}
	for _, tt := range tests {
		for _, name := range []string{"page.html", "partials/head.html", "base.html"} {
			t.Run(tt.name+" "+name, func(t *testing.T) {
				if !tt.asRoot && os.Geteuid() == 0 {
					t.Skip("root reads any file; .ci/run runs this test as nobody too")
				}
				root := t.TempDir()
				files := map[string]string{
					"base.html":          "<html>{{ template \"partials/head.html\" . }}{{ block \"main\" . }}{{ end }}</html>",
					"partials/head.html": "<title>{{ .Page.Title }}</title>",
					"partials/foot.html": "<footer></footer>",
					"page.html":          "{{ define \"main\" }}{{ template \"partials/foot.html\" . }}{{ end }}",
					"list.html":          "{{ define \"main\" }}{{ template \"partials/head.html\" . }}{{ end }}",
					"home.html":          "{{ define \"main\" }}{{ template \"partials/foot.html\" . }}{{ end }}",
				}
				for n, data := range files {
					p := filepath.Join(root, Dir, filepath.FromSlash(n))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if n == name {
						tt.make(t, p)
						continue
					}
					if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				_, diags := Load(root, nil)
				want := fmt.Sprintf(tt.want, name)
				if len(diags) != 1 || diags[0].Error() != want {
					t.Errorf("%v\nwant the one error %s", diags, want)
				}
			})
		}
	}
}
