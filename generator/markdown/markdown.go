// Package markdown turns a Markdown body into HTML with goldmark (GFM, footnotes,
// typographer, heading ids) and, on the way, rewrites links to source files into relative
// links to the pages they become, and collects what later stages need: the headings, the ids
// a fragment may name, the links to check, a summary and the plain text. It does not decide
// whether a link's target exists; resolve does.
package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/urls"
)

// AnchorClass is the class of the link each heading gets to itself.
const AnchorClass = "heading-anchor"

// AnchorLabel is the accessible name of the link a heading with the given text gets to
// itself: the link shows only "#", which says nothing to a screen reader.
func AnchorLabel(heading string) string {
	return "Link to this section: " + heading
}

// headingAnchor is the link a heading gets to itself. It is a node of its own, not an
// ast.Link, so that it can carry an aria-label (goldmark renders only some attributes of
// links) and so that no text of it reaches the plain text.
type headingAnchor struct {
	ast.BaseInline
	ID    []byte
	Label string
}

var kindHeadingAnchor = ast.NewNodeKind("HeadingAnchor")

func (n *headingAnchor) Kind() ast.NodeKind { return kindHeadingAnchor }

func (n *headingAnchor) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": string(n.ID), "Label": n.Label}, nil)
}

// headingGroup holds a heading and, after it, its link to itself: the link stays out of
// the heading, so the heading's accessible name is its text alone.
type headingGroup struct {
	ast.BaseBlock
}

var kindHeadingGroup = ast.NewNodeKind("HeadingGroup")

func (n *headingGroup) Kind() ast.NodeKind { return kindHeadingGroup }

func (n *headingGroup) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// HeadingClass is the class of the element around a heading and its link.
const HeadingClass = "heading"

type headingAnchorRenderer struct{}

func (headingAnchorRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindHeadingAnchor, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*headingAnchor)
		_, _ = w.WriteString(`<a href="#`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.ID, true)))
		_, _ = w.WriteString(`" class="` + AnchorClass + `" aria-label="`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.Label)))
		_, _ = w.WriteString(`">#</a>`)
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindHeadingGroup, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="` + HeadingClass + `">`)
		} else {
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
}

// anchorLinks matches the links headingAnchorRenderer writes.
var anchorLinks = regexp.MustCompile(`<a href="#[^"]*" class="` + AnchorClass + `" aria-label="[^"]*">#</a>`)

// WithoutAnchors returns converted HTML without the links headings get to themselves, for
// places that show a body outside its page, such as a feed, where a bare "#" helps nobody.
func WithoutAnchors(html string) string { return anchorLinks.ReplaceAllString(html, "") }

// Options set how bodies are converted.
type Options struct {
	// RawHTML lets raw HTML in Markdown through; when off it is shown as text, escaped, and
	// a warning says so.
	RawHTML bool
	// FileURLs makes links to pages end in index.html.
	FileURLs bool
	// Multilingual lets links carry hreflang and a label after them (see Input.Link).
	Multilingual bool
	// Images, when set, turns images beside the content into responsive pictures; without
	// it such an image is an error.
	Images *media.Pipeline
}

// Converter converts bodies; it is safe for concurrent use.
type Converter struct {
	md   goldmark.Markdown
	opts Options
	bufs sync.Pool
}

// New returns a Converter.
func New(opts Options) *Converter {
	rendererOpts := []renderer.Option{}
	if opts.RawHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
	}
	rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(headingAnchorRenderer{}, 100), util.Prioritized(pictureRenderer{}, 100)))
	if opts.Multilingual {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(linkRenderer{unsafe: opts.RawHTML}, 100)))
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	c := &Converter{md: md, opts: opts}
	c.bufs.New = func() any {
		b := &renderBuf{}
		b.w = bufio.NewWriter(&b.buf)
		return b
	}
	return c
}

// renderBuf is where one body is rendered: a buffer and a buffered writer into it, and
// the buffer of its plain text.
type renderBuf struct {
	buf  bytes.Buffer
	w    *bufio.Writer
	text []byte
}

// Doc is what converting one body gives.
type Doc struct {
	HTML      string
	Headings  []site.Heading
	Anchors   map[string]bool
	Links     []site.BodyLink
	Summary   string
	PlainText string
	WordCount int
	Diags     diag.List
}

