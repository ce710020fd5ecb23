package render

import (
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/icc-recap/recap/generator/embed"
	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/urls"
)

// Recording is a page's video (front matter video:), as a template shows it.
type Recording struct {
	Title string
	// Provider, Player and Watch are set for a video on a host: its name ("YouTube"), the
	// privacy-enhanced player's address (to load only after a click) and the video's page.
	Provider, Player, Watch string
	// File and Type are set for a video file beside the page: its relative address and
	// media type.
	File, Type string
	// Poster is a picture to show before the video plays: the page's own image cropped to
	// 16:9, else its social card. PosterURL is its relative address (for <video poster>).
	Poster    template.HTML
	PosterURL string
	// Width and Height are the poster's size, which the player takes.
	Width, Height int
	// JSONLD is the schema.org VideoObject, to write in a <script type="application/ld+json">.
	JSONLD map[string]any
}

// Video returns the page's recording, or nil when it has none. Nothing in what it gives
// loads anything from the video's host: the template shows the poster and a link to the
// video's page, and a script replaces them with the player when the link is clicked.
func (c *Context) Video() (*Recording, error) {
	p := c.Page
	if p.Video == "" || c.r == nil || c.r.Opts.Media == nil {
		return nil, nil
	}
	pipe := c.r.Opts.Media
	rec := &Recording{Title: p.Title}
	ld := map[string]any{"@context": "https://schema.org", "@type": "VideoObject", "name": p.Title}
	if d := p.Description; d != "" {
		ld["description"] = d
	} else {
		ld["description"] = p.Title
	}
	if !p.Date.IsZero() {
		ld["uploadDate"] = p.Date.Format("2006-01-02")
	}
	if v, ok := embed.Parse(p.Video); ok {
		rec.Provider, rec.Player, rec.Watch = v.Provider, v.Player, v.Watch
		ld["embedUrl"] = strings.TrimSuffix(strings.ReplaceAll(v.Player, "autoplay=1&", ""), "?autoplay=1")
		ld["url"] = v.Watch
	} else {
		out := strings.TrimPrefix(p.Video, "content/")
		pipe.Copy(p.Video, out, p.KeyPosOr("video"))
		rec.File = c.mediaRel(out)
		rec.Type = videoType(p.Video)
		if abs := c.mediaAbs(out); abs != "" {
			ld["contentUrl"] = abs
		}
	}
	// The poster.
	pos := p.KeyPosOr("video")
	if p.Image != "" {
		html, err := pipe.Picture(media.Request{Source: p.Image, Alt: "", Width: 800, Height: 450, Crop: imaging.Fill,
			Eager: true, Rel: c.mediaRel, Pos: pos})
		if err != nil {
			return nil, err
		}
		out, w, h, err := pipe.URL(p.Image, 1600, 900, imaging.Fill, imaging.JPEG, pos)
		if err != nil {
			return nil, err
		}
		rec.Poster, rec.PosterURL, rec.Width, rec.Height = template.HTML(html), c.mediaRel(out), w, h
		if abs := c.mediaAbs(out); abs != "" {
			ld["thumbnailUrl"] = abs
		}
	} else {
		out := pipe.SocialCard(p.URL, c.cardText(), pos)
		rec.PosterURL, rec.Width, rec.Height = c.mediaRel(out), media.CardWidth, media.CardHeight
		rec.Poster = template.HTML(fmt.Sprintf(`<img src="%s" alt="" width="%d" height="%d" loading="eager" decoding="async">`,
			template.HTMLEscapeString(rec.PosterURL), rec.Width, rec.Height))
		if abs := c.mediaAbs(out); abs != "" {
			ld["thumbnailUrl"] = abs
		}
	}
	rec.JSONLD = ld
	return rec, nil
}

func videoType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".webm":
		return "video/webm"
	case ".ogv":
		return "video/ogg"
	case ".mov":
		return "video/quicktime"
	}
	return "video/mp4"
}

// SlidesLink is a page's slides (front matter slides:).
type SlidesLink struct {
	// URL is the relative address of the file beside the page, or the web address.
	URL string
	// Type is "PDF" for a PDF, else "".
	Type string
	// Size is the file's size as people write it ("2.4 MB"), "" for a web address.
	Size string
	// External says the slides are on another site.
	External bool
}

// Info is what a link to the slides says after the word: "PDF, 2.4 MB".
func (s *SlidesLink) Info() string {
	var parts []string
	if s.Type != "" {
		parts = append(parts, s.Type)
	}
	if s.Size != "" {
		parts = append(parts, s.Size)
	}
	if s.External && len(parts) == 0 {
		parts = append(parts, "on "+hostOf(s.URL))
	}
	return strings.Join(parts, ", ")
}

// Slides returns the page's slides, or nil when it has none; a file beside the page is
// published beside where it sits.
func (c *Context) Slides() *SlidesLink {
	p := c.Page
	if p.Slides == "" {
		return nil
	}
	l := &SlidesLink{}
	if strings.EqualFold(path.Ext(strings.SplitN(p.Slides, "?", 2)[0]), ".pdf") {
		l.Type = "PDF"
	}
	if urls.IsExternal(p.Slides) {
		l.URL, l.External = p.Slides, true
		return l
	}
	out := strings.TrimPrefix(p.Slides, "content/")
	if c.r != nil && c.r.Opts.Media != nil {
		c.r.Opts.Media.Copy(p.Slides, out, p.KeyPosOr("slides"))
		l.Size = HumanSize(c.r.Opts.Media.Size(p.Slides))
	}
	l.URL = c.mediaRel(out)
	return l
}

// HumanSize writes a size in bytes as people read it: "830 KB", "2.4 MB" (powers of 1000,
// as file managers show them).
func HumanSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

func hostOf(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	s, _, _ = strings.Cut(s, "/")
	return strings.TrimPrefix(s, "www.")
}
