package render

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/site"
)

// structuredSite is a small event: talks (Events) with their people (Persons) and the
// people's organisations, every section's schema given by its _index.md as a site would.
func structuredSite(params map[string]any) (*site.Site, map[string]*site.Page) {
	s := site.New(site.Config{Title: "Lab", Description: "Five days", Language: "en", BaseURL: "https://example.org/lab/", Params: params})
	home := &site.Page{Source: "content/_index.md", Kind: site.KindHome, Title: "Lab"}
	pg := map[string]*site.Page{"home": home}
	section := func(name string, schema any) *site.Section {
		idx := &site.Page{Source: "content/" + name + "/_index.md", Kind: site.KindSection, Section: name, URL: name + "/",
			Title: name, Params: map[string]any{}}
		if schema != nil {
			idx.Params["schema"] = schema
		}
		sec := &site.Section{Name: name, Title: name, URL: name + "/", Index: idx}
		idx.SectionInfo = sec
		s.Sections = append(s.Sections, sec)
		return sec
	}
	talks := section("talks", map[string]any{"type": "Event", "links": map[string]any{"people": "performer", "orgs": "organizer"}})
	people := section("people", map[string]any{"type": "Person", "links": map[string]any{"talks": "performerIn", "orgs": "affiliation"}})
	orgs := section("orgs", nil)
	add := func(sec *site.Section, slug, title string, params map[string]any) {
		p := &site.Page{Source: "content/" + sec.Name + "/" + slug + ".md", Kind: site.KindPage, Section: sec.Name, Slug: slug,
			URL: sec.Name + "/" + slug + "/", Title: title, SectionInfo: sec, Params: params}
		sec.Pages = append(sec.Pages, p)
		pg[slug] = p
	}
	add(talks, "t1", "Opening", map[string]any{})
	pg["t1"].Date = time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)
	pg["t1"].Summary = "The <first> day"
	add(people, "p1", "Ada", map[string]any{})
	add(people, "p2", "Zoë", map[string]any{})
	add(orgs, "o1", "European Commission", map[string]any{"acronym": "EC", "parent": "EU"})
	add(orgs, "o2", "City", map[string]any{})
	rel := func(p string, groups ...site.LinkGroup) { pg[p].Related = groups }
	g := func(sec *site.Section, pages ...string) site.LinkGroup {
		lg := site.LinkGroup{Section: sec}
		for _, p := range pages {
			lg.Pages = append(lg.Pages, pg[p])
		}
		return lg
	}
	rel("t1", g(people, "p1", "p2"), g(orgs, "o1"))
	rel("p1", g(talks, "t1"), g(orgs, "o1"))
	rel("p2", g(talks, "t1"), g(orgs, "o2"))
	rel("o1", g(talks, "t1"), g(people, "p1"))
	rel("o2", g(people, "p2"))
	s.Home = home
	for _, p := range pg {
		s.Pages = append(s.Pages, p)
	}
	return s, pg
}

func structuredOf(t *testing.T, s *site.Site, p *site.Page) map[string]any {
	t.Helper()
	js, err := New(s, nil, nil, nil, Options{}).Context(p).StructuredData()
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(js), "<>") {
		t.Errorf("< or > left unescaped: %s", js)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js)
	}
	return v
}

