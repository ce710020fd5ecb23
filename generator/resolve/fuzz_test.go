package resolve_test

import (
	"testing"

	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/resolve"
)

// FuzzSite loads and resolves a small site whose pages are arbitrary: loading and resolving
// must not panic or hang, and every diagnostic must name a file of the site.
func FuzzSite(f *testing.F) {
	f.Add([]byte("---\ntitle: Home\n---\n[a](people/ada.md#bio)"), []byte("---\ntitle: Ada\ntalks: [one]\n---\n## Bio\n"), []byte("---\ntitle: One\npeople: ada\n---\n[back](../people/ada.md)"), false)
	f.Add([]byte("---\ntitle: Home\nraw_html: true\n---\n"), []byte("---\ntitle: Ada\ntalks: one\ndraft: true\n---\n"), []byte("{\n\"title\": \"One\", \"people\": [\"ada\", \"x\"]\n}\n[x](../../static/a.css)"), true)
	f.Add([]byte("---\ntitle: H\n---\n"), []byte("---\ntitle: Ada\ntalks: [1, {a: b}]\ndate: x\n---\n"), []byte("---\ntitle: One\npeople: [ADA]\n---\n[x](#nope) [y](ada.md)"), false)
	f.Fuzz(func(t *testing.T, home, person, talk []byte, drafts bool) {
		files := []content.File{
			{Path: "content/_index.md", Data: home},
			{Path: "content/people/ada.md", Data: person},
			{Path: "content/people/Ada.md", Data: person},
			{Path: "content/talks/one.md", Data: talk},
		}
		known := map[string]bool{"content/_index.md": true, "content/people/ada.md": true, "content/people/Ada.md": true, "content/talks/one.md": true, "static/a.css": true}
		res, diags := content.LoadFiles(files, []string{"people", "talks"}, content.Options{})
		s, more := resolve.Resolve(res.Config, res.Sections, res.Pages, resolve.Options{Drafts: drafts, StaticFiles: []string{"a.css"}, Broken: res.Broken})
		if s == nil || s.Home == nil {
			t.Fatal("no site or no home page")
		}
		for _, d := range append(diags, more...) {
			if !known[d.Path] {
				t.Fatalf("diagnostic names a file that is not in the site: %v", d)
			}
		}
	})
}
