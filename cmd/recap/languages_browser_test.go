package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/icc-recap/recap/internal/browsertest"
)

// TestLanguagesInTheBrowser builds the repository's site under a sub-path, with the base URL
// the test server answers at, and reads its languages in Chromium: the language switcher
// works by keyboard alone and leads to the same page in the other language, or to that
// language's home page where the page is not translated; screen readers get its name, the
// language of each entry and which one is current; every hreflang alternate of every page
// resolves under the sub-path, names the page in that language and is named back by it,
// with x-default the default language's page; and axe-core finds nothing wrong with French
// and German pages, German ones whose links fall back to English included.
func TestLanguagesInTheBrowser(t *testing.T) {
	axe := browsertest.AxeScript(t)
	out := filepath.Join(t.TempDir(), "public")
	base := serveUnderPrefix(t, out)
	if code, _, stderr := runCmd(t, "build", "--source", "../..", "--out", out, "--base-url", base); code != 0 {
		t.Fatalf("recap build exited %d:\n%s", code, stderr)
	}
	langs := realSiteLanguages(t)
	if !slices.Contains(langs.others, "fr") || !slices.Contains(langs.others, "de") {
		t.Fatalf("the real site's languages are %s and %v, not English, French and German", langs.def, langs.others)
	}
	bctx := browsertest.New(t)
	tr := func(lang, key string) string {
		t.Helper()
		s, err := langs.strings.T(lang, key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("switcher by keyboard", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
		defer cancel()
		for _, c := range []struct{ from, to, want string }{
			{"days/day-5/", "fr", "fr/days/day-5/"},
			{"fr/days/day-5/", "de", "de/days/day-5/"},
			{"de/days/day-5/", "en", "days/day-5/"},
			{"de/days/", "fr", "fr/days/"},
			{"fr/", "en", ""},
			// Not translated into German: the German entry leads to the German home page.
			{"speakers/pia-laurila/", "de", "de/"},
			{"fr/speakers/pia-laurila/", "de", "de/"},
			{"fr/initiatives/pact-for-skills/", "de", "de/"},
		} {
			if c.to == "de" && c.want == "de/" && exists(filepath.Join(out, filepath.FromSlash(langs.prefix("de")+strings.TrimPrefix(c.from, "fr/")), "index.html")) {
				t.Fatalf("%s is translated into German now: choose a page that is not", c.from)
			}
			navigate(t, ctx, base+c.from)
			sel := `nav.languages a[hreflang="` + c.to + `"]`
			if !tabTo(t, ctx, sel) {
				t.Errorf("%s: Tab never reaches the switcher's %s entry", c.from, c.to)
				continue
			}
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
				t.Fatal(err)
			}
			want := base + c.want
			waitFor(t, ctx, c.from+" -> "+c.to, `location.href === `+jsString(want)+` && document.readyState === "complete"`)
			lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if lang != c.to {
				t.Errorf("%s -> %s: the page reached says <html lang=%q>", c.from, c.to, lang)
			}
		}
	})

	t.Run("switcher for screen readers", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(bctx, time.Minute)
		defer cancel()
		all := append([]string{langs.def}, langs.others...)
		for _, page := range []string{"days/day-5/", "fr/days/day-5/", "de/days/day-5/", "fr/speakers/pia-laurila/", "speakers/", "de/"} {
			lang := langs.of(page)
			navigate(t, ctx, base+page)
			nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("nav.languages")))
			if err != nil || len(nodes) != 1 {
				t.Errorf("%s: %d language switchers, want 1 (%v)", page, len(nodes), err)
				continue
			}
			ax, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{BackendNodeID: nodes[0].BackendNodeID})
			if err != nil {
				t.Fatal(err)
			}
			var navName string
			var links []string
			for _, n := range ax.Nodes {
				if n.Ignored || n.Role == nil {
					continue
				}
				switch strings.Trim(string(n.Role.Value), `"`) {
				case "navigation":
					navName = axString(n.Name)
				case "link":
					links = append(links, axString(n.Name))
				}
			}
			if want := tr(lang, "languages"); navName != want {
				t.Errorf("%s: the switcher is a navigation named %q, want %q", page, navName, want)
			}
			if len(links) != len(all) {
				t.Errorf("%s: the switcher has the links %q, want one per language %v", page, links, all)
				continue
			}
			type entry struct {
				Hreflang, Lang, Current, Href string
			}
			var entries []entry
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(Array.from(document.querySelectorAll("nav.languages a")).map(a => ({Hreflang: a.getAttribute("hreflang") || "", Lang: (a.querySelector("[lang]") || {}).lang || "", Current: a.getAttribute("aria-current") || "", Href: a.href})))`))
			if err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal([]byte(raw), &entries)
			currents := 0
			for i, code := range all {
				e := entries[i]
				name := tr(code, "language_name")
				if e.Hreflang != code || e.Lang != code {
					t.Errorf("%s: entry %d is hreflang=%q with its name in lang=%q, want %s", page, i+1, e.Hreflang, e.Lang, code)
				}
				if !strings.HasPrefix(links[i], name) {
					t.Errorf("%s: the %s entry is read as %q, which does not start with %q", page, code, links[i], name)
				}
				// An entry that leads to the language's home page, not to this page, says so.
				home := base + langs.prefix(code)
				if e.Href == home && page != langs.prefix(langs.of(page)) && !strings.Contains(links[i], tr(lang, "home_page")) {
					t.Errorf("%s: the %s entry leads to its home page but is read as %q, without %q", page, code, links[i], tr(lang, "home_page"))
				}
				if e.Current != "" {
					currents++
					if e.Current != "page" || code != lang {
						t.Errorf("%s: the %s entry has aria-current=%q; only the page's own language, %s, is current", page, code, e.Current, lang)
					}
				}
			}
			if currents != 1 {
				t.Errorf("%s: %d entries marked current, want 1", page, currents)
			}
		}
	})

	t.Run("hreflang alternates", func(t *testing.T) {
		pages, _ := pageAddresses(t, out, base)
		type head struct {
			Lang string
			Alts [][2]string
		}
		heads := map[string]head{}
		ctx, cancel := context.WithTimeout(bctx, 3*time.Minute)
		defer cancel()
		for _, p := range pages {
			navigate(t, ctx, p)
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({Lang: document.documentElement.lang, Alts: Array.from(document.querySelectorAll('link[rel="alternate"][hreflang]')).map(l => [l.hreflang, l.href])})`))
			if err != nil {
				t.Fatal(err)
			}
			var h head
			if err := json.Unmarshal([]byte(raw), &h); err != nil {
				t.Fatal(err)
			}
			heads[p] = h
		}
		translated := 0
		for _, p := range pages {
			h := heads[p]
			if want := langs.of(strings.TrimPrefix(p, base)); h.Lang != want {
				t.Errorf("%s: <html lang=%q>, want %q", p, h.Lang, want)
			}
			if len(h.Alts) == 0 {
				continue // a page in one language only; no other page may name it (below)
			}
			translated++
			byLang := map[string]string{}
			for _, a := range h.Alts {
				if _, dup := byLang[a[0]]; dup {
					t.Errorf("%s: two alternates for %s", p, a[0])
				}
				byLang[a[0]] = a[1]
				if !strings.HasPrefix(a[1], base) {
					t.Errorf("%s: the alternate %s %s is not under %s", p, a[0], a[1], base)
					continue
				}
				if status, _ := httpGet(t, a[1]); status != 200 {
					t.Errorf("%s: the alternate %s %s answers %d", p, a[0], a[1], status)
				}
				if a[0] == "x-default" {
					continue
				}
				other, built := heads[a[1]]
				switch {
				case !built:
					t.Errorf("%s: the alternate %s %s is not a page of the site", p, a[0], a[1])
				case other.Lang != a[0]:
					t.Errorf("%s: the alternate %s %s is a page in %q", p, a[0], a[1], other.Lang)
				case !slices.Contains(other.Alts, [2]string{h.Lang, p}):
					t.Errorf("%s names %s as its %s version, but that page does not name it back as %s: %v", p, a[1], a[0], h.Lang, other.Alts)
				}
			}
			if byLang[h.Lang] != p {
				t.Errorf("%s: its alternates do not name the page itself for %s: %v", p, h.Lang, h.Alts)
			}
			def := byLang[langs.def]
			if x := byLang["x-default"]; x == "" || x != def {
				t.Errorf("%s: x-default is %q, want the %s page %q", p, x, langs.def, def)
			}
		}
		for _, p := range pages {
			if len(heads[p].Alts) > 0 {
				continue
			}
			for q, h := range heads {
				for _, a := range h.Alts {
					if a[1] == p {
						t.Errorf("%s names %s as an alternate, but %s names none", q, p, p)
					}
				}
			}
		}
		if translated < 40 {
			t.Errorf("only %d pages have alternates: the real site's French translations are missing", translated)
		}
	})

	t.Run("axe", func(t *testing.T) {
		// A French list and page, a German day, German pages whose links fall back to
		// English (the day's speakers, the home page's sections), and the 404 pages of both.
		pages := []string{"fr/", "fr/days/day-5/", "fr/speakers/pia-laurila/", "de/", "de/days/", "de/days/day-5/", "fr/no/such/page/", "de/no/such/page/"}
		for _, width := range []int64{320, 1280} {
			for _, scheme := range []string{"light", "dark"} {
				ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
				emulate(t, ctx, width, scheme)
				for _, p := range pages {
					navigate(t, ctx, base+p)
					if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != langs.of(p) {
						t.Errorf("%s: <html lang=%q>, want %s", p, lang, langs.of(p))
					}
					for _, v := range axeViolations(t, ctx, axe) {
						t.Errorf("%s at %dpx, %s: %s", p, width, scheme, v)
					}
				}
				cancel()
			}
		}
	})
}

// navigate loads u in the tab and waits until it has loaded.
func navigate(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

// tabTo presses Tab from the top of the page until the element that sel matches has the
// focus, and reports whether it got it.
func tabTo(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.blur(), true`)); err != nil {
		t.Fatal(err)
	}
	for range 200 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement !== null && document.activeElement.matches(`+jsString(sel)+`)`))
		if err != nil {
			t.Fatal(err)
		}
		if on {
			return true
		}
	}
	return false
}

// jsString writes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// axString returns the text of an accessibility value (names are JSON strings).
func axString(v *accessibility.Value) string {
	if v == nil {
		return ""
	}
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return string(v.Value)
	}
	return s
}

// emulate sets the tab's width and colour scheme.
func emulate(t *testing.T, ctx context.Context, width int64, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 600}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
		t.Fatal(err)
	}
}

// axeViolations runs axe-core (its source, axe) on the tab's page with the WCAG 2.1 A and
// AA rules and returns each violation as one line.
func axeViolations(t *testing.T, ctx context.Context, axe string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	var violations []string
	if err := json.Unmarshal([]byte(res), &violations); err != nil {
		t.Fatalf("axe's answer %q: %v", res, err)
	}
	return violations
}
