package markdown

import (
	"github.com/icc-recap/recap/generator/diag"
	"strings"
	"testing"
)

func convert(t *testing.T, opts Options, body string) *Doc {
	t.Helper()
	return New(opts).Convert(Input{Source: "content/days/day-1.md", URL: "days/day-1/", Body: []byte(body), BodyLine: 5})
}

func TestLinksAreRewritten(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		file   bool
		want   string // substring of the HTML
		target string // recorded link target, "" for none
		frag   string
	}{
		{"same section", "[x](day-2.md)", false, `<a href="../day-2/">x</a>`, "content/days/day-2.md", ""},
		{"other section", "[x](../speakers/pia.md)", false, `<a href="../../speakers/pia/">x</a>`, "content/speakers/pia.md", ""},
		{"fragment", "[x](../speakers/pia.md#role)", false, `<a href="../../speakers/pia/#role">x</a>`, "content/speakers/pia.md", "role"},
		{"section index", "[x](../speakers/_index.md)", false, `<a href="../../speakers/">x</a>`, "content/speakers/_index.md", ""},
		{"home", "[x](../_index.md)", true, `<a href="../../index.html">x</a>`, "content/_index.md", ""},
		{"file urls", "[x](day-2.md)", true, `<a href="../day-2/index.html">x</a>`, "content/days/day-2.md", ""},
		{"static image", "![a map](../../static/img/map.png)", false, `<img src="../../img/map.png" alt="a map">`, "static/img/map.png", ""},
		{"own fragment", "[x](#intro)", false, `<a href="#intro">x</a>`, "content/days/day-1.md", "intro"},
		{"escaped name", "[x](My%20Page.md)", false, `<a href="../my-page/">x</a>`, "content/days/My Page.md", ""},
		{"external untouched", "[x](https://example.org/a.md)", false, `<a href="https://example.org/a.md">x</a>`, "", ""},
		{"mailto untouched", "[x](mailto:a@example.org)", false, `<a href="mailto:a@example.org">x</a>`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convert(t, Options{FileURLs: tt.file}, tt.body)
			if len(doc.Diags) > 0 {
				t.Fatalf("diagnostics: %v", doc.Diags)
			}
			if !strings.Contains(string(doc.HTML), tt.want) {
				t.Errorf("HTML %s\ndoes not contain %s", doc.HTML, tt.want)
			}
			switch {
			case tt.target == "" && len(doc.Links) > 0:
				t.Errorf("recorded links %v, want none", doc.Links)
			case tt.target != "" && (len(doc.Links) != 1 || doc.Links[0].Target != tt.target || doc.Links[0].Fragment != tt.frag):
				t.Errorf("recorded links %+v, want target %s fragment %q", doc.Links, tt.target, tt.frag)
			}
		})
	}
}

func TestLinkPositions(t *testing.T) {
	doc := convert(t, Options{}, "Intro line.\n\nSee [Pia](../speakers/pia.md) and\n[Ulla](../speakers/ulla.md#x).\n")
	if len(doc.Links) != 2 {
		t.Fatalf("links = %+v", doc.Links)
	}
	// The body starts on line 5 of the file.
	if got := doc.Links[0].Pos.String(); got != "content/days/day-1.md:7:11" {
		t.Errorf("first link at %s", got)
	}
	if got := doc.Links[1].Pos.String(); got != "content/days/day-1.md:8:8" {
		t.Errorf("second link at %s", got)
	}
}

func TestBadLinks(t *testing.T) {
	tests := []struct{ body, want string }{
		{"[x](../../../etc/passwd)", `content/days/day-1.md:5:5: the link "../../../etc/passwd" leaves the site: link to a file inside the repository`},
		{"[x](../../go.mod)", `content/days/day-1.md:5:5: the link "../../go.mod" points at go.mod, which is neither a page (a .md file under content/) nor a file under static/: link to one of those`},
	}
	for _, tt := range tests {
		doc := convert(t, Options{}, tt.body)
		if len(doc.Diags) != 1 || doc.Diags[0].Error() != tt.want {
			t.Errorf("%s: diagnostics %v, want %s", tt.body, doc.Diags, tt.want)
		}
	}
}

func TestUnsafeContentNeverReachesThePage(t *testing.T) {
	body := "[a](javascript:alert(1)) ![b](vbscript:x) <script>alert(2)</script>\n\n<iframe src=x></iframe>\n"
	html := string(convert(t, Options{}, body).HTML)
	for _, bad := range []string{"javascript:", "vbscript:", "<script", "<iframe"} {
		if strings.Contains(html, bad) {
			t.Errorf("%q reached the page: %s", bad, html)
		}
	}
	raw := string(convert(t, Options{RawHTML: true}, "<b>bold</b>\n").HTML)
	if !strings.Contains(raw, "<b>bold</b>") {
		t.Errorf("raw HTML turned on, but the page has %s", raw)
	}
}

