package markdown

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzConvert feeds arbitrary bodies to the converter: it must not panic or hang, its
// diagnostics must point into the body, and without raw HTML no tag of the body and no
// script URL may reach the output.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"# Title {#id}\n\nA [link](../b/c.md#x) and ![img](../../static/a.png).\n",
		"[x](javascript:alert(1)) <javascript:alert(2)> [y](JAVASCRIPT:x)",
		"<script>alert(1)</script>\n\n<div onclick=x>\n</div>\n",
		"| a | b |\n|---|---|\n| <b>1</b> | [c](#d) |\n",
		"Text[^1].\n\n[^1]: Note <i>x</i>.",
		"[ref]\n\n[ref]: ../../../etc/passwd",
		"- [ ] task\n- [x] done ~~no~~",
		"[c](&#x6a;avascript:alert(3)) [d](java&#115;cript:x) ![e](data:text/html,x)",
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("<b>bold</b> [x](vbscript:y)"), true)
	convs := map[bool]*Converter{false: New(Options{}), true: New(Options{RawHTML: true})}
	f.Fuzz(func(t *testing.T, body []byte, raw bool) {
		doc := convs[raw].Convert(Input{Source: "content/a/b.md", URL: "a/b/", Body: body, BodyLine: 3})
		lines := bytes.Count(body, []byte("\n")) + 3
		for _, d := range doc.Diags {
			if d.Line < 3 || d.Line > lines || d.Col < 1 {
				t.Fatalf("diagnostic outside the body (lines 3 to %d): %v", lines, d)
			}
		}
		out := strings.ToLower(string(doc.HTML))
		for _, bad := range []string{`href="javascript:`, `src="javascript:`, `href="vbscript:`, `href="data:`} {
			if strings.Contains(out, bad) {
				t.Fatalf("a script URL reached the output: %s", doc.HTML)
			}
		}
		if !raw && strings.Contains(out, "<script") {
			t.Fatalf("a script tag reached the output without raw_html: %s", doc.HTML)
		}
		if want := len(strings.Fields(doc.PlainText)); doc.WordCount != want {
			t.Fatalf("word count %d, strings.Fields finds %d in %q", doc.WordCount, want, doc.PlainText)
		}
		if doc.PlainText != strings.TrimSpace(doc.PlainText) || !strings.Contains(doc.PlainText, doc.Summary) {
			t.Fatalf("summary %q is not in the trimmed plain text %q", doc.Summary, doc.PlainText)
		}
		for _, l := range doc.Links {
			if strings.HasPrefix(l.Target, "../") || strings.HasPrefix(l.Target, "/") || strings.Contains("/"+l.Target+"/", "/../") {
				t.Fatalf("a link target leaves the site: %q", l.Target)
			}
		}
	})
}
