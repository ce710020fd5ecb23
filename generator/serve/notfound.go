package serve

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/icc-recap/recap/generator/linkcheck"
)

// notFoundAt returns the 404 page, written for the folder dir ("" or "fr/") of the site, as
// it must be sent for a missing address in another folder: its relative links (written for
// dir, as a static host serves 404.html at any depth only when the build has a base URL)
// made absolute from the site's root, so that its styles, pictures and links work at
// /speakers/nope/x/ as at /nope. Fragments alone (#main) stay as they are, so the skip link
// still skips on the page itself; a <base> element would have sent them to another page.
func notFoundAt(page []byte, dir string) []byte {
	base := &url.URL{Path: "/" + dir}
	z := html.NewTokenizer(bytes.NewReader(page))
	var out bytes.Buffer
	out.Grow(len(page) + 256)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out.Bytes()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		raw := append([]byte(nil), z.Raw()...)
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if a.Namespace != "" || !linkcheck.IsURLAttr(tok.Data, a.Key) {
				continue
			}
			fix := fromRoot
			if a.Key == "srcset" {
				fix = srcsetFromRoot
			}
			if v, ok := fix(base, a.Val); ok {
				tok.Attr[i].Val, changed = v, true
			}
		}
		if changed {
			out.WriteString(tok.String())
		} else {
			out.Write(raw)
		}
	}
}

// fromRoot returns the relative address v resolved against base, and false for an address
// that is not relative (absolute, from the root, a fragment or a query alone) or not valid.
func fromRoot(base *url.URL, v string) (string, bool) {
	s := strings.TrimSpace(v)
	if s == "" || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "?") {
		return "", false
	}
	ref, err := url.Parse(s)
	if err != nil || ref.Scheme != "" || ref.Host != "" {
		return "", false
	}
	return base.ResolveReference(ref).String(), true
}

// srcsetFromRoot is fromRoot for each address of a srcset ("a.webp 480w, b.webp 960w").
func srcsetFromRoot(base *url.URL, v string) (string, bool) {
	cands := strings.Split(v, ",")
	changed := false
	for i, c := range cands {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		if u, ok := fromRoot(base, f[0]); ok {
			f[0], changed = u, true
			cands[i] = strings.Join(f, " ")
		}
	}
	return strings.Join(cands, ", "), changed
}