func TestExtensionsAndCollections(t *testing.T) {
	body := "First *paragraph* with `code`.\n\n## The Agenda\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: A note.\n\n### Custom {#custom-id}\n"
	doc := convert(t, Options{}, body)
	html := string(doc.HTML)
	for _, want := range []string{"<table>", `<h2 id="the-agenda">`, `type="checkbox"`, "<del>old</del>", "&ldquo;quoted&rdquo;", `class="footnotes"`, `<h3 id="custom-id">`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s:\n%s", want, html)
		}
	}
	if doc.Summary != "First paragraph with code." {
		t.Errorf("summary = %q", doc.Summary)
	}
	if len(doc.Headings) != 2 || doc.Headings[0].ID != "the-agenda" || doc.Headings[0].Text != "The Agenda" || doc.Headings[1].Level != 3 {
		t.Errorf("headings = %+v", doc.Headings)
	}
	if !doc.Anchors["the-agenda"] || !doc.Anchors["custom-id"] {
		t.Errorf("anchors = %v", doc.Anchors)
	}
	if doc.WordCount < 8 {
		t.Errorf("word count = %d", doc.WordCount)
	}
}

func TestImagesNeedAltTextAndHeadingsLinkToThemselves(t *testing.T) {
	doc := convert(t, Options{}, "## Agenda\n\n![](../../static/a.png) ![a map](../../static/b.png) ![\"\"](../../static/rule.svg)\n")
	if len(doc.Diags) != 1 || doc.Diags[0].Error() != `content/days/day-1.md:7:5: the image has no alternative text: describe it between the brackets, ![what it shows](...), for readers who cannot see it; an image that only decorates (says nothing the text does not) is written ![""](...)` {
		t.Errorf("diags = %v", doc.Diags)
	}
	if !strings.Contains(doc.HTML, `<img src="../../rule.svg" alt="">`) {
		t.Errorf("a decorative image should have an empty alt: %s", doc.HTML)
	}
	if !strings.Contains(strings.ReplaceAll(string(doc.HTML), "\n", ""), `<div class="heading"><h2 id="agenda">Agenda</h2><a href="#agenda" class="heading-anchor" aria-label="Link to this section: Agenda">#</a></div>`) {
		t.Errorf("HTML = %s", doc.HTML)
	}
	if doc.Headings[0].Text != "Agenda" || strings.Contains(doc.PlainText, "#") {
		t.Errorf("the anchor leaked into the text: %q %q", doc.Headings[0].Text, doc.PlainText)
	}
}

func TestHeadingAnchorsHaveAnAccessibleName(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // the heading's HTML; "" for a heading without a self-link
		text       string // the heading's text
	}{
		{"level 2", "## Agenda", `<div class="heading"><h2 id="agenda">Agenda</h2><a href="#agenda" class="heading-anchor" aria-label="Link to this section: Agenda">#</a></div>`, "Agenda"},
		{"level 4", "#### Q &amp; A", `<div class="heading"><h4 id="q-amp-a">Q &amp; A</h4><a href="#q-amp-a" class="heading-anchor" aria-label="Link to this section: Q &amp; A">#</a></div>`, "Q & A"},
		{"typographer", `## The Commission's "expert" session`, `<div class="heading"><h2 id="the-commissions-expert-session">The Commission&rsquo;s &ldquo;expert&rdquo; session</h2><a href="#the-commissions-expert-session" class="heading-anchor" aria-label="Link to this section: The Commission’s “expert” session">#</a></div>`, "The Commission’s “expert” session"},
		{"markup in the heading", "## The *green* `deal` [link](day-2.md)", `<div class="heading"><h2 id="the-green-deal-linkday-2md">The <em>green</em> <code>deal</code> <a href="../day-2/">link</a></h2><a href="#the-green-deal-linkday-2md" class="heading-anchor" aria-label="Link to this section: The green deal link">#</a></div>`, "The green deal link"},
		{"custom id", "## Day one {#d1}", `<div class="heading"><h2 id="d1">Day one</h2><a href="#d1" class="heading-anchor" aria-label="Link to this section: Day one">#</a></div>`, "Day one"},
		{"level 1 has none", "# Title", `<h1 id="title">Title</h1>`, "Title"},
		{"level 5 has none", "##### Small", `<h5 id="small">Small</h5>`, "Small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convert(t, Options{}, tt.body+"\n\nText.\n")
			if !strings.Contains(strings.ReplaceAll(string(doc.HTML), "\n", ""), tt.want) {
				t.Errorf("HTML %s\nlacks %s", doc.HTML, tt.want)
			}
			if len(doc.Headings) != 1 || doc.Headings[0].Text != tt.text {
				t.Errorf("headings = %+v, want text %q", doc.Headings, tt.text)
			}
			if want := tt.text + " Text."; doc.PlainText != want {
				t.Errorf("plain text = %q, want %q", doc.PlainText, want)
			}
		})
	}
}

