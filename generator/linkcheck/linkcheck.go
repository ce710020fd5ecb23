// Package linkcheck checks the internal links of a built site: every href and src of every
// HTML page must lead to a file the build wrote, and every #fragment to an id of the page it
// names. It reads output files only; it does not know which source or template made a link
// (package build maps what it finds back to them).
package linkcheck

import (
	"html"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/tdewolff/parse/v2"
	lex "github.com/tdewolff/parse/v2/html"
)

// Problem is one broken link.
type Problem struct {
	// Page is the output file the link is on, e.g. talks/opening/index.html.
	Page string
	// Href is the link as written in the page.
	Href string
	// Target is the output file the link leads to (talks/closing/index.html), or "" when
	// it leaves the site or is absolute.
	Target string
	// Fragment is the #fragment of the link, without the #.
	Fragment string
	// Kind says what is wrong.
	Kind Kind
}

// Kind is what is wrong with a link.
type Kind int

const (
	// Missing: the link leads to no file of the site.
	Missing Kind = iota
	// NoAnchor: the file exists but has no element with the fragment's id.
	NoAnchor
	// Absolute: the link starts with "/", which breaks under a sub-path.
	Absolute
	// Outside: the relative link climbs out of the site's root.
	Outside
)

// linkAttrs lists, per element, the attributes holding a URL to check.
var linkAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"},
	"img": {"src", "srcset"}, "source": {"src", "srcset"}, "script": {"src"},
	"iframe": {"src"}, "video": {"src", "poster"}, "audio": {"src"}, "track": {"src"},
	"embed": {"src"}, "object": {"data"}, "form": {"action"},
}

// IsURLAttr reports whether the attribute key of an element tag (both lower case) holds a
// URL, as the checker reads them: href of a, area and link; src of img, script, video and
// the like; srcset; poster; data of object; action of form.
func IsURLAttr(tag, key string) bool { return slices.Contains(linkAttrs[tag], key) }

type page struct {
	ids   map[string]bool
	links []string
}

// Check checks every HTML file among files (slash paths relative to the output root) and
// returns the broken links, sorted by page and href.
//
// roots names the pages whose links start at the root of the host rather than at the page
// (the 404 page, which a server shows at any address): for each, the path the site is
// published under, such as "/" or "/recap/". Their links under that path are checked as
// addresses of the site; any other link starting with / is Absolute, as on every page.
func Check(files map[string][]byte, roots map[string]string) []Problem {
	pages := map[string]*page{}
	for name, data := range files {
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm") {
			pages[name] = scan(data)
		}
	}
	var out []Problem
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range pages {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		seen := map[string]bool{}
		for _, href := range pages[name].links {
			if seen[href] {
				continue
			}
			seen[href] = true
			if p, ok := checkOne(name, roots[name], href, files, pages); !ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// checkOne checks one link of the page name; root is the path its links start at, or "" when
// they are relative to the page.
func checkOne(name, root, href string, files map[string][]byte, pages map[string]*page) (Problem, bool) {
	p := Problem{Page: name, Href: href}
	h := strings.TrimSpace(href)
	if h == "" || strings.HasPrefix(h, "//") || hasScheme(h) {
		return p, true
	}
	from := name
	if strings.HasPrefix(h, "/") {
		rest, ok := strings.CutPrefix(h, root)
		if root == "" || !ok {
			p.Kind = Absolute
			return p, false
		}
		// From the root, as from a page in the root folder.
		h, from = rest, "index.html"
		if h == "" {
			h = "./"
		}
	}
	ref, frag, _ := strings.Cut(h, "#")
	if i := strings.IndexByte(ref, '?'); i >= 0 {
		ref = ref[:i]
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	p.Fragment = frag
	target := from
	if ref != "" {
		if r, err := url.PathUnescape(ref); err == nil {
			ref = r
		}
		joined := path.Join(path.Dir(from), ref)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			p.Kind = Outside
			return p, false
		}
		if joined == "." {
			joined = ""
		}
		switch {
		case strings.HasSuffix(ref, "/") || ref == "." || ref == ".." || strings.HasSuffix(ref, "/.") || strings.HasSuffix(ref, "/.."):
			target = strings.TrimPrefix(joined+"/index.html", "/")
		case files[joined] != nil:
			target = joined
		case files[joined+"/index.html"] != nil:
			// A folder without its slash: servers redirect.
			target = joined + "/index.html"
		default:
			target = joined
		}
	}
	p.Target = target
	if _, ok := files[target]; !ok {
		p.Kind = Missing
		return p, false
	}
	if frag == "" || frag == "top" {
		return p, true
	}
	if tp := pages[target]; tp != nil && !tp.ids[frag] {
		p.Kind = NoAnchor
		return p, false
	}
	return p, true
}

// hasScheme reports whether a link starts with a scheme (https:, mailto:, data:).
func hasScheme(s string) bool {
	i := strings.IndexAny(s, ":/?#")
	return i > 0 && s[i] == ':'
}

// scan collects the ids and the links of one page.
func scan(data []byte) *page {
	pg := &page{ids: map[string]bool{}}
	// The lexer writes a NUL past the end of data, inside its capacity, which may be the
	// start of another file: put the byte back when done.
	in := parse.NewInputBytes(data)
	defer in.Restore()
	l := lex.NewLexer(in)
	tag := ""
	for {
		tt, _ := l.Next()
		switch tt {
		case lex.ErrorToken:
			return pg
		case lex.StartTagToken:
			tag = strings.ToLower(string(l.Text()))
		case lex.AttributeToken:
			key := strings.ToLower(string(l.AttrKey()))
			val := html.UnescapeString(string(unquote(l.AttrVal())))
			switch {
			case key == "id" || key == "name" && tag == "a":
				pg.ids[val] = true
			case IsURLAttr(tag, key):
				if key == "srcset" {
					pg.links = append(pg.links, srcset(val)...)
				} else {
					pg.links = append(pg.links, val)
				}
			}
		case lex.StartTagCloseToken, lex.StartTagVoidToken:
			tag = ""
		}
	}
}

func unquote(b []byte) []byte {
	if len(b) >= 2 && (b[0] == '"' || b[0] == '\'') && b[len(b)-1] == b[0] {
		return b[1 : len(b)-1]
	}
	return b
}

// srcset returns the URLs of a srcset attribute ("a.png 1x, b.png 2x").
func srcset(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if f := strings.Fields(part); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// IDs returns the ids of an HTML page, for tests and for reports.
func IDs(data []byte) []string {
	ids := scan(data).ids
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
