package render

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/icc-recap/recap/generator/site"
)

// Partial runs a template of base.html and partials/ with data, as {{ template }} does, and
// returns its HTML; the result is kept while pages of the same folder remain to be rendered
// (see Renderer.Plan) so that the same partial with the same data, on another page of the
// same folder, is not run again. It is for pieces that many pages repeat, such as the card
// of a page in the lists of every page that links to it.
//
// A kept result can never differ from running the partial, by construction:
//   - Its key is the template's name, the data and the variants (pages by address, sections,
//     text, numbers, the page's own context). Data the key cannot describe (a value of another
//     kind, another page's context) is never kept, only run.
//   - A partial sees the page's context through a view that notes any read of the page being
//     rendered (.Page, .Crumbs, .Canonical, .EditURL, .Languages): a run that read it is not kept. To
//     show something of the page in a kept partial, pass it in the data, as
//     (dict "ctx" . "section" .Page.Section).
//   - Relative addresses are accounted for. A result whose links (made with .Rel) all lead
//     outside the page's top folder (speakers/ for speakers/pia-laurila/; below the
//     language's folder on a translated site) is shared by every page as deep as this one
//     whose top folder its links avoid too: from all of them each link climbs to the same
//     folder and is written the same. Any other result is shared only between pages in the
//     same folder, and never where a link inside it leads into the page's own folder.
func (c *Context) Partial(name string, data any, variants ...any) (template.HTML, error) {
	if c.r == nil {
		return "", fmt.Errorf("Partial %q: only a page being rendered can run partials", name)
	}
	own := ownDir(c.Page.URL)
	key, keep := c.partialKey(name, data, variants)
	keep = keep && c.root == "" && own != "" && !c.r.Opts.NoPartialCache
	var parent, depth, top string
	if keep {
		parent = parentDir(own)
		if c.depth == "" {
			c.depth, c.top = c.r.sharing(own)
		}
		depth, top = c.depth, c.top
		c.r.mu.RLock()
		html, addrs, ok := c.r.partials[depth].find(key)
		if !ok || addrs.anyUnder(top) {
			html, addrs, ok = c.r.partials[parent].find(key)
			ok = ok && !addrs.anyUnder(own)
		}
		c.r.mu.RUnlock()
		if ok {
			if c.rels != nil {
				addrs.each(func(a string) { *c.rels = append(*c.rels, a) })
			}
			return html, nil
		}
	}
	buf := c.r.bufs.Get().(*bytes.Buffer)
	defer c.r.bufs.Put(buf)
	// The key's bytes are the page's buffer, which a partial inside this one reuses.
	buf.Reset()
	if keep {
		buf.Write(key)
	}
	keyLen := buf.Len()
	rels, read, err := c.runPartial(buf, name, data)
	if err != nil {
		return "", err
	}
	c.record(rels, read)
	out := buf.Bytes()
	if keep && !read && !anyUnder(rels, own) {
		folder := parent
		if !anyUnder(rels, top) {
			folder = depth
		}
		c.r.mu.Lock()
		k := c.r.partials[folder]
		if k == nil {
			k = &keptSet{}
			c.r.partials[folder] = k
		}
		html := k.add(out[:keyLen], out[keyLen:], rels)
		c.r.mu.Unlock()
		return html, nil
	}
	return template.HTML(out[keyLen:]), nil
}

