// Package site holds the plain data that flows between the stages of a build: the Site, its
// Sections and its Pages. The load stage fills in what a page says of itself, the resolve
// stage the links between pages; later stages only read. It does no I/O.
package site

import (
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/icc-recap/recap/generator/diag"
)

// Kind says what a page is.
type Kind string

// The kinds of page.
const (
	KindHome    Kind = "home"
	KindSection Kind = "section"
	KindPage    Kind = "page"
)

// Config is the site-wide settings, taken from the front matter of content/_index.md.
type Config struct {
	Title       string
	Description string
	// Language is the code of the site's default language ("en").
	Language string
	// Languages are the codes of the other languages the site is translated into, in the
	// order content/_index.md lists them ("fr", "de"); empty for a site in one language.
	Languages []string
	// BaseURL is the absolute address the site is published at, or "".
	BaseURL string
	// Repository is the forge address of the site's repository (for "edit this page"), or "".
	Repository string
	// Branch is the repository's branch that edit links point at.
	Branch string
	// RawHTML lets raw HTML in Markdown through; off by default.
	RawHTML bool
	// Paginate is how many cards a section's list page shows by default (paginate: on the
	// home page); 0 means DefaultPaginate.
	Paginate int
	Params   map[string]any
}

// DefaultPaginate is how many cards a section's list page shows when neither the section
// nor the site says.
const DefaultPaginate = 50

// Site is the whole site after resolve.
type Site struct {
	// The settings of Config, as fields of the Site's own: templates read .Site.Title many
	// times a page, and text/template finds a field promoted from an embedded struct several
	// times slower than a field of the struct itself.
	Title       string
	Description string
	// Language is the language of this site's pages: the default language, or for the
	// site of a translation, that language.
	Language   string
	BaseURL    string
	Repository string
	Branch     string
	RawHTML    bool
	Paginate   int
	Params     map[string]any

	// Languages lists the site in every language, the default first; nil for a site in one
	// language. Each language's Site shares the list.
	Languages []*Language
	// Prefix is where this language's addresses start: "" for the default language,
	// "fr/" for French.
	Prefix string

	Home     *Page
	Sections []*Section
	// Pages holds every page, the home page and list pages included, in a stable order.
	Pages []*Page

	bySection map[string]*Section
	byURL     map[string]*Page
}

// Language is one language of a multilingual site.
type Language struct {
	// Code is the language's code as content/_index.md lists it ("fr").
	Code string
	// Site is the site in that language.
	Site *Site
}

// IsDefault reports whether s is the site in its default language.
func (s *Site) IsDefault() bool { return s.Prefix == "" }

// Get returns this language's version of the page at the default language's address addr
// ("search/"), which is the default-language page itself where the page is not translated,
// or nil when no page has that address.
func (s *Site) Get(addr string) *Page {
	if s.byURL == nil {
		return nil
	}
	return s.byURL[strings.TrimPrefix(addr, "/")]
}

// IndexPages records the pages Get finds, by their default-language address.
func (s *Site) IndexPages(byDefaultURL map[string]*Page) { s.byURL = byDefaultURL }

// New returns a site with the settings of cfg and no pages yet.
func New(cfg Config) *Site {
	return &Site{Title: cfg.Title, Description: cfg.Description, Language: cfg.Language, BaseURL: cfg.BaseURL,
		Repository: cfg.Repository, Branch: cfg.Branch, RawHTML: cfg.RawHTML, Paginate: cfg.Paginate, Params: cfg.Params}
}

// Config returns the site's settings.
func (s *Site) Config() Config {
	cfg := Config{Title: s.Title, Description: s.Description, Language: s.Language, BaseURL: s.BaseURL,
		Repository: s.Repository, Branch: s.Branch, RawHTML: s.RawHTML, Paginate: s.Paginate, Params: s.Params}
	for _, l := range s.Languages[min(1, len(s.Languages)):] {
		cfg.Languages = append(cfg.Languages, l.Code)
	}
	if len(s.Languages) > 0 {
		cfg.Language = s.Languages[0].Code
	}
	return cfg
}

// Section returns the section of that folder name, or nil.
func (s *Site) Section(name string) *Section {
	return s.bySection[name]
}

// SetSections records the sections and indexes them by name.
func (s *Site) SetSections(secs []*Section) {
	s.Sections = secs
	s.bySection = make(map[string]*Section, len(secs))
	for _, sec := range secs {
		s.bySection[sec.Name] = sec
	}
}

// Section is a folder of content/ and its pages.
type Section struct {
	Name   string
	Title  string
	URL    string
	Weight int
	// Index is the section's list page (from _index.md, or made up when there is none).
	Index *Page
	// Pages are the section's pages, drafts left out unless asked for, ordered by weight,
	// date, then title.
	Pages []*Page
	// Lists are the pages the section's list is split into: Lists[0] is Index, the others
	// are at URL/page/2/ and on. Each shows its share of Pages as its own Pages.
	Lists []*Page
}

