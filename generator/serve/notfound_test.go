package serve

import "testing"

func TestNotFoundAt(t *testing.T) {
	tests := []struct {
		name, dir, in, want string
	}{
		{"relative links from the root", "",
			`<link rel=stylesheet href=css/style.css><a href=./>Home</a><a href=days/>Days</a>`,
			`<link rel="stylesheet" href="/css/style.css"><a href="/">Home</a><a href="/days/">Days</a>`},
		{"from a language's folder", "fr/",
			`<link href=../css/style.css rel=stylesheet><a href=./>Accueil</a><a href=speakers/x/?q=1#bio>x</a>`,
			`<link href="/css/style.css" rel="stylesheet"><a href="/fr/">Accueil</a><a href="/fr/speakers/x/?q=1#bio">x</a>`},
		{"what is not relative stays byte for byte", "",
			`<a href=#main>Skip</a><a href=/abs/>a</a><a href=https://ec.europa.eu/x>b</a><a href=mailto:a@b.c>c</a><a href=?q=x>d</a>`,
			`<a href=#main>Skip</a><a href=/abs/>a</a><a href=https://ec.europa.eu/x>b</a><a href=mailto:a@b.c>c</a><a href=?q=x>d</a>`},
		{"pictures, sources and srcset", "",
			`<img src=img/a.jpg srcset="img/a-480.webp 480w, img/a-960.webp 960w" alt=A><video poster=v.jpg></video>`,
			`<img src="/img/a.jpg" srcset="/img/a-480.webp 480w, /img/a-960.webp 960w" alt="A"><video poster="/v.jpg"></video>`},
		{"scripts and text untouched", "",
			`<script>if(a<b&&c)x("href=css/")</script><p>5 &lt; 6 &amp; href=x</p>`,
			`<script>if(a<b&&c)x("href=css/")</script><p>5 &lt; 6 &amp; href=x</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(notFoundAt([]byte(tt.in), tt.dir)); got != tt.want {
				t.Errorf("notFoundAt(%q, %q)\n got %s\nwant %s", tt.in, tt.dir, got, tt.want)
			}
		})
	}
}

func FuzzNotFoundAt(f *testing.F) {
	f.Add(`<a href=x/>x</a><img srcset="a 1x, b 2x"><script>1<2</script>`, "fr/")
	f.Add(`<a href=#main>Skip</a><p>text</p>`, "")
	f.Fuzz(func(t *testing.T, page, dir string) {
		// Any page, however broken, comes back without a panic, and once its addresses are
		// from the root there is nothing left to change.
		once := notFoundAt([]byte(page), dir)
		if twice := notFoundAt(once, dir); string(twice) != string(once) {
			t.Errorf("notFoundAt(%q, %q) = %q, and again %q", page, dir, once, twice)
		}
	})
}
