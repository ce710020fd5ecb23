package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/icc-recap/recap/internal/browsertest"
	"github.com/icc-recap/recap/internal/synth"
)

// searchSite builds the real site with a few words that test folding (Zoë, Straße) added to
// a page, as the reader gets it from disk (--file-urls) or served under a sub-path.
func searchSite(t *testing.T, fromDisk bool) string {
	t.Helper()
	add := func(s string) string {
		return s + "\nShe quoted Zoë Lindqvist on the Straße des 17. Juni project.\n"
	}
	var extra []string
	if fromDisk {
		extra = append(extra, "--file-urls")
	}
	out, _ := buildRealSiteWith(t, map[string]func(string) string{"content/speakers/pia-laurila.md": add}, extra...)
	if fromDisk {
		return "file://" + filepath.Join(out, "search", "index.html")
	}
	return serveUnderPrefix(t, out) + "search/"
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	for range 200 {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s: %s never held", what, cond)
}

// typeQuery clears the search box, types q and waits until the status speaks of it.
func typeQuery(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var i=document.getElementById("search-page-q"); i.value=""; i.focus(); return true})()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#search-page-q", q)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "results for "+q, `document.getElementById("search-status").textContent.indexOf("“`+strings.TrimSpace(q)+`”") >= 0`)
}

type result struct {
	Title, Section, Snippet, Heading, HeadingHref string
	Marks                                         []string
}

