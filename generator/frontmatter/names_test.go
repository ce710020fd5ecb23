package frontmatter

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestKeysShared: two files' keys are one copy each, in the values and in the key list,
// in every format and in a nested map; past maxNames, keys are still right but not kept.
func TestKeysShared(t *testing.T) {
	docs := map[string]string{
		"yaml": "---\ntitle: A\norganisation_name: x\nparams:\n  organisation_name: y\n---\n",
		"toml": "+++\ntitle = \"A\"\norganisation_name = \"x\"\n[params]\norganisation_name = \"y\"\n+++\n",
		"json": "{\n\"title\": \"A\",\n\"organisation_name\": \"x\",\n\"params\": {\"organisation_name\": \"y\"}\n}\nThe body.\n",
	}
	for format, doc := range docs {
		a, _, _, err := Parse("a.md", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		b, _, _, err := Parse("b.md", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		ka, kb := keyOf(a.Values, "organisation_name"), keyOf(b.Values, "organisation_name")
		if unsafe.StringData(ka) != unsafe.StringData(kb) {
			t.Errorf("%s: the two files' keys are two copies", format)
		}
		nested := a.Values["params"].(map[string]any)
		if k := keyOf(nested, "organisation_name"); unsafe.StringData(k) != unsafe.StringData(ka) {
			t.Errorf("%s: the nested map's key is another copy", format)
		}
		if format != "json" {
			if i := indexOf(b.Keys, "organisation_name"); i < 0 || unsafe.StringData(b.Keys[i]) != unsafe.StringData(ka) {
				t.Errorf("%s: the key list's key is another copy: %q", format, b.Keys)
			}
		}
	}
	for i := range maxNames + 10 {
		k := fmt.Sprintf("key_%d", i)
		m, _, _, err := Parse("c.md", []byte("---\n"+k+": 1\n---\n"))
		if err != nil {
			t.Fatal(err)
		}
		if m.Values[k] != int64(1) || len(m.Keys) != 1 || m.Keys[0] != k {
			t.Fatalf("key %d read as %v %q", i, m.Values, m.Keys)
		}
	}
	names.RLock()
	n := len(names.m)
	names.RUnlock()
	if n > maxNames {
		t.Errorf("%d keys kept, more than %d", n, maxNames)
	}
}

// keyOf returns the key of m equal to k, as m holds it.
func keyOf(m map[string]any, k string) string {
	for key := range m {
		if key == k {
			return key
		}
	}
	return ""
}

func indexOf(s []string, k string) int {
	for i, v := range s {
		if v == k {
			return i
		}
	}
	return -1
}
