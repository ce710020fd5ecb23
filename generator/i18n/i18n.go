// Package i18n gives templates their words in each language of a site: the strings of
// templates/i18n/<language>.yaml, looked up by key, with plural forms chosen by the rules
// of the language (github.com/nicksnyder/go-i18n, which carries the CLDR rules), and dates
// written with each language's month and day names. It reads the string files and checks
// that every key a template names exists in every language; it does not run templates.
//
// A string file maps keys to text; a key whose text differs with a number maps the CLDR
// forms (one, other, and where the language has them zero, two, few, many) to text, where
// {{.Count}} is the number:
//
//	search: Search the record
//	pages:
//	  one: "{{.Count}} page"
//	  other: "{{.Count}} pages"
package i18n

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/icc-recap/recap/generator/diag"
)

// Dir is the folder of the string files, inside templates/.
const Dir = "i18n"

// File returns the path of a language's string file relative to templates/.
func File(lang string) string { return Dir + "/" + lang + ".yaml" }

// Strings holds the template strings of every language that has a file.
type Strings struct {
	langs map[string]*lang
}

type lang struct {
	code   string
	loc    *goi18n.Localizer
	plain  map[string]string // messages with no plural forms and no {{ }}: the text itself
	plural map[string]bool   // messages with plural forms or {{ }}
	forms  map[string]bool   // messages with plural forms
	mu     sync.Mutex
}

// Parse reads the string files among the files of templates/ (slash paths relative to it,
// as templates.Set.Sources holds them): every i18n/<code>.yaml.
func Parse(files map[string][]byte) (*Strings, diag.List) {
	s := &Strings{langs: map[string]*lang{}}
	var diags diag.List
	for _, name := range slices.Sorted(maps.Keys(files)) {
		dir, file := path.Split(name)
		if dir != Dir+"/" {
			continue
		}
		pos := diag.Pos{Path: "templates/" + name}
		code, ok := strings.CutSuffix(file, ".yaml")
		if !ok {
			diags = append(diags, diag.Warnf(pos, "only files named after a language and ending in .yaml are read here (en.yaml, fr.yaml): rename or remove this one"))
			continue
		}
		tag, err := language.Parse(code)
		if err != nil {
			diags = append(diags, diag.Errorf(pos, "%s is not a language code: name the file after the language, as fr.yaml", code))
			continue
		}
		l, d := parseFile(code, tag, pos, files[name])
		if d != nil {
			diags = append(diags, d)
			continue
		}
		s.langs[code] = l
	}
	return s, diags
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func parseFile(code string, tag language.Tag, pos diag.Pos, data []byte) (*lang, *diag.Diagnostic) {
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		msg := err.Error()
		pos.Line, pos.Col = 1, 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		// The parser names the line where a construct began; the first line at which the
		// text stops parsing is where it broke.
		if n := failingLine(data); n > pos.Line {
			pos.Line = n
		}
		return nil, diag.Wrap(pos, err, "YAML: "+msg+": write one key: text per line, and indent the forms of a plural (one:, other:) under their key")
	}
	bundle := goi18n.NewBundle(tag)
	bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	mf, err := bundle.ParseMessageFileBytes(data, code+".yaml")
	if err != nil {
		pos.Line, pos.Col = 1, 1
		return nil, diag.Wrap(pos, err, "the strings cannot be read: "+err.Error()+": write one key: text per line, and indent the forms of a plural (one:, other:) under their key")
	}
	l := &lang{code: code, loc: goi18n.NewLocalizer(bundle, code), plain: map[string]string{}, plural: map[string]bool{}, forms: map[string]bool{}}
	for _, m := range mf.Messages {
		if m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" && !strings.Contains(m.Other, "{{") {
			l.plain[m.ID] = m.Other
		} else {
			l.plural[m.ID] = true
			l.forms[m.ID] = m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
		}
	}
	return l, nil
}

// failingLine returns the first line at which data stops parsing as YAML, or 0.
func failingLine(data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for k := 1; k <= len(lines) && k <= 1000; k++ {
		var v any
		if err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &v); err != nil {
			return k
		}
	}
	return 0
}