// ListOf returns the list page that shows p among its cards, or nil. It looks through the
// section's pages, so it is for occasional use (an incremental update), not for every page.
func (sec *Section) ListOf(p *Page) *Page {
	for _, l := range sec.Lists {
		if slices.Contains(l.Pages, p) {
			return l
		}
	}
	return nil
}

// Pager is the place of one list page among the pages a section's list is split into.
type Pager struct {
	// Number is the page's number, from 1.
	Number int
	// PerPage is how many cards a page shows at most; Items how many the whole list has.
	PerPage, Items int
	// Pages are all the list's pages in order: Pages[0] is the section's list page.
	Pages []*Page
}

// Total is the number of list pages.
func (g *Pager) Total() int { return len(g.Pages) }

// Offset is the number of cards on the pages before this one (for <ol start>, add 1).
func (g *Pager) Offset() int { return (g.Number - 1) * g.PerPage }

// Prev is the list page before this one, or nil on the first.
func (g *Pager) Prev() *Page {
	if g.Number > 1 {
		return g.Pages[g.Number-2]
	}
	return nil
}

// Next is the list page after this one, or nil on the last.
func (g *Pager) Next() *Page {
	if g.Number < len(g.Pages) {
		return g.Pages[g.Number]
	}
	return nil
}

// PagerLink is one item of a numbered page navigation: a page, or a gap between numbers.
type PagerLink struct {
	Number  int
	Page    *Page // nil for a gap
	Current bool
}

// Links returns the numbered navigation of this page: the first and the last page, the
// pages up to around numbers on each side of this one, and a gap (a link with no Page)
// where numbers are left out, so that a list of thousands of pages links to a handful.
func (g *Pager) Links(around int) []PagerLink {
	var out []PagerLink
	n := len(g.Pages)
	for i := 1; i <= n; i++ {
		switch {
		case i == 1 || i == n || i >= g.Number-around && i <= g.Number+around:
			out = append(out, PagerLink{Number: i, Page: g.Pages[i-1], Current: i == g.Number})
		case len(out) > 0 && out[len(out)-1].Page == nil:
			// Already in a gap.
		case i == g.Number-around-1 && i == 2 || i == g.Number+around+1 && i == n-1:
			// A gap of one number: show the number instead.
			out = append(out, PagerLink{Number: i, Page: g.Pages[i-1]})
		default:
			out = append(out, PagerLink{Number: i})
		}
	}
	return out
}

// Heading is a heading of a page body.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Ref is a reference declared in front matter: a key named after a section, and one slug.
type Ref struct {
	Section string
	Slug    string
	Pos     diag.Pos
}

// BodyLink is a link in a Markdown body to another source file.
type BodyLink struct {
	// Target is the slash path of the target file relative to the site root
	// (content/speakers/pia-laurila.md).
	Target   string
	Fragment string
	Pos      diag.Pos
}

// LinkGroup is a set of linked pages of one section.
type LinkGroup struct {
	Section *Section
	Pages   []*Page
}

// Page is one page of the site.
type Page struct {
	// Source is the slash path of the source file relative to the site root, e.g.
	// content/days/day-5.md; pages made up for sections without _index.md have the folder.
	Source  string
	Kind    Kind
	Section string
	Slug    string
	// URL is the site address: "days/day-5/", "" for the home page; a translation's starts
	// with its language ("fr/days/day-5/").
	URL string
	// Lang is the code of the language the page is written in; Translation says whether
	// the page is a translation (a file such as day-5.fr.md) rather than the
	// default-language page.
	Lang        string
	Translation bool
	// Translations lists every version of the page, the default language's first, then the
	// translations in the order of the site's languages; nil for a page never translated.
	// Every version shares the list.
	Translations []*Page

	Title  string
	Date   time.Time
	Weight int
	Draft  bool
	// Unlisted pages are built but left out of the feed, the sitemap and the search index.
	Unlisted    bool
	Summary     string
	Description string
	Layout      string
	Params      map[string]any
	// body holds the converted body (see Content and PlainText).
	body      Body
	WordCount int
	Headings  []Heading
	// Anchors holds every id a link may point at with a #fragment.
	Anchors Anchors

	// Image is the slash path from the site root of the page's own picture (front matter
	// image:, a file beside the page), or ""; ImageAlt is its alternative text (the page's
	// title unless image_alt: gives one).
	Image    string
	ImageAlt string
	// Video and Slides are what front matter video: and slides: name: a web address, or
	// the slash path from the site root of a file beside the page; "" when absent.
	Video  string
	Slides string

	// Refs and BodyLinks are what the page declares; resolve turns them into links, and a
	// build then drops them (package build, forgetDeclared).
	Refs      []Ref
	BodyLinks []BodyLink
	// KeyPos holds the position of each front-matter key, for diagnostics.
	KeyPos KeyPositions
	// BodyLine is the line of the source file the body starts on.
	BodyLine int

	// Filled in by resolve.
	SectionInfo *Section
	// Rank is the page's place in the site's order (Site.Pages).
	Rank       int
	Links      []LinkGroup
	Backlinks  []LinkGroup
	Related    []LinkGroup
	Prev, Next *Page
	// Pages are the cards a list page shows: on a section's list page its share of the
	// section's pages.
	Pages []*Page
	// Pager is set on the list pages of a section: which of the list's pages this is.
	Pager *Pager
	// Paginate is the number of cards per list page the front matter asks for (on a
	// section's _index.md, or site-wide on the home page), 0 when it says nothing.
	Paginate int
}