// Input is one body to convert.
type Input struct {
	// Source is the slash path of the file relative to the site root (content/days/day-1.md).
	Source string
	// URL is the address of the page the body is on.
	URL string
	// Body is the Markdown; it starts on line BodyLine of the file.
	Body     []byte
	BodyLine int
	// Link, when set, says where a link to a content file goes (a multilingual site's
	// pages link to the version in their own language): the file it stands for, its
	// address, and the language of the page linked to when it differs from this page's,
	// which the link is marked with (hreflang, with Options.Multilingual), and the words
	// shown after the link to say so ("(in English)"). When nil, a link goes to the file's
	// own address.
	Link func(target string) (source, addr, hreflang, label string)
	// AnchorLabel, when set, starts the accessible name of a heading's link to itself in
	// the page's language, before the heading's text ("Lien vers cette section : ");
	// otherwise it is AnchorLabel's English.
	AnchorLabel string
	// OwnImage says the page has a picture of its own (front matter image:), which its
	// template shows first: then no image of the body is loaded eagerly.
	OwnImage bool
}

var docKey = parser.NewContextKey()

type state struct {
	// cur is where lineCol last stopped.
	cur struct{ off, line, col int }

	in         Input
	opts       Options
	doc        *Doc
	warnedHTML bool
	// pictures counts the images of the body turned into pictures.
	pictures int
}

const scriptMsg = "the link %q would run a script or open a local file, so it is left out: link to a page, a file or a web address (https://...)"

// posAt returns the position in the file of byte offset off of the body.
func (st *state) posAt(src []byte, off int) diag.Pos {
	l, c := st.lineCol(src, off)
	return diag.Pos{Path: st.in.Source, Line: st.in.BodyLine + l - 1, Col: c}
}

// Convert converts one body; the Doc holds its HTML and plain text.
func (c *Converter) Convert(in Input) *Doc {
	var html, text string
	doc := c.ConvertInto(in, func(h, t []byte) { html, text = string(h), string(t) })
	doc.HTML, doc.PlainText = html, text
	return doc
}

// ConvertInto converts one body and gives its HTML and plain text to keep instead of the
// Doc, whose HTML and PlainText stay empty: they are the converter's buffers, used again
// once keep returns, so keep copies what it needs (a large site's bodies go straight into
// a file, and two strings a page fewer are made and collected).
func (c *Converter) ConvertInto(in Input, keep func(html, text []byte)) *Doc {
	doc := &Doc{Anchors: map[string]bool{}}
	ctx := parser.NewContext()
	ctx.Set(docKey, &state{in: in, opts: c.opts, doc: doc})
	root := c.md.Parser().Parse(text.NewReader(in.Body), parser.WithContext(ctx))
	// The renderer wraps a plain writer in a new bufio.Writer each time; a pooled one saves that.
	out := c.bufs.Get().(*renderBuf)
	out.buf.Reset()
	out.w.Reset(&out.buf)
	err := c.md.Renderer().Render(out.w, in.Body, root)
	if err == nil {
		err = out.w.Flush()
	}
	if err != nil {
		doc.Diags = append(doc.Diags, diag.Wrap(diag.Pos{Path: in.Source, Line: in.BodyLine, Col: 1}, err, "the Markdown could not be rendered: "+err.Error()))
	}
	out.text = collectText(root, in.Body, doc, out.text[:0])
	keep(out.buf.Bytes(), out.text)
	c.bufs.Put(out)
	return doc
}

type linkTransformer struct{}

