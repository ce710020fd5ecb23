package urls

import (
	"net/url"
	"strings"
	"testing"
)

// cleanAddr reports whether s is a site address as the generator makes them: slash-separated
// segments of letters, digits, hyphens and dots (no empty, "." or ".." segment).
func cleanAddr(s string) bool {
	for i, seg := range strings.Split(s, "/") {
		if seg == "" {
			if i == strings.Count(s, "/") {
				continue // a trailing slash, or the root
			}
			return false
		}
		if seg == "." || seg == ".." {
			return false
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
				return false
			}
		}
	}
	return true
}

// FuzzRel checks that a relative link, followed from its page, leads to the address it was
// made for.
func FuzzRel(f *testing.F) {
	for _, p := range [][2]string{{"", ""}, {"a/b/", "a/"}, {"a/b/", "c/d/"}, {"a/", "a/b/"}, {"a/b/", "css/x.css"}, {"x/", "x/"}} {
		f.Add(p[0], p[1], false)
	}
	f.Fuzz(func(t *testing.T, from, to string, fileURLs bool) {
		rel := Rel(from, to, fileURLs)
		if !cleanAddr(from) || !cleanAddr(to) || strings.HasSuffix(to, ".") {
			return
		}
		if rel == "" || strings.HasPrefix(rel, "/") || IsExternal(rel) {
			t.Fatalf("Rel(%q, %q) = %q is not a relative link", from, to, rel)
		}
		base, _ := url.Parse("http://h/root/" + from)
		ref, err := url.Parse(rel)
		if err != nil {
			t.Fatalf("Rel(%q, %q) = %q does not parse: %v", from, to, rel, err)
		}
		got := strings.TrimPrefix(base.ResolveReference(ref).Path, "/root/")
		want := to
		if fileURLs && (to == "" || strings.HasSuffix(to, "/")) {
			want += "index.html"
		}
		if got != want && !(got == "/root" && want == "") {
			t.Fatalf("Rel(%q, %q) = %q leads to %q", from, to, rel, got)
		}
	})
}

// FuzzOfSource checks that any file name gives an address inside the site.
func FuzzOfSource(f *testing.F) {
	for _, s := range []string{"_index.md", "days/_index.md", "days/Day 1.md", "../x.md", "a/../../b.md", "é/ß.md", "..md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		addr := OfSource(rel)
		if addr != "" && !strings.HasSuffix(addr, "/") || strings.HasPrefix(addr, "/") {
			t.Fatalf("OfSource(%q) = %q", rel, addr)
		}
		for _, seg := range strings.Split(strings.TrimSuffix(addr, "/"), "/") {
			if addr != "" && (seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\?#%")) {
				t.Fatalf("OfSource(%q) = %q has a bad segment %q", rel, addr, seg)
			}
		}
	})
}
