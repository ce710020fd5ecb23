package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the form of a word that search compares: lower case, accents and other
// combining marks removed, and the few letters that do not decompose written out (ß as ss,
// æ as ae, œ as oe, ø as o, ł as l, đ and ð as d, þ as th, ı as i). static/js/search.js folds
// the reader's words with the same rules; the tests hold the two to each other.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
			continue
		}
		r = unicode.ToLower(r)
		if sp, ok := special[r]; ok {
			b.WriteString(sp)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// special holds the letters that NFKD leaves whole but readers type otherwise.
var special = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// isWordRune reports whether r belongs to a word: letters, digits and combining marks.
// Everything else (spaces, punctuation, apostrophes, hyphens) separates words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// eachWord calls f with every word of s and its byte offset.
func eachWord(s string, f func(word string, at int)) {
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			f(s[start:i], start)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		f(s[start:], start)
	}
}

// Words returns the folded words of s, as the index and the search script split them.
func Words(s string) []string {
	var out []string
	eachWord(s, func(w string, _ int) { out = append(out, Fold(w)) })
	return out
}

// lower returns s in lower case, and whether it was already.
func lower(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			l := strings.ToLower(s)
			return l, l == s
		}
		if 'A' <= c && c <= 'Z' {
			return strings.ToLower(s), false
		}
	}
	return s, true
}

// cmpKeys orders strings as JavaScript's < does, by UTF-16 code units, so that the script
// can find a key's shard by comparing strings.
func cmpKeys(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := unit(ra), unit(rb)
			if ua != ub {
				if ua < ub {
					return -1
				}
				return 1
			}
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// unit is the first UTF-16 code unit of r.
func unit(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xD800 + (r-0x10000)>>10
}
