package frontmatter

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlFastCases are front matter texts (between the "---" lines) that the fast decoder must
// accept, giving what yaml.v3 gives, or must decline.
var yamlFastCases = []struct {
	name   string
	text   string
	accept bool
}{
	// Accepted.
	{"typical", typicalPage[len("---\n") : strings.Index(typicalPage, "\n---\n")+1], true},
	{"one key", "title: Hello\n", true},
	{"no final newline", "title: Hello", true},
	{"keys with - and _", "full_name: x\nshort-name: yy\n_hidden: z\nA1: w\n", true},
	{"blank lines", "\n\na: b\n\n\nc: d\n\n", true},
	{"words", "title: Green city accord 42\n", true},
	{"colon without space", "time: at 12:30\nurl: https://example.org/a?b=c&d=e\nratio: a:b\n", true},
	{"indicators inside", "a: Tom & Jerry, [c] {d} *e !f |g >h %i @j `k ?l\n", true},
	{"quotes inside plain", "a: it's \"x\"\n", true},
	{"dash inside", "a: b - c\nb: x-y\n", true},
	{"hash without space", "a: C# and F#\n", true},
	{"starts with (, / or _", "a: (draft)\nb: /path/to\nc: _x\n", true},
	{"non-ASCII", "a: Ödön ünter\nb: 😀 x\nc: 北京\nd: x:\u00a0y\ne: \u00a0nbsp\u00a0\nf: x\u00a0#y\ng: x:\u00a0\n", true},
	{"integers", "a: 0\nb: 3\nc: 42\nd: 123456789012345678\n", true},
	{"booleans", "a: true\nb: false\n", true},
	{"dates", "a: 2020-09-21\nb: 2020-02-29\nc: 1999-12-31\nd: 0001-01-01\n", true},
	{"digit then space", "a: 3 little pigs\nb: 2 days\nc: 1 2\nd: 0x1F apples\n", true},
	{"double quoted", "a: \"A sentence with a comma, and an apostrophe’s curl.\"\nb: \"x: y # z\"\n", true},
	{"double quoted escapes", "a: \"say \\\"hi\\\" \\\\ there\\n\\tnext\"\n", true},
	{"double quoted looks like other types", "a: \"true\"\nb: \"42\"\nc: \"2020-01-01\"\nd: \"\"\ne: \"null\"\n", true},
	{"single quoted", "a: 'it''s'\nb: 'x: y # z'\nc: ''\nd: 'back\\slash'\ne: '''q'''\n", true},
	{"flow list", "speakers: [spe-00012, spe-00345]\n", true},
	{"flow list spaces", "a: [ a , b ,c ]\n", true},
	{"flow list mixed", "a: [x y, 3, true, 2020-01-02, \"q, r]\", 'it''s', (p), a+b & c]\n", true},
	{"flow list one", "a: [x]\n", true},
	{"block list", "organisations:\n  - dg-env\n  - dg-regio\n", true},
	{"block list at column 1", "tags:\n- a\n- b\nnext: x\n", true},
	{"block list deep indent", "tags:\n    - a\n    - 'b'\n    - 7\n", true},
	{"block list blank lines", "tags:\n\n  - a\n\n  - b\n\nc: d\n", true},
	{"nested map", "params:\n  acronym: GCA\n  full_name: Directorate-General for Environment\n  num: 3\n  l: [a, b]\nnext: 1\n", true},
	{"nested map indent 4", "params:\n    a: b\n    c: d\n", true},
	{"same key in two maps", "a: 1\np:\n  a: 2\n", true},

	// Declined: YAML 1.1 words, null, empty values.
	{"yes", "a: yes\n", false},
	{"no", "a: No\n", false},
	{"on", "a: on\n", false},
	{"off", "a: OFF\n", false},
	{"y", "a: y\n", false},
	{"n", "a: n\n", false},
	{"True", "a: True\n", false},
	{"FALSE", "a: FALSE\n", false},
	{"tilde", "a: ~\n", false},
	{"null", "a: null\n", false},
	{"Null", "a: Null\n", false},
	{"empty value last", "a:\n", false},
	{"empty value", "a:\nb: c\n", false},
	{"empty value space", "a: \nb: c\n", false},
	{"empty list item", "a:\n  -\n", false},
	{"empty list item space", "a:\n  - \n", false},
	{"empty nested value", "a:\n  b:\n  c: d\n", false},
	{"empty text", "", false},
	{"only blank lines", "\n\n", false},
	{"only a comment", "# nothing\n", false},

	// Declined: numbers other than plain decimal integers.
	{"inf", "a: .inf\n", false},
	{"minus inf", "a: -.inf\n", false},
	{"nan", "a: .nan\n", false},
	{"dot five", "a: .5\n", false},
	{"exponent", "a: 1e3\n", false},
	{"float", "a: 1.5\n", false},
	{"float zero", "a: 1.0\n", false},
	{"plus", "a: +1\n", false},
	{"minus", "a: -1\n", false},
	{"hex", "a: 0x1F\n", false},
	{"octal 1.2", "a: 0o17\n", false},
	{"octal 1.1", "a: 017\n", false},
	{"binary", "a: 0b101\n", false},
	{"underscores", "a: 1_000\n", false},
	{"nineteen digits", "a: 1234567890123456789\n", false},
	{"uint64", "a: 18446744073709551615\n", false},
	{"too big", "a: 99999999999999999999999\n", false},
	{"base 60", "a: 1:30\n", false},
	{"digits and letters", "a: 3rd\n", false},

	// Declined: timestamps other than plain valid dates.
	{"timestamp T", "a: 2020-09-21T10:00:00Z\n", false},
	{"timestamp space", "a: 2020-09-21 10:00:00\n", false},
	{"timestamp space then text", "a: 2020-09-21 opening\n", false},
	{"short date", "a: 2020-9-1\n", false},
	{"bad day", "a: 2020-02-30\n", false},
	{"bad month", "a: 2020-13-01\n", false},
	{"month zero", "a: 2020-00-10\n", false},
	{"date in flow list then junk", "a: [2020-01-01x]\n", false},

	// Declined: quoted strings beyond the simple ones.
	{"unicode escape", "a: \"caf\\u00e9\"\n", false},
	{"hex escape", "a: \"\\x41\"\n", false},
	{"slash escape", "a: \"a\\/b\"\n", false},
	{"space escape", "a: \"a\\ b\"\n", false},
	{"nul escape", "a: \"a\\0\"\n", false},
	{"escape at end", "a: \"a\\\"\n", false},
	{"unclosed double", "a: \"abc\n", false},
	{"unclosed single", "a: 'abc\n", false},
	{"multi-line double", "a: \"abc\n  def\"\n", false},
	{"multi-line single", "a: 'abc\n  def'\n", false},
	{"text after quote", "a: \"b\" c\n", false},
	{"comment after quote", "a: \"b\" # c\n", false},
	{"space after quote", "a: 'b' \n", false},

	// Declined: comments and other indicators.
	{"comment line", "# c\na: b\n", false},
	{"comment after value", "a: b # c\n", false},
	{"comment after key", "a: # c\n  - b\n", false},
	{"hash at start", "a: #b\n", false},
	{"colon space inside", "a: b: c\n", false},
	{"colon at end", "a: b:\n", false},
	{"dash space start", "a: - b\n", false},
	{"dash start", "a: -b\n", false},
	{"trailing space", "a: b \n", false},
	{"two spaces after colon", "a:  b\n", false},
	{"space before colon", "a : b\n", false},
	{"no space after colon", "a:b\n", false},
	{"duplicate key", "a: b\na: c\n", false},
	{"duplicate key after list", "a:\n  - x\nb: 1\na: c\n", false},
	{"duplicate nested key", "p:\n  a: 1\n  a: 2\n", false},
	{"anchor", "a: &x b\n", false},
	{"alias", "a: b\nc: *a\n", false},
	{"merge", "a:\n  b: c\n<<: *a\n", false},
	{"tag", "a: !!str 1\n", false},
	{"local tag", "a: !x b\n", false},
	{"literal block", "a: |\n  b\n", false},
	{"folded block", "a: >\n  b\n", false},
	{"complex key", "? a\n: b\n", false},
	{"directive", "%YAML 1.2\na: b\n", false},
	{"at sign", "a: @b\n", false},
	{"backquote", "a: `b`\n", false},
	{"flow map", "a: {b: c}\n", false},
	{"flow map in list", "a: [b, {c: d}]\n", false},
	{"flow map top", "{a: b}\n", false},
	{"ampersand start", "a: & b\n", false},
	{"percent start", "a: %b\n", false},
	{"question start", "a: ?b\n", false},
	{"dot start", "a: .b\n", false},
	{"document end", "a: b\n...\n", false},
	{"document start", "a: b\n---\nc: d\n", false},

	// Declined: lists beyond one-line flow lists and simple block lists.
	{"empty flow list", "a: []\n", false},
	{"empty flow list space", "a: [ ]\n", false},
	{"trailing comma", "a: [b, c,]\n", false},
	{"double comma", "a: [b,, c]\n", false},
	{"multi-line flow list", "a: [b,\n  c]\n", false},
	{"nested flow list", "a: [b, [c]]\n", false},
	{"flow list in block list", "a:\n  - [b]\n", false},
	{"nested block list", "a:\n  - - b\n", false},
	{"map in block list", "a:\n  - b: c\n", false},
	{"block list under nested key", "a:\n  b:\n    - c\n", false},
	{"map under nested key", "a:\n  b:\n    c: d\n", false},
	{"text after flow list", "a: [b] c\n", false},
	{"space after flow list", "a: [b] \n", false},
	{"colon in flow item", "a: [b:c]\n", false},
	{"hash in flow item", "a: [b #c]\n", false},
	{"quote then text in flow", "a: [\"b\"c]\n", false},
	{"unclosed flow", "a: [b, c\n", false},
	{"null in flow", "a: [~, b]\n", false},
	{"yes in flow", "a: [yes]\n", false},
	{"float in flow", "a: [1.5]\n", false},

	// Declined: indentation and layout.
	{"continued plain", "a: b\n  c\n", false},
	{"continued plain at column 1", "a: b\nc\n", false},
	{"continued list item", "a:\n  - b\n    c\n", false},
	{"indented first key", "  a: b\n", false},
	{"uneven list", "a:\n  - b\n   - c\n", false},
	{"uneven list less", "a:\n   - b\n  - c\n", false},
	{"uneven map", "a:\n  b: 1\n   c: 2\n", false},
	{"uneven map less", "a:\n   b: 1\n  c: 2\n", false},
	{"list then map", "a:\n  - b\n  c: d\n", false},
	{"map then list", "a:\n  b: c\n  - d\n", false},
	{"spaces-only line", "a: b\n  \nc: d\n", false},
	{"list at column 1 then dash", "a:\n- b\n-c\n", false},
	{"top-level list", "- a\n- b\n", false},
	{"top-level scalar", "just text\n", false},

	// Declined: characters.
	{"tab after colon", "a:\tb\n", false},
	{"tab indent", "a:\n\t- b\n", false},
	{"tab inside", "a: b\tc\n", false},
	{"crlf", "a: b\r\nc: d\r\n", false},
	{"carriage return", "a: b\rc\n", false},
	{"control", "a: b\x01c\n", false},
	{"delete", "a: b\x7fc\n", false},
	{"nel", "a: x\u0085y\n", false},
	{"line separator", "a: x\u2028y\n", false},
	{"paragraph separator", "a: x\u2029y\n", false},
	{"bom", "a: x\ufeffy\n", false},
	{"invalid utf-8", "a: caf\xe9\n", false},

	// Declined: keys that need quoting or resolve to other types.
	{"double-quoted key", "\"a b\": c\n", false},
	{"single-quoted key", "'a': b\n", false},
	{"key with space", "a b: c\n", false},
	{"key with dot", "a.b: c\n", false},
	{"digit key", "1: x\n", false},
	{"true key", "true: x\n", false},
	{"on key", "on: x\n", false},
	{"null key", "null: x\n", false},
	{"dash key", "-a: x\n", false},
	{"nested digit key", "a:\n  1: x\n", false},
	{"nested true key", "a:\n  true: x\n", false},
	{"long key", strings.Repeat("k", 201) + ": x\n", false},
}

