package build_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/internal/sitetest"
)

// TestCheckLinks covers what only a check finds: links in the rendered pages, made by
// templates or raw HTML, that lead nowhere.
func TestCheckLinks(t *testing.T) {
	cases := []struct {
		name   string
		change map[string]string
		want   []string
	}{
		{name: "valid site"},
		{
			name:   "template links to a missing static file",
			change: map[string]string{"templates/base.html": strings.Replace(sitetest.Base["templates/base.html"], `"css/site.css"`, `"css/style.css"`, 1)},
			want:   []string{`templates/base.html:4:32: a link to css/style.css leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering content/_index.md and 4 other pages)`},
		},
		{
			name:   "template link with an absolute path",
			change: map[string]string{"templates/page.html": "{{ define \"main\" }}\n<a href=\"/speakers/\">All</a>{{ end }}\n"},
			want:   []string{`templates/page.html:2:10: a link to "/speakers/" starts with /, so it breaks when the site is published under a sub-path: in a template write {{ .Rel "speakers/" }}; in Markdown link to the source file (on content/speakers/ada.md and 1 other page)`},
		},
		{
			name:   "template link to a missing page",
			change: map[string]string{"templates/list.html": "{{ define \"main\" }}\n<p>See <a href=\"{{ .Rel \"about/\" }}\">about</a></p>{{ end }}\n"},
			want:   []string{`templates/list.html:2:19: a link to about/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering content/speakers/_index.md and 1 other page)`},
		},
		{
			name:   "template link written out to a missing page",
			change: map[string]string{"templates/list.html": "{{ define \"main\" }}\n<p>See <a href=\"../about/\">about</a></p>{{ end }}\n"},
			want:   []string{`templates/list.html:2:17: a link to about/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (on content/speakers/_index.md and 1 other page)`},
		},
		{
			name:   "template link to a missing anchor",
			change: map[string]string{"templates/home.html": "{{ define \"main\" }}\n<a href=\"{{ .Rel \"speakers/ada/\" }}#life\">Ada</a>{{ end }}\n"},
			want:   []string{`templates/home.html:2:19: a link to speakers/ada/#life names an id that page does not have: fix the #fragment (its ids are biography) (on content/_index.md)`},
		},
		{
			name:   "template link climbs out of the site",
			change: map[string]string{"templates/home.html": "{{ define \"main\" }}\n<a href=\"../../x/\">x</a>{{ end }}\n"},
			want:   []string{`templates/home.html:2:10: a link to "../../x/" climbs above the site's root: remove a ../, or build addresses with {{ .Rel }} (on content/_index.md)`},
		},
		{
			name: "raw HTML link to a missing page",
			change: map[string]string{
				"content/_index.md":       "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nraw_html: true\n---\nWelcome.\n",
				"content/speakers/ada.md": "---\ntitle: Ada\n---\n## Biography\n\nAda spoke at <a href=\"../../talks/closing/\">the closing</a>.\n",
			},
			want: []string{`content/speakers/ada.md:6:23: the link "../../talks/closing/": a link to talks/closing/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/`},
		},
		{
			name: "front matter value used as a link",
			change: map[string]string{
				"content/speakers/ada.md": "---\ntitle: Ada\nparams:\n  slides: ../../static/ada.pdf\n---\n## Biography\n",
				"templates/page.html":     "{{ define \"main\" }}{{ with .Page.Params.slides }}<a href=\"{{ . }}\">Slides</a>{{ end }}{{ end }}\n",
			},
			want: []string{`content/speakers/ada.md:4:11: the link "../../static/ada.pdf": a link to static/ada.pdf leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := sitetest.Write(t, sitetest.With(sitetest.Base, tc.change))
			res := build.Check(context.Background(), build.Options{Source: root})
			var got []string
			for _, d := range res.Diags {
				got = append(got, d.Error())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			if _, err := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(err) {
				t.Errorf("check wrote public/: %v", err)
			}
		})
	}
}

// TestCheckIsStable runs check on a site with broken links in several templates, the 404
// page's among them, several times: the same lines in the same order every time, each blamed
// on the template that holds the link.
func TestCheckIsStable(t *testing.T) {
	root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
		"templates/404.html":  "{{ define \"main\" }}\n<a href=\"{{ .Rel \"speakers/\" }}\">Speakers</a> <a href=\"gone/\">gone</a>{{ end }}\n",
		"templates/list.html": "{{ define \"main\" }}\n<a href=\"../missing.css\">x</a>{{ end }}\n",
		"templates/page.html": "{{ define \"main\" }}\n<a href=\"/abs/\">x</a>{{ end }}\n",
	}))
	want := []string{
		`templates/404.html:2:56: a link to gone/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (on templates/404.html)`,
		`templates/list.html:2:10: a link to missing.css leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (on content/speakers/_index.md and 1 other page)`,
		`templates/page.html:2:10: a link to "/abs/" starts with /, so it breaks when the site is published under a sub-path: in a template write {{ .Rel "abs/" }}; in Markdown link to the source file (on content/speakers/ada.md and 1 other page)`,
	}
	for i := range 5 {
		res := build.Check(context.Background(), build.Options{Source: root})
		var got []string
		for _, d := range res.Diags {
			got = append(got, d.Error())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d:\n\t%s\nwant:\n\t%s", i+1, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
}
