package render

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/minify"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/templates"
)

// partialSite has two sections with pages b and c in "talks" and p in "people"; b and c
// link to p, p links to b.
func partialSite() (*site.Site, map[string]*site.Page) {
	home := &site.Page{Source: "content/_index.md", Kind: site.KindHome, Title: "Home"}
	pages := map[string]*site.Page{"home": home}
	var all []*site.Page
	all = append(all, home)
	for _, sec := range []struct{ name, page string }{{"talks", "b"}, {"talks", "c"}, {"people", "p"}, {"orgs", "q"}} {
		p := &site.Page{Source: "content/" + sec.name + "/" + sec.page + ".md", Kind: site.KindPage, Section: sec.name,
			Slug: sec.page, URL: sec.name + "/" + sec.page + "/", Title: strings.ToUpper(sec.page)}
		pages[sec.page] = p
		all = append(all, p)
	}
	idx := &site.Page{Source: "content/talks/_index.md", Kind: site.KindSection, Section: "talks", URL: "talks/", Title: "Talks"}
	idx.Pages = []*site.Page{pages["b"], pages["c"]}
	pages["talks"] = idx
	all = append(all, idx)
	s := site.New(site.Config{Title: "S"})
	s.Home, s.Pages = home, all
	return s, pages
}

// renderPartial runs the partial named card on page `on` with data made by the template,
// and reports whether the result came from the cache.
func TestPartialKeepsWhatItMay(t *testing.T) {
	set, diags := templates.Parse(map[string][]byte{
		"partials/card.html":       []byte(`<a href="{{ .ctx.Rel .page.URL }}">{{ .page.Title }}</a>`),
		"partials/header.html":     []byte(`<nav>{{ .Rel "talks/" }}{{ if eq .Page.Section "talks" }} (here){{ end }}</nav>`),
		"partials/sloppy.html":     []byte(`<p>{{ .Page.Title }}</p>`),
		"partials/wrap.html":       []byte(`<div>{{ .ctx.Partial "partials/card.html" . }}</div>`),
		"partials/here.html":       []byte(`<nav>{{ .ctx.Rel "talks/" }}{{ if eq .section "talks" }} (here){{ end }}</nav>`),
		"partials/wrapsloppy.html": []byte(`<div>{{ .ctx.Partial "partials/sloppy.html" .ctx }}</div>`),
		"page.html":                []byte(`{{ range .Page.Pages }}{{ $.Partial "partials/card.html" (dict "ctx" $ "page" .) }}{{ end }}`),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	s, pg := partialSite()
	r := New(s, set, minify.New(), output.Discard{}, Options{})
	tests := []struct {
		name, on, partial string
		data              func(c *Context) any
		variants          []any
		want              string
		kept              bool // whether a result for this call is kept for later pages of the folder
	}{
		{"a card on a talk", "b", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<a href="../../people/p/">P</a>`, true},
		{"the same card on another talk: kept", "c", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<a href="../../people/p/">P</a>`, true},
		{"a card of a sibling", "b", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["c"]} }, nil, `<a href="../c/">C</a>`, true},
		{"that card on the sibling itself: not reused", "c", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["c"]} }, nil, `<a href="./">C</a>`, true}, // b's result stays
		{"a card on the list page, into its own folder", "talks", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["b"]} }, nil, `<a href="b/">B</a>`, false},
		{"the card from another folder: made afresh", "p", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["b"]} }, nil, `<a href="../../talks/b/">B</a>`, true},
		// The card of p made on the talks (its link leads out of talks/) is shared by depth.
		{"a card made on a talk, on a page as deep in a third folder: shared", "q", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<a href="../../people/p/">P</a>`, true},
		{"that card on its own page, whose folder it leads into: made afresh", "p", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<a href="./">P</a>`, true},
		{"the card of b made on p, on its sibling c: not shared by depth", "c", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["b"]} }, nil, `<a href="../b/">B</a>`, true},
		{"a header that reads the page: run, not kept", "b", "partials/header.html", func(c *Context) any { return c }, []any{"talks"}, `<nav>../ (here)</nav>`, false},
		{"a header given the section in its data", "b", "partials/here.html", func(c *Context) any { return map[string]any{"ctx": c, "section": "talks"} }, nil, `<nav>../ (here)</nav>`, true},
		{"the same header, kept, on a sibling", "c", "partials/here.html", func(c *Context) any { return map[string]any{"ctx": c, "section": "talks"} }, nil, `<nav>../ (here)</nav>`, true},
		{"a partial in a partial that reads the page", "b", "partials/wrapsloppy.html", func(c *Context) any { return map[string]any{"ctx": c} }, nil, `<div><p>B</p></div>`, false},
		{"data without a key: run, not kept", "b", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"], "x": 1.5} }, nil, `<a href="../../people/p/">P</a>`, false},
		{"a partial in a partial", "b", "partials/wrap.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<div><a href="../../people/p/">P</a></div>`, true},
		{"the inner one, on its own, after that", "c", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": c, "page": pg["p"]} }, nil, `<a href="../../people/p/">P</a>`, true},
		{"another page's context: run, not kept", "b", "partials/card.html", func(c *Context) any { return map[string]any{"ctx": r.Context(pg["c"]), "page": pg["p"]} }, nil, `<a href="../../people/p/">P</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := r.Context(pg[tt.on])
			data := tt.data(c)
			got, err := c.Partial(tt.partial, data, tt.variants...)
			if err != nil || string(got) != tt.want {
				t.Fatalf("Partial = %q, %v; want %q", got, err, tt.want)
			}
			key, ok := c.partialKey(tt.partial, data, tt.variants)
			own := ownDir(pg[tt.on].URL)
			depth, _ := r.sharing(own)
			_, _, inFolder := r.partials[parentDir(own)].find(key)
			_, _, inDepth := r.partials[depth].find(key)
			kept := inFolder || inDepth
			if ok && kept != tt.kept || !ok && tt.kept {
				t.Errorf("kept = %v (key ok %v), want %v", kept, ok, tt.kept)
			}
		})
	}

	// A partial that shows the page being rendered without saying so gives each page its own
	// output, through every method that reads the page.
	t.Run("a partial that reads the page", func(t *testing.T) {
		sloppy, diags := templates.Parse(map[string][]byte{
			"partials/page.html":   []byte(`<p>{{ .Page.Title }}</p>`),
			"partials/crumbs.html": []byte(`<p>{{ range .Crumbs }}{{ .Title }}{{ end }}</p>`),
			"partials/edit.html":   []byte(`<p>{{ .ctx.EditURL }}</p>`),
			"partials/canon.html":  []byte(`<p>{{ .ctx.Canonical }}</p>`),
		}, Funcs())
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		s, pg := partialSite()
		s.Repository, s.Branch, s.BaseURL = "https://forge.example/r", "main", "https://example.org/"
		pg["p"].Section = "talks" // in the same folder's parent as b and c for this test
		r := New(s, sloppy, minify.New(), output.Discard{}, Options{})
		for _, name := range []string{"partials/page.html", "partials/crumbs.html", "partials/edit.html", "partials/canon.html"} {
			seen := map[string]string{}
			for _, on := range []string{"b", "c", "b"} {
				c := r.Context(pg[on])
				var data any = c
				if strings.Contains(name, "edit") || strings.Contains(name, "canon") {
					data = map[string]any{"ctx": c}
				}
				got, err := c.Partial(name, data)
				if err != nil {
					t.Fatal(err)
				}
				var want bytes.Buffer
				if err := sloppy.ExecutePartial(&want, name, data); err != nil {
					t.Fatal(err)
				}
				if string(got) != want.String() {
					t.Errorf("%s on %s = %q, want %q", name, on, got, want.String())
				}
				if prev, ok := seen[on]; ok && prev != string(got) {
					t.Errorf("%s on %s gave %q, then %q", name, on, prev, got)
				}
				seen[on] = string(got)
			}
			if seen["b"] == seen["c"] && name != "partials/crumbs.html" {
				t.Errorf("%s gave page b's output to c: %q", name, seen["c"])
			}
		}
	})

	// Through a page template, with an error inside the partial blamed on the partial.
	bad, diags := templates.Parse(map[string][]byte{
		"partials/card.html": []byte("<a>\n{{ .page.Nope }}</a>"),
		"page.html":          []byte(`{{ range .Page.Pages }}{{ $.Partial "partials/card.html" (dict "ctx" $ "page" .) }}{{ end }}`),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var buf bytes.Buffer
	err := bad.Execute(&buf, "page.html", New(s, bad, nil, nil, Options{}).Context(pg["talks"]))
	if d := templates.FromError(err, "page.html"); err == nil || d.Pos.Path != "templates/partials/card.html" || d.Pos.Line != 2 {
		t.Errorf("error %v blamed on %v, want templates/partials/card.html line 2", err, d)
	}
	if _, err := (&Context{Site: s, Page: pg["b"]}).Partial("partials/card.html", nil); err == nil {
		t.Error("a Context made by hand ran a partial")
	}
}

// With a plan, the partials kept for a folder's pages are dropped when the last of them
// has been rendered, and not before; the pages are the same as without a plan.
func TestPlannedPartialsAreDroppedAfterTheirFolder(t *testing.T) {
	set, diags := templates.Parse(map[string][]byte{
		"partials/card.html": []byte(`<a href="{{ .ctx.Rel .page.URL }}">{{ .page.Title }}</a>`),
		"page.html":          []byte(`{{ .Page.Title }}:{{ range .Page.Pages }}{{ $.Partial "partials/card.html" (dict "ctx" $ "page" .) }}{{ end }}`),
		"list.html":          []byte(`{{ .Page.Title }}`),
		"home.html":          []byte(`{{ .Page.Title }}`),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	render := func(plan bool) (map[string]string, []int) {
		s, pg := partialSite()
		// Each talk shows p, whose card is shared by depth, and its sibling, whose card is
		// shared in talks/ only.
		pg["b"].Pages = []*site.Page{pg["p"], pg["c"]}
		pg["c"].Pages = []*site.Page{pg["p"], pg["b"]}
		pg["p"].Pages = []*site.Page{pg["b"]}
		out := output.NewMemory()
		r := New(s, set, minify.New(), out, Options{})
		order := []*site.Page{pg["b"], pg["c"], pg["p"]}
		if plan {
			r.Plan(order)
		}
		var kept []int // folders with kept partials after each page
		for _, p := range order {
			if d := r.Page(p); len(d) > 0 {
				t.Fatal(d)
			}
			kept = append(kept, len(r.partials))
		}
		files := map[string]string{}
		for _, name := range out.Paths() {
			data, _ := out.Get(name)
			files[name] = string(data)
		}
		return files, kept
	}
	planned, kept := render(true)
	whole, keptAll := render(false)
	if !reflect.DeepEqual(planned, whole) {
		t.Errorf("pages with a plan differ from pages without:\n%v\n%v", planned, whole)
	}
	// b and c share the folder talks/ (the parent of their own folders), dropped after c; p
	// is in people/, as deep as b and c: what is shared by depth is dropped after p.
	if want := []int{2, 1, 0}; !reflect.DeepEqual(kept, want) {
		t.Errorf("folders with kept partials after each page: %v, want %v", kept, want)
	}
	if want := []int{2, 2, 2}; !reflect.DeepEqual(keptAll, want) {
		t.Errorf("without a plan, folders with kept partials after each page: %v, want %v", keptAll, want)
	}
}

func TestSharing(t *testing.T) {
	tests := []struct{ prefix, own, depth, top string }{
		{"", "speakers/pia-laurila/", "\x002", "speakers/"},
		{"", "speakers/page/2/", "\x003", "speakers/"},
		{"", "speakers/", "\x001", "speakers/"},
		{"fr/", "fr/speakers/pia-laurila/", "\x00fr/3", "fr/speakers/"},
		{"fr/", "fr/", "\x00fr/1", "fr/"},
		// A page of the default language shown on the French site keeps its own folders.
		{"fr/", "speakers/pia-laurila/", "\x002", "speakers/"},
	}
	for _, tt := range tests {
		s := site.New(site.Config{Title: "S"})
		s.Prefix = tt.prefix
		depth, top := New(s, nil, nil, nil, Options{}).sharing(tt.own)
		if depth != tt.depth || top != tt.top {
			t.Errorf("sharing(%q) with prefix %q = %q, %q; want %q, %q", tt.own, tt.prefix, depth, top, tt.depth, tt.top)
		}
	}
}

// TestPartialRangeIsTheRangeOfPartial: PartialRange gives what a range of Partial calls
// with a dict gives, on a page whose folder holds some of the cards' pages and on one whose
// does not, first run and kept alike.
func TestPartialRangeIsTheRangeOfPartial(t *testing.T) {
	set, diags := templates.Parse(map[string][]byte{
		"partials/card.html": []byte(`<li><a href="{{ .ctx.Rel .page.URL }}">{{ .page.Title }}</a>{{ with .ctx.Page.Section }} on {{ . }}{{ end }}</li>`),
		"ranged.html":        []byte(`<ul>{{ range .Page.Pages }}{{ $.Partial "partials/card.html" (dict "ctx" $ "page" .) $.Page.Section }}{{ end }}</ul>`),
		"one.html":           []byte(`<ul>{{ .PartialRange "partials/card.html" .Page.Pages .Page.Section }}</ul>`),
	}, Funcs())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	s, pg := partialSite()
	pg["b"].Pages = []*site.Page{pg["c"], pg["p"]}
	pg["p"].Pages = []*site.Page{pg["b"], pg["c"], pg["p"]}
	for _, on := range []string{"talks", "b", "c", "p", "b"} {
		want := run(t, New(s, set, minify.New(), output.Discard{}, Options{}), "ranged.html", pg[on])
		r := New(s, set, minify.New(), output.Discard{}, Options{})
		for round := range 2 {
			if got := run(t, r, "one.html", pg[on]); got != want {
				t.Errorf("on %s, round %d: PartialRange gives %s, the range of Partial %s", on, round+1, got, want)
			}
		}
		if want == "<ul></ul>" && len(pg[on].Pages) > 0 {
			t.Errorf("on %s: no cards", on)
		}
	}
}

func run(t *testing.T, r *Renderer, name string, p *site.Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Set.Execute(&buf, name, r.Context(p)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestPartialContextShadowsPageReads: every method of Context is either one that does not
// read the page being rendered, or is shadowed by PartialContext so that calling it notes the
// read. A new method of Context must be put on one side or the other.
func TestPartialContextShadowsPageReads(t *testing.T) {
	pageFree := map[string]bool{"Rel": true, "Abs": true, "Href": true, "FileURLs": true, "Partial": true, "PartialRange": true,
		"T": true, "LocalDate": true, "Picture": true}
	s, pg := partialSite()
	r := New(s, nil, nil, nil, Options{})
	ct := reflect.TypeOf(&Context{})
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if pageFree[m.Name] {
			continue
		}
		if m.Type.NumIn() != 1 {
			t.Errorf("Context.%s takes arguments: decide whether it reads the page, then shadow it in PartialContext or list it here", m.Name)
			continue
		}
		read := false
		c := r.Context(pg["b"])
		c.pageRead = &read
		reflect.ValueOf(&PartialContext{c}).MethodByName(m.Name).Call(nil)
		if !read {
			t.Errorf("PartialContext.%s does not note that it reads the page being rendered", m.Name)
		}
	}
	// The field Page too is shadowed, by a method.
	read := false
	c := r.Context(pg["b"])
	c.pageRead = &read
	if (&PartialContext{c}).Page() != pg["b"] || !read {
		t.Error("PartialContext.Page")
	}
}