// viaYAMLv3 decodes text the way decode does without the fast path.
func viaYAMLv3(text []byte) (map[string]any, error) {
	var v map[string]any
	if err := yaml.Unmarshal(text, &v); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, val := range v {
		out[k] = normalize(val)
	}
	return out, nil
}

// checkYAMLFast fails if the fast decoder accepts text and gives something else than yaml.v3.
// It returns whether the fast decoder accepted.
func checkYAMLFast(t *testing.T, text []byte) bool {
	t.Helper()
	got, ok := decodeYAMLFast(text)
	if !ok {
		if got != nil {
			t.Fatalf("declined but returned %#v", got)
		}
		return false
	}
	want, err := viaYAMLv3(text)
	if err != nil {
		t.Fatalf("fast decoder accepted %q, which yaml.v3 rejects: %v\nfast: %#v", text, err, got)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fast decoder on %q\ngot  %s\nwant %s", text, describe(got), describe(want))
	}
	return true
}

// describe prints a value with the Go types of everything in it.
func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		var b strings.Builder
		b.WriteString("{")
		for k, val := range x {
			fmt.Fprintf(&b, "%q: %s, ", k, describe(val))
		}
		b.WriteString("}")
		return b.String()
	case []any:
		var parts []string
		for _, val := range x {
			parts = append(parts, describe(val))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return fmt.Sprintf("%T(%#v)", v, v)
	}
}

