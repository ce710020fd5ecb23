// Package search builds the search index of one language of a site, split into small files
// so that a query reads only what it needs: a directory, the shard of its words, and, for
// more than the best results of one word, the postings and page records it asks for.
//
// Every file is a script that registers its data with the page
// ((self.recapSearch=self.recapSearch||[]).push({...})), the way rustdoc's search shards do,
// so the index loads by <script> tags: from disk (file://), under any sub-path, on any host,
// with no fetch. static/js/search.js reads it.
//
// The index holds, by term (a word's stem, or the word itself for names and languages
// without a stemmer), BM25F scores computed here (title and headings weigh more than the
// body), the best pages of each term with a snippet around the word and the heading it falls
// under, every page of each term in compact form, short page records, and the folded words
// grouped by two of their letters, from which the script finds words one typo away. Words
// are folded (case, accents, ß and the like) the same way by Fold and by the script.
//
// The package does not know any section by name, nor where the files go: Build returns
// names relative to the language's root and the caller writes them.
package search

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/icc-recap/recap/generator/site"
)

// Entry is the name of the file a search page loads first (the directory), relative to the
// language's root; the other files are Dir + "N.js".
const (
	Entry = "search-index.js"
	Dir   = "search-index/"
)

// Options bound the index.
type Options struct {
	// MaxFileBytes caps every file of the index (64 KiB by default).
	MaxFileBytes int
	// PagesPerFile: the index has at most one file per this many pages (50 by default),
	// and at least one.
	PagesPerFile int
}

// File is one file of the index.
type File struct {
	Name string
	Data []byte
}

// Index is the search index of one language.
type Index struct {
	Files []File
	// Pages is the number of pages indexed; Terms the number of keys (terms and the words
	// that lead to them).
	Pages, Terms int
	// Level says how much of the full index fitted the bounds: 0 is all of it (ten best pages
	// of each term with snippets); higher levels keep fewer snippets.
	Level int
}

// Field weights of BM25F, and the BM25 constants.
const (
	// titleBonus is added to the saturated body score of a term in the page's title (so that a
	// title, a name on a speaker's page, ranks above pages that only mention it, however
	// often), headingWeight counts a heading's words again on top of their place in the body.
	titleBonus          = k1 + 1.3
	headingWeight int32 = 2
	summaryWeight int32 = 1
	k1                  = 1.2
	bm25b               = 0.75
)

// level is a shape of the index. In text levels every page record holds the start of its
// text (up to excerpt bytes) and the script cuts snippets from it, which suits small sites;
// in the other levels each term keeps its best pages (head) as cards with their address,
// title and a snippet around the word, so that a one-word query reads no page record,
// which suits large ones. Build takes the first level that fits the bounds.
type level struct {
	text                   bool
	head, snippet, excerpt int
}

var levels = []level{
	{text: true, head: 10, excerpt: 1 << 20},
	{head: 10, snippet: 180, excerpt: 160},
	{head: 10, snippet: 140, excerpt: 100},
	{text: true, head: 10, excerpt: 2000},
	{text: true, head: 10, excerpt: 800},
	{head: 5, snippet: 120, excerpt: 80},
	{text: true, head: 10, excerpt: 300},
	{head: 3, snippet: 100, excerpt: 40},
	{text: true, head: 10, excerpt: 100},
	{head: 0},
}

type heading struct {
	anchor, text string
	at           int
}

type doc struct {
	url, title, summary string
	// text is the page's whole text while the texts of all pages together fit one file (the
	// first level shows them whole), else empty: the excerpts and snippets of other levels
	// are cut from the page's text read again (see cutTexts), so that the builder does not
	// hold the text of a large site. textLen is its length.
	text    string
	textLen int
	page    *site.Page
	sec     int
	heads   []heading
	length  float64
	// occs are the page's words, each once with its weighted count, encoded by appendOccs
	// (nil once terms has made them postings): a large site's builder holds every page's
	// words until the postings are made, so they take about 6 bytes a word instead of 16.
	occs []byte
}

// tryEveryLevel makes the writer lay out every level it tries in full, even one that a lower
// bound of its size already rules out: tests check that the bounds change nothing.
var tryEveryLevel = false

// keepAllTexts makes the builder keep every page's text, as it did before it read them again
// for snippets: tests compare the two.
var keepAllTexts = false

type occ struct {
	word  int32
	tf    int32 // weighted count: a heading's words count headingWeight times
	title bool
	first int32 // byte offset in the text of the first occurrence in the body, or -1
}

// appendOccs appends occs encoded, each as three unsigned varints: the word, the weighted
// count (doubled, plus 1 for a word of the title) and 1 + the first offset.
func appendOccs(dst []byte, occs []occ) []byte {
	for _, o := range occs {
		t := uint64(o.tf) << 1
		if o.title {
			t |= 1
		}
		dst = binary.AppendUvarint(dst, uint64(o.word))
		dst = binary.AppendUvarint(dst, t)
		dst = binary.AppendUvarint(dst, uint64(o.first+1))
	}
	return dst
}

// nextOcc decodes the first occurrence of data (from appendOccs) and returns the rest.
func nextOcc(data []byte) (occ, []byte) {
	w, n := binary.Uvarint(data)
	data = data[n:]
	t, n := binary.Uvarint(data)
	data = data[n:]
	f, n := binary.Uvarint(data)
	return occ{word: int32(w), tf: int32(t >> 1), title: t&1 != 0, first: int32(f) - 1}, data[n:]
}

