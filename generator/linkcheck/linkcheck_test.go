package linkcheck

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	files := map[string][]byte{
		"index.html":           []byte(`<a href=talks/>Talks</a><a href="talks/one/#q-and-a">Q</a><a href=talks/one/#nope>x</a><a href="#top">top</a><a href="https://x.org/">ext</a><a href="mailto:a@b">m</a>`),
		"talks/index.html":     []byte(`<a href=../talks/one/>one</a><a href=two/>two</a><a href=/talks/>abs</a><a href=../../up/>up</a><img src="../img/a.png" srcset="../img/a.png 1x, ../img/b.png 2x">`),
		"talks/one/index.html": []byte(`<h2 id=q-and-a>Q</h2><a name=legacy></a><a href="#legacy">l</a><a href=../one>no slash</a><a href="../../index.html?x=1#top">home</a><a href="../../%74alks/">escaped</a>`),
		"img/a.png":            []byte("png"),
		"404.html":             []byte(`<a href="/sub/">home</a><a href="/sub/talks/one/#q-and-a">q</a><a href="/sub/talks/two/">two</a><a href="/talks/">outside</a><a href="#main">skip</a><a href="/sub/img/a.png">img</a><main id=main>`),
	}
	var got []string
	for _, p := range Check(files, map[string]string{"404.html": "/sub/"}) {
		got = append(got, fmt.Sprintf("%s %s %s %d", p.Page, p.Href, p.Target, p.Kind))
	}
	want := []string{
		"index.html talks/one/#nope talks/one/index.html 1",
		"talks/index.html two/ talks/two/index.html 0",
		"talks/index.html /talks/  2",
		"talks/index.html ../../up/  3",
		"talks/index.html ../img/b.png img/b.png 0",
		"404.html /sub/talks/two/ talks/two/index.html 0",
		"404.html /talks/  2",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// FuzzCheck feeds arbitrary HTML (raw HTML of a page can be anything) to the checker: no
// panic, no hang, the same problems on every run, and every problem is what its kind says.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`<a href="a/#b">x</a><img srcset=", ,x 1x">`), []byte(`<h1 id=b>`))
	f.Add([]byte(`<a href='../../../'><svg><a href=x></a></svg><script src=/x.js></script>`), []byte(`<a name=x>`))
	f.Add([]byte(`<a href="/r/a/#x">x</a><a href="/r/">home</a><a href="/elsewhere">`), []byte(`<p id=y>`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := map[string][]byte{"index.html": a, "a/index.html": b, "404.html": a}
		roots := map[string]string{"404.html": "/r/"}
		got := Check(files, roots)
		if again := Check(files, roots); !slices.Equal(got, again) {
			t.Fatalf("two checks of the same files differ:\n%+v\n%+v", got, again)
		}
		for _, p := range got {
			switch p.Kind {
			case Missing:
				if _, ok := files[p.Target]; ok || p.Target == "" {
					t.Errorf("a link reported missing leads to a file that exists (or to none): %+v", p)
				}
			case NoAnchor:
				if _, ok := files[p.Target]; !ok || slices.Contains(IDs(files[p.Target]), p.Fragment) || p.Fragment == "" {
					t.Errorf("a fragment reported missing is there (or the page is not): %+v", p)
				}
			case Absolute:
				h := strings.TrimSpace(p.Href)
				if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "//") || p.Page == "404.html" && strings.HasPrefix(h, "/r/") {
					t.Errorf("a link reported as starting with / does not, or starts at the site's root path: %+v", p)
				}
			case Outside:
				if p.Target != "" {
					t.Errorf("a link reported as leaving the site has a target: %+v", p)
				}
			}
		}
	})
}