func TestYAMLFast(t *testing.T) {
	for _, tt := range yamlFastCases {
		t.Run(tt.name, func(t *testing.T) {
			accepted := checkYAMLFast(t, []byte(tt.text))
			if accepted != tt.accept {
				t.Errorf("accepted = %v, want %v, for %q", accepted, tt.accept, tt.text)
			}
		})
	}
}

// TestYAMLFastParse checks that Parse gives the same Matter, or the same error, with and
// without the fast decoder.
func TestYAMLFastParse(t *testing.T) {
	defer func(old bool) { useFastYAML = old }(useFastYAML)
	for _, tt := range yamlFastCases {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte("---\n" + tt.text)
			if !strings.HasSuffix(tt.text, "\n") {
				src = append(src, '\n')
			}
			src = append(src, "---\nbody\n"...)
			useFastYAML = true
			m1, body1, line1, err1 := Parse("content/x.md", src)
			useFastYAML = false
			m2, body2, line2, err2 := Parse("content/x.md", src)
			same := reflect.DeepEqual(m1, m2) && reflect.DeepEqual(err1, err2) ||
				fmt.Sprintf("%#v %#v", m1, err1) == fmt.Sprintf("%#v %#v", m2, err2) // NaN is not DeepEqual to itself
			if !same || string(body1) != string(body2) || line1 != line2 {
				t.Errorf("Parse differs with the fast decoder:\n%#v %q %d %v\n%#v %q %d %v", m1, body1, line1, err1, m2, body2, line2, err2)
			}
		})
	}
}