type posting struct {
	doc   int32
	first int32
	score float64
}

type builder struct {
	lang string
	stem func(string) string
	docs []doc
	// textBytes is the length of all texts added; keepText whether they still fit the
	// first level (then doc.text holds them).
	textBytes int
	keepText  bool
	maxFile   int
	secs      []secInfo
	secIdx    map[string]int
	words     []wordInfo
	ids       wordTable
	occs      []occ
	enc       []byte // scratch for a page's encoded occurrences
	// textBuf holds the text of the page being read (see textOf).
	textBuf []byte
	// cur holds, for each word, 1 + its place among the current page's occurrences (from
	// b.from on), or 0.
	cur  []int32
	from int
}

type secInfo struct {
	name, title string
	first       int
}

type wordInfo struct {
	lower     string
	hash      uint32 // of lower (see wordTable)
	seenLower bool
}

// Build returns the index of pages (one language's), leaving out unlisted pages.
func Build(lang string, pages []*site.Page, opts Options) *Index {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = 64 << 10
	}
	if opts.PagesPerFile <= 0 {
		opts.PagesPerFile = 50
	}
	b := &builder{lang: lang, stem: StemmerFor(lang), keepText: true, maxFile: opts.MaxFileBytes}
	// At its size: grown by append, a large site's array was copied, and its copies
	// collected, many times over.
	b.docs = make([]doc, 0, len(pages))
	b.collect(pages)
	for _, p := range pages {
		if !p.Unlisted {
			b.add(p)
		}
	}
	terms := b.terms()
	for level := range levels {
		if files, ok := b.write(terms, level, opts, level == len(levels)-1); ok {
			return &Index{Files: files, Pages: len(b.docs), Terms: len(terms.keys), Level: level}
		}
	}
	panic("unreachable: the last level is always written")
}

// collect orders the pages by section, in the order sections first appear, so that a
// section is a range of page numbers.
func (b *builder) collect(pages []*site.Page) {
	b.secIdx = map[string]int{}
	for _, p := range pages {
		if p.Unlisted {
			continue
		}
		si := secInfo{}
		if p.SectionInfo != nil {
			si.name, si.title = p.SectionInfo.Name, p.SectionInfo.Title
		}
		if _, ok := b.secIdx[si.name]; !ok {
			b.secIdx[si.name] = len(b.secs)
			b.secs = append(b.secs, si)
		}
	}
}

func (b *builder) secOf(p *site.Page) int {
	if p.SectionInfo == nil {
		return b.secIdx[""]
	}
	return b.secIdx[p.SectionInfo.Name]
}

// wordID returns the number of a word that holds letters beyond ASCII (countWords hashes
// the others as it splits them).
func (b *builder) wordID(w string) int32 {
	key, isLower := lower(w)
	return b.ids.id(b, key, hashOf(key), false, isLower)
}

// FNV-1a, over a word's lower-case bytes.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashOf(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// wordTable numbers the words of the index by their lower-case form: an open-addressing
// table whose hash countWords computes while it splits the text, so that finding a word
// costs no second pass over it and no lower-case copy.
type wordTable struct {
	slots []int32 // 1 + a word's number, or 0
	mask  uint32
}

// id returns the number of the word w, whose lower-case form hashes to h. When fold is
// true, w holds ASCII capitals and is compared as if lower case. isLower says the word was
// seen in lower case.
func (t *wordTable) id(b *builder, w string, h uint32, fold, isLower bool) int32 {
	if len(b.words)*2 >= len(t.slots) {
		t.grow(b)
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			var key string
			if fold {
				key = strings.ToLower(w)
			} else {
				key = strings.Clone(w)
			}
			id := int32(len(b.words))
			b.words = append(b.words, wordInfo{lower: key, hash: h, seenLower: isLower})
			t.slots[i] = id + 1
			return id
		}
		wi := &b.words[s-1]
		if wi.hash == h && (wi.lower == w || fold && equalLower(wi.lower, w)) {
			if isLower {
				wi.seenLower = true
			}
			return s - 1
		}
	}
}

func (t *wordTable) grow(b *builder) {
	n := max(len(t.slots)*2, 1<<12)
	t.slots, t.mask = make([]int32, n), uint32(n-1)
	for id, w := range b.words {
		i := w.hash & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = int32(id) + 1
	}
}

// equalLower reports whether the lower-case ASCII word l is w in lower case.
func equalLower(l, w string) bool {
	if len(l) != len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if l[i] != c {
			return false
		}
	}
	return true
}

// count adds one occurrence of the word numbered id to the page's occurrences.
func (b *builder) count(occs []occ, id int32, weight int32, at int) []occ {
	if int(id) >= len(b.cur) {
		b.cur = append(b.cur, make([]int32, int(id)+1-len(b.cur)+1024)...)
	}
	if i := b.cur[id] - 1; i >= 0 {
		o := &occs[b.from+int(i)]
		if weight == 0 {
			o.title = true
		}
		o.tf += weight
		if at >= 0 && o.first < 0 {
			o.first = int32(at)
		}
		return occs
	}
	b.cur[id] = int32(len(occs)-b.from) + 1
	first := int32(-1)
	if at >= 0 {
		first = int32(at)
	}
	return append(occs, occ{word: id, tf: weight, title: weight == 0, first: first})
}