// Has reports whether the language has a string file.
func (s *Strings) Has(lang string) bool { return s != nil && s.langs[lang] != nil }

// HasKey reports whether the string file of lang has key.
func (s *Strings) HasKey(lang, key string) bool {
	l := s.lang(lang)
	return l != nil && (l.plural[key] || hasPlain(l, key))
}

func hasPlain(l *lang, key string) bool {
	_, ok := l.plain[key]
	return ok
}

func (s *Strings) lang(code string) *lang {
	if s == nil {
		return nil
	}
	return s.langs[code]
}

// T returns the string key in lang; with a count, the plural form the language uses for
// that number, with {{.Count}} replaced by it. The one value may also be a map of values
// for the string's {{.Name}}s, whose Count, if any, chooses the plural form: with
// map[string]any{"Count": 2, "Total": 5}, "Page {{.Count}} of {{.Total}}" gives "Page 2 of
// 5".
func (s *Strings) T(lang, key string, count ...any) (string, error) {
	l := s.lang(lang)
	if l == nil {
		return "", fmt.Errorf("there is no string file for the language %s: create templates/%s with the key %q", lang, File(lang), key)
	}
	if len(count) == 0 {
		if v, ok := l.plain[key]; ok {
			return v, nil
		}
	}
	if len(count) > 1 {
		return "", fmt.Errorf("the string %q takes one number, not %d values", key, len(count))
	}
	if !l.plural[key] {
		if _, ok := l.plain[key]; ok {
			return l.plain[key], nil // a number given to a string without forms
		}
		return "", fmt.Errorf("the string %q is missing in the language %s: add it to templates/%s", key, lang, File(lang))
	}
	var n any
	var data map[string]any
	if len(count) == 1 {
		if m, ok := count[0].(map[string]any); ok {
			data, n = m, m["Count"]
		} else {
			n = count[0]
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if data == nil {
		cfg.TemplateData = map[string]any{"Count": n}
	}
	// A string without plural forms has only its text for every number; one with them
	// takes the form of the count (0 when none is given).
	if l.forms[key] {
		if n == nil {
			n = 0
		}
		cfg.PluralCount = n
	}
	l.mu.Lock() // the localizer's templates are not safe for concurrent use
	defer l.mu.Unlock()
	out, err := l.loc.Localize(cfg)
	if err != nil {
		return "", fmt.Errorf("the string %q of templates/%s: %w", key, File(lang), err)
	}
	return out, nil
}

// The keys of the names of months and days, as in month.january and weekday.monday, and of
// the optional ways of writing a day of the month other than as its number, as in day.1
// ("1er" in French).
const (
	monthKey   = "month."
	weekdayKey = "weekday."
	dayKey     = "day."
)

// Date writes t in lang with the layout that the string key holds, a Go layout such as
// "Monday 2 January 2006" (lundi 21 septembre 2020 in French when the key's text there is
// the same): January and Monday are replaced by the language's month.<name> and
// weekday.<name> strings, the day of the month (2) by the string day.<number> where the
// language has one (day.1: 1er, so that French writes "mardi 1er septembre 2020"), and the
// rest is formatted as time.Format does.
func (s *Strings) Date(lang, key string, t time.Time) (string, error) {
	layout, err := s.T(lang, key)
	if err != nil {
		return "", err
	}
	dayWord, hasDay := "", false
	if l := s.lang(lang); l != nil {
		dayWord, hasDay = l.plain[dayKey+strconv.Itoa(t.Day())]
	}
	var b strings.Builder
	for layout != "" {
		i, n, name := len(layout), 0, ""
		if j := strings.Index(layout, "January"); j >= 0 {
			i, n, name = j, len("January"), monthKey+strings.ToLower(t.Month().String())
		}
		if j := strings.Index(layout, "Monday"); j >= 0 && j < i {
			i, n, name = j, len("Monday"), weekdayKey+strings.ToLower(t.Weekday().String())
		}
		if j := dayOfMonth(layout); hasDay && j >= 0 && j < i {
			i, n, name = j, 1, ""
		}
		b.WriteString(t.Format(layout[:i]))
		if n == 0 {
			break
		}
		word := dayWord
		if name != "" {
			word, err = s.T(lang, name)
			if err != nil {
				return "", err
			}
		}
		b.WriteString(word)
		layout = layout[i+n:]
	}
	return b.String(), nil
}

// dayOfMonth returns the index of the first unpadded day of the month (2) in a Go layout,
// or -1: a 2 that is not part of 2006, 02, 002 or _2, read from the left as time.Format
// reads the layout.
func dayOfMonth(layout string) int {
	for i := 0; i < len(layout); i++ {
		rest := layout[i:]
		switch {
		case strings.HasPrefix(rest, "2006"), strings.HasPrefix(rest, "_2006"):
			i += strings.Index(rest, "2006") + 3
		case strings.HasPrefix(rest, "002"), strings.HasPrefix(rest, "__2"):
			i += 2
		case len(rest) > 1 && (rest[0] == '0' && rest[1] >= '1' && rest[1] <= '6' || rest[0] == '_' && rest[1] == '2'):
			i++
		case rest[0] == '2':
			return i
		}
	}
	return -1
}

// Locale returns the Open Graph form of a language code: language_TERRITORY, with the
// territory where the language is most likely spoken when the code names none (fr ->
// fr_FR, en -> en_US, pt-br -> pt_BR).
func Locale(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	base, _ := tag.Base()
	region, _ := tag.Region()
	return base.String() + "_" + region.String()
}

// Load reads the string files of the site at root: templates/i18n/*.yaml.
func Load(root string) (*Strings, diag.List) {
	dir := filepath.Join(root, "templates", Dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &Strings{langs: map[string]*lang{}}, nil
	}
	if err != nil {
		return &Strings{langs: map[string]*lang{}}, diag.List{diag.Wrap(diag.Pos{Path: "templates/" + Dir}, err, "cannot read the string files: "+err.Error())}
	}
	files := map[string][]byte{}
	var diags diag.List
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			diags = append(diags, diag.Wrap(diag.Pos{Path: "templates/" + Dir + "/" + e.Name()}, err, "cannot read: "+err.Error()))
			continue
		}
		files[Dir+"/"+e.Name()] = b
	}
	s, more := Parse(files)
	return s, append(diags, more...)
}

