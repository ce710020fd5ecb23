package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/icc-recap/recap/internal/browsertest"
	"github.com/icc-recap/recap/internal/crawl"
)

const prefix = "/some/prefix/"

// serveUnderPrefix serves a built site under a sub-path, as a host like GitHub Pages would,
// with 404.html for missing addresses (the one of the address's first folder where there is
// one, fr/404.html for fr/x/, as Cloudflare Pages does).
func serveUnderPrefix(t *testing.T, dir string) string {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/")))
		if st, err := os.Stat(p); err != nil || st.IsDir() && !exists(filepath.Join(p, "index.html")) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			b, err := os.ReadFile(filepath.Join(dir, strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0], "404.html"))
			if err != nil {
				b, _ = os.ReadFile(filepath.Join(dir, "404.html"))
			}
			_, _ = w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	})))
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestSubPathCrawl serves the site under /some/prefix/ and follows every internal link
// and source from the home page over HTTP: each must answer 200.
func TestSubPathCrawl(t *testing.T) {
	out, _ := buildRealSite(t, "--base-url", "https://example.org"+prefix)
	base := serveUnderPrefix(t, out)
	seen := map[string]bool{base: true}
	queue := []string{base}
	pages := 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages++
		rel := strings.TrimPrefix(u, base)
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		for _, l := range crawlLinks(rel, body) {
			if !l.Internal() {
				continue
			}
			if strings.HasPrefix(l.Target, "../") {
				t.Errorf("%s: %s climbs above the site", rel, l.Raw)
				continue
			}
			next := base + strings.TrimSuffix(l.Target, "index.html")
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	want := 0
	_ = filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Name() == "index.html" {
			want++
		}
		return nil
	})
	if pages != want || pages < 28 {
		t.Errorf("crawled %d pages under %s, want every page (%d)", pages, prefix, want)
	}
	// A missing address gets the 404 page, whose links work at any depth.
	if status, body := httpGet(t, base+"no/such/page/"); status != 404 || !strings.Contains(body, prefix+"css/style.css") {
		t.Errorf("404 page: %d, links not rooted at %s", status, prefix)
	}
}

func crawlLinks(name string, body []byte) []crawl.Link {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("recap-crawl-%d", time.Now().UnixNano()))
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, filepath.FromSlash(name))
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	_ = os.WriteFile(p, body, 0o644)
	s, err := crawl.Read(dir)
	if err != nil {
		return nil
	}
	return s.Links[name]
}

var jsonLD = regexp.MustCompile(`(?s)<script type=application/ld\+json>(.*?)</script>`)

type ldNode = map[string]any

func ld(t *testing.T, s *crawl.Site, page string) ldNode {
	t.Helper()
	m := jsonLD.FindSubmatch(s.Files[page])
	if m == nil {
		t.Fatalf("%s has no JSON-LD", page)
	}
	var v ldNode
	if err := json.Unmarshal(m[1], &v); err != nil {
		t.Fatalf("%s: JSON-LD does not parse: %v\n%s", page, err, m[1])
	}
	return v
}

func list(v any) []ldNode {
	var out []ldNode
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

func names(ns []ldNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprint(n["name"]))
	}
	slices.Sort(out)
	return out
}