func (linkTransformer) Transform(root *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(docKey).(*state)
	if st == nil {
		return
	}
	src := reader.Source()
	var unsafe []*ast.AutoLink
	var headings []*ast.Heading
	var pictures []*picture
	defer func() {
		for _, pic := range pictures {
			if p := pic.img.Parent(); p != nil {
				p.ReplaceChild(p, pic.img, pic)
				// The alternative text stays, as the picture's children, for the plain text.
				for c := pic.img.FirstChild(); c != nil; {
					next := c.NextSibling()
					pic.AppendChild(pic, c)
					c = next
				}
			}
		}
		// Replaced after the walk, which would stop at a node taken out of the tree.
		for _, x := range unsafe {
			if p := x.Parent(); p != nil {
				p.ReplaceChild(p, x, ast.NewString(bytes.Clone(x.Label(src))))
			}
		}
		// Each section heading gets a link to itself, to share or bookmark the section.
		for _, h := range headings {
			id, _ := h.AttributeString("id")
			b, ok := id.([]byte)
			if !ok || len(b) == 0 {
				continue
			}
			parent := h.Parent()
			if parent == nil {
				continue
			}
			group := &headingGroup{}
			parent.ReplaceChild(parent, h, group)
			group.AppendChild(group, h)
			label := AnchorLabel(plain(h, src))
			if st.in.AnchorLabel != "" {
				label = st.in.AnchorLabel + plain(h, src)
			}
			group.AppendChild(group, &headingAnchor{ID: b, Label: label})
		}
	}()
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if id, ok := n.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				st.doc.Anchors[string(b)] = true
			} else if s, ok := id.(string); ok {
				st.doc.Anchors[s] = true
			}
		}
		switch x := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			if !st.opts.RawHTML && !st.warnedHTML {
				st.warnedHTML = true
				var off int
				if b, ok := x.(*ast.HTMLBlock); ok && b.Lines().Len() > 0 {
					off = b.Lines().At(0).Start
				} else if r, ok := x.(*ast.RawHTML); ok && r.Segments.Len() > 0 {
					off = r.Segments.At(0).Start
				}
				st.doc.Diags = append(st.doc.Diags, diag.Warnf(st.posAt(src, off),
					"raw HTML is shown as text, since the site does not allow it: write Markdown instead, or set raw_html: true in content/_index.md"))
			}
		case *ast.AutoLink:
			if u := stdhtml.UnescapeString(string(x.URL(src))); ScriptURL(u, false) {
				st.doc.Diags = append(st.doc.Diags, diag.Warnf(st.pos(x, x.URL(src), src), scriptMsg, u))
				unsafe = append(unsafe, x)
				return ast.WalkSkipChildren, nil
			}
		case *ast.Heading:
			id, _ := x.AttributeString("id")
			var ids string
			switch v := id.(type) {
			case []byte:
				ids = string(v)
			case string:
				ids = v
			}
			st.doc.Headings = append(st.doc.Headings, site.Heading{Level: x.Level, ID: ids, Text: plain(x, src)})
			if x.Level >= 2 && x.Level <= 4 {
				headings = append(headings, x)
			}
		case *ast.Link:
			x.Destination = st.rewrite(x, x.Destination, src)
		case *ast.Image:
			if pic, ok := st.picture(x, src); ok {
				if pic != nil {
					pictures = append(pictures, pic)
				}
				return ast.WalkSkipChildren, nil
			}
			orig := x.Destination
			x.Destination = st.rewrite(x, x.Destination, src)
			switch alt := plain(x, src); {
			case alt == "":
				st.doc.Diags = append(st.doc.Diags, diag.Errorf(st.pos(x, orig, src), noAltMsg))
			case decorative(alt):
				x.RemoveChildren(x)
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
}

// noAltMsg says what to do about an image without alternative text.
const noAltMsg = `the image has no alternative text: describe it between the brackets, ![what it shows](...), for readers who cannot see it; an image that only decorates (says nothing the text does not) is written ![""](...)`

// picture is an image beside the content, turned into a responsive <picture>.
type picture struct {
	ast.BaseInline
	img  *ast.Image
	HTML string
}

var kindPicture = ast.NewNodeKind("Picture")

func (n *picture) Kind() ast.NodeKind { return kindPicture }

func (n *picture) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"HTML": n.HTML}, nil)
}

type pictureRenderer struct{}

func (pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindPicture, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(node.(*picture).HTML)
		}
		return ast.WalkSkipChildren, nil
	})
}

// decorative reports whether alternative text marks a decorative image: ![""](...), which
// the typographer may have turned into curly quotes.
func decorative(alt string) bool {
	return alt == `""` || alt == "\u201c\u201d" || alt == "\u201d\u201d"
}

