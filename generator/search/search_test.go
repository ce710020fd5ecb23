package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/resolve"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/internal/synth"
)

func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"climate", "climate"},
		{"Masana", "masana"},
		{"Zoë", "zoe"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Æsir", "aesir"},
		{"Œuvre", "oeuvre"},
		{"Łódź", "lodz"},
		{"Søren", "soren"},
		{"économiques", "economiques"},
		{"ﬁnance", "finance"},
		{"İstanbul", "istanbul"},
		{"Þór", "thor"},
	} {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("L'économie d'après-guerre: Zoë's 3 cities (2020).")
	want := []string{"l", "economie", "d", "apres", "guerre", "zoe", "s", "3", "cities", "2020"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestCmpKeysOrdersAsJavaScript(t *testing.T) {
	// JavaScript compares UTF-16 code units: U+FF5E sorts after U+1F600 (a surrogate pair
	// starting with U+D83D).
	keys := []string{"b", "a", "ab", "\uff5e", "\U0001F600", "é", "z"}
	slices.SortFunc(keys, cmpKeys)
	want := []string{"a", "ab", "b", "z", "é", "\U0001F600", "\uff5e"}
	if !slices.Equal(keys, want) {
		t.Errorf("order %q, want %q", keys, want)
	}
}

func page(sec *site.Section, url, title, text string) *site.Page {
	p := &site.Page{Kind: site.KindPage, SectionInfo: sec, Section: sec.Name, URL: url, Title: title}
	p.SetBody(site.InMemory("", text))
	return p
}

// index is an index read back the way the script reads it.
type index struct {
	meta struct {
		N    int             `json:"n"`
		Head int             `json:"head"`
		Text int             `json:"text"`
		Sec  [][]any         `json:"sec"`
		T    [][]any         `json:"t"`
		P    []int           `json:"p"`
		D    [][]json.Number `json:"d"`
	}
	chunks map[string]map[string]json.RawMessage
	files  []File
	// file is the number of the file that holds each chunk.
	file map[string]int
}

func read(t testing.TB, ix *Index) *index {
	t.Helper()
	r := &index{chunks: map[string]map[string]json.RawMessage{}, files: ix.Files, file: map[string]int{}}
	const pre, post = "(self.recapSearch=self.recapSearch||[]).push(", ")"
	for fi, f := range ix.Files {
		s := string(f.Data)
		if !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, post) {
			t.Fatalf("%s does not register its data: %.80s", f.Name, s)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(jsToJSON(s[len(pre):len(s)-len(post)]), &obj); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for name, raw := range obj {
			if name == "m" {
				if err := json.Unmarshal(raw, &r.meta); err != nil {
					t.Fatal(err)
				}
				continue
			}
			var c map[string]json.RawMessage
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s %s: %v", f.Name, name, err)
			}
			r.chunks[name] = c
			r.file[name] = fi
		}
	}
	return r
}

// jsToJSON turns the object literals of the index into JSON: bare property names quoted,
// single-quoted strings double-quoted.
func jsToJSON(s string) []byte {
	var out []byte
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for s[j] != c {
				if s[j] == '\\' {
					switch s[j+1] {
					case '\'', '"', '\\':
						b.WriteByte(s[j+1])
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'x':
						var v int
						fmt.Sscanf(s[j+2:j+4], "%x", &v)
						b.WriteByte(byte(v))
						j += 2
					case 'u':
						var v int
						fmt.Sscanf(s[j+2:j+6], "%x", &v)
						b.WriteRune(rune(v))
						j += 4
					}
					j += 2
					continue
				}
				b.WriteByte(s[j])
				j++
			}
			q, _ := json.Marshal(b.String())
			out = append(out, q...)
			i = j + 1
		case (c == '{' || c == ',') && i+1 < len(s) && s[i+1] != '"' && s[i+1] != '\'' && s[i+1] != '[' && s[i+1] != '{' && s[i+1] != '}' && strings.IndexByte(s[i+1:], ':') > 0:
			j := i + 1
			for j < len(s) && s[j] != ':' && s[j] != ',' && s[j] != ']' && s[j] != '}' {
				j++
			}
			if j < len(s) && s[j] == ':' && c == '{' || j < len(s) && s[j] == ':' && !strings.ContainsAny(s[i+1:j], "[]") {
				key := s[i+1 : j]
				if f, err := strconv.ParseFloat(key, 64); err == nil {
					key = strconv.FormatFloat(f, 'f', -1, 64)
				}
				q, _ := json.Marshal(key)
				out = append(out, c)
				out = append(out, q...)
				i = j
				continue
			}
			out = append(out, c)
			i++
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}

// entry finds a key as the script does: in the last term chunk whose first key is <= it.
func (r *index) entry(key string) json.RawMessage {
	at := 0
	for i, t := range r.meta.T {
		if cmpKeys(t[0].(string), key) <= 0 {
			at = i
		}
	}
	return r.chunks[fmt.Sprintf("t%d", at)][key]
}

// terms returns the terms a word leads to.
func (r *index) terms(word string) []string {
	raw := r.entry(word)
	if raw == nil {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.Fields(s)
	}
	var e []json.RawMessage
	_ = json.Unmarshal(raw, &e)
	out := []string{word}
	if len(e) > 5 {
		_ = json.Unmarshal(e[5], &s)
		out = append(out, strings.Fields(s)...)
	}
	return out
}

// pages returns the pages of a term, with their impact.
func (r *index) pages(t testing.TB, term string) map[int]int {
	var e []json.RawMessage
	if err := json.Unmarshal(r.entry(term), &e); err != nil {
		t.Fatalf("%s: %v", term, err)
	}
	out := map[int]int{}
	var tailF []float64
	_ = json.Unmarshal(e[4], &tailF)
	tail := make([]int, len(tailF))
	for i, f := range tailF {
		tail[i] = int(f)
	}
	if len(tail) == 0 {
		var head [][]any
		_ = json.Unmarshal(e[3], &head)
		for _, c := range head {
			out[int(c[0].(float64))] = int(c[1].(float64))
		}
		return out
	}
	var s strings.Builder
	for i := tail[0]; i < tail[1]; i++ {
		var part string
		_ = json.Unmarshal(r.chunks[fmt.Sprintf("p%d", i)][term], &part)
		s.WriteString(part)
	}
	enc := s.String()
	doc := -1
	for i := 0; i < len(enc); {
		gap, shift := 0, 0
		for {
			d := strings.IndexByte(digits, enc[i])
			i++
			if d < 32 {
				gap += d << shift
				break
			}
			gap += (d - 32) << shift
			shift += 5
		}
		doc += gap
		out[doc] = strings.IndexByte(digits, enc[i])
		i++
	}
	var df float64
	_ = json.Unmarshal(e[0], &df)
	if int(df) != len(out) {
		t.Errorf("%s: df %d, %d pages in its postings", term, int(df), len(out))
	}
	return out
}

// urls returns the page number of each address, from the page records.
func (r *index) urls(t testing.TB) map[string]int {
	out := map[string]int{}
	for i, d := range r.meta.D {
		var recs struct{ R [][]any }
		if err := json.Unmarshal(r.chunks[fmt.Sprintf("d%d", i)]["r"], &recs.R); err != nil {
			t.Fatal(err)
		}
		first, _ := d[0].Float64()
		for k, rec := range recs.R {
			out[rec[0].(string)] = int(first) + k
		}
	}
	return out
}

// findsEveryPageByItsWords checks that every word of every page's title and text leads to
// that page.
func findsEveryPageByItsWords(t *testing.T, r *index, pages []*site.Page) {
	t.Helper()
	urls := r.urls(t)
	cache := map[string]map[int]int{}
	termsOf := map[string][]string{}
	misses := 0
	for _, p := range pages {
		if p.Unlisted {
			continue
		}
		doc, ok := urls[p.URL]
		if !ok {
			t.Fatalf("no record of %s", p.URL)
		}
		for _, w := range Words(p.Title + " " + p.PlainText()) {
			found := false
			ts, ok := termsOf[w]
			if !ok {
				ts = r.terms(w)
				termsOf[w] = ts
			}
			for _, term := range ts {
				ps, ok := cache[term]
				if !ok {
					ps = r.pages(t, term)
					cache[term] = ps
				}
				if _, in := ps[doc]; in {
					found = true
				}
			}
			if !found && misses < 10 {
				misses++
				t.Errorf("%q does not find %s (terms %q)", w, p.URL, r.terms(w))
			}
		}
	}
}

func TestSmallSiteIsOneFileWithWholeTexts(t *testing.T) {
	sec := &site.Section{Name: "people", Title: "People", URL: "people/"}
	pages := []*site.Page{
		page(sec, "people/zoe/", "Zoë Lindqvist", "Zoë chairs the meetings of the Straße committee. Meeting notes follow."),
		page(sec, "people/marta/", "Marta Batalla Masana", "Marta spoke about cities and a city's mission."),
		page(sec, "people/hastings/", "Ann Hastings", "Hastings presented the findings."),
	}
	pages[0].Headings = []site.Heading{{Level: 2, ID: "notes", Text: "Meeting notes"}}
	ix := Build("en", pages, Options{})
	if len(ix.Files) != 1 || ix.Files[0].Name != Entry || ix.Level != 0 {
		t.Fatalf("files %d, level %d: a three-page site fits one file with whole texts", len(ix.Files), ix.Level)
	}
	r := read(t, ix)
	if r.meta.N != 3 || r.meta.Text != 1 {
		t.Errorf("meta %+v", r.meta)
	}
	for _, tt := range []struct {
		word  string
		terms []string
	}{
		{"zoe", []string{"zoe"}},
		{"strasse", []string{"strasse"}},
		{"meetings", []string{"meet"}}, // stemmed
		{"cities", []string{"citi"}},
		{"city", []string{"citi"}},
		{"hastings", []string{"hastings"}}, // a name: never in lower case, so not stemmed
		{"masana", []string{"masana"}},
	} {
		if got := r.terms(tt.word); !slices.Equal(got, tt.terms) {
			t.Errorf("%q leads to %q, want %q", tt.word, got, tt.terms)
		}
	}
	findsEveryPageByItsWords(t, r, pages)
	// The title weighs more than the text: Masana's page ranks first for "marta" even
	// though... it is the only one; Hastings's page is first for "hastings".
	ps := r.pages(t, "hastings")
	if len(ps) != 1 {
		t.Errorf("hastings pages %v", ps)
	}
}

func TestFrenchIsStemmedInFrench(t *testing.T) {
	sec := &site.Section{Name: "jours", Title: "Jours", URL: "jours/"}
	pages := []*site.Page{page(sec, "jours/1/", "Premier jour", "Les villes européennes présentent leurs stratégies économiques. Une ville, des villes.")}
	r := read(t, Build("fr", pages, Options{}))
	for _, w := range []string{"villes", "ville"} {
		if got := r.terms(w); !slices.Equal(got, []string{"vill"}) {
			t.Errorf("%q leads to %q, want the French stem vill", w, got)
		}
	}
	if got := r.terms("economiques"); len(got) != 1 || got[0] != "econom" {
		t.Errorf("economiques leads to %q", got)
	}
	findsEveryPageByItsWords(t, r, pages)
}

func TestTitleRanksAboveText(t *testing.T) {
	sec := &site.Section{Name: "s", Title: "S", URL: "s/"}
	pages := []*site.Page{
		page(sec, "s/a/", "Agenda", "Energy energy energy and more energy in a longer text about many other things."),
		page(sec, "s/b/", "Energy", "A short page."),
	}
	r := read(t, Build("en", pages, Options{}))
	var e []json.RawMessage
	_ = json.Unmarshal(r.entry("energi"), &e)
	var head [][]any
	_ = json.Unmarshal(e[3], &head)
	urls := r.urls(t)
	if len(head) != 2 || int(head[0][0].(float64)) != urls["s/b/"] {
		t.Errorf("head %v: the page titled Energy should come first", head)
	}
}

// synthetic loads a synthetic archive of n pages the way a build does.
func synthetic(t testing.TB, n int) *site.Site {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Write(dir, n, 7); err != nil {
		t.Fatal(err)
	}
	res, diags := content.Load(dir, content.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, diags := resolve.Resolve(res.Config, res.Sections, res.Pages, resolve.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return s
}

func TestShardsOfALargeSite(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 600
	}
	s := synthetic(t, n)
	ix := Build(s.Language, s.Pages, Options{})
	listed := 0
	for _, p := range s.Pages {
		if !p.Unlisted {
			listed++
		}
	}
	if max(1, listed/50) < len(ix.Files) {
		t.Errorf("%d files for %d pages: at most one per 50 pages", len(ix.Files), listed)
	}
	if len(ix.Files) < 2 {
		t.Errorf("one file for %d pages: the index is not split", listed)
	}
	for _, f := range ix.Files {
		if len(f.Data) > 64<<10 {
			t.Errorf("%s is %d bytes, over 64 KiB", f.Name, len(f.Data))
		}
		if f.Name != Entry && !strings.HasPrefix(f.Name, Dir) {
			t.Errorf("file %s outside %s", f.Name, Dir)
		}
	}
	if len(ix.Files[0].Data) > 8<<10 {
		t.Errorf("the directory is %d bytes; every query reads it", len(ix.Files[0].Data))
	}
	r := read(t, ix)
	if r.meta.Text != 0 || r.meta.Head == 0 {
		t.Errorf("a large site keeps snippets with the best pages of each term: %+v (level %d)", r.meta, ix.Level)
	}
	findsEveryPageByItsWords(t, r, s.Pages)
	// Every query reads term chunks: each is in a file of its own, smaller than the average
	// file, while the postings and page records share files (the bound on files allows
	// no more).
	sizes := map[byte][]int{}
	total := 0
	for name, fi := range r.file {
		n := 0
		for _, f := range r.file {
			if f == fi {
				n++
			}
		}
		if name[0] == 't' && n > 1 {
			t.Errorf("term chunk %s shares %s with %d other chunks", name, ix.Files[fi].Name, n-1)
		}
		sizes[name[0]] = append(sizes[name[0]], len(ix.Files[fi].Data))
	}
	for _, f := range ix.Files {
		total += len(f.Data)
	}
	avg := total / len(ix.Files)
	if m := slices.Max(sizes['t']); m > avg {
		t.Errorf("a term file of %d bytes, the average file %d", m, avg)
	}
	if len(ix.Files) < max(1, listed/50)*3/4 {
		t.Errorf("%d files for %d pages: the bound allows %d, and smaller files load sooner", len(ix.Files), listed, listed/50)
	}
	// A term's head is the start of its full ranking (by impact, the earlier page first
	// among equals), so that the best pages shown first are those the postings give.
	for _, term := range []string{"climat", "citi", "citizen", "commit"} {
		ps := r.pages(t, term)
		docs := slices.Collect(maps.Keys(ps))
		slices.SortFunc(docs, func(a, b int) int { return cmp.Or(ps[b]-ps[a], a-b) })
		var e []json.RawMessage
		_ = json.Unmarshal(r.entry(term), &e)
		var head [][]any
		_ = json.Unmarshal(e[3], &head)
		var got []int
		for _, c := range head {
			got = append(got, int(c[0].(float64)))
		}
		if want := docs[:min(len(docs), 10)]; !slices.Equal(got, want) {
			t.Errorf("head of %s: pages %v, the full ranking begins %v", term, got, want)
		}
	}
	// A one-word query reads the directory and the chunk of its word: the best pages come
	// with their address, title and snippet.
	var e []json.RawMessage
	_ = json.Unmarshal(r.entry(r.terms("climate")[0]), &e)
	var head [][]any
	_ = json.Unmarshal(e[3], &head)
	if len(head) != 10 || len(head[0]) < 6 || !strings.Contains(strings.ToLower(head[0][5].(string)), "climate") {
		t.Errorf("head of climate: %v", head)
	}
}

func TestBoundsHoldWhenTight(t *testing.T) {
	s := synthetic(t, 400)
	for _, opts := range []Options{{MaxFileBytes: 16 << 10, PagesPerFile: 10}, {MaxFileBytes: 64 << 10, PagesPerFile: 200}, {MaxFileBytes: 8 << 10, PagesPerFile: 5}} {
		ix := Build(s.Language, s.Pages, opts)
		limit := max(1, ix.Pages/opts.PagesPerFile)
		// Only the last level, the barest index, may break the bounds, when even it does not
		// fit them (two files for 400 pages): search must still find every page.
		if ix.Level < len(levels)-1 {
			if len(ix.Files) > limit {
				t.Errorf("%+v: %d files, at most %d", opts, len(ix.Files), limit)
			}
			for _, f := range ix.Files {
				if len(f.Data) > opts.MaxFileBytes {
					t.Errorf("%+v: %s is %d bytes", opts, f.Name, len(f.Data))
				}
			}
		} else if opts.PagesPerFile != 200 {
			t.Errorf("%+v: the barest level, though the bounds leave room", opts)
		}
		findsEveryPageByItsWords(t, read(t, ix), s.Pages)
	}
}

func TestSameInputSameBytes(t *testing.T) {
	s := synthetic(t, 300)
	a := Build(s.Language, s.Pages, Options{MaxFileBytes: 16 << 10, PagesPerFile: 10})
	b := Build(s.Language, s.Pages, Options{MaxFileBytes: 16 << 10, PagesPerFile: 10})
	if len(a.Files) != len(b.Files) {
		t.Fatal("file counts differ")
	}
	for i := range a.Files {
		if a.Files[i].Name != b.Files[i].Name || string(a.Files[i].Data) != string(b.Files[i].Data) {
			t.Errorf("%s differs between two builds", a.Files[i].Name)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"Zoë's Straße", "l'été", "ǅ", "\u0301a", "x\xffy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Words(s) {
			if w == "" || Fold(w) != w {
				t.Errorf("word %q of %q is empty or not folded", w, s)
			}
		}
		_ = appendString(nil, s)
		var back string
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil || strings.ToValidUTF8(s, "\ufffd") != back {
			t.Errorf("appendString(%q) reads back as %q, %v", s, back, err)
		}
	})
}

// countWords, which splits and numbers words in one pass, finds the words eachWord finds,
// numbers each by its lower-case form (the same form the same number across texts,
// whether it came through the ASCII path or not), notes the offset of its first
// occurrence, and says "seen in lower case" exactly of the words that were.
func FuzzCountWordsAsEachWord(f *testing.F) {
	for _, s := range []string{"Zoë's Straße and ZOË", "City city CITY cItY", "\u212a k K", "x1Y X1y", "İstanbul i̇stanbul", "a\xffb", ""} {
		f.Add(s, "Second text, CITY again")
	}
	f.Fuzz(func(t *testing.T, s, s2 string) {
		b := &builder{}
		seenLower := map[string]bool{}
		for _, text := range []string{s, s2} {
			first := map[string]int{} // lower-case form -> offset of its first word
			n := 0
			eachWord(text, func(w string, at int) {
				key, isLower := lower(w)
				seenLower[key] = seenLower[key] || isLower
				if _, ok := first[key]; !ok {
					first[key] = at
				}
				n++
			})
			b.from = 0
			occs, counted := b.countWords(nil, text, 1, true)
			if counted != n || len(occs) != len(first) {
				t.Fatalf("countWords(%q) counted %d words, %d different; eachWord finds %d, %d different", text, counted, len(occs), n, len(first))
			}
			for _, o := range occs {
				key := b.words[o.word].lower
				if at, ok := first[key]; !ok || int(o.first) != at {
					t.Errorf("countWords(%q) gives word %q first at %d; eachWord: %d (found %v)", text, key, o.first, at, ok)
				}
				b.cur[o.word] = 0
			}
		}
		if len(b.words) != len(seenLower) {
			t.Errorf("%d different words got %d numbers", len(seenLower), len(b.words))
		}
		for _, w := range b.words {
			if w.seenLower != seenLower[w.lower] {
				t.Errorf("word %q: seen in lower case is %v, want %v", w.lower, w.seenLower, seenLower[w.lower])
			}
		}
	})
}

// The encoded occurrences a page keeps read back as they were.
func TestOccurrencesReadBack(t *testing.T) {
	tests := [][]occ{
		nil,
		{{word: 0, tf: 0, title: true, first: -1}},
		{{word: 1, tf: 1, first: 0}, {word: 127, tf: 2, first: 127}, {word: 128, tf: 3, title: true, first: 128}},
		{{word: 1<<31 - 1, tf: 1<<30 + 5, title: true, first: 1<<31 - 2}, {word: 70000, tf: 12, first: -1}},
	}
	for _, occs := range tests {
		data := appendOccs(nil, occs)
		var back []occ
		for rest := data; len(rest) > 0; {
			var o occ
			o, rest = nextOcc(rest)
			back = append(back, o)
		}
		if !slices.Equal(back, occs) {
			t.Errorf("%v read back as %v", occs, back)
		}
	}
}

// A level ruled out by a lower bound of its size (the cards' addresses and titles, the
// chunks' total against the files allowed) is one the writer would have refused after
// laying it out: the index is the same, and a small site with many words is written with
// fewer texts read.
func TestLevelsRuledOutChangeNothing(t *testing.T) {
	small := synthetic(t, 60)
	large := synthetic(t, 400)
	fewer := false
	for _, c := range []struct {
		s    *site.Site
		opts Options
	}{{small, Options{}}, {small, Options{MaxFileBytes: 16 << 10}}, {large, Options{}}, {large, Options{MaxFileBytes: 16 << 10, PagesPerFile: 10}}, {large, Options{MaxFileBytes: 8 << 10, PagesPerFile: 5}}} {
		var reads int
		for _, p := range c.s.Pages {
			p.SetBody(countedBody{site.InMemory(string(p.Content()), p.PlainText()), &reads})
		}
		tryEveryLevel = true
		want := Build(c.s.Language, c.s.Pages, c.opts)
		everyReads := reads
		tryEveryLevel = false
		reads = 0
		got := Build(c.s.Language, c.s.Pages, c.opts)
		if reads < everyReads {
			fewer = true
		}
		if got.Level != want.Level || len(got.Files) != len(want.Files) {
			t.Fatalf("%d pages, %+v: level %d in %d files, want level %d in %d files", len(c.s.Pages), c.opts, got.Level, len(got.Files), want.Level, len(want.Files))
		}
		for i := range got.Files {
			if got.Files[i].Name != want.Files[i].Name || string(got.Files[i].Data) != string(want.Files[i].Data) {
				t.Errorf("%d pages, %+v: %s differs", len(c.s.Pages), c.opts, want.Files[i].Name)
			}
		}
	}
	if !fewer {
		t.Error("no site was written with fewer texts read: no level was ruled out early")
	}
}

// The builder forgets the texts of a site too large for the first level and reads them again
// for snippets: the index is the same, byte for byte, as when it keeps every text, at every
// level.
func TestIndexIsTheSameWithoutTheTextsKept(t *testing.T) {
	s := synthetic(t, 400)
	// Each page's text is counted as it is read, so that the test sees the texts read again.
	var reads int
	for _, p := range s.Pages {
		p.SetBody(countedBody{site.InMemory(string(p.Content()), p.PlainText()), &reads})
	}
	levelsSeen := map[int]bool{}
	for _, opts := range []Options{{}, {MaxFileBytes: 16 << 10, PagesPerFile: 10}, {MaxFileBytes: 24 << 10, PagesPerFile: 40}, {MaxFileBytes: 64 << 10, PagesPerFile: 200}, {MaxFileBytes: 8 << 10, PagesPerFile: 5}, {MaxFileBytes: 1 << 20, PagesPerFile: 1}} {
		keepAllTexts = true
		reads = 0
		want := Build(s.Language, s.Pages, opts)
		keptReads := reads
		keepAllTexts = false
		reads = 0
		got := Build(s.Language, s.Pages, opts)
		if reads <= keptReads {
			t.Errorf("%+v: %d texts read, as many as with every text kept: the builder kept them", opts, reads)
		}
		levelsSeen[got.Level] = true
		if got.Level != want.Level || len(got.Files) != len(want.Files) {
			t.Fatalf("%+v: level %d in %d files, want level %d in %d files", opts, got.Level, len(got.Files), want.Level, len(want.Files))
		}
		for i := range got.Files {
			if got.Files[i].Name != want.Files[i].Name || string(got.Files[i].Data) != string(want.Files[i].Data) {
				t.Errorf("%+v: %s differs when the texts are read again", opts, want.Files[i].Name)
			}
		}
	}
	if len(levelsSeen) < 3 {
		t.Errorf("only levels %v tried: the options no longer reach the text and snippet levels", levelsSeen)
	}
}

// countedBody is a page body that counts the reads of its text.
type countedBody struct {
	site.Body
	reads *int
}

func (b countedBody) Text() string { *b.reads++; return b.Body.Text() }