// PartialRange runs the partial NAME once for each page of pages, with a dot holding .ctx
// (this context) and .page (the page), as
// {{ range $pages }}{{ $.Partial NAME (dict "ctx" $ "page" .) VARIANTS... }}{{ end }} does, and
// returns the results joined. A list of cards is then one call: text/template's reflection
// made each call of Partial and dict cost more than the kept card it returned.
func (c *Context) PartialRange(name string, pages []*site.Page, variants ...any) (template.HTML, error) {
	if len(pages) == 0 {
		return "", nil
	}
	if c.r == nil {
		return c.Partial(name, nil)
	}
	// The results are joined in a buffer of the renderer's, then copied once.
	b := c.r.bufs.Get().(*bytes.Buffer)
	defer c.r.bufs.Put(b)
	b.Reset()
	data := map[string]any{"ctx": c}
	for _, p := range pages {
		data["page"] = p
		h, err := c.Partial(name, data, variants...)
		if err != nil {
			return "", err
		}
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// runPartial executes the partial, appending its HTML to buf, and returns the addresses
// Rel was asked for and whether it read the page being rendered.
func (c *Context) runPartial(buf *bytes.Buffer, name string, data any) ([]string, bool, error) {
	outerRels, outerRead := c.rels, c.pageRead
	var rels []string
	read := false
	c.rels, c.pageRead = &rels, &read
	defer func() { c.rels, c.pageRead = outerRels, outerRead }()
	if err := c.r.Set.ExecutePartial(buf, name, c.view(data)); err != nil {
		return nil, false, err
	}
	slices.Sort(rels)
	return slices.Compact(rels), read, nil
}

// record notes, while a partial runs, the addresses that Rel was asked for and whether the
// page being rendered was read.
func (c *Context) record(rels []string, read bool) {
	if c.rels != nil {
		*c.rels = append(*c.rels, rels...)
	}
	if read && c.pageRead != nil {
		*c.pageRead = true
	}
}

// view returns data with this context, wherever the key may have described it, replaced by
// a PartialContext that notes reads of the page.
func (c *Context) view(data any) any {
	switch x := data.(type) {
	case *Context:
		if x == c {
			return &PartialContext{c}
		}
	case map[string]any:
		var out map[string]any
		for k, v := range x {
			w := c.view(v)
			if w == v {
				continue
			}
			if out == nil {
				out = maps.Clone(x)
			}
			out[k] = w
		}
		if out != nil {
			return out
		}
	}
	return data
}

// PartialContext is the page's Context as a partial run by Partial sees it: the same
// fields and methods, except that those which read the page being rendered note it, so that
// the partial's output is not kept for other pages. Every method of Context that reads the
// page must be shadowed here (a test checks it).
type PartialContext struct {
	*Context
}

func (p *PartialContext) read() {
	if p.pageRead != nil {
		*p.pageRead = true
	}
}

// Page is the page being rendered.
func (p *PartialContext) Page() *site.Page { p.read(); return p.Context.Page }

// Crumbs is Context.Crumbs.
func (p *PartialContext) Crumbs() []*site.Page { p.read(); return p.Context.Crumbs() }

// Canonical is Context.Canonical.
func (p *PartialContext) Canonical() string { p.read(); return p.Context.Canonical() }

// EditURL is Context.EditURL.
func (p *PartialContext) EditURL() string { p.read(); return p.Context.EditURL() }

// StructuredData is Context.StructuredData.
func (p *PartialContext) StructuredData() (template.JS, error) {
	p.read()
	return p.Context.StructuredData()
}

// Languages is Context.Languages.
func (p *PartialContext) Languages() ([]LanguageLink, error) { p.read(); return p.Context.Languages() }

// partialKey describes a partial call as bytes, in a buffer of the page's own, or reports
// that it cannot.
func (c *Context) partialKey(name string, data any, variants []any) ([]byte, bool) {
	b := append(c.key[:0], name...)
	b, ok := c.describe(b, data)
	for _, v := range variants {
		if ok {
			b, ok = c.describe(b, v)
		}
	}
	c.key = b
	return b, ok
}

func (c *Context) describe(b []byte, v any) ([]byte, bool) {
	b = append(b, 0)
	switch x := v.(type) {
	case nil:
		b = append(b, "nil"...)
	case *Context:
		if x != c {
			return b, false
		}
		b = append(b, "ctx"...)
	case *PartialContext:
		return c.describe(b[:len(b)-1], x.Context)
	case *site.Page:
		if x == nil {
			b = append(b, "nil"...)
			break
		}
		b = append(append(b, "page:"...), x.URL...)
	case []*site.Page:
		b = append(b, "pages:"...)
		for _, p := range x {
			b = append(append(b, p.URL...), ' ')
		}
	case *site.Section:
		// By identity: each language's site has sections of the same names.
		b = fmt.Appendf(append(b, "section:"...), "%p", x)
	case string:
		b = append(append(b, "s:"...), x...)
	case template.HTML:
		b = append(append(b, "h:"...), x...)
	case site.Kind:
		b = append(append(b, "kind:"...), x...)
	case bool:
		b = strconv.AppendBool(b, x)
	case int:
		b = strconv.AppendInt(b, int64(x), 10)
	case map[string]any:
		var small [8]string
		keys := small[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, "map"...)
		for _, k := range keys {
			b = append(append(append(b, 0), k...), '=')
			var ok bool
			if b, ok = c.describe(b, x[k]); !ok {
				return b, false
			}
		}
	default:
		return b, false
	}
	return b, true
}

// ownDir is the folder relative links on the page at url start from.
func ownDir(url string) string {
	if strings.HasSuffix(url, "/") || url == "" {
		return url
	}
	return url[:strings.LastIndexByte(url, '/')+1]
}

// sharing returns, for a page whose own folder is own, the key of the results shared by
// every page as deep (see Partial), and the top folder that none of their links may lead
// into: "speakers/" for "speakers/pia-laurila/", "fr/speakers/" on the French site.
func (r *Renderer) sharing(own string) (depth, top string) {
	base := ""
	if p := r.Site.Prefix; p != "" && strings.HasPrefix(own, p) {
		base = p
	}
	rest := own[len(base):]
	top = own[:len(base)+strings.IndexByte(rest, '/')+1]
	// No folder's address starts with a zero byte.
	return "\x00" + base + strconv.Itoa(strings.Count(own, "/")), top
}

// parentDir is the folder above dir ("speakers/" for "speakers/pia-laurila/").
func parentDir(dir string) string {
	d := strings.TrimSuffix(dir, "/")
	return d[:strings.LastIndexByte(d, '/')+1]
}

// anyUnder reports whether a link to one of the addresses, made from a page in dir, would be
// written differently from another page of dir's parent: the address is dir or under it.
func anyUnder(rels []string, dir string) bool {
	return slices.ContainsFunc(rels, func(r string) bool { return isUnder(r, dir) })
}

// isUnder reports whether the address r is dir or under it.
func isUnder(r, dir string) bool {
	return strings.HasPrefix(r, dir) || dir == r+"/"
}
