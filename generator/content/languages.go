package content

import (
	"path"
	"strings"

	"golang.org/x/text/language"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/frontmatter"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/urls"
)

// languages tells which content files are translations: a file whose name ends in the code
// of one of the site's other languages before .md (day-1.fr.md, _index.de.md).
type languages struct {
	def   string          // the default language
	other map[string]bool // the other languages
	// By file index: the file's language ("" for the default), the path of its
	// default-language file relative to content/, and whether it is left out (an error
	// was reported).
	lang []string
	rel  []string
	skip []bool
	// exists holds every content file's path.
	exists map[string]bool
	// label gives the words after a link to another language (see Options.Label).
	label func(pageLang, targetLang string) string
}

func (l *languages) multi() bool { return len(l.other) > 0 }

// splitLang splits a content path (content/days/day-1.fr.md) into the path without the
// language (content/days/day-1.md) and the suffix (fr), if the name has a suffix of
// letters (and hyphens) after its last dot.
func splitLang(p string) (string, string) {
	dir, file := path.Split(p)
	name, ok := strings.CutSuffix(file, ".md")
	if !ok {
		return p, ""
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return p, ""
	}
	suffix := name[i+1:]
	if suffix == "" || strings.Trim(suffix, "abcdefghijklmnopqrstuvwxyz-") != "" || suffix[0] == '-' {
		return p, ""
	}
	return dir + name[:i] + ".md", suffix
}

// sortLanguages decides the language of every file and reports translations that cannot
// be: a suffix of two letters that names no language of the site, and a translation of a
// file that does not exist.
func sortLanguages(files []File, cfg site.Config, isSection map[string]bool, col *diag.Collector) *languages {
	l := &languages{def: cfg.Language, other: map[string]bool{}, lang: make([]string, len(files)),
		rel: make([]string, len(files)), skip: make([]bool, len(files)), exists: make(map[string]bool, len(files))}
	for _, c := range cfg.Languages {
		l.other[c] = true
		if isSection[c] {
			col.Errorf(diag.Pos{Path: Dir + "/" + c}, "this folder has the name of the language %s, whose pages live under /%s/: rename the folder", c, c)
		}
	}
	for _, f := range files {
		l.exists[f.Path] = true
	}
	listed := "the site lists no other language"
	if len(cfg.Languages) > 0 {
		listed = "the site's languages are " + cfg.Language + " and " + strings.Join(cfg.Languages, ", ")
	}
	for i, f := range files {
		base, suffix := splitLang(f.Path)
		switch {
		case suffix == "":
			continue
		case l.other[suffix]:
		case suffix == cfg.Language:
			col.Errorf(diag.Pos{Path: f.Path, Line: 1, Col: 1}, "the suffix .%s.md names the default language (language: %s in %s/_index.md), whose pages have no suffix: rename the file %s", suffix, cfg.Language, Dir, path.Base(base))
			l.skip[i] = true
			continue
		case len(suffix) == 2:
			col.Errorf(diag.Pos{Path: f.Path, Line: 1, Col: 1}, "the suffix .%s.md names no language of the site (%s): add %s to languages: in %s/_index.md, or rename the file", suffix, listed, suffix, Dir)
			l.skip[i] = true
			continue
		default:
			continue // a dot in a page's name, not a language
		}
		if !l.exists[base] {
			col.Errorf(diag.Pos{Path: f.Path, Line: 1, Col: 1}, "this translation has no default-language page: %s does not exist; create it, or rename this file after the page it translates", base)
			l.skip[i] = true
			continue
		}
		l.lang[i], l.rel[i] = suffix, strings.TrimPrefix(base, Dir+"/")
	}
	return l
}

// link says where a link from a page in lang to the content file target goes: the file it
// stands for (the translation into lang where there is one), its address, the language of
// the page linked to when it differs from lang ("" when it does not), and the words that
// say so.
func (l *languages) link(lang, target string) (source, addr, hreflang, label string) {
	base, suffix := splitLang(target)
	source = target
	switch rel := strings.TrimPrefix(base, Dir+"/"); {
	case l.other[suffix]:
		// A link to a translation itself.
		addr = suffix + "/" + urls.OfSource(rel)
		if suffix != lang {
			hreflang = suffix
		}
	case lang != l.def && l.exists[strings.TrimSuffix(target, ".md")+"."+lang+".md"]:
		source, addr = strings.TrimSuffix(target, ".md")+"."+lang+".md", lang+"/"+urls.OfSource(rel)
	default:
		addr = urls.OfSource(rel)
		if lang != l.def {
			hreflang = l.def
		}
	}
	if hreflang != "" && l.label != nil {
		label = l.label(lang, hreflang)
	}
	return source, addr, hreflang, label
}

// onlyDefault are the keys a translation may not set: they are declared once, in the
// default-language file.
var onlyDefault = map[string]bool{"date": true, "weight": true, "draft": true, "unlisted": true, "layout": true,
	"language": true, "languages": true, "base_url": true, "repository": true, "branch": true, "raw_html": true}

// declaredOnce reports every key of a translation that only the default-language file may
// set, at its line.
func declaredOnce(m *frontmatter.Matter, isSection map[string]bool, def string, col *diag.Collector) {
	for _, k := range m.Keys {
		switch {
		case isSection[k]:
			col.Errorf(m.Pos(k), "references are declared once, in %s: remove %s from this translation; its pages show the references of %s in every language", def, k, def)
		case onlyDefault[k]:
			col.Errorf(m.Pos(k), "%s is declared once, in %s: remove it from this translation, which gives only title, summary, description, params and the body", k, def)
		}
	}
}

// readLanguages reads the languages setting of the home page: the codes of the languages
// the site is translated into besides the default one.
func readLanguages(v values, def string) []string {
	val, ok := v.m.Values["languages"]
	if !ok || val == nil {
		return nil
	}
	var items []any
	switch x := val.(type) {
	case string:
		items = []any{x}
	case []any:
		items = x
	default:
		v.col.Errorf(v.m.Pos("languages"), "languages must list language codes, not %s: write languages: [fr, de]", describe(val))
		return nil
	}
	var codes []string
	seen := map[string]bool{}
	for _, it := range items {
		c, ok := it.(string)
		if !ok {
			v.col.Errorf(v.m.Pos("languages"), "languages must list language codes, but one item is %s: write languages: [fr, de]", describe(it))
			continue
		}
		pos := v.m.ValuePos("languages", c)
		c = strings.TrimSpace(c)
		if _, err := language.Parse(c); err != nil || c != strings.ToLower(c) || strings.Trim(c, "abcdefghijklmnopqrstuvwxyz-") != "" {
			v.col.Errorf(pos, "%q is not a language code: write lower-case codes such as fr, de or pt-br", c)
			continue
		}
		switch {
		case c == def:
			// At the key: the code may also be part of another item ("French" holds "en").
			v.col.Errorf(v.m.Pos("languages"), "%s is the default language (language: %s): list only the other languages", c, def)
			continue
		case seen[c]:
			v.col.Warnf(pos, "%s is listed twice in languages: remove one", c)
			continue
		}
		seen[c] = true
		codes = append(codes, c)
	}
	return codes
}

// DefaultSource returns the path of the default-language file of a translation
// (content/days/day-1.md for content/days/day-1.fr.md) and its language, or p and "" when
// p is not one of langs.
func DefaultSource(p string, langs []string) (string, string) {
	base, suffix := splitLang(p)
	for _, l := range langs {
		if l == suffix {
			return base, suffix
		}
	}
	return p, ""
}
