// Package urls computes the addresses of a site: the pretty URL of a source file, slugs, and
// the relative link from one page to another, so that the output works under any sub-path
// and from the file system. It knows nothing of the files themselves.
package urls

import (
	"path"
	"strings"
	"unicode"
)

// Slugify turns a file or title into a URL segment: lower case letters, digits, hyphens,
// underscores and dots, with runs of anything else folded into one hyphen.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.'):
			b.WriteRune(r)
			hyphen = false
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			hyphen = false
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	return strings.Trim(b.String(), "-.")
}

// OfSource returns the site address of a content file given by its slash path relative to the
// content folder: "_index.md" -> "", "days/_index.md" -> "days/", "days/Day 1.md" -> "days/day-1/".
// Folder and file names are slugified; names with nothing left after that (such as "..") are
// dropped, so the address never leaves the site.
func OfSource(rel string) string {
	dir, file := path.Split(rel)
	var segs []string
	for _, s := range strings.Split(strings.Trim(dir, "/"), "/") {
		if s := Slugify(s); s != "" {
			segs = append(segs, s)
		}
	}
	name := strings.TrimSuffix(file, path.Ext(file))
	if s := Slugify(name); name != "_index" && name != "index" && s != "" {
		segs = append(segs, s)
	}
	if len(segs) == 0 {
		return ""
	}
	return strings.Join(segs, "/") + "/"
}

// Rel returns the link from the page at address from to the address to. Addresses are
// site-relative with no leading slash; a folder address ends in "/" and "" is the root.
// When fileURLs is set, links to folders end in "index.html" so the site works when opened
// from disk. A fragment or query on to is kept.
func Rel(from, to string, fileURLs bool) string {
	suffix := ""
	if i := strings.IndexAny(to, "#?"); i >= 0 {
		to, suffix = to[:i], to[i:]
	}
	fromDir := from
	if !strings.HasSuffix(fromDir, "/") {
		fromDir = fromDir[:strings.LastIndexByte(fromDir, '/')+1]
	}
	// Drop the common leading folders.
	for {
		i := strings.IndexByte(fromDir, '/')
		if i < 0 {
			break
		}
		seg := fromDir[:i+1]
		if !strings.HasPrefix(to, seg) {
			break
		}
		fromDir, to = fromDir[i+1:], to[i+1:]
	}
	up := strings.Count(fromDir, "/")
	var b strings.Builder
	b.Grow(3*up + len(to) + len(suffix) + 10)
	for range up {
		b.WriteString("../")
	}
	b.WriteString(to)
	if fileURLs && (b.Len() == 0 || strings.HasSuffix(to, "/") || to == "") {
		b.WriteString("index.html")
	}
	if b.Len() == 0 {
		if suffix != "" {
			return suffix
		}
		b.WriteString("./")
	}
	b.WriteString(suffix)
	return b.String()
}

// IsExternal reports whether a link destination names a scheme or a host (https:, mailto:,
// //host), or is an absolute path, and so is not a link to a source file.
func IsExternal(dest string) bool {
	if strings.HasPrefix(dest, "/") {
		return true
	}
	i := strings.IndexAny(dest, ":/?#")
	return i > 0 && dest[i] == ':'
}

// Abs joins a base URL and a site address into an absolute URL; it returns "" if base is "".
func Abs(base, addr string) string {
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(addr, "/")
}