// LabelKey is the key of the words shown after a link to a page in another language, in
// the language of the page the link is on: in.en is "(in English)" in English, "(en
// anglais)" in French.
func LabelKey(target string) string { return "in." + target }

// Label returns the words shown, on a page in lang, after a link to a page in target, or
// "" when the string file lacks them (CheckLabels reports it).
func (s *Strings) Label(lang, target string) string {
	v, err := s.T(lang, LabelKey(target))
	if err != nil {
		return ""
	}
	return v
}

// AnchorKey is the key of the words that start the accessible name of a heading's link to
// itself, before the heading's text ("Link to this section: ").
const AnchorKey = "link_to_section"

// AnchorLabel returns the words of AnchorKey in lang, or "" when there are none.
func (s *Strings) AnchorLabel(lang string) string {
	v, err := s.T(lang, AnchorKey)
	if err != nil {
		return ""
	}
	return v
}

// CheckLabels reports a language among others whose string file lacks the words that mark
// a link to a page in the default language def, which its pages show wherever a page is
// not translated.
func (s *Strings) CheckLabels(def string, others []string) diag.List {
	var diags diag.List
	for _, l := range others {
		switch {
		case !s.Has(l):
			diags = append(diags, diag.Errorf(diag.Pos{Path: "templates/" + File(l)}, "the language %s has no string file: create it with at least language_name (the language's name in itself) and %s (the words after a link to a page in %s, such as \"(in English)\")", l, LabelKey(def), def))
		case !s.HasKey(l, LabelKey(def)):
			diags = append(diags, diag.Errorf(diag.Pos{Path: "templates/" + File(l), Line: 1, Col: 1}, "the string %s is missing: add the words shown after a link to a page that is not translated, such as %s: \"(in English)\" in the language %s", LabelKey(def), LabelKey(def), l))
		}
	}
	return diags
}
