package render

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
)

func testSite() (*site.Site, *site.Page, *site.Page) {
	home := &site.Page{Source: "content/_index.md", Kind: site.KindHome, Title: "Home"}
	idx := &site.Page{Source: "content/talks/_index.md", Kind: site.KindSection, Section: "talks", URL: "talks/", Title: "Talks"}
	sec := &site.Section{Name: "talks", Title: "Talks", URL: "talks/", Index: idx}
	p := &site.Page{Source: "content/talks/a.md", Kind: site.KindPage, Section: "talks", Slug: "a", URL: "talks/a/", Title: "A", SectionInfo: sec,
		Date: time.Date(2020, 9, 21, 0, 0, 0, 0, time.UTC)}
	sec.Pages = []*site.Page{p}
	idx.Pages = sec.Pages
	s := site.New(site.Config{Title: "S", Repository: "https://forge.example/o/r", Branch: "main", BaseURL: "https://example.org/x/"})
	s.Home = home
	s.SetSections([]*site.Section{sec})
	s.Pages = []*site.Page{home, idx, p}
	return s, home, p
}

func TestContext(t *testing.T) {
	s, home, p := testSite()
	c := &Context{Site: s, Page: p}
	if got, err := c.Rel("css/a.css"); got != "../../css/a.css" || err != nil {
		t.Errorf("Rel = %q, %v", got, err)
	}
	if got, err := c.Rel("/talks/"); got != "../" || err != nil {
		t.Errorf("Rel with a leading slash = %q, %v", got, err)
	}
	if got, err := (&Context{Site: s, Page: p, fileURLs: true}).Rel(""); got != "../../index.html" || err != nil {
		t.Errorf("Rel with file URLs = %q, %v", got, err)
	}
	// With the site's addresses known, an address it does not have is refused.
	known := New(s, nil, nil, nil, Options{Exists: func(a string) bool { return a == "talks/" || a == "css/a.css" }})
	kc := known.Context(p)
	for _, tt := range []struct {
		to string
		ok bool
	}{{"talks/", true}, {"css/a.css?v=1", true}, {"talks/#top", true}, {"nowhere/", false}, {"css/b.css", false}} {
		got, err := kc.Rel(tt.to)
		if (err == nil) != tt.ok || (err != nil) != (got == "") {
			t.Errorf("Rel(%q) = %q, %v; want an error: %v", tt.to, got, err, !tt.ok)
		}
	}
	if cr := c.Crumbs(); len(cr) != 2 || cr[0] != home || cr[1].URL != "talks/" {
		t.Errorf("Crumbs = %v", cr)
	}
	if cr := (&Context{Site: s, Page: home}).Crumbs(); cr != nil {
		t.Errorf("home crumbs = %v", cr)
	}
	if got := c.Canonical(); got != "https://example.org/x/talks/a/" {
		t.Errorf("Canonical = %q", got)
	}
	if got := c.EditURL(); got != "https://forge.example/o/r/edit/main/content/talks/a.md" {
		t.Errorf("EditURL = %q", got)
	}
	s.BaseURL, s.Repository = "", ""
	if c.Canonical() != "" || c.EditURL() != "" {
		t.Error("without a base URL or repository these must be empty")
	}
}