// countWords adds every word of s to the page's occurrences with the given weight (0 for
// the title), and with its offset in s when at is true. It returns the occurrences and the
// number of words. It splits s as eachWord does, in one pass that also hashes the words of
// ASCII letters and digits in lower case, so that most words are numbered without a copy.
func (b *builder) countWords(occs []occ, s string, weight int32, at bool) ([]occ, int) {
	n := 0
	add := func(start, end int, class byte, h uint32) {
		var id int32
		if class&nonASCII != 0 {
			id = b.wordID(s[start:end])
		} else {
			id = b.ids.id(b, s[start:end], h, class&upper != 0, class&upper == 0)
		}
		pos := -1
		if at {
			pos = start
		}
		occs = b.count(occs, id, weight, pos)
		n++
	}
	start := -1
	var class byte
	var h uint32
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			k := asciiClass[c]
			if k != 0 {
				if start < 0 {
					start, class, h = i, 0, fnvOffset
				}
				class |= k
				if k == upper {
					c += 'a' - 'A'
				}
				h = (h ^ uint32(c)) * fnvPrime
			} else if start >= 0 {
				add(start, i, class, h)
				start = -1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			if start < 0 {
				start, class = i, 0
			}
			class |= nonASCII
		} else if start >= 0 {
			add(start, i, class, h)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		add(start, len(s), class, h)
	}
	return occs, n
}

// Classes of ASCII bytes in words (see countWords): 0 for a byte between words.
const (
	lowerOrDigit byte = 1 << iota
	upper
	nonASCII
)

var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := range utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = lowerOrDigit
		case 'A' <= c && c <= 'Z':
			t[c] = upper
		}
	}
	return t
}()

// textOf returns the text of p, read into the builder's buffer: it is valid until the next
// call, and whatever is kept of it must be a copy. Every page's text is read for its words,
// and some again for their snippets: a new string for each read was as much garbage.
func (b *builder) textOf(p *site.Page) string { return p.ReadText(&b.textBuf) }

func (b *builder) add(p *site.Page) {
	text := b.textOf(p)
	d := doc{url: p.URL, title: p.Title, summary: p.Summary, sec: b.secOf(p), page: p}
	d.textLen = len(text)
	b.textBytes += len(text)
	if b.keepText && b.textBytes > b.maxFile && !keepAllTexts {
		// Too much text for the first level: forget the texts kept so far.
		b.keepText = false
		for i := range b.docs {
			b.docs[i].text = ""
		}
	}
	if b.keepText {
		d.text = strings.Clone(text)
	}
	if d.title == "" {
		d.title = p.URL
	}
	occs := b.occs[:0] // scratch: the page keeps a copy of its own size
	b.from = 0
	occs, n := b.countWords(occs, p.Title, 0, false) // weight 0: the title
	at := 0
	for _, h := range p.Headings {
		occs, _ = b.countWords(occs, h.Text, headingWeight, false)
		if i := strings.Index(text[at:], h.Text); i >= 0 && h.ID != "" {
			d.heads = append(d.heads, heading{anchor: h.ID, text: h.Text, at: at + i})
			at += i + len(h.Text)
		}
	}
	if p.Summary != "" && !strings.Contains(text, p.Summary) {
		var k int
		occs, k = b.countWords(occs, p.Summary, summaryWeight, false)
		n += k
	}
	occs, k := b.countWords(occs, text, 1, true)
	n += k
	d.length = float64(n)
	b.enc = appendOccs(b.enc[:0], occs)
	d.occs = bytes.Clone(b.enc) // at its size: a large site holds every page's until terms
	for _, o := range occs {
		b.cur[o.word] = 0
	}
	b.occs = occs
	b.docs = append(b.docs, d)
}

// terms is the key space of the index: terms with postings and words that lead to terms.
type terms struct {
	keys     []string
	postings map[string][]posting // by term
	scale    map[string]float64   // the best score of a term
	leads    map[string][]string  // word -> terms it leads to (other than itself)
	head     map[string][]posting // the best pages of a term, best first
	tails    map[string][]byte    // the postings of a term, encoded (see appendPostings)
}