// TestStructuredData parses the JSON-LD of every page and checks the relations of the
// record: the event online with one sub-event per day, speakers as people affiliated to
// their organisations, initiatives as what the talks are about.
func TestStructuredData(t *testing.T) {
	_, s := buildRealSite(t, "--base-url", "https://example.org/icc/")
	for name, b := range s.Files {
		for _, m := range jsonLD.FindAllSubmatch(b, -1) {
			var v any
			if err := json.Unmarshal(m[1], &v); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v", name, err)
			}
		}
	}
	home := ld(t, s, "index.html")
	if home["@type"] != "Event" || home["eventAttendanceMode"] != "https://schema.org/OnlineEventAttendanceMode" ||
		home["startDate"] != "2020-09-21" || home["endDate"] != "2020-09-25" || home["url"] != "https://example.org/icc/" {
		t.Errorf("home Event = %v", home)
	}
	if org, _ := home["organizer"].(map[string]any); org == nil || org["@type"] != "Organization" {
		t.Errorf("home organizer = %v", home["organizer"])
	}
	days := list(home["subEvent"])
	if len(days) != 5 {
		t.Fatalf("home has %d subEvents, want 5", len(days))
	}
	for i, d := range days {
		if d["@type"] != "Event" || d["startDate"] != fmt.Sprintf("2020-09-%d", 21+i) {
			t.Errorf("subEvent %d = %v", i, d)
		}
	}
	// The home page lists the days, not who spoke on each (a large archive has thousands of
	// speakers): the day's own page does.
	for _, d := range days {
		if d["performer"] != nil || d["about"] != nil {
			t.Errorf("the home page's subEvent %v lists performers or topics", d["name"])
		}
	}
	dayPage := ld(t, s, "days/day-5/index.html")
	day5 := list(dayPage["performer"])
	want := []string{"Claudia Fusco", "Georg Houben", "Marta Batalla Masana", "Philippe Froissard", "Pia Laurila", "Ulla Engelmann"}
	if got := names(day5); !slices.Equal(got, want) {
		t.Errorf("day 5 performers = %v", got)
	}
	// Each speaker's affiliation is on the speaker's own page: a page's structured data shows
	// nothing further than one link away (the preview re-renders the pages one link away
	// from an edit, and a full build must give the same).
	affiliation := map[string]string{}
	for _, p := range day5 {
		if p["@type"] != "Person" {
			t.Errorf("performer %v", p)
			continue
		}
		if p["affiliation"] != nil {
			t.Errorf("the day's performer %v has affiliations, two links away from the day", p["name"])
		}
		p = ld(t, s, strings.TrimPrefix(fmt.Sprint(p["url"]), "https://example.org/icc/")+"index.html")
		orgs := list(p["affiliation"])
		if p["@type"] != "Person" || len(orgs) != 1 || orgs[0]["@type"] != "Organization" {
			t.Errorf("performer %v", p)
			continue
		}
		affiliation[fmt.Sprint(p["name"])] = fmt.Sprint(orgs[0]["name"])
	}
	if affiliation["Pia Laurila"] != "DG REGIO" || affiliation["Marta Batalla Masana"] != "DG GROW" || affiliation["Claudia Fusco"] != "DG ENV" {
		t.Errorf("affiliations = %v", affiliation)
	}
	if got := names(list(dayPage["about"])); len(got) != 6 || !slices.Contains(got, "Green City Accord") {
		t.Errorf("day 5 is about %v", got)
	}
	day := ld(t, s, "days/day-5/index.html")
	if sup, _ := day["superEvent"].(map[string]any); sup == nil || day["@type"] != "Event" {
		t.Errorf("day 5 page = %v", day)
	}
	pia := ld(t, s, "speakers/pia-laurila/index.html")
	talks := list(pia["performerIn"])
	if pia["@type"] != "Person" || names(list(pia["affiliation"]))[0] != "DG REGIO" || len(talks) != 1 || names(list(talks[0]["about"]))[0] != "European Urban Initiative" {
		t.Errorf("Pia Laurila = %v", pia)
	}
	eui := ld(t, s, "initiatives/european-urban-initiative/index.html")
	if eui["alternateName"] != "EUI" || names(list(eui["sponsor"]))[0] != "DG REGIO" || names(list(list(eui["subjectOf"])[0]["performer"]))[0] != "Pia Laurila" {
		t.Errorf("EUI = %v", eui)
	}
	grow := ld(t, s, "organisations/dg-grow/index.html")
	if grow["@type"] != "Organization" || !slices.Equal(names(list(grow["employee"])), []string{"Marta Batalla Masana", "Ulla Engelmann"}) {
		t.Errorf("DG GROW = %v", grow)
	}
	if n := initiativePerformersSpokeThatDay(t, s, "https://example.org/icc/"); n < 6 {
		t.Errorf("only %d performers of the initiatives' days checked", n)
	}
	// In the record every speaker of an initiative spoke on its one day; a speaker of an
	// initiative with two days is a performer of their own day only.
	_, two := buildRealSiteWith(t, map[string]func(string) string{
		"content/initiatives/european-urban-initiative.md": func(s string) string {
			return strings.Replace(s, "days: [day-5]", "days: [day-3, day-5]", 1)
		},
		"content/speakers/ada-example.md": func(string) string {
			return "---\ntitle: Ada Example\ndays: [day-3]\ninitiatives: [european-urban-initiative]\n---\nAda spoke on day 3.\n"
		},
	}, "--base-url", "https://example.org/icc/")
	if n := initiativePerformersSpokeThatDay(t, two, "https://example.org/icc/"); n != 7 {
		t.Errorf("%d performers of the initiatives' days checked in the changed site, want 7", n)
	}
	eui = ld(t, two, "initiatives/european-urban-initiative/index.html")
	var perf [][]string
	for _, d := range list(eui["subjectOf"]) {
		perf = append(perf, names(list(d["performer"])))
	}
	if want := [][]string{{"Ada Example"}, {"Pia Laurila"}}; !slices.EqualFunc(perf, want, slices.Equal) {
		t.Errorf("EUI's days have performers %v, want %v", perf, want)
	}
}

// locationURL is the address of an online event: the url of its location.
func locationURL(event ldNode) string {
	loc, _ := event["location"].(map[string]any)
	u, _ := loc["url"].(string)
	return u
}