func TestRenderPickTemplatesAndReportErrors(t *testing.T) {
	s, _, p := testSite()
	set, diags := templates.Parse(map[string][]byte{
		"base.html":       []byte(`<!doctype html><html><body>{{ block "main" . }}{{ end }}</body></html>`),
		"home.html":       []byte(`{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}`),
		"list.html":       []byte(`{{ define "main" }}<h1>{{ .Page.Title }}</h1>{{ range .Page.Pages }}<a href="{{ $.Rel .URL }}">{{ .Title }}</a>{{ end }}{{ end }}`),
		"talks/page.html": []byte("{{ define \"main\" }}\n<p>{{ date \"2 January 2006\" .Page.Date }}</p>\n{{ .Page.Params.x.y }}{{ end }}"),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	mem := output.NewMemory()
	r := New(s, set, minify.New(), mem, Options{Inject: "<script>reload()</script>"})
	p.Params = map[string]any{"x": map[string]any{"y": "why"}}
	if diags := r.All(t.Context(), s.Pages); len(diags) > 0 {
		t.Fatal(diags)
	}
	page, _ := mem.Get("talks/a/index.html")
	if got := string(page); got != "<!doctype html><html><body><p>21 September 2020</p>why<script>reload()</script></body></html>" {
		t.Errorf("page = %s", got)
	}
	list, _ := mem.Get("talks/index.html")
	if !strings.Contains(string(list), "<a href=a/>A</a>") {
		t.Errorf("list = %s", list)
	}
	// A failing template names the template file and line, and the page.
	p.Params = map[string]any{"x": 3}
	diags = r.Page(p)
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), "templates/talks/page.html:3:") || !strings.HasSuffix(diags[0].Error(), "(while rendering content/talks/a.md)") {
		t.Errorf("diags = %v", diags)
	}
	// A missing layout is reported at the page's layout key.
	p.Layout = "wide"
	diags = r.Page(p)
	if len(diags) != 1 || !strings.Contains(diags[0].Error(), `layout "wide" names no template: create templates/talks/wide.html or templates/wide.html`) {
		t.Errorf("diags = %v", diags)
	}
}

func TestIntersect(t *testing.T) {
	a, b, c, d := &site.Page{Title: "a"}, &site.Page{Title: "b"}, &site.Page{Title: "c"}, &site.Page{Title: "d"}
	same := &site.Page{Title: "a"} // another page with the same title is another page
	tests := []struct {
		name       string
		x, y, want []*site.Page
	}{
		{"both empty", nil, nil, nil},
		{"first empty", nil, []*site.Page{a}, nil},
		{"second empty", []*site.Page{a}, nil, nil},
		{"disjoint", []*site.Page{a, b}, []*site.Page{c, d}, nil},
		{"order of the first", []*site.Page{c, a, b}, []*site.Page{a, b, c}, []*site.Page{c, a, b}},
		{"some", []*site.Page{a, b, c}, []*site.Page{d, c, a}, []*site.Page{a, c}},
		{"by identity, not title", []*site.Page{a}, []*site.Page{same}, nil},
		{"each once", []*site.Page{a, a, b}, []*site.Page{a, b}, []*site.Page{a, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Intersect(tt.x, tt.y)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Intersect = %v, want %v", titles(got), titles(tt.want))
			}
		})
	}
	// Templates call it by name, and an empty result is false to {{ with }}.
	s, _, p := testSite()
	q := &site.Page{Title: "Q"}
	set, diags := templates.Parse(map[string][]byte{
		"page.html": []byte(`{{ with intersect .Site.Home.Pages .Page.Pages }}some{{ else }}none{{ end }} {{ range intersect .Page.Pages .Page.Pages }}{{ .Title }}{{ end }}`),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	p.Pages = []*site.Page{q}
	var buf bytes.Buffer
	if err := set.Execute(&buf, "page.html", &Context{Site: s, Page: p}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "none Q" {
		t.Errorf("template gave %q, want %q", buf.String(), "none Q")
	}
}

func titles(ps []*site.Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

func TestJSONify(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want string
		err  bool
	}{
		{"a </script> & b", `"a \u003c/script\u003e \u0026 b"`, false},
		{map[string]any{"b": 1, "a": []any{"x", true, nil}}, `{"a":["x",true,null],"b":1}`, false},
		{template.HTML("<p>"), `"\u003cp\u003e"`, false},
		{func() {}, "", true},
	} {
		got, err := JSONify(tt.in)
		if string(got) != tt.want || (err != nil) != tt.err {
			t.Errorf("JSONify(%v) = %s, %v; want %s (error: %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}
