package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// escapeRawHTML renders raw HTML (blocks and inline tags) as text, so that it shows on the
// page as written instead of being run or silently left out. It is used when the site's
// settings do not let raw HTML through.
type escapeRawHTML struct{}

func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*ast.HTMLBlock)
		if entering {
			_, _ = w.WriteString("<p>")
			var text []byte
			for i := range n.Lines().Len() {
				seg := n.Lines().At(i)
				text = append(text, seg.Value(src)...)
			}
			if n.HasClosure() {
				seg := n.ClosureLine
				text = append(text, seg.Value(src)...)
			}
			_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(text, "\n")))
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		n := node.(*ast.RawHTML)
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
		return ast.WalkSkipChildren, nil
	})
}

// ScriptURL reports whether a link destination would run a script or read a local file when
// followed: javascript:, vbscript:, file: and data: URLs (data: images of the common kinds
// excepted, where image is set). Browsers ignore tabs, newlines and leading spaces and
// control characters in a URL, and so does this.
func ScriptURL(dest string, image bool) bool {
	var b strings.Builder
	for _, r := range dest {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if b.Len() == 0 && (r <= ' ' || r == '\u00a0' || r == '\ufeff') {
			continue
		}
		b.WriteRune(r)
		if b.Len() > 16 {
			break
		}
	}
	s := strings.ToLower(b.String())
	for _, scheme := range []string{"javascript:", "vbscript:", "file:", "livescript:"} {
		if strings.HasPrefix(s, scheme) {
			return true
		}
	}
	if strings.HasPrefix(s, "data:") {
		if !image {
			return true
		}
		low := strings.ToLower(dest)
		for _, t := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if strings.HasPrefix(strings.TrimSpace(low), t) {
				return false
			}
		}
		return true
	}
	return false
}

// linkAttributes are the attributes a link may carry: goldmark's, and hreflang, which
// marks a link to a page in another language.
var linkAttributes = html.LinkAttributeFilter.ExtendString("hreflang")

// langLabel is the attribute, never rendered, that holds the words shown after a link to a
// page in another language, such as "(in English)".
var langLabel = []byte("recap-lang-label")

// linkRenderer renders links as goldmark does, with hreflang, and after a link to a page
// in another language, the words that say so.
type linkRenderer struct{ unsafe bool }

func (r linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*ast.Link)
		if !entering {
			_, _ = w.WriteString("</a>")
			if label, ok := n.Attribute(langLabel); ok {
				_, _ = w.WriteString(` <span class="lang-note">`)
				_, _ = w.Write(util.EscapeHTML(label.([]byte)))
				_, _ = w.WriteString(`</span>`)
			}
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<a href="`)
		dest := util.URLEscape(n.Destination, true)
		if r.unsafe || !html.IsDangerousURL(dest) {
			_, _ = w.Write(util.EscapeHTML(dest))
		}
		_ = w.WriteByte('"')
		if n.Title != nil {
			_, _ = w.WriteString(` title="`)
			html.DefaultWriter.Write(w, n.Title)
			_ = w.WriteByte('"')
		}
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, linkAttributes)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	})
}