// initiativePerformersSpokeThatDay checks, on every initiative page, that each performer of
// a day the initiative was the subject of is a person whose own page says they spoke that
// day, and returns how many performers it checked.
func initiativePerformersSpokeThatDay(t *testing.T, s *crawl.Site, base string) int {
	t.Helper()
	n := 0
	for _, name := range sortedKeys(s.Files) {
		if !strings.HasPrefix(name, "initiatives/") || !strings.HasSuffix(name, "/index.html") || name == "initiatives/index.html" {
			continue
		}
		for _, day := range list(ld(t, s, name)["subjectOf"]) {
			dayURL := locationURL(day)
			if dayURL == "" {
				t.Errorf("%s: the day %v has no address", name, day["name"])
				continue
			}
			for _, p := range list(day["performer"]) {
				n++
				page := strings.TrimPrefix(fmt.Sprint(p["url"]), base) + "index.html"
				if s.Files[page] == nil {
					t.Errorf("%s: performer %v of %s has no page", name, p["name"], day["name"])
					continue
				}
				var days []string
				for _, e := range list(ld(t, s, page)["performerIn"]) {
					days = append(days, locationURL(e))
				}
				if !slices.Contains(days, dayURL) {
					t.Errorf("%s: %v is a performer of %s (%s), but spoke on %v", name, p["name"], day["name"], dayURL, days)
				}
			}
		}
	}
	return n
}

func TestHeadTagsAndFiles(t *testing.T) {
	_, s := buildRealSite(t, "--base-url", "https://example.org/icc/")
	page := string(s.Files["speakers/pia-laurila/index.html"])
	for _, want := range []string{
		`<link rel=canonical href=https://example.org/icc/speakers/pia-laurila/>`,
		`<meta property="og:url" content="https://example.org/icc/speakers/pia-laurila/">`,
		`<meta name=twitter:card content="summary_large_image">`,
		`<meta property="og:image:width" content="1200">`,
		`<meta name=description content="Pia Laurila, of DG REGIO, presented the European Urban Initiative.">`,
		`type=application/atom+xml`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the speaker page lacks %s", want)
		}
	}
	// Every page has an absolute og:image: here the social card drawn for it.
	card := regexp.MustCompile(`<meta property="og:image" content="https://example.org/icc/(speakers/pia-laurila/card\.[0-9a-f]{10}\.png)">`).FindStringSubmatch(page)
	if card == nil {
		t.Errorf("the speaker page has no social card: %s", page)
	} else if cfg, err := png.DecodeConfig(bytes.NewReader(s.Files[card[1]])); err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("the card %s is not a 1200 x 630 PNG: %+v %v", card[1], cfg, err)
	}
	for _, f := range []string{"sitemap.xml", "atom.xml", "robots.txt", "404.html", "search-index.js", "search/index.html"} {
		if s.Files[f] == nil {
			t.Errorf("%s is missing", f)
		}
	}
	if !strings.Contains(string(s.Files["robots.txt"]), "Sitemap: https://example.org/icc/sitemap.xml") {
		t.Errorf("robots.txt = %s", s.Files["robots.txt"])
	}
	// Without a base URL, no absolute address anywhere.
	_, plain := buildRealSite(t)
	for name, b := range plain.Files {
		if strings.Contains(string(b), "example.org/icc") || strings.Contains(string(b), "og:url") || strings.Contains(string(b), "og:image") || strings.HasSuffix(name, ".png") {
			t.Errorf("%s has an absolute address without a base URL", name)
		}
	}
	if plain.Files["sitemap.xml"] != nil || plain.Files["atom.xml"] != nil {
		t.Error("sitemap or feed written without a base URL")
	}
}

// TestPageWeight keeps a typical page (HTML, CSS and scripts it loads) under 30 KB.
func TestPageWeight(t *testing.T) {
	_, s := buildRealSite(t)
	for _, page := range []string{"speakers/pia-laurila/index.html", "days/day-5/index.html", "index.html"} {
		total := len(s.Files[page])
		for _, l := range s.Links[page] {
			if l.Internal() && (strings.HasSuffix(l.Target, ".css") || strings.HasSuffix(l.Target, ".js")) {
				total += len(s.Files[l.Target])
			}
		}
		t.Logf("%s: %d bytes with its CSS and scripts", page, total)
		if total > 30*1024 {
			t.Errorf("%s weighs %d bytes with its CSS and scripts, more than 30 KB", page, total)
		}
	}
}