// TestYAMLFastTypes pins the Go types of the typical front matter, independently of yaml.v3.
func TestYAMLFastTypes(t *testing.T) {
	got, ok := decodeYAMLFast([]byte(yamlFastCases[0].text))
	if !ok {
		t.Fatal("the typical front matter was declined")
	}
	want := fmt.Sprint(map[string]any{
		"title":         "Green city accord 42",
		"summary":       "A sentence with a comma, and an apostrophe’s curl.",
		"date":          "2020-09-21 00:00:00 +0000 UTC",
		"weight":        int64(3),
		"draft":         false,
		"speakers":      []any{"spe-00012", "spe-00345"},
		"organisations": []any{"dg-env", "dg-regio"},
		"params": map[string]any{
			"acronym":   "GCA",
			"full_name": "Directorate-General for Environment",
			"parent":    "European Commission",
		},
	})
	if s := fmt.Sprint(got); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	if _, ok := got["weight"].(int64); !ok {
		t.Errorf("weight is %T", got["weight"])
	}
}

// FuzzYAMLFast checks that whatever the fast decoder accepts, yaml.v3 accepts too and decodes
// to the same values.
func FuzzYAMLFast(f *testing.F) {
	for _, tt := range yamlFastCases {
		f.Add([]byte(tt.text))
	}
	for _, a := range append(yamlGoodAtoms, yamlAtoms...) {
		f.Add([]byte("a: " + a + "\nb:\n  - " + a + "\nc:\n  d: [" + a + ", " + a + "]\n"))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		checkYAMLFast(t, text)
	})
}