// Body is a page's converted body: its HTML and its text. It may live in memory or in a
// store outside it (package bodies), read back when asked for, so that a large site's
// bodies are not all in memory at once.
type Body interface {
	HTML() string
	Text() string
}

type memBody struct{ html, text string }

func (b memBody) HTML() string { return b.html }
func (b memBody) Text() string { return b.text }

// TextAppender is a Body that can append its text to a buffer rather than return it as a
// new string: a stage that reads every page's text only to look at it (the search index)
// then reuses one buffer for all of them.
type TextAppender interface {
	AppendText(dst []byte) []byte
}

// InMemory returns a body held in memory.
func InMemory(html, text string) Body { return memBody{html, text} }

// SetBody gives the page its converted body.
func (p *Page) SetBody(b Body) { p.body = b }

// Content returns the rendered Markdown body. It is safe HTML: goldmark escapes text and
// drops raw HTML and script addresses unless the site's settings let raw HTML through.
func (p *Page) Content() template.HTML {
	if p.body == nil {
		return ""
	}
	return template.HTML(p.body.HTML())
}

// ReadText returns the body as text, as PlainText does, but reads a body kept outside
// memory into *buf (grown as needed) instead of a new string: the text is then valid only
// until *buf is used again, and what is kept of it must be a copy.
func (p *Page) ReadText(buf *[]byte) string {
	a, ok := p.body.(TextAppender)
	if !ok {
		return p.PlainText()
	}
	*buf = a.AppendText((*buf)[:0])
	return unsafe.String(unsafe.SliceData(*buf), len(*buf))
}

// PlainText returns the body as text, for search and summaries.
func (p *Page) PlainText() string {
	if p.body == nil {
		return ""
	}
	return p.body.Text()
}

// IsHome reports whether p is the home page.
func (p *Page) IsHome() bool { return p.Kind == KindHome }

// IsSection reports whether p is a section's list page.
func (p *Page) IsSection() bool { return p.Kind == KindSection }

// RelatedIn returns the related pages (forward links and backlinks) of one section.
func (p *Page) RelatedIn(section string) []*Page {
	for _, g := range p.Related {
		if g.Section.Name == section {
			return g.Pages
		}
	}
	return nil
}

// NameTitle is the title of a page or section that gives none, made from its file or folder
// name: hyphens become spaces and the first letter a capital ("city-labs" is "City labs").
func NameTitle(name string) string {
	s := strings.ReplaceAll(name, "-", " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Anchors are the ids of a page that a link may point at with a #fragment, sorted: a short
// list, smaller than a map for the whole build.
type Anchors []string

// AnchorsOf returns the ids of a set as Anchors.
func AnchorsOf(set map[string]bool) Anchors {
	if len(set) == 0 {
		return nil
	}
	a := make(Anchors, 0, len(set))
	for id := range set {
		a = append(a, id)
	}
	slices.Sort(a)
	return a
}

// Has reports whether id is one of the anchors.
func (a Anchors) Has(id string) bool {
	_, ok := slices.BinarySearch(a, id)
	return ok
}

// KeyPositions are where the keys of one file's front matter are: a page keeps them for
// the whole build, so they are a short list with the file named once, not a map (a map
// of positions was a third of what a loaded page held).
type KeyPositions struct {
	Path string
	keys []keyAt
}

type keyAt struct {
	key       string
	line, col int32
}

// Add notes the position of a key; a key added again keeps its first position.
func (k *KeyPositions) Add(key string, pos diag.Pos) {
	if k.Path == "" {
		k.Path = pos.Path
	}
	if _, ok := k.Get(key); !ok {
		k.keys = append(k.keys, keyAt{key, int32(pos.Line), int32(pos.Col)})
	}
}

// Get returns the position of a key, and whether the front matter has it.
func (k KeyPositions) Get(key string) (diag.Pos, bool) {
	for _, a := range k.keys {
		if a.key == key {
			return diag.Pos{Path: k.Path, Line: int(a.line), Col: int(a.col)}, true
		}
	}
	return diag.Pos{}, false
}

// Has reports whether the front matter has a key.
func (k KeyPositions) Has(key string) bool {
	_, ok := k.Get(key)
	return ok
}

// Len is the number of keys.
func (k KeyPositions) Len() int { return len(k.keys) }

// KeyPosOr returns the position of a front-matter key, or of the file's first line.
func (p *Page) KeyPosOr(key string) diag.Pos {
	if pos, ok := p.KeyPos.Get(key); ok {
		return pos
	}
	return diag.Pos{Path: p.Source, Line: 1, Col: 1}
}
