package search

import (
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// stemmers are the Snowball stemmers by language code (the part of a tag before "-").
var stemmers = map[string]func(string, bool) string{
	"en": english.Stem,
	"fr": french.Stem,
	"es": spanish.Stem,
	"ru": russian.Stem,
	"sv": swedish.Stem,
	"no": norwegian.Stem,
	"nb": norwegian.Stem,
	"nn": norwegian.Stem,
	"hu": hungarian.Stem,
}

// StemmerFor returns the stemmer of a language tag (en, fr-BE, ...), or nil when there is
// none: words of such a language are found as written, accents and case aside.
func StemmerFor(lang string) func(string) string {
	code, _, _ := strings.Cut(strings.ToLower(lang), "-")
	code, _, _ = strings.Cut(code, "_")
	f := stemmers[code]
	if f == nil {
		return nil
	}
	return func(w string) string { return f(w, true) }
}
