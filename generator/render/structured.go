package render

import (
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/icc-recap/recap/generator/site"
)

// StructuredData returns the schema.org JSON-LD of the page being rendered, for a <script
// type="application/ld+json"> element, or "" for a page outside any section (the 404 page).
//
// The home page is the event: its name (params.event_name, or the site's title), the
// site's description, params.start_date and params.end_date, how people attended it and
// where (see when), params.organiser, and as subEvent every page of the sections whose
// params.schema.type is Event. Any other page is a node of the type its section's _index.md
// gives in params.schema.type (Thing when none), whose related pages are listed, two levels
// deep, under the properties params.schema.links names for their sections; a related page
// lists only the pages that the page being rendered is related to as well, so that a page
// says nothing of pages further than one link away. Nothing here names a section: the
// sections' _index.md decide.
//
// Templates once built this with jsonify; the template calls took a sixth of the CPU time
// of a 10,000-page build.
func (c *Context) StructuredData() (template.JS, error) {
	var w ldWriter
	if c.r != nil {
		// Written in a buffer of the renderer's, then copied once.
		bp := c.r.outs.Get().(*[]byte)
		defer func() { *bp = w.b; c.r.outs.Put(bp) }()
		w.b = (*bp)[:0]
	}
	switch {
	case c.Page.IsHome():
		c.event(&w)
	case c.Page.SectionInfo != nil:
		c.node(&w, c.Page, 2)
	}
	return template.JS(w.b), w.err
}

// ldWriter builds JSON-LD; the first error stops it.
type ldWriter struct {
	b   []byte
	err error
}

// raw appends JSON text as it is.
func (w *ldWriter) raw(s string) { w.b = append(w.b, s...) }

// value appends v as JSON, as jsonify writes it (<, > and & escaped inside strings).
func (w *ldWriter) value(v any) {
	if w.err != nil {
		return
	}
	j, err := json.Marshal(v)
	if err != nil {
		w.fail(fmt.Errorf("structured data: a value has no JSON form (%w): change it in the front matter", err))
		return
	}
	w.b = append(w.b, j...)
}

// field appends ,"name": and v.
func (w *ldWriter) field(name string, v any) {
	w.raw(`,"`)
	w.raw(name)
	w.raw(`":`)
	w.value(v)
}

