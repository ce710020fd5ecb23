// Package crawl reads a built site from a folder the way a browser would follow it: every
// href and src of every HTML file, resolved against the file's own address. Tests use it to
// check that every internal link resolves and to walk the site from its home page.
package crawl

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
)

// Link is one href or src found in a page.
type Link struct {
	From string // the file it is in, slash path relative to the site root
	Attr string // href or src
	Raw  string // as written
	// Target is the file it leads to (relative to the site root, index.html added to
	// folders), or "" for a link that leaves the site; Fragment is its #fragment.
	Target   string
	Fragment string
}

// Site is a built site read from disk.
type Site struct {
	Root  string
	Files map[string][]byte
	// Links holds the links of each HTML file.
	Links map[string][]Link
	// IDs holds the ids of each HTML file.
	IDs map[string]map[string]bool
}

// Read reads every file under root and the links of every HTML file.
func Read(root string) (*Site, error) {
	s := &Site{Root: root, Files: map[string][]byte{}, Links: map[string][]Link{}, IDs: map[string]map[string]bool{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		s.Files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, b := range s.Files {
		if strings.HasSuffix(name, ".html") {
			s.Links[name], s.IDs[name] = links(name, b)
		}
	}
	return s, nil
}

func links(name string, b []byte) ([]Link, map[string]bool) {
	var out []Link
	ids := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out, ids
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, hasAttr := z.TagName()
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			key := string(k)
			if key == "id" {
				ids[string(v)] = true
			}
			if key == "href" || key == "src" {
				if string(tag) == "base" {
					continue
				}
				out = append(out, Resolve(name, key, string(v)))
			}
		}
	}
}

// Resolve resolves a link written in the file from.
func Resolve(from, attr, raw string) Link {
	l := Link{From: from, Attr: attr, Raw: raw}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(raw, "/") {
		return l
	}
	l.Fragment = u.Fragment
	if u.Path == "" {
		l.Target = from
		return l
	}
	t := path.Join(path.Dir(from), u.Path)
	if strings.HasPrefix(t, "../") || t == ".." {
		l.Target = "../" // leaves the site root: never resolves
		return l
	}
	if strings.HasSuffix(u.Path, "/") || t == "." {
		t = strings.TrimPrefix(path.Join(t, "index.html"), "./")
	}
	l.Target = t
	return l
}

// Internal reports whether the link points into the site.
func (l Link) Internal() bool { return l.Target != "" }
