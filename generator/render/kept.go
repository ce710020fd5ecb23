package render

import (
	"bytes"
	"hash/maphash"
	"html/template"
	"strings"
	"unsafe"
)

// keptSet holds the kept partials of one folder (see Partial): for each call, its key, its
// HTML and the addresses its links were made relative to.
//
// A large site keeps hundreds of thousands of results at a time, and a map of strings and
// slices made each of them several objects for the garbage collector to mark on every
// cycle (at 100,000 pages, millions of objects). Here they are bytes in large chunks that
// hold no pointers, found through a map from the key's hash to a small record that holds
// none either: the collector marks a few dozen objects per folder, whatever the number of
// results.
type keptSet struct {
	byHash map[uint64]int32 // hash of the key -> 1 + the last record with that hash
	recs   []keptRec
	chunks [][]byte // never written again where a record points
}

// keptRec locates one kept result in a chunk: its key, then its HTML, then its addresses,
// each followed by a zero byte.
type keptRec struct {
	chunk, off      int32
	keyLen, htmlLen int32
	relsLen         int32
	prev            int32 // 1 + the record before it with the same hash, or 0
	hash            uint64
}

// keptChunk is the size of a chunk; a result larger than that gets a chunk of its own.
const keptChunk = 256 << 10

var keptSeed = maphash.MakeSeed()

// hashKey hashes the key of a result (a variable: a test makes every key collide).
var hashKey = func(key []byte) uint64 { return maphash.Bytes(keptSeed, key) }

// rels is the addresses of a kept result, joined by zero bytes (each followed by one).
type rels string

// each calls f for every address.
func (r rels) each(f func(string)) {
	s := string(r)
	for s != "" {
		i := strings.IndexByte(s, 0)
		f(s[:i])
		s = s[i+1:]
	}
}

// anyUnder is anyUnder for the addresses of a kept result.
func (r rels) anyUnder(dir string) bool {
	found := false
	r.each(func(a string) { found = found || isUnder(a, dir) })
	return found
}

// find returns the result kept for key.
func (k *keptSet) find(key []byte) (template.HTML, rels, bool) {
	if k == nil {
		return "", "", false
	}
	h := hashKey(key)
	for i := k.byHash[h]; i != 0; i = k.recs[i-1].prev {
		r := &k.recs[i-1]
		if r.hash != h || int(r.keyLen) != len(key) {
			continue
		}
		c := k.chunks[r.chunk]
		at := int(r.off)
		if !bytes.Equal(c[at:at+int(r.keyLen)], key) {
			continue
		}
		at += int(r.keyLen)
		html := c[at : at+int(r.htmlLen)]
		at += int(r.htmlLen)
		return template.HTML(asString(html)), rels(asString(c[at : at+int(r.relsLen)])), true
	}
	return "", "", false
}

// add keeps html and its addresses for key, and returns the HTML as kept.
func (k *keptSet) add(key, html []byte, addrs []string) template.HTML {
	size := len(key) + len(html)
	for _, a := range addrs {
		size += len(a) + 1
	}
	if len(k.chunks) == 0 || cap(k.chunks[len(k.chunks)-1])-len(k.chunks[len(k.chunks)-1]) < size {
		k.chunks = append(k.chunks, make([]byte, 0, max(keptChunk, size)))
	}
	ci := len(k.chunks) - 1
	c := k.chunks[ci]
	off := len(c)
	c = append(c, key...)
	c = append(c, html...)
	for _, a := range addrs {
		c = append(append(c, a...), 0)
	}
	k.chunks[ci] = c
	h := hashKey(key)
	if k.byHash == nil {
		k.byHash = map[uint64]int32{}
	}
	k.recs = append(k.recs, keptRec{
		chunk: int32(ci), off: int32(off),
		keyLen: int32(len(key)), htmlLen: int32(len(html)), relsLen: int32(size - len(key) - len(html)),
		prev: k.byHash[h], hash: h,
	})
	k.byHash[h] = int32(len(k.recs))
	return template.HTML(asString(c[off+len(key) : off+len(key)+len(html)]))
}

// asString is b as a string without a copy: b is never written again.
func asString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