// yamlAtoms are values, tricky ones mostly, that TestYAMLFastGenerated puts in every place
// the fast decoder knows.
var yamlAtoms = []string{
	"a", "abc def", "x: y", "x:y", "x:", "x #y", "x#y", "#x", "- x", "-x", "x - y", "-",
	"0", "00", "007", "7", "42", "-1", "+1", "1.5", ".5", "1e3", "1_000", "0x1F", "0o17", "0b1",
	"1 2", "1:30", "0 x", "12 x", "0.", "1.", "1e", "e1", "123456789012345678", "1234567890123456789",
	"2020-01-01", "2020-1-1", "2020-01-01 10:00:00", "2020-01-01T10:00:00Z", "2020-02-30",
	"2020-01-01 x", "1999-12-31 x", "0000-01-01", "2020-01-011",
	"true", "True", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "Null",
	".inf", ".nan", "NaN", "Infinity", "<<", "=", "x=y",
	"é", "😀", "\u00a0x", "x\u00a0", "(x)", "/x", "_x", "x,y", "x, y", "x]", "x[", "x}", "{x", "[x",
	"&x", "*x", "!x", "!!str x", "|", ">", "`x`", "@x", "%x", "?x", "? x", "x?",
	"'x'", "\"x\"", "'x''y'", "\"x\\\"y\"", "\"\\u0041\"", "\"\\/\"", "\"a\\tb\"", "\"a\\\\b\"", "''", "\"\"",
	"'a, b'", "\"[x]\"", "'#'", "\"a: b\"", "x y", "x  y", "x ", " x", "x\ty",
}

// yamlGoodAtoms are values the fast decoder accepts, to make whole texts it accepts.
var yamlGoodAtoms = []string{
	"a", "abc def", "x:y", "x#y", "x - y", "0", "7", "42", "1 2", "0 x", "2020-01-01", "0000-01-01",
	"true", "false", "é", "😀", "(x)", "/x", "_x", "x, y", "'x'", "\"x\"", "'x''y'", "\"a\\tb\"", "''",
	"\"\"", "'a, b'", "\"a: b\"", "x  y", "a+b & c",
}

// yamlKeys are keys, good and bad, for TestYAMLFastGenerated.
var yamlKeys = []string{"a", "b", "title", "c-d", "_e", "Ab", "on", "true", "1", "a b", "x.y", "\"q\"", "-k"}

// TestYAMLFastGenerated builds many front matter texts from tricky pieces, in every
// structure the fast decoder knows and some it does not, and checks that whatever it
// accepts it decodes as yaml.v3 does.
func TestYAMLFastGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	atom := func() string {
		if rng.IntN(10) < 8 {
			return pick(yamlGoodAtoms)
		}
		return pick(yamlAtoms)
	}
	flow := func() string {
		var items []string
		for n := rng.IntN(4); n >= 0; n-- {
			items = append(items, atom())
		}
		seps := []string{", ", ",", " , ", ",  "}
		s := "[" + strings.Join(items, pick(seps)) + "]"
		if rng.IntN(10) == 0 {
			s = "[ " + s[1:]
		}
		return s
	}
	value := func() string {
		if rng.IntN(4) == 0 {
			return flow()
		}
		return atom()
	}
	indent := func(base int) string {
		if rng.IntN(15) == 0 {
			base += rng.IntN(3) - 1
		}
		return strings.Repeat(" ", max(base, 0))
	}
	accepted := 0
	const docs = 30000
	for range docs {
		var b strings.Builder
		for n := rng.IntN(5); n >= 0; n-- {
			key := "k" + pick(yamlKeys)
			if rng.IntN(10) == 0 {
				key = pick(yamlKeys)
			}
			switch rng.IntN(6) {
			case 0: // a block list
				b.WriteString(key + ":\n")
				base := []int{0, 1, 2, 4}[rng.IntN(4)]
				for m := rng.IntN(3); m >= 0; m-- {
					b.WriteString(indent(base) + "- " + atom() + "\n")
				}
			case 1: // a map
				b.WriteString(key + ":\n")
				base := []int{1, 2, 4}[rng.IntN(3)]
				for m := rng.IntN(3); m >= 0; m-- {
					sub := "n" + pick(yamlKeys)
					if rng.IntN(10) == 0 {
						sub = pick(yamlKeys)
					}
					b.WriteString(indent(base) + sub + ": " + value() + "\n")
				}
			default:
				b.WriteString(key + ": " + value() + "\n")
			}
			switch rng.IntN(20) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString("# comment\n")
			case 2:
				b.WriteString("  \n")
			}
		}
		if checkYAMLFast(t, []byte(b.String())) {
			accepted++
		}
	}
	// The pieces are chosen so that a fair share of the texts is accepted.
	t.Logf("%d of %d generated texts accepted", accepted, docs)
	if accepted < docs/20 {
		t.Errorf("only %d of %d generated texts accepted", accepted, docs)
	}
}