func (w *ldWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// event writes the home page's Event.
func (c *Context) event(w *ldWriter) {
	s := c.Site
	w.raw(`{"@context":"https://schema.org","inLanguage":`)
	w.value(s.Language)
	w.raw(`,"@type":"Event","name":`)
	w.value(c.eventName())
	if s.Description != "" {
		w.field("description", s.Description)
	}
	url := c.Canonical()
	if url != "" {
		w.field("url", url)
	}
	w.raw(`,"eventStatus":"https://schema.org/EventScheduled"`)
	c.when(w, s.Params["start_date"], s.Params["end_date"], url)
	if o := s.Params["organiser"]; truth(o) {
		w.field("organizer", map[string]any{"@type": "Organization", "name": o})
	}
	first := true
	for _, sec := range s.Sections {
		if schemaOf(w, sec)["type"] != "Event" {
			continue
		}
		for _, p := range sec.Pages {
			if first {
				w.raw(`,"subEvent":[`)
				first = false
			} else {
				w.raw(",")
			}
			c.node(w, p, 0)
		}
	}
	if !first {
		w.raw("]")
	}
	w.raw("}")
}

// eventName is the event's name: params.event_name, or the site's title.
func (c *Context) eventName() any { return or(c.Site.Params["event_name"], c.Site.Title) }

// node writes page p as a schema.org node with its related pages depth levels deep, seen
// from the page being rendered. The node of that page itself names the vocabulary and the
// language; the related pages of any other list only those the page being rendered is
// related to as well.
func (c *Context) node(w *ldWriter, p *site.Page, depth int) {
	top := p == c.Page
	schema := schemaOf(w, p.SectionInfo)
	typ := or(schema["type"], "Thing")
	w.raw("{")
	if top {
		w.raw(`"@context":"https://schema.org","inLanguage":`)
		w.value(c.Site.Language)
		w.raw(",")
	}
	w.raw(`"@type":`)
	w.value(typ)
	w.field("name", p.Title)
	if alt := or(p.Params["acronym"], p.Params["full_name"]); truth(alt) {
		w.field("alternateName", alt)
	}
	if p.Summary != "" {
		w.field("description", p.Summary)
	}
	url, err := c.Abs(p.URL)
	w.fail(err)
	if url != "" {
		w.field("url", url)
	}
	if parent := p.Params["parent"]; truth(parent) {
		w.field("parentOrganization", map[string]any{"@type": "Organization", "name": parent})
	}
	if typ == "Event" {
		c.when(w, p.Date, p.Date, url)
		if top {
			home, err := c.Abs("")
			w.fail(err)
			w.field("superEvent", map[string]any{"@type": "Event", "name": c.eventName(), "url": home})
		}
	}
	if links := schema["links"]; depth > 0 && truth(links) {
		props, ok := links.(map[string]any)
		if !ok {
			w.fail(fmt.Errorf("%s: params.schema.links is not a map from section names to properties: write lines such as \"days: performerIn\" under links:", p.SectionInfo.Index.KeyPosOr("params")))
			return
		}
		for _, g := range p.Related {
			prop := props[g.Section.Name]
			if !truth(prop) {
				continue
			}
			pages := g.Pages
			if !top {
				pages = Intersect(pages, c.Page.RelatedIn(g.Section.Name))
			}
			if len(pages) == 0 {
				continue
			}
			w.raw(",")
			w.value(prop)
			w.raw(":[")
			for i, r := range pages {
				if i > 0 {
					w.raw(",")
				}
				c.node(w, r, depth-1)
			}
			w.raw("]")
		}
	}
	w.raw("}")
}

// attendance maps params.attendance to schema.org's names.
var attendance = map[string]string{"online": "Online", "offline": "Offline", "mixed": "Mixed"}

// when writes the time and place of an event: start and end (dates), how people attended
// it (params.attendance of the site: online, offline or mixed; online when not given), and
// where (params.venue and params.address for a place, url for an online event).
func (c *Context) when(w *ldWriter, start, end any, url string) {
	for _, d := range [...]struct {
		name string
		v    any
	}{{"startDate", start}, {"endDate", end}} {
		t, err := toTime(d.v)
		w.fail(err)
		if err == nil && !t.IsZero() {
			w.field(d.name, t.Format("2006-01-02"))
		}
	}
	params := c.Site.Params
	mode := fmt.Sprint(or(params["attendance"], "online"))
	if m, ok := attendance[mode]; ok {
		w.field("eventAttendanceMode", "https://schema.org/"+m+"EventAttendanceMode")
	}
	virtual := func() map[string]any {
		v := map[string]any{"@type": "VirtualLocation"}
		if url != "" {
			v["url"] = url
		}
		return v
	}
	place := func() map[string]any {
		p := map[string]any{"@type": "Place"}
		if v := params["venue"]; truth(v) {
			p["name"] = v
		}
		if a := params["address"]; truth(a) {
			p["address"] = a
		}
		return p
	}
	switch mode {
	case "offline":
		w.field("location", place())
	case "mixed":
		w.field("location", []any{place(), virtual()})
	default:
		w.field("location", virtual())
	}
}

// schemaOf returns params.schema of a section's _index.md, nil when there is none.
func schemaOf(w *ldWriter, sec *site.Section) map[string]any {
	if sec == nil || sec.Index == nil {
		return nil
	}
	v := sec.Index.Params["schema"]
	if !truth(v) {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		w.fail(fmt.Errorf("%s: params.schema is not a map: write \"type:\" and \"links:\" lines under schema:", sec.Index.KeyPosOr("params")))
	}
	return m
}

// truth reports whether v is true in the sense of templates' if and with.
func truth(v any) bool {
	t, _ := template.IsTrue(v)
	return t
}

// or returns v when it is true in the sense of templates (not empty, zero or nil), else
// otherwise.
func or(v, otherwise any) any {
	if truth(v) {
		return v
	}
	return otherwise
}