// at follows a path of keys and indexes through decoded JSON.
func at(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestStructuredData(t *testing.T) {
	s, pg := structuredSite(map[string]any{"event_name": "City Lab", "start_date": "2020-09-28", "end_date": "2020-10-02", "organiser": "EC"})
	person := structuredOf(t, s, pg["p1"])
	event := structuredOf(t, s, pg["t1"])
	home := structuredOf(t, s, pg["home"])
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"person type", at(person, "@type"), "Person"},
		{"person context", at(person, "@context"), "https://schema.org"},
		{"person language", at(person, "inLanguage"), "en"},
		{"person url", at(person, "url"), "https://example.org/lab/people/p1/"},
		{"talk of the person", at(person, "performerIn", 0, "name"), "Opening"},
		{"related page has no context", at(person, "performerIn", 0, "@context"), nil},
		// The talk's performers are not the person's relations: left out two levels down.
		{"talk lists no performers seen from a person", at(person, "performerIn", 0, "performer"), nil},
		// The talk's organiser is also the person's organisation: shared, so listed.
		{"shared relation", at(person, "performerIn", 0, "organizer", 0, "name"), "European Commission"},
		{"section without schema is a Thing", at(person, "affiliation", 0, "@type"), "Thing"},
		{"acronym as alternate name", at(person, "affiliation", 0, "alternateName"), "EC"},
		{"parent organisation", at(person, "affiliation", 0, "parentOrganization", "name"), "EU"},
		{"depth ends", at(person, "performerIn", 0, "organizer", 0, "performer"), nil},
		{"event date", at(event, "startDate"), "2020-09-28"},
		{"event description", at(event, "description"), "The <first> day"},
		{"event online by default", at(event, "eventAttendanceMode"), "https://schema.org/OnlineEventAttendanceMode"},
		{"online location is the page", at(event, "location", "url"), "https://example.org/lab/talks/t1/"},
		{"super event", at(event, "superEvent", "name"), "City Lab"},
		{"performers of the event", at(event, "performer", 1, "name"), "Zoë"},
		{"performer's organisation shared with the event", at(event, "performer", 0, "affiliation", 0, "name"), "European Commission"},
		{"performer's organisation not shared", at(event, "performer", 1, "affiliation"), nil},
		{"home is the event", at(home, "name"), "City Lab"},
		{"home dates", at(home, "endDate"), "2020-10-02"},
		{"organiser", at(home, "organizer", "name"), "EC"},
		{"sub events", at(home, "subEvent", 0, "url"), "https://example.org/lab/talks/t1/"},
		{"sub events without relations", at(home, "subEvent", 0, "performer"), nil},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if js, err := New(s, nil, nil, nil, Options{}).Context(&site.Page{Source: "templates/404.html"}).StructuredData(); js != "" || err != nil {
		t.Errorf("a page outside the sections: %q, %v", js, err)
	}
}

func TestStructuredDataPlace(t *testing.T) {
	tests := []struct {
		params map[string]any
		mode   string
		loc    any
	}{
		{map[string]any{"attendance": "offline", "venue": "Hall", "address": "Brussels"}, "Offline",
			map[string]any{"@type": "Place", "name": "Hall", "address": "Brussels"}},
		{map[string]any{"attendance": "offline", "address": "Brussels"}, "Offline", map[string]any{"@type": "Place", "address": "Brussels"}},
		{map[string]any{"attendance": "mixed", "venue": "Hall"}, "Mixed", []any{map[string]any{"@type": "Place", "name": "Hall"},
			map[string]any{"@type": "VirtualLocation", "url": "https://example.org/lab/talks/t1/"}}},
		{map[string]any{"attendance": "on the moon"}, "", map[string]any{"@type": "VirtualLocation", "url": "https://example.org/lab/talks/t1/"}},
	}
	for _, tt := range tests {
		s, pg := structuredSite(tt.params)
		ev := structuredOf(t, s, pg["t1"])
		want := any(nil)
		if tt.mode != "" {
			want = "https://schema.org/" + tt.mode + "EventAttendanceMode"
		}
		if got := at(ev, "eventAttendanceMode"); got != want {
			t.Errorf("%v: mode %v, want %v", tt.params, got, want)
		}
		if got := at(ev, "location"); !reflect.DeepEqual(got, tt.loc) {
			t.Errorf("%v: location %v, want %v", tt.params, got, tt.loc)
		}
	}
}

// Settings that cannot be written are errors that say what to fix, not a broken script.
func TestStructuredDataErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *site.Site, pg map[string]*site.Page)
		want string
	}{
		{"schema not a map", func(s *site.Site, pg map[string]*site.Page) { s.Sections[1].Index.Params["schema"] = "Person" },
			`content/people/_index.md:1:1: params.schema is not a map`},
		{"links not a map", func(s *site.Site, pg map[string]*site.Page) {
			s.Sections[1].Index.Params["schema"] = map[string]any{"type": "Person", "links": []any{"talks"}}
		}, `content/people/_index.md:1:1: params.schema.links is not a map`},
		{"no JSON form", func(s *site.Site, pg map[string]*site.Page) { pg["p1"].Params["full_name"] = math.NaN() },
			"structured data: a value has no JSON form (json: unsupported value: NaN)"},
		{"bad date", func(s *site.Site, pg map[string]*site.Page) { s.Params["start_date"] = "28/09/2020" }, "28/09/2020"},
	}
	for _, tt := range tests {
		s, pg := structuredSite(map[string]any{})
		tt.edit(s, pg)
		var errs []string
		for _, p := range []*site.Page{pg["home"], pg["p1"]} {
			if _, err := New(s, nil, nil, nil, Options{}).Context(p).StructuredData(); err != nil {
				errs = append(errs, err.Error())
			}
		}
		if len(errs) == 0 || !strings.Contains(errs[0], tt.want) {
			t.Errorf("%s: errors %q, want one with %q", tt.name, errs, tt.want)
		}
	}
}
