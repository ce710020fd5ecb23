// Package minify shrinks the files a build writes (HTML, CSS, JS, JSON, SVG, XML) with
// tdewolff/minify, chosen by file extension. Other files pass through unchanged.
package minify

import (
	"path"
	"regexp"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2/buffer"
)

// Minifier minifies by media type; it is safe for concurrent use.
type Minifier struct {
	m *minify.M
}

// New returns a Minifier for HTML, CSS, JS, JSON, SVG and XML.
func New() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: false, KeepQuotes: false})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return &Minifier{m: m}
}

var types = map[string]string{
	".html":        "text/html",
	".htm":         "text/html",
	".css":         "text/css",
	".js":          "application/javascript",
	".mjs":         "application/javascript",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".xml":         "application/xml",
	".atom":        "application/atom+xml",
	".rss":         "application/rss+xml",
}

// TypeOf returns the media type the minifier handles for a file name, or "".
func TypeOf(name string) string {
	return types[strings.ToLower(path.Ext(name))]
}

// File minifies data as the type its name says; data of other types is returned as it is.
func (m *Minifier) File(name string, data []byte) ([]byte, error) {
	mt := TypeOf(name)
	if mt == "" {
		return data, nil
	}
	return m.Bytes(mt, data)
}

// Append minifies data of media type mt and appends the result to dst, which must not
// overlap data.
func (m *Minifier) Append(dst []byte, mt string, data []byte) ([]byte, error) {
	out := buffer.NewWriter(dst)
	if err := m.m.Minify(mt, out, buffer.NewReader(data)); err != nil {
		return dst, err
	}
	return out.Bytes(), nil
}

// Bytes minifies data of media type mt into a new slice.
func (m *Minifier) Bytes(mt string, data []byte) ([]byte, error) {
	// The library reads data in place (it may write one NUL byte into data's spare
	// capacity, past its length) and returns a fresh slice.
	out, err := m.m.Bytes(mt, data)
	if err != nil {
		return nil, err
	}
	return out, nil
}