func (b *builder) terms() *terms {
	// A word never seen in lower case is taken for a name, and not stemmed.
	stemOf := make([]string, len(b.words))
	leads := map[string][]string{}
	for i, w := range b.words {
		key := Fold(w.lower)
		st := key
		if b.stem != nil && w.seenLower && !isNumber(w.lower) {
			st = Fold(b.stem(w.lower))
			if st == "" {
				st = key
			}
		}
		stemOf[i] = st
		if st != key && !slices.Contains(leads[key], st) {
			leads[key] = append(leads[key], st)
		}
	}
	t := &terms{postings: map[string][]posting{}, scale: map[string]float64{}, leads: leads, head: map[string][]posting{}, tails: map[string][]byte{}}
	// Page order: sections stay in the order they came, pages in site order within one.
	order := make([]int, len(b.docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(b.docs[x].sec, b.docs[y].sec) })
	docs := make([]doc, len(b.docs))
	for i, o := range order {
		docs[i] = b.docs[o]
	}
	b.docs = docs
	for i := range b.secs {
		b.secs[i].first = -1
	}
	for i, d := range b.docs {
		if b.secs[d.sec].first < 0 {
			b.secs[d.sec].first = i
		}
	}
	var total float64
	for _, d := range b.docs {
		total += d.length
	}
	avg := max(total/float64(max(len(b.docs), 1)), 1)
	// Terms by number, and each word's term.
	termID := map[string]int32{}
	var termKeys []string
	wordTerm := make([]int32, len(stemOf))
	for i, st := range stemOf {
		id, ok := termID[st]
		if !ok {
			id = int32(len(termKeys))
			termID[st] = id
			termKeys = append(termKeys, st)
		}
		wordTerm[i] = id
	}
	type acc struct {
		wtf   float64
		title bool
		first int32
	}
	accs := make([]acc, len(termKeys))
	seen := make([]bool, len(termKeys))
	// Each term's postings in one allocation of the right size: on a large site they are
	// most of what the builder holds, and append's spare room was a third more.
	df := make([]int32, len(termKeys))
	var touched []int32
	for _, d := range b.docs {
		for rest := d.occs; len(rest) > 0; {
			var o occ
			o, rest = nextOcc(rest)
			if id := wordTerm[o.word]; !seen[id] {
				seen[id] = true
				df[id]++
				touched = append(touched, id)
			}
		}
		for _, id := range touched {
			seen[id] = false
		}
		touched = touched[:0]
	}
	lists := make([][]posting, len(termKeys))
	for id, n := range df {
		lists[id] = make([]posting, 0, n)
	}
	for di := range b.docs {
		d := &b.docs[di]
		touched = touched[:0]
		for rest := d.occs; len(rest) > 0; {
			var o occ
			o, rest = nextOcc(rest)
			id := wordTerm[o.word]
			a := &accs[id]
			if !seen[id] {
				seen[id] = true
				touched = append(touched, id)
				*a = acc{first: -1}
			}
			a.wtf += float64(o.tf)
			a.title = a.title || o.title
			if o.first >= 0 && (a.first < 0 || o.first < a.first) {
				a.first = o.first
			}
		}
		norm := k1 * (1 - bm25b + bm25b*d.length/avg)
		for _, id := range touched {
			seen[id] = false
			a := accs[id]
			score := a.wtf * (k1 + 1) / (a.wtf + norm)
			if a.title {
				score += titleBonus
			}
			lists[id] = append(lists[id], posting{doc: int32(di), first: a.first, score: score})
		}
		d.occs = nil // the postings hold them now
	}
	for id, l := range lists {
		t.postings[termKeys[id]] = l
	}
	n := float64(len(b.docs))
	for st, ps := range t.postings {
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		best := 0.0
		for i := range ps {
			ps[i].score *= idf
			best = max(best, ps[i].score)
		}
		t.scale[st] = best
		// The best pages, for every level's head.
		t.head[st] = best10(ps, best)
	}
	keys := make(map[string]bool, len(t.postings)+len(leads))
	for k := range t.postings {
		keys[k] = true
	}
	for k := range leads {
		keys[k] = true
	}
	for k := range keys {
		t.keys = append(t.keys, k)
	}
	slices.SortFunc(t.keys, cmpKeys)
	return t
}