// picture handles an image whose file sits under content/: ok is false for any other
// image. It returns the node to put in the image's place, or nil when an error was
// reported.
func (st *state) picture(x *ast.Image, src []byte) (*picture, bool) {
	d := stdhtml.UnescapeString(string(x.Destination))
	if d == "" || urls.IsExternal(d) || ScriptURL(d, true) || strings.HasPrefix(d, "#") {
		return nil, false
	}
	target := d
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if unesc, err := url.PathUnescape(target); err == nil {
		target = unesc
	}
	joined := path.Join(path.Dir(st.in.Source), target)
	if !strings.HasPrefix(joined, "content/") || !media.IsImage(joined) && !media.IsSVG(joined) {
		return nil, false
	}
	pos := st.pos(x, x.Destination, src)
	alt := plain(x, src)
	if alt == "" {
		st.doc.Diags = append(st.doc.Diags, diag.Errorf(pos, noAltMsg))
		return nil, true
	}
	if decorative(alt) {
		alt = ""
	}
	if st.opts.Images == nil {
		st.doc.Diags = append(st.doc.Diags, diag.Errorf(pos, "the image %q cannot be shown here: images beside the content are processed by recap build", d))
		return nil, true
	}
	st.pictures++
	var html string
	var err error
	rel := func(to string) string { return urls.Rel(st.in.URL, to, st.opts.FileURLs) }
	if media.IsSVG(joined) {
		html, err = st.opts.Images.SVG(joined, alt, rel, pos)
	} else {
		html, err = st.opts.Images.Picture(media.Request{Source: joined, Alt: alt, Eager: st.pictures == 1 && !st.in.OwnImage, Rel: rel, Pos: pos})
	}
	if err != nil {
		st.doc.Diags = append(st.doc.Diags, diag.Wrap(pos, err, err.Error()))
		return nil, true
	}
	return &picture{img: x, HTML: html}, true
}

// rewrite turns a link to a source file into a link to its page and records it.
func (st *state) rewrite(n ast.Node, dest, src []byte) []byte {
	// The renderer decodes character references in a destination: judge the decoded one.
	d := stdhtml.UnescapeString(string(dest))
	if d == "" {
		return dest
	}
	_, image := n.(*ast.Image)
	if ScriptURL(d, image) {
		st.doc.Diags = append(st.doc.Diags, diag.Warnf(st.pos(n, dest, src), scriptMsg, d))
		return nil
	}
	if urls.IsExternal(d) {
		return dest
	}
	pos := st.pos(n, dest, src)
	target, frag := d, ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target, frag = target[:i], target[i+1:]
	}
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if unesc, err := url.PathUnescape(target); err == nil {
		target = unesc
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	if target == "" {
		// A fragment on this page.
		st.doc.Links = append(st.doc.Links, site.BodyLink{Target: st.in.Source, Fragment: frag, Pos: pos})
		return dest
	}
	joined := path.Join(path.Dir(st.in.Source), target)
	if strings.HasPrefix(joined, "../") || joined == ".." || strings.HasPrefix(target, "\\") {
		st.doc.Diags = append(st.doc.Diags, diag.Errorf(pos, "the link %q leaves the site: link to a file inside the repository", d))
		return dest
	}
	var addr string
	switch {
	case strings.HasPrefix(joined, "content/") && strings.HasSuffix(joined, ".md") && st.in.Link != nil:
		var hreflang, label string
		joined, addr, hreflang, label = st.in.Link(joined)
		if l, ok := n.(*ast.Link); ok && hreflang != "" && st.opts.Multilingual {
			l.SetAttributeString("hreflang", []byte(hreflang))
			if label != "" {
				l.SetAttribute(langLabel, []byte(label))
			}
		}
	case strings.HasPrefix(joined, "content/") && strings.HasSuffix(joined, ".md"):
		addr = urls.OfSource(strings.TrimPrefix(joined, "content/"))
	case strings.HasPrefix(joined, "static/"):
		addr = strings.TrimPrefix(joined, "static/")
	case (joined == "content" || strings.HasPrefix(joined, "content/")) && path.Ext(joined) == "":
		st.doc.Diags = append(st.doc.Diags, diag.Errorf(pos,
			"the link %q points at the folder %s: link to its list page, %s/_index.md, or to one of its .md files", d, joined, joined))
		return dest
	default:
		st.doc.Diags = append(st.doc.Diags, diag.Errorf(pos,
			"the link %q points at %s, which is neither a page (a .md file under content/) nor a file under static/: link to one of those", d, joined))
		return dest
	}
	st.doc.Links = append(st.doc.Links, site.BodyLink{Target: joined, Fragment: frag, Pos: pos})
	if frag != "" {
		addr += "#" + url.PathEscape(frag)
	}
	return []byte(escapeURL(urls.Rel(st.in.URL, addr, st.opts.FileURLs)))
}

func escapeURL(s string) string {
	return string(util.URLEscape([]byte(s), false))
}