func TestPlainTextHoldsCharactersNotEntities(t *testing.T) {
	tests := []struct {
		name    string
		heading string // the Markdown after "## "
		toc     string // the heading's text, as the table of contents shows it
		body    string // a paragraph
		plain   string // the page's plain text
	}{
		{"apostrophe", "The Commission's expert session", "The Commission’s expert session", "Pia's talk", "The Commission’s expert session Pia’s talk"},
		{"double quotes", `A "smart" city`, "A “smart” city", `She said "go".`, "A “smart” city She said “go”."},
		{"single quotes", "The 'green' deal", "The ‘green’ deal", "'x'", "The ‘green’ deal ‘x’"},
		{"dashes", "Day 1 -- Day 2 --- more", "Day 1 – Day 2 — more", "10--12", "Day 1 – Day 2 — more 10–12"},
		{"ellipsis", "Wait...", "Wait…", "and so on...", "Wait… and so on…"},
		{"ampersand reference", "Research &amp; innovation", "Research & innovation", "R&amp;D", "Research & innovation R&D"},
		{"bare ampersand", "Q & A", "Q & A", "a & b", "Q & A a & b"},
		{"numeric references", "Caf&#233; &#x2014; bar", "Café — bar", "&copy; EU", "Café — bar © EU"},
		{"backslash escapes", `\*not emphasis\*`, "*not emphasis*", `\&amp; stays`, "*not emphasis* &amp; stays"},
		{"code span kept as written", "The `&amp;` entity", "The &amp; entity", "`a--b`", "The &amp; entity a--b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convert(t, Options{}, "## "+tt.heading+"\n\n"+tt.body+"\n")
			if len(doc.Headings) != 1 {
				t.Fatalf("headings = %+v", doc.Headings)
			}
			if got := doc.Headings[0].Text; got != tt.toc {
				t.Errorf("heading text = %q, want %q", got, tt.toc)
			}
			if doc.PlainText != tt.plain {
				t.Errorf("plain text = %q, want %q", doc.PlainText, tt.plain)
			}
			if doc.Summary != strings.TrimPrefix(tt.plain, tt.toc+" ") {
				t.Errorf("summary = %q, want the paragraph of %q", doc.Summary, tt.plain)
			}
		})
	}
}

func TestCountWordsMatchesFields(t *testing.T) {
	for _, s := range []string{"", " ", "one", " two  words ", "tab\tand\nnew line", "non\u00a0breaking\u2003em space", "ünïcödé wörds, 日本語 テキスト", "\v\f\r x"} {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, strings.Fields finds %d", s, got, want)
		}
	}
}

func TestPlainTextJoinsBlocks(t *testing.T) {
	c := New(Options{})
	for _, tt := range []struct{ body, text, summary string }{
		{"# Head\n\nFirst *para*.\n\n- one\n- two\n\n> quoted\n> text\n", "Head First para. one two quoted text", "First para."},
		{"```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "a b 1 2", ""},
		{"- \n- x\n\n  \n\nLast.", "x Last.", "Last."},
	} {
		doc := c.Convert(Input{Source: "content/a.md", URL: "a/", Body: []byte(tt.body), BodyLine: 1})
		if doc.PlainText != tt.text || doc.Summary != tt.summary {
			t.Errorf("%q: text %q summary %q, want %q and %q", tt.body, doc.PlainText, doc.Summary, tt.text, tt.summary)
		}
	}
}

func TestLineColResumesWhereItStopped(t *testing.T) {
	src := []byte("ab\ncdé\n\nfghij ü x\nlast")
	for _, offs := range [][]int{
		{0, 1, 2, 3, 4, 7, 9, 10, 16, 21, 100},
		{21, 3, 10, 9, 0, 16},
		{5, 5, 6, 12, 12, 2},
	} {
		var st state
		for _, off := range offs {
			l, c := st.lineCol(src, off)
			wl, wc := diag.LineCol(src, off)
			if l != wl || c != wc {
				t.Errorf("offsets %v: at %d got %d:%d, want %d:%d", offs, off, l, c, wl, wc)
			}
		}
	}
}

func TestWithoutAnchors(t *testing.T) {
	doc := New(Options{}).Convert(Input{Source: "content/a.md", URL: "a/", Body: []byte("## Agenda\n\nSee [the agenda](#agenda).\n"), BodyLine: 1})
	got := WithoutAnchors(doc.HTML)
	if strings.Contains(got, AnchorClass) || !strings.Contains(got, `<h2 id="agenda">Agenda</h2>`) || !strings.Contains(got, `<a href="#agenda">the agenda</a>`) {
		t.Errorf("WithoutAnchors(%s) = %s: want the heading and the body's own link, without the self-link", doc.HTML, got)
	}
}