// best10 returns the ten best of a term's postings (in page order; best is the term's best
// score), best first by their impact, the earlier page first among equals: the order in which
// the script ranks the pages of the postings, so that a term's head is the start of its full
// ranking, and the heads of several terms hold the start of theirs.
func best10(ps []posting, best float64) []posting {
	const n = 10
	top := make([]posting, 0, n)
	imp := make([]int, 0, n)
	for _, p := range ps {
		v := impact(p.score, best)
		if len(top) == n && v <= imp[n-1] {
			continue
		}
		i := len(top)
		if i < n {
			top = append(top, p)
			imp = append(imp, v)
		} else {
			i = n - 1
		}
		for i > 0 && imp[i-1] < v {
			top[i], imp[i] = top[i-1], imp[i-1]
			i--
		}
		top[i], imp[i] = p, v
	}
	return top
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// impact is a score as a number from 1 to 63 of the term's best.
func impact(score, best float64) int {
	if best <= 0 {
		return 1
	}
	return max(1, min(63, int(math.Round(63*score/best))))
}

const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendPostings writes postings in page order: for each, the gap from the previous page
// number (the first counted from -1) as base-32 digits, least significant first, each but
// the last marked by adding 32, then the impact as one digit.
func appendPostings(dst []byte, ps []posting, best float64) []byte {
	prev := int32(-1)
	for _, p := range ps {
		gap := int(p.doc - prev)
		prev = p.doc
		for gap >= 32 {
			dst = append(dst, digits[32+gap&31])
			gap >>= 5
		}
		dst = append(dst, digits[gap])
		dst = append(dst, digits[impact(p.score, best)])
	}
	return dst
}

// chunk is one named part of the index and its JSON object's members.
type chunk struct {
	name string
	body []byte // "key":value,... without braces
	// first is the first key (terms, typo groups) or page number (records) of the chunk.
	first string
}

type writer struct {
	b  *builder
	t  *terms
	lv level
	// target is the size of a chunk; termTarget that of a term chunk, smaller, since every
	// query reads one or more of those and little else.
	target, termTarget int
	perFile            int
	// recs are the ends of the page records (the excerpt, and the headings in it in text
	// levels), snips the snippets of the cards in levels that have them.
	recs  [][]byte
	snips map[snipKey]string
}

// snipKey names a snippet: the page and the offset of the word in its text.
type snipKey struct{ doc, at int32 }

// cutTexts cuts what level lv shows of the pages' texts: the end of every page record
// (its excerpt and, in text levels, the headings in it) and, in other levels, the snippet
// of every card. It reads each page's text once, in page order, and keeps only those.
func (b *builder) cutTexts(t *terms, lv level) ([][]byte, map[snipKey]string) {
	need := make([][]int32, len(b.docs))
	n := 0
	if !lv.text {
		for _, head := range t.head {
			for _, p := range head[:min(len(head), lv.head)] {
				if p.first >= 0 {
					need[p.doc] = append(need[p.doc], p.first)
					n++
				}
			}
		}
	}
	recs := make([][]byte, len(b.docs))
	snips := make(map[snipKey]string, n)
	for i := range b.docs {
		d := &b.docs[i]
		ex := d.summary
		var text string
		if ex == "" || lv.text || len(need[i]) > 0 {
			text = d.text
			if text == "" && d.textLen > 0 {
				text = b.textOf(d.page)
			}
		}
		if ex == "" || lv.text {
			ex = text
		}
		ex = cut(ex, lv.excerpt)
		recs[i] = appendString(nil, ex)
		if lv.text {
			recs[i] = recordHeadings(recs[i], d, text, len(ex))
		}
		for _, at := range need[i] {
			k := snipKey{int32(i), at}
			if _, ok := snips[k]; !ok {
				snips[k] = strings.Clone(window(text, int(at), lv.snippet))
			}
		}
	}
	return recs, snips
}

// write lays the index out at one level; ok is false when it breaks the bounds.
// The last level is written whatever the bounds (last is true): the index of a site too
// large for them is still whole, in larger or more files.
func (b *builder) write(t *terms, level int, opts Options, last bool) ([]File, bool) {
	w := &writer{b: b, t: t, lv: levels[level], perFile: opts.PagesPerFile}
	maxFiles := max(1, len(b.docs)/opts.PagesPerFile)
	if levels[level].text && level == 0 && b.textBytes > opts.MaxFileBytes {
		return nil, false // whole texts only in one file
	}
	if w.lv.text && level > 0 {
		// Every page record holds the start of its text: when those alone cannot fit the
		// files allowed, the level cannot, and its texts need not be read.
		size := 0
		for _, d := range b.docs {
			size += min(d.textLen, w.lv.excerpt)
		}
		if size > maxFiles*opts.MaxFileBytes && !last {
			return nil, false
		}
	}
	if !w.lv.text && !last && !tryEveryLevel && cardsSize(b, t, w.lv.head) > maxFiles*opts.MaxFileBytes {
		// Every card holds its page's address and title: when those alone cannot fit the
		// files allowed, the level cannot (a small site with a large vocabulary).
		return nil, false
	}
	w.recs, w.snips = b.cutTexts(t, w.lv)
	// A first pass gives the total, from which the chunk size follows: as many files as the
	// bound allows, each as full as it must be.
	w.target, w.termTarget = opts.MaxFileBytes, opts.MaxFileBytes
	all := w.chunks()
	total, termTotal := 0, 0
	for _, c := range all {
		total += len(c.body) + len(c.name) + 8
		if isTermChunk(c) {
			termTotal += len(c.body) + len(c.name) + 8
		}
	}
	limit := opts.MaxFileBytes - 256 // room for the wrapper
	if total+metaSize(all) <= limit {
		w.target, w.termTarget = math.MaxInt, math.MaxInt
		return w.pack(w.chunks(), true, limit), true
	}
	if level == 0 {
		return nil, false // whole texts only in one file
	}
	if total+metaSize(all) > maxFiles*limit && !last && !tryEveryLevel {
		return nil, false // no packing fits more than the files allowed hold
	}
	// As many chunks as the bound on files allows, each as full as it must be; pack merges
	// neighbours into one file when there are still too many.
	w.target = min(limit*7/8, max(4<<10, total/max(maxFiles-1, 1)+1))
	// Term chunks as small as the bound allows, in files of their own: the time to the
	// first results of a word is mostly the time to load and read its term chunk. The
	// other chunks share files of up to three quarters of the limit, and the files left
	// over go to the terms.
	rest := total - termTotal
	termFiles := maxFiles - 1 - (rest+limit*3/4-1)/(limit*3/4)
	w.termTarget = min(w.target, max(termChunkMin, termTotal/max(termFiles, 1)+1))
	files := w.pack(w.chunks(), false, limit)
	// Chunks end where entries end, so a few more files than planned may come out: fuller
	// chunks, as long as they fit a file.
	for tries := 0; len(files) > maxFiles && tries < 4 && w.target < limit*7/8; tries++ {
		w.target = min(limit*7/8, w.target*109/100)
		w.termTarget = min(w.target, w.termTarget*109/100)
		files = w.pack(w.chunks(), false, limit)
	}
	if !last && len(files) > maxFiles {
		return nil, false
	}
	for _, f := range files {
		if len(f.Data) > opts.MaxFileBytes && !last {
			return nil, false
		}
	}
	return files, true
}

// cardsSize is a lower bound of the bytes of the cards of every term's head of n pages: their
// addresses and titles.
func cardsSize(b *builder, t *terms, n int) int {
	size := 0
	for _, head := range t.head {
		for _, p := range head[:min(len(head), n)] {
			d := &b.docs[p.doc]
			size += len(d.url) + len(d.title) + 6
		}
	}
	return size
}

func metaSize(cs []chunk) int { return 200 + 16*len(cs) }

// termChunkMin is the least size of a term chunk: below it, the cost of one more file
// outweighs that of the bytes.
const termChunkMin = 8 << 10

// chunks cuts every part of the index into chunks of about w.target bytes.
func (w *writer) chunks() []chunk {
	var out []chunk
	// Postings of every page of a term, for queries that need more than the head.
	var tails []chunk
	tailRange := map[string][2]int{}
	// cur is the chunk being filled, a scratch buffer: each chunk is copied out at its exact
	// size, so that the buffer grows only to the largest chunk once per pass.
	var cur []byte
	flush := func(list *[]chunk, prefix string, first string) {
		*list = append(*list, chunk{name: fmt.Sprintf("%s%d", prefix, len(*list)), body: bytes.Clone(cur), first: first})
		cur = cur[:0]
	}
	for _, k := range w.t.keys {
		ps := w.t.postings[k]
		if len(ps) <= w.lv.head || len(ps) == 0 {
			continue
		}
		s, ok := w.t.tails[k]
		if !ok {
			s = appendPostings(nil, ps, w.t.scale[k])
			w.t.tails[k] = s
		}
		from := len(tails)
		for len(s) > 0 {
			room := w.target - len(cur)
			if room < 64 && len(cur) > 0 {
				flush(&tails, "p", "")
				continue
			}
			part := s[:min(len(s), max(room-len(k)-8, 64))]
			s = s[len(part):]
			if len(cur) > 0 {
				cur = append(cur, ',')
			}
			cur = appendKey(cur, k)
			cur = append(cur, ':')
			cur = appendString(cur, string(part))
			if len(s) > 0 {
				flush(&tails, "p", "")
			}
		}
		end := len(tails)
		if len(cur) > 0 {
			end++ // the chunk being filled
		}
		tailRange[k] = [2]int{from, end}
	}
	if len(cur) > 0 {
		flush(&tails, "p", "")
	}
	// Terms: df, best score, pages by section, the head (best pages with snippets), the
	// range of tail chunks, and the terms a word leads to.
	var termsCs []chunk
	first := ""
	var e []byte // scratch: each entry is copied into its chunk
	for _, k := range w.t.keys {
		e = w.entry(e[:0], k, tailRange)
		if len(cur) > 0 && len(cur)+len(e) > w.termTarget {
			flush(&termsCs, "t", first)
		}
		if len(cur) == 0 {
			first = k
		} else {
			cur = append(cur, ',')
		}
		cur = append(cur, e...)
	}
	if len(cur) > 0 {
		flush(&termsCs, "t", first)
	}
	// Page records: address, title, section, the start of the text (and, in text levels,
	// the headings in it), as r: [...] from the chunk's first page on.
	var recs []chunk
	firstDoc := 0
	for i, d := range w.b.docs {
		e = appendPage(append(e[:0], '['), &d)
		e = append(e, w.recs[i]...)
		e = append(e, ']')
		if len(cur) > 0 && len(cur)+len(e)+1 > w.target {
			cur = append(cur, ']')
			flush(&recs, "d", strconv.Itoa(firstDoc))
		}
		if len(cur) == 0 {
			firstDoc = i
			cur = append(cur, "r:["...)
		} else {
			cur = append(cur, ',')
		}
		cur = append(cur, e...)
	}
	if len(cur) > 0 {
		cur = append(cur, ']')
		flush(&recs, "d", strconv.Itoa(firstDoc))
	}
	// Words by two of their letters, for typos.
	groups := map[string][]string{}
	for _, k := range w.t.keys {
		r := []rune(k)
		if len(r) < 4 || isNumber(k) {
			continue
		}
		for _, g := range []string{string(r[0:2]), string(r[1:3]), string([]rune{r[0], r[2]})} {
			if l := groups[g]; len(l) == 0 || l[len(l)-1] != k {
				groups[g] = append(groups[g], k)
			}
		}
	}
	gkeys := make([]string, 0, len(groups))
	for g := range groups {
		gkeys = append(gkeys, g)
	}
	slices.SortFunc(gkeys, cmpKeys)
	var typos []chunk
	for _, g := range gkeys {
		ws := groups[g]
		for len(ws) > 0 {
			n := 0
			size := len(cur) + len(g) + 6
			for n < len(ws) && (n == 0 || size+len(ws[n])+1 <= w.target) {
				size += len(ws[n]) + 1
				n++
			}
			if len(cur) > 0 && len(cur)+len(g)+6+len(ws[0]) > w.target {
				flush(&typos, "y", first)
				continue
			}
			if len(cur) == 0 {
				first = g
			} else {
				cur = append(cur, ',')
			}
			cur = appendKey(cur, g)
			cur = append(cur, ':')
			cur = appendString(cur, strings.Join(ws[:n], " "))
			ws = ws[n:]
			if len(ws) > 0 {
				flush(&typos, "y", first)
			}
		}
	}
	if len(cur) > 0 {
		flush(&typos, "y", first)
	}
	out = append(out, termsCs...)
	out = append(out, tails...)
	out = append(out, recs...)
	out = append(out, typos...)
	return out
}

// entry appends to e a key's member of a term chunk. A word that only leads to other terms is a
// string of those terms; a term is [df, best score, [pages by section], [head], [first,
// end) tail chunks or 0, and the other terms its word leads to, if any].
func (w *writer) entry(e []byte, k string, tails map[string][2]int) []byte {
	e = appendKey(e, k)
	e = append(e, ':')
	ps, ok := w.t.postings[k]
	leads := w.t.leads[k]
	if !ok {
		return appendString(e, strings.Join(leads, " "))
	}
	best := w.t.scale[k]
	e = append(e, '[')
	e = appendInt(e, len(ps))
	e = append(e, ',')
	e = appendInt(e, max(1, int(math.Round(best*1e6)))) // in millionths
	e = append(e, ",["...)
	counts := make([]int, len(w.b.secs))
	for _, p := range ps {
		counts[w.b.docs[p.doc].sec]++
	}
	for i, c := range counts {
		if i > 0 {
			e = append(e, ',')
		}
		e = appendInt(e, c)
	}
	e = append(e, "],["...)
	head := w.t.head[k]
	head = head[:min(len(head), w.lv.head)]
	for i, p := range head {
		if i > 0 {
			e = append(e, ',')
		}
		e = w.card(e, p, best)
	}
	e = append(e, "],"...)
	if r, ok := tails[k]; ok {
		e = append(e, '[')
		e = appendInt(e, r[0])
		e = append(e, ',')
		e = appendInt(e, r[1])
		e = append(e, ']')
	} else {
		e = append(e, '0')
	}
	if len(leads) > 0 {
		e = append(e, ',')
		e = appendString(e, strings.Join(leads, " "))
	}
	return append(e, ']')
}

// recordHeadings appends the headings found in the first n bytes of a page's text, as
// [[anchor, heading, offset in UTF-16 code units], ...].
func recordHeadings(e []byte, d *doc, text string, n int) []byte {
	e = append(e, ",["...)
	prev, units := 0, 0
	k := 0
	for _, h := range d.heads {
		if h.at >= n {
			break
		}
		for _, r := range text[prev:h.at] {
			units += utf16Len(r)
		}
		prev = h.at
		if k > 0 {
			e = append(e, ',')
		}
		k++
		e = append(e, '[')
		e = appendString(e, h.anchor)
		e = append(e, ',')
		e = appendString(e, h.text)
		e = append(e, ',')
		e = appendInt(e, units)
		e = append(e, ']')
	}
	return append(e, ']')
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// card is one of a term's best pages: [page, impact] in text levels (the page record has
// the rest), otherwise [page, impact, address, title, section, snippet, anchor, heading],
// the last two left out when the word is not under a heading.
func (w *writer) card(e []byte, p posting, best float64) []byte {
	d := &w.b.docs[p.doc]
	e = append(e, '[')
	e = appendInt(e, int(p.doc))
	e = append(e, ',')
	e = appendInt(e, impact(p.score, best))
	if w.lv.text {
		return append(e, ']')
	}
	e = appendPage(append(e, ','), d)
	// A word found only in the title (or summary) has no snippet: the title shows it.
	snip, at := "", int(p.first)
	if at >= 0 {
		snip = w.snips[snipKey{p.doc, p.first}]
	}
	e = appendString(e, snip)
	if at >= 0 {
		var h *heading
		for i := range d.heads {
			if d.heads[i].at <= at {
				h = &d.heads[i]
			}
		}
		if h != nil {
			e = append(e, ',')
			e = appendString(e, h.anchor)
			e = append(e, ',')
			e = appendString(e, h.text)
		}
	}
	return append(e, ']')
}

// appendPage appends a page's address, title and section, each followed by a comma.
func appendPage(e []byte, d *doc) []byte {
	e = appendString(e, d.url)
	e = append(e, ',')
	e = appendString(e, d.title)
	e = append(e, ',')
	e = appendInt(e, d.sec)
	return append(e, ',')
}

// window returns about n bytes of text around the word at byte at, cut between words, with
// "… " and " …" where text was cut.
func window(text string, at, n int) string {
	if n <= 0 {
		return ""
	}
	start := max(0, at-n/3)
	end := min(len(text), start+n)
	for start > 0 && start < at && text[start-1] != ' ' {
		start++
	}
	for end < len(text) && end > at && text[end] != ' ' {
		end--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	s := text[start:end]
	if start > 0 {
		s = "… " + s
	}
	if end < len(text) {
		s += " …"
	}
	return s
}

// cut returns the first n bytes of s or less, cut between words.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	end := n
	for end > 0 && s[end] != ' ' {
		end--
	}
	if end == 0 {
		end = n
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
	}
	return s[:end] + " …"
}

// pack puts the chunks into files: all in the entry file when one is true, otherwise one
// file each after the entry, which holds the directory.
func (w *writer) pack(cs []chunk, one bool, limit int) []File {
	meta := []byte(`m:{v:1,lang:`)
	meta = appendString(meta, w.b.lang)
	meta = append(meta, `,n:`...)
	meta = appendInt(meta, len(w.b.docs))
	meta = append(meta, `,head:`...)
	meta = appendInt(meta, w.lv.head)
	if w.lv.text {
		meta = append(meta, `,text:1`...)
	}
	meta = append(meta, `,sec:[`...)
	for i, s := range w.b.secs {
		if i > 0 {
			meta = append(meta, ',')
		}
		meta = append(meta, '[')
		meta = appendString(meta, s.name)
		meta = append(meta, ',')
		meta = appendString(meta, s.title)
		meta = append(meta, ',')
		meta = appendInt(meta, s.first)
		meta = append(meta, ']')
	}
	meta = append(meta, ']')
	// Each chunk in a file of its own, unless that makes more files than the bound allows:
	// then neighbours other than term chunks share files, as small as the bound allows, and
	// if that is not enough, any neighbours share files of up to limit bytes.
	fileNo := make([]int, len(cs))
	if !one {
		maxFiles := max(1, len(w.b.docs)/w.perFile)
		if len(cs)+1 > maxFiles {
			lo, hi := 0, limit
			for _, c := range cs {
				lo = max(lo, len(c.body)+len(c.name)+4)
			}
			if lo > hi || packFiles(cs, hi, false, fileNo)+1 > maxFiles {
				packFiles(cs, limit, true, fileNo)
			} else {
				// The least size of the shared files that keeps to the bound.
				for lo < hi {
					mid := (lo + hi) / 2
					if packFiles(cs, mid, false, fileNo)+1 > maxFiles {
						lo = mid + 1
					} else {
						hi = mid
					}
				}
				packFiles(cs, hi, false, fileNo)
			}
		} else {
			for i := range cs {
				fileNo[i] = i + 1
			}
		}
	}
	fileOf := func(i int) int { return fileNo[i] }
	for _, kind := range []string{"t", "p", "d", "y"} {
		meta = append(meta, ',')
		meta = append(meta, kind...)
		meta = append(meta, ":["...)
		n := 0
		for i, c := range cs {
			if !strings.HasPrefix(c.name, kind) {
				continue
			}
			if n > 0 {
				meta = append(meta, ',')
			}
			n++
			switch kind {
			case "p":
				meta = appendInt(meta, fileOf(i))
			case "d":
				meta = append(meta, '[')
				first, _ := strconv.Atoi(c.first)
				meta = appendInt(meta, first)
				meta = append(meta, ',')
				meta = appendInt(meta, fileOf(i))
				meta = append(meta, ']')
			default:
				meta = append(meta, '[')
				meta = appendString(meta, c.first)
				meta = append(meta, ',')
				meta = appendInt(meta, fileOf(i))
				meta = append(meta, ']')
			}
		}
		meta = append(meta, ']')
	}
	meta = append(meta, '}')
	wrap := func(members ...[]byte) []byte {
		var out []byte
		out = append(out, "(self.recapSearch=self.recapSearch||[]).push({"...)
		for i, m := range members {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, m...)
		}
		return append(out, "})"...)
	}
	member := func(c chunk) []byte {
		var m []byte
		m = append(m, c.name...)
		m = append(m, ":{"...)
		m = append(m, c.body...)
		return append(m, '}')
	}
	if one {
		ms := [][]byte{meta}
		for _, c := range cs {
			ms = append(ms, member(c))
		}
		return []File{{Name: Entry, Data: wrap(ms...)}}
	}
	files := []File{{Name: Entry, Data: wrap(meta)}}
	for i := 0; i < len(cs); {
		ms := [][]byte{member(cs[i])}
		for j := i + 1; j < len(cs) && fileOf(j) == fileOf(i); j++ {
			ms = append(ms, member(cs[j]))
		}
		i += len(ms)
		files = append(files, File{Name: Dir + strconv.Itoa(len(files)) + ".js", Data: wrap(ms...)})
	}
	return files
}

// isTermChunk reports whether c is a chunk of terms (named t0, t1, ...).
func isTermChunk(c chunk) bool { return c.name[0] == 't' }

// packFiles numbers the files of cs in fileNo (from 1: file 0 is the entry), putting
// neighbours together in files of up to size bytes, term chunks too when terms is true, and
// returns the number of files.
func packFiles(cs []chunk, size int, terms bool, fileNo []int) int {
	n, used := 0, size
	alone := false
	for i, c := range cs {
		bytes := len(c.body) + len(c.name) + 4
		isTerm := isTermChunk(c) && !terms
		if isTerm || alone || used+bytes > size {
			n++
			used = 0
		}
		alone = isTerm
		used += bytes
		fileNo[i] = n
	}
	return n
}

// appendString appends s as a JavaScript string, as the minifier would write it: in double
// quotes unless single quotes need fewer escapes. It leaves <, > and & as they are (a script
// loaded by src cannot be closed by "</script>" in a string) and escapes U+2028 and U+2029,
// which end a line in older JavaScript.
func appendString(dst []byte, s string) []byte {
	q := byte('"')
	if strings.Count(s, `"`) > strings.Count(s, "'") {
		q = '\''
	}
	dst = append(dst, q)
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != q && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case q, '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, fmt.Sprintf(`\x%02x`, c)...)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' || r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			if r == utf8.RuneError {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, fmt.Sprintf(`\u%04x`, r)...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, q)
}

// appendKey appends a property name: bare when it is an identifier or a number in its
// shortest form, as the minifier writes them, quoted otherwise.
func appendKey(dst []byte, k string) []byte {
	if k != "" && isNumber(k) && (k == "0" || k[0] != '0') && len(k) < 16 {
		n, _ := strconv.Atoi(k)
		return appendInt(dst, n)
	}
	for i, r := range k {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))) || r >= utf8.RuneSelf {
			return appendString(dst, k)
		}
	}
	if k == "" {
		return appendString(dst, k)
	}
	return append(dst, k...)
}

// appendInt appends n in JavaScript's shortest form: 1e3 rather than 1000.
func appendInt(dst []byte, n int) []byte {
	if n < 1000 || n%1000 != 0 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	m, e := n, 0
	for m%10 == 0 {
		m /= 10
		e++
	}
	dst = strconv.AppendInt(dst, int64(m), 10)
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(e), 10)
}