// pos finds where the link's destination is written in the body.
func (st *state) pos(n ast.Node, dest, src []byte) diag.Pos {
	start := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			start = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if start < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				start = p.Lines().At(0).Start
				break
			}
		}
	}
	off := max(start, 0)
	if i := bytes.Index(src[off:], dest); i >= 0 {
		off += i
	}
	l, c := st.lineCol(src, off)
	return diag.Pos{Path: st.in.Source, Line: st.in.BodyLine + l - 1, Col: c}
}

// lineCol is diag.LineCol, resumed from the offset asked for last: links come in the order
// of the body, so a body with many links is read once, not once a link.
func (st *state) lineCol(src []byte, off int) (line, col int) {
	off = min(off, len(src))
	from, line, col := 0, 1, 1
	if st.cur.line > 0 && st.cur.off <= off {
		from, line, col = st.cur.off, st.cur.line, st.cur.col
	}
	l, c := diag.LineCol(src[from:off], off-from)
	if l > 1 {
		line, col = line+l-1, c
	} else {
		col += c - 1
	}
	st.cur.off, st.cur.line, st.cur.col = off, line, col
	return line, col
}

// plain returns the text of a node's inline children.
func plain(n ast.Node, src []byte) string {
	return string(appendPlain(nil, n, src))
}

// appendPlain appends the text of a node's inline children to out, without leading or
// trailing spaces.
func appendPlain(out []byte, n ast.Node, src []byte) []byte {
	start := len(out)
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			out = appendText(out, t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				out = append(out, ' ')
			}
		case *ast.String:
			switch {
			case t.IsCode():
				// HTML already, such as the typographer's &rsquo;: the characters it stands for.
				out = append(out, stdhtml.UnescapeString(string(t.Value))...)
			case t.IsRaw():
				out = append(out, t.Value...)
			default:
				out = appendText(out, t.Value)
			}
		case *ast.AutoLink:
			out = append(out, t.Label(src)...)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					out = append(out, tt.Segment.Value(src)...)
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// Trim in place what was just written.
	text := bytes.TrimSpace(out[start:])
	n2 := copy(out[start:], text)
	return out[:start+n2]
}

// appendText appends the characters Markdown text stands for: what the HTML renderer makes
// of it (backslash escapes dropped, entity and numeric references resolved), unescaped again.
func appendText(out, v []byte) []byte {
	if bytes.IndexAny(v, "&\\\x00") < 0 {
		return append(out, v...)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	html.DefaultWriter.Write(w, v)
	_ = w.Flush()
	return append(out, stdhtml.UnescapeString(buf.String())...)
}

// collectText appends the plain text to out, writing every block's text, and fills in the
// summary (the first paragraph, a copy) and the word count. Code and HTML blocks have no
// child nodes, so they give no text.
func collectText(root ast.Node, src []byte, doc *Doc, out []byte) []byte {
	out = slices.Grow(out, len(src))
	summary := [2]int{-1, -1}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		var start int
		out, start = appendSpaced(out, n, src)
		if start >= 0 && summary[0] < 0 && n.Kind() == ast.KindParagraph {
			summary = [2]int{start, len(out)}
		}
	}
	if summary[0] >= 0 {
		doc.Summary = string(out[summary[0]:summary[1]])
	}
	doc.WordCount = countWords(out)
	return out
}

// appendSpaced appends the text of block n after a space (unless out is empty or already
// ends in one), or nothing when n has no text; it returns where n's text starts, or -1.
func appendSpaced(out []byte, n ast.Node, src []byte) ([]byte, int) {
	before := len(out)
	if before > 0 && out[before-1] != ' ' {
		out = append(out, ' ')
	}
	start := len(out)
	out = appendBlockText(out, n, src)
	if len(out) == start {
		return out[:before], -1
	}
	return out, start
}

// appendBlockText appends the text of a block: its inline text, or its children's blocks
// joined by single spaces.
func appendBlockText(out []byte, n ast.Node, src []byte) []byte {
	if n.Type() == ast.TypeInline || n.Kind() == ast.KindParagraph || n.Kind() == ast.KindHeading || n.Kind() == ast.KindTextBlock {
		return appendPlain(out, n, src)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out, _ = appendSpaced(out, c, src)
	}
	return out
}

// countWords counts what strings.Fields would split text into, without the slice.
func countWords(text []byte) int {
	words, inWord := 0, false
	for i := 0; i < len(text); {
		c := text[i]
		space, size := false, 1
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRune(text[i:])
			space = unicode.IsSpace(r)
		}
		if !space && !inWord {
			words++
		}
		inWord = !space
		i += size
	}
	return words
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
