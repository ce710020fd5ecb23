package media

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/icc-recap/recap/generator/diag"
)

// SVG returns the HTML of an SVG image beside the content, published as it is (minified),
// with the width and height its root element gives (or its viewBox), so that it takes its
// place before it loads.
func (p *Pipeline) SVG(rel, alt string, relURL func(string) string, pos diag.Pos) (string, error) {
	data, err := os.ReadFile(filepath.Join(p.opts.Root, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", &Error{Msg: fmt.Sprintf("the image %s does not exist: check the file name (letter case counts), or put the image beside the page", rel), Err: err}
		}
		return "", &Error{Msg: fmt.Sprintf("cannot read the image %s: %v", rel, err), Err: err}
	}
	w, h, err := svgSize(data)
	if err != nil {
		return "", &Error{Msg: fmt.Sprintf("the SVG image %s cannot be read (%v): fix its syntax", rel, err), Err: err}
	}
	out := strings.TrimPrefix(rel, "content/")
	p.Copy(rel, out, pos)
	p.mu.Lock()
	p.use(rel, pos.Path)
	p.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<img src="` + html.EscapeString(relURL(out)) + `" alt="` + html.EscapeString(alt) + `"`)
	if w > 0 && h > 0 {
		b.WriteString(` width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `"`)
	}
	b.WriteString(` loading="lazy" decoding="async">`)
	return b.String(), nil
}

// svgSize reads the size of an SVG image from its root element: width and height in
// pixels, else the viewBox's.
func svgSize(data []byte) (int, int, error) {
	d := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		tok, err := d.Token()
		if err != nil {
			return 0, 0, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "svg" {
			return 0, 0, fmt.Errorf("the root element is <%s>, not <svg>", se.Name.Local)
		}
		var w, h float64
		var vb []float64
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "width":
				w = pixels(a.Value)
			case "height":
				h = pixels(a.Value)
			case "viewBox":
				for _, f := range strings.FieldsFunc(a.Value, func(r rune) bool { return r == ' ' || r == ',' }) {
					v, _ := strconv.ParseFloat(f, 64)
					vb = append(vb, v)
				}
			}
		}
		if (w <= 0 || h <= 0) && len(vb) == 4 {
			w, h = vb[2], vb[3]
		}
		return int(w + 0.5), int(h + 0.5), nil
	}
}

// pixels reads a length in pixels ("120", "120px"); other units give 0.
func pixels(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}