// TestAccessibility runs axe-core on every kind of page at phone and desktop widths, in light
// and dark mode, under a sub-path, and fails on any WCAG 2.1 A or AA violation. It also
// checks that nothing scrolls sideways at 320 pixels and that search finds pages.
func TestAccessibility(t *testing.T) {
	axe := browsertest.AxeScript(t)
	out, _ := buildRealSite(t, "--base-url", "https://example.org"+prefix)
	base := serveUnderPrefix(t, out)
	bctx := browsertest.New(t)
	pages := []string{"", "days/", "days/day-5/", "speakers/", "speakers/pia-laurila/", "initiatives/",
		"initiatives/climate-neutral-smart-cities-mission/", "organisations/", "organisations/dg-grow/", "search/?q=green+city", "no/such/page/"}
	for _, width := range []int64{320, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
			emulate(t, ctx, width, scheme)
			for _, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				for _, v := range axeViolations(t, ctx, axe) {
					t.Errorf("%s at %dpx, %s: %s", p, width, scheme, v)
				}
				if width == 320 {
					wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
					if wide {
						t.Errorf("%s scrolls sideways at 320px", p)
					}
				}
			}
			cancel()
		}
	}
	// Search finds pages by words, ranked, with snippets, under the sub-path.
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"search/?q=green+city+accord")); err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#search-results li a")||{}).textContent || ""`))
	if err != nil || first != "Green City Accord" {
		t.Errorf("first result for 'green city accord' = %q, %v", first, err)
	}
	href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#search-results li a").href`))
	if href != base+"initiatives/green-city-accord/" {
		t.Errorf("result link = %s", href)
	}
	// The first snippet marks every word of the query it shows, and is cut between words.
	marks, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results li:first-child mark")).map(m => m.textContent.toLowerCase())`))
	for _, w := range []string{"green", "city", "accord"} {
		if !slices.Contains(marks, w) {
			t.Errorf("the first snippet marks %q, not %q", marks, w)
		}
	}
	snip, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#search-results li:first-child p").textContent.replace(/^… /, "").replace(/ …$/, "")`))
	if err := chromedp.Do(ctx, chromedp.Navigate(href)); err != nil {
		t.Fatal(err)
	}
	// The heading self-links ("#") are not text of the page: a snippet may run across a heading.
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll("main .prose .heading-anchor").forEach(a => a.remove()), document.querySelector("main .prose").innerText.replace(/\s+/g, " ")`))
	whole := snip != "" && strings.Contains(" "+text+" ", " "+snip+" ")
	if !whole {
		t.Error("the first snippet is not cut between words")
	}
}

// TestFromDisk opens the --file-urls build straight from the file system: links end in
// index.html and search works offline.
func TestFromDisk(t *testing.T) {
	out, _ := buildRealSite(t, "--file-urls")
	bctx := browsertest.New(t)
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(out, "search", "index.html")+"?q=skills")); err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#search-results li a")||{}).href || ""`))
	if err != nil || href != "file://"+filepath.Join(out, "initiatives", "pact-for-skills", "index.html") {
		t.Errorf("first result from disk = %q, %v", href, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(href)); err != nil {
		t.Fatal(err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if !strings.HasPrefix(title, "Pact for Skills") {
		t.Errorf("following the result from disk gave %q", title)
	}
}

// httpGet fetches url and returns its status and body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestAttendanceFromParams: how people attended, and where, come from the site's params,
// on the home page and in the structured data of the event and of each day.
func TestAttendanceFromParams(t *testing.T) {
	cases := []struct {
		attendance, mode, location string
		online                     bool
	}{
		{"online", "https://schema.org/OnlineEventAttendanceMode", "VirtualLocation", true},
		{"offline", "https://schema.org/OfflineEventAttendanceMode", "Place", false},
	}
	for _, tc := range cases {
		t.Run(tc.attendance, func(t *testing.T) {
			_, s := buildRealSiteWith(t, map[string]func(string) string{
				"content/_index.md": func(s string) string {
					out := strings.Replace(s, "\n  attendance: online\n", "\n  attendance: "+tc.attendance+"\n  venue: Square Meeting Centre\n  address: Brussels\n", 1)
					if out == s {
						t.Fatal("content/_index.md has no attendance: online line")
					}
					return out
				},
			}, "--base-url", "https://example.org/icc/")
			for _, page := range []string{"index.html", "days/day-2/index.html"} {
				ev := ld(t, s, page)
				loc, _ := ev["location"].(map[string]any)
				if ev["eventAttendanceMode"] != tc.mode || loc["@type"] != tc.location {
					t.Errorf("%s: attendance %v at %v, want %s at a %s", page, ev["eventAttendanceMode"], ev["location"], tc.mode, tc.location)
				}
				if tc.location == "Place" && (loc["name"] != "Square Meeting Centre" || loc["address"] != "Brussels") {
					t.Errorf("%s: place %v", page, loc)
				}
			}
			if got := strings.Contains(string(s.Files["index.html"]), "Online ·"); got != tc.online {
				t.Errorf("the home page says Online: %v, want %v", got, tc.online)
			}
		})
	}
}
