package linkcheck

import (
	"fmt"
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	files := map[string][]byte{
		"index.html":           []byte(`<a href=talks/>Talks</a><a href="talks/one/#q-and-a">Q</a><a href=talks/one/#nope>x</a><a href="#top">top</a><a href="https://x.org/">ext</a><a href="mailto:a@b">m</a>`),
		"talks/index.html":     []byte(`<a href=../talks/one/>one</a><a href=two/>two</a><a href=/talks/>abs</a><a href=../../up/>up</a><img src="../img/a.png" srcset="../img/a.png 1x, ../img/b.png 2x">`),
		"talks/one/index.html": []byte(`<h2 id=q-and-a>Q</h2><a name=legacy></a><a href="#legacy">l</a><a href=../one>no slash</a><a href="../../index.html?x=1#top">home</a><a href="../../%74alks/">escaped</a>`),
		"img/a.png":            []byte("png"),
	}
	var got []string
	for _, p := range Check(files) {
		got = append(got, fmt.Sprintf("%s %s %s %d", p.Page, p.Href, p.Target, p.Kind))
	}
	want := []string{
		"index.html talks/one/#nope talks/one/index.html 1",
		"talks/index.html two/ talks/two/index.html 0",
		"talks/index.html /talks/  2",
		"talks/index.html ../../up/  3",
		"talks/index.html ../img/b.png img/b.png 0",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// FuzzCheck feeds arbitrary HTML (raw HTML of a page can be anything) to the checker: no
// panic, no hang, and every problem names the page it is on.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`<a href="a/#b">x</a><img srcset=", ,x 1x">`), []byte(`<h1 id=b>`))
	f.Add([]byte(`<a href='../../../'><svg><a href=x></a></svg><script src=/x.js></script>`), []byte(`<a name=x>`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := map[string][]byte{"index.html": a, "a/index.html": b}
		for _, p := range Check(files) {
			if files[p.Page] == nil {
				t.Fatalf("a problem on a page that does not exist: %+v", p)
			}
		}
	})
}