func results(t *testing.T, ctx context.Context) []result {
	t.Helper()
	js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(Array.from(document.querySelectorAll("#search-results li")).map(function (li) {
		var q = function (s) { var e = li.querySelector(s); return e ? e.textContent : ""; };
		var h = li.querySelector("a.result-heading");
		return {Title: q("a.result-title"), Section: q(".result-section"), Snippet: q(".result-snippet"),
			Heading: q("a.result-heading"), HeadingHref: h ? h.getAttribute("href") : "",
			Marks: Array.from(li.querySelectorAll("mark")).map(function (m) { return m.textContent; })};
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	var rs []result
	if err := json.Unmarshal([]byte(js), &rs); err != nil {
		t.Fatal(err)
	}
	return rs
}

func status(t *testing.T, ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
	return s
}

// TestSearchInTheBrowser searches the real site in Chromium, from disk and under a sub-path:
// accents and capitals, a typo, a prefix, stems, filters, headings, the keyboard, the shared
// address, and axe-core on the results.
func TestSearchInTheBrowser(t *testing.T) {
	for _, mode := range []struct {
		name     string
		fromDisk bool
	}{{"file", true}, {"sub-path", false}} {
		t.Run(mode.name, func(t *testing.T) {
			url := searchSite(t, mode.fromDisk)
			bctx := browsertest.New(t)
			ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				q, first, mark string
			}{
				{"masana", "Marta Batalla Masana", "Masana"},     // a name, in lower case
				{"MASANA", "Marta Batalla Masana", "Masana"},     // capitals
				{"zoe", "Pia Laurila", "Zoë"},                    // an accent
				{"strasse", "Pia Laurila", "Straße"},             // ß
				{"accrod", "Green City Accord", "Accord"},        // a typo (two letters swapped)
				{"laur", "Pia Laurila", "Laurila"},               // the start of a word, still being typed
				{"skill", "Pact for Skills", "Skills"},           // a stem
				{"green city acc", "Green City Accord", "Green"}, // every word, the last one a prefix
			} {
				typeQuery(t, ctx, tt.q)
				rs := results(t, ctx)
				if len(rs) == 0 || rs[0].Title != tt.first {
					t.Errorf("%q: first result %+v, want %s (status %q)", tt.q, rs, tt.first, status(t, ctx))
					continue
				}
				if !strings.Contains(strings.Join(rs[0].Marks, " ")+" "+rs[0].Title, tt.mark) {
					t.Errorf("%q: the first result marks %q, not %q", tt.q, rs[0].Marks, tt.mark)
				}
			}
			// A word that names a member of every JavaScript object is a word like any other.
			typeQuery(t, ctx, "constructor ")
			if rs, s := results(t, ctx), status(t, ctx); len(rs) != 0 || !strings.HasPrefix(s, "No page found") {
				t.Errorf("constructor (a whole word): %d results, status %q", len(rs), s)
			}
			// Four letters are too few for a typo to be forgiven.
			typeQuery(t, ctx, "gren ")
			if rs := results(t, ctx); len(rs) != 0 {
				t.Errorf("gren (a typo in a short word) found %d pages", len(rs))
			}

			// A snippet links to the heading the word is under.
			typeQuery(t, ctx, "mentor cities")
			found := false
			for _, r := range results(t, ctx) {
				if r.HeadingHref != "" && strings.Contains(r.HeadingHref, "#") {
					found = true
				}
			}
			if !found {
				t.Errorf("no result of 'mentor cities' links to a heading: %+v", results(t, ctx))
			}

			// Filters by section, with counts.
			typeQuery(t, ctx, "city")
			all := len(results(t, ctx))
			label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#search-filters button[aria-pressed="false"]')||{}).textContent||""`))
			if err != nil || label == "" {
				t.Fatalf("no section filter: %v", err)
			}
			if err := chromedp.Do(ctx, chromedp.Click(`#search-filters button[aria-pressed="false"]`)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "filter", `document.querySelector('#search-filters button[aria-pressed="true"]') && document.querySelector('#search-filters button[aria-pressed="true"]').getAttribute("data-section") !== "-1"`)
			sec := strings.TrimSpace(strings.TrimRight(label, "0123456789 "))
			rs := results(t, ctx)
			if len(rs) == 0 || len(rs) > all {
				t.Errorf("filter %s: %d results of %d", label, len(rs), all)
			}
			for _, r := range rs {
				if r.Section != sec {
					t.Errorf("filter %s shows %s of %s", sec, r.Title, r.Section)
				}
			}
			if s := status(t, ctx); !strings.Contains(s, "in "+sec) || !strings.Contains(label, strings.Fields(s)[0]) {
				t.Errorf("status %q after filter %q", s, label)
			}

			// The keyboard: / focuses the box, arrows move through results, Escape clears,
			// Enter opens the first result.
			if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.blur(); document.body.focus(); true`)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "slash", `document.activeElement.id === "search-page-q"`)
			typeQuery(t, ctx, "skills")
			for _, step := range []struct{ key, want string }{
				{kb.ArrowDown, `document.activeElement === document.querySelectorAll("#search-results a.result-title")[0]`},
				{kb.ArrowDown, `document.activeElement === document.querySelectorAll("#search-results a.result-title")[1]`},
				{kb.ArrowUp, `document.activeElement === document.querySelectorAll("#search-results a.result-title")[0]`},
				{kb.ArrowUp, `document.activeElement.id === "search-page-q"`},
				{kb.Escape, `document.getElementById("search-page-q").value === "" && document.querySelectorAll("#search-results li").length === 0`},
			} {
				if err := chromedp.Do(ctx, chromedp.KeyEvent(step.key)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "key", step.want)
			}
			if !mode.fromDisk {
				// The address says what was searched, to share it.
				// It changes once the results show and typing stops.
				typeQuery(t, ctx, "engelmann")
				waitFor(t, ctx, "address after searching engelmann", `location.search === "?q=engelmann"`)
				if err := chromedp.Do(ctx, chromedp.Navigate(url+"?q=engelmann")); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "shared address", `document.querySelectorAll("#search-results li").length > 0 && document.getElementById("search-page-q").value === "engelmann"`)
			}

			// axe-core finds nothing wrong with the results.
			typeQuery(t, ctx, "city")
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](browsertest.AxeScript(t)+";true")); err != nil {
				t.Fatal(err)
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			var violations []string
			_ = json.Unmarshal([]byte(res), &violations)
			for _, v := range violations {
				t.Errorf("axe: %s", v)
			}

			// Enter opens the first result.
			typeQuery(t, ctx, "pact for skills")
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "enter", `document.title.indexOf("Pact for Skills") === 0`)
		})
	}
}

// heldServer serves a folder over HTTP and holds back the files it is told to until they are
// let go, noting what was asked for.
type heldServer struct {
	mu      sync.Mutex
	held    map[string]bool
	release chan struct{}
	asked   map[string]bool
}

// hold holds back paths until letGo.
func (h *heldServer) hold(paths []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.held = map[string]bool{}
	for _, p := range paths {
		h.held[p] = true
	}
	h.release = make(chan struct{})
}

func (h *heldServer) letGo() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.held) > 0 {
		close(h.release)
		h.held = map[string]bool{}
	}
}

func (h *heldServer) wasAsked(p string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.asked[p]
}

func serveHeld(t *testing.T, dir string) (*heldServer, string) {
	h := &heldServer{held: map[string]bool{}, asked: map[string]bool{}}
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.asked[r.URL.Path] = true
		held, release := h.held[r.URL.Path], h.release
		h.mu.Unlock()
		if held {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		h.letGo()
		srv.Close()
	})
	return h, srv.URL + "/"
}

// TestSearchShowsTheBestPagesFirst searches the sharded index of a synthetic archive with
// the postings and page records held back. A whole word of one term needs neither. A word
// still being typed that matches several terms shows its best pages, from the heads of those
// terms, before its postings load; once they do, the count follows with the same pages, which
// are also the first of the full ranking (more results ranks every page of the postings).
func TestSearchShowsTheBestPagesFirst(t *testing.T) {
	src := t.TempDir()
	if _, err := synth.Site(src, 1500, 5); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join("..", "..", "content", "search.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "content", "search.md"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := buildSite(t, src)
	srv, base := serveHeld(t, out)
	bctx := browsertest.New(t)
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"search/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "page", `document.readyState === "complete"`)
	// The files of postings and page records, from the directory the page loaded.
	js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		var m = self.recapSearch[0].m;
		return JSON.stringify({head: m.head, text: !!m.text, files: m.p.concat(m.d.map(function (d) { return d[1]; }))});
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	var dir struct {
		Head  int
		Text  bool
		Files []int
	}
	if err := json.Unmarshal([]byte(js), &dir); err != nil {
		t.Fatal(err)
	}
	if dir.Text || dir.Head < 10 || len(dir.Files) == 0 {
		t.Fatalf("the archive's index is not sharded with the best pages of each term: %s", js)
	}
	var held []string
	for _, n := range dir.Files {
		held = append(held, "/search-index/"+strconv.Itoa(n)+".js")
	}
	srv.hold(held)
	search := func(q string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () { var i = document.getElementById("search-page-q"); i.focus(); i.value = `+jsString(q)+`; i.dispatchEvent(new Event("input")); return true })()`)); err != nil {
			t.Fatal(err)
		}
	}
	titles := func() []string {
		t.Helper()
		var ts []string
		for _, r := range results(t, ctx) {
			ts = append(ts, r.Title)
		}
		return ts
	}

	// One term: its best pages and counts are in its entry.
	search("climate")
	waitFor(t, ctx, "climate", `document.getElementById("search-status").textContent.indexOf("“climate”") >= 0`)
	if n := len(results(t, ctx)); n != 10 {
		t.Errorf("climate: %d results, want 10", n)
	}

	// Several terms (city and cities, citizens): the best pages first, then the count.
	search("cit")
	waitFor(t, ctx, "the best pages of cit", `document.getElementById("search-status").textContent === "" && document.querySelectorAll("#search-results li").length === 10`)
	early := titles()
	asked := 0
	for _, p := range held {
		if srv.wasAsked(p) {
			asked++
		}
	}
	if asked == 0 {
		t.Errorf("cit asked for no postings: the test holds back nothing it needs")
	}
	srv.letGo()
	waitFor(t, ctx, "cit counted", `document.getElementById("search-status").textContent.indexOf("“cit”") >= 0`)
	if got := titles(); !slices.Equal(got, early) {
		t.Errorf("cit: the pages changed once counted:\n%q\nthen\n%q", early, got)
	}
	// The full ranking, from every page's postings, begins with the same pages.
	if err := chromedp.Do(ctx, chromedp.Click("#search-more")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "more results", `document.querySelectorAll("#search-results li").length === 20`)
	if got := titles(); !slices.Equal(got[:10], early) {
		t.Errorf("cit: the best pages shown first\n%q\nare not the first of the full ranking\n%q", early, got)
	}

	// Enter opens the first result of what was typed, not one of the results of the search
	// before it, which still show while the postings of two words load.
	search("climate")
	waitFor(t, ctx, "climate again", `document.getElementById("search-status").textContent.indexOf("“climate”") >= 0`)
	before := titles()[0]
	srv.hold(held)
	search("green city")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); strings.HasPrefix(title, before) {
		t.Fatalf("Enter opened %q, a result of the search before", title)
	}
	srv.letGo()
	waitFor(t, ctx, "a result of green city", `document.getElementById("search-page-q") === null`)
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title + " " + document.body.textContent`))
	if strings.HasPrefix(text, before) || !strings.Contains(strings.ToLower(text), "green") || !strings.Contains(strings.ToLower(text), "city") {
		t.Errorf("Enter after green city opened %.80q", text)
	}
}
