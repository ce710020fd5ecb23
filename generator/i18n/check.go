package i18n

import (
	"strings"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/templates"
)

// The methods templates call with a key of the string files: {{ .T "key" }} and
// {{ .LocalDate "key" DATE }}.
const (
	MethodT    = "T"
	MethodDate = "LocalDate"
)

// Check reports, at the template line that names it, every key that one of the languages
// langs lacks, and a language with no string file at all once, at the first template line
// that needs one. calls are the calls of MethodT and MethodDate the templates make
// (templates.Set.Calls).
func (s *Strings) Check(calls []templates.Call, langs []string) diag.List {
	var diags diag.List
	for _, lang := range langs {
		if len(calls) > 0 && !s.Has(lang) {
			diags = append(diags, diag.Errorf(calls[0].Pos, "the templates use strings, but the language %s has no string file: create templates/%s with the keys of the other languages' files, translated", lang, File(lang)))
			continue
		}
		for _, c := range calls {
			for _, key := range keysOf(c) {
				if !s.HasKey(lang, key) {
					diags = append(diags, diag.Errorf(c.Pos, "the string %q is missing in the language %s: add it to templates/%s", key, lang, File(lang)))
				}
			}
		}
	}
	return diags
}

// keysOf returns the keys a call needs: its own, and for a date the names of the months
// and days when its layout may use them (which the layout itself, a string, decides; so
// all of them).
func keysOf(c templates.Call) []string {
	if c.Method != MethodDate {
		return []string{c.Arg}
	}
	keys := []string{c.Arg}
	for m := time.January; m <= time.December; m++ {
		keys = append(keys, monthKey+strings.ToLower(m.String()))
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		keys = append(keys, weekdayKey+strings.ToLower(d.String()))
	}
	return keys
}
