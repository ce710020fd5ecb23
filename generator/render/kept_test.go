package render

import (
	"fmt"
	"strings"
	"testing"
)

// Every result kept reads back as it was given, whatever its size, across chunks, and a key
// never kept, or one that is a prefix of a kept key, finds nothing.
func TestKeptSet(t *testing.T) {
	type result struct {
		key, html string
		addrs     []string
	}
	var results []result
	for i := range 3000 {
		r := result{key: fmt.Sprintf("partials/card.html\x00page:speakers/p-%d/", i), html: fmt.Sprintf("<a href=../p-%d/>P %d</a>", i, i)}
		switch i % 4 {
		case 0:
			r.addrs = []string{fmt.Sprintf("speakers/p-%d/", i)}
		case 1:
			r.addrs = []string{"days/", fmt.Sprintf("speakers/p-%d/", i), "topics/x/"}
		case 2:
			r.html = "" // a partial may print nothing
		}
		results = append(results, r)
	}
	results = append(results, result{key: "big", html: strings.Repeat("x", keptChunk+10), addrs: []string{"a/"}})
	results = append(results, result{key: "after-big", html: "<p>", addrs: nil})
	var k *keptSet
	if _, _, ok := k.find([]byte("big")); ok {
		t.Fatal("a folder with nothing kept found a result")
	}
	k = &keptSet{}
	for _, r := range results {
		if got := k.add([]byte(r.key), []byte(r.html), r.addrs); string(got) != r.html {
			t.Fatalf("add(%q) returned %q, want %q", r.key, got, r.html)
		}
	}
	for _, r := range results {
		html, addrs, ok := k.find([]byte(r.key))
		var got []string
		addrs.each(func(a string) { got = append(got, a) })
		if !ok || string(html) != r.html || strings.Join(got, " ") != strings.Join(r.addrs, " ") {
			t.Fatalf("find(%q) = %.40q, %q, %v; want %.40q, %q", r.key, html, got, ok, r.html, r.addrs)
		}
		if want := anyUnder(r.addrs, "speakers/p-1/"); addrs.anyUnder("speakers/p-1/") != want {
			t.Errorf("anyUnder of %q = %v, want %v", r.key, !want, want)
		}
	}
	for _, key := range []string{"partials/card.html", "bi", "never kept", ""} {
		if _, _, ok := k.find([]byte(key)); ok {
			t.Errorf("find(%q) found a result never kept", key)
		}
	}
	if len(k.chunks) < 3 {
		t.Errorf("%d chunks, want the results spread over several", len(k.chunks))
	}
}

// Results whose keys share a hash are all found: the records of one hash form a chain.
func TestKeptSetSameHash(t *testing.T) {
	defer func(h func([]byte) uint64) { hashKey = h }(hashKey)
	hashKey = func([]byte) uint64 { return 7 }
	k := &keptSet{}
	for _, key := range []string{"a", "b", "ab", ""} {
		k.add([]byte(key), []byte("<"+key+">"), []string{key + "/"})
	}
	for _, key := range []string{"a", "b", "ab", ""} {
		html, addrs, ok := k.find([]byte(key))
		if !ok || string(html) != "<"+key+">" || string(addrs) != key+"/\x00" {
			t.Errorf("find(%q) = %q, %q, %v", key, html, addrs, ok)
		}
	}
	if _, _, ok := k.find([]byte("c")); ok {
		t.Error("a key never kept was found among those of its hash")
	}
}
