package render

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/icc-recap/recap/generator/site"
)

// Partial runs a template of base.html and partials/ with data, as {{ template }} does, and
// returns its HTML; the result is kept for the rest of the build so that the same partial
// with the same data, on another page of the same folder, is not run again. It is for
// pieces that many pages repeat, such as the card of a page in the lists of every page that
// links to it.
//
// The key of a kept result is the template's name, the data (pages by address, text,
// numbers, the page's own context) and the variants. Relative addresses are accounted for:
// a result is shared only between pages in the same folder, and never where a link inside it
// leads into the page's own folder. What else the output depends on must be in the data or
// the variants: a partial that shows something of the page being rendered (its section, its
// kind) names it as a variant. Data the key cannot describe (a value of another kind, another
// page's context) is never kept, only run.
//
// Set RECAP_VERIFY_PARTIALS=1 to run every partial anyway and fail when a kept result
// differs from the fresh one; the tests do.
func (c *Context) Partial(name string, data any, variants ...any) (template.HTML, error) {
	if c.r == nil {
		return "", fmt.Errorf("Partial %q: only a page being rendered can run partials", name)
	}
	own := ownDir(c.Page.URL)
	key, keep := c.partialKey(name, data, variants)
	keep = keep && c.root == "" && own != ""
	if keep {
		key = append(append(key, 0), parentDir(own)...)
		c.r.mu.RLock()
		e := c.r.partials[string(key)]
		c.r.mu.RUnlock()
		if e != nil {
			if !anyUnder(e.rels, own) {
				c.record(e.rels)
				if verifyPartials() {
					fresh, _, err := c.runPartial(name, data)
					if err != nil {
						return "", err
					}
					if fresh != e.html {
						return "", fmt.Errorf("the partial %s, kept from another page, differs from what it gives on this one: pass what it shows of the page being rendered as a variant", name)
					}
				}
				return e.html, nil
			}
		}
	}
	// The key's bytes are the page's buffer, which a partial inside this one reuses.
	var skey string
	if keep {
		skey = string(key)
	}
	html, rels, err := c.runPartial(name, data)
	if err != nil {
		return "", err
	}
	c.record(rels)
	if keep && !anyUnder(rels, own) {
		c.r.mu.Lock()
		c.r.partials[skey] = &keptPartial{html: html, rels: rels}
		c.r.mu.Unlock()
	}
	return html, nil
}

// PartialRange runs the partial NAME once for each page of pages, with a dot holding .ctx
// (this context) and .page (the page), as
// {{ range $pages }}{{ $.Partial NAME (dict "ctx" $ "page" .) VARIANTS... }}{{ end }} does, and
// returns the results joined. A list of cards is then one call: text/template's reflection
// made each call of Partial and dict cost more than the kept card it returned.
func (c *Context) PartialRange(name string, pages []*site.Page, variants ...any) (template.HTML, error) {
	var b strings.Builder
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

// keptPartial is a partial's output and the site addresses its links were made relative to.
type keptPartial struct {
	html template.HTML
	rels []string
}

var verifyPartials = sync.OnceValue(func() bool { return os.Getenv("RECAP_VERIFY_PARTIALS") == "1" })

// runPartial executes the partial and returns its HTML and the addresses Rel was asked for.
func (c *Context) runPartial(name string, data any) (template.HTML, []string, error) {
	outer := c.rels
	var rels []string
	c.rels = &rels
	defer func() { c.rels = outer }()
	buf := c.r.bufs.Get().(*bytes.Buffer)
	defer c.r.bufs.Put(buf)
	buf.Reset()
	if err := c.r.Set.ExecutePartial(buf, name, data); err != nil {
		return "", nil, err
	}
	slices.Sort(rels)
	return template.HTML(buf.String()), slices.Compact(rels), nil
}

// record notes addresses that Rel was asked for, while a partial runs.
func (c *Context) record(rels []string) {
	if c.rels != nil {
		*c.rels = append(*c.rels, rels...)
	}
}

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
		b = append(append(b, "section:"...), x.Name...)
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

// parentDir is the folder above dir ("speakers/" for "speakers/pia-laurila/").
func parentDir(dir string) string {
	d := strings.TrimSuffix(dir, "/")
	return d[:strings.LastIndexByte(d, '/')+1]
}

// anyUnder reports whether a link to one of the addresses, made from a page in dir, would be
// written differently from another page of dir's parent: the address is dir or under it.
func anyUnder(rels []string, dir string) bool {
	for _, r := range rels {
		if strings.HasPrefix(r, dir) || dir == r+"/" {
			return true
		}
	}
	return false
}
