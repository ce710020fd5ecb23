package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/icc-recap/recap/generator/imaging"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/urls"
)

// Picture returns a responsive <picture> of page p's own image (front matter image:), or
// nothing when it has none. size is the box it is shown in, in CSS pixels: "96x96" fills
// the box, cropping what overflows (a square portrait for a card); "800" fits that width,
// keeping the image's shape. It is made at that size and twice it, as WebP and in the
// original's format. It is loaded lazily, unless "eager" follows the size: then at once,
// with high priority, as the first image readers see should be ({{ .Picture .Page "200x200"
// "eager" }} at the top of a page). What it gives does not depend on the page being
// rendered, so a partial that shows it can be kept.
func (c *Context) Picture(p *site.Page, size string, options ...string) (template.HTML, error) {
	if p == nil || p.Image == "" || c.r == nil || c.r.Opts.Media == nil {
		return "", nil
	}
	w, h, err := parseSize(size)
	if err != nil {
		return "", err
	}
	eager := false
	for _, o := range options {
		if o != "eager" {
			return "", fmt.Errorf("Picture: unknown option %q after the size: the only one is \"eager\"", o)
		}
		eager = true
	}
	class := ""
	if h > 0 {
		class = "fill"
	}
	html, err := c.r.Opts.Media.Picture(media.Request{Source: p.Image, Alt: p.ImageAlt, Width: w, Height: h, Crop: imaging.Fill,
		Eager: eager, Class: class, Rel: c.mediaRel, Pos: p.KeyPosOr("image")})
	if err != nil {
		return "", err
	}
	return template.HTML(html), nil
}

// parseSize reads "WxH" or "W".
func parseSize(size string) (int, int, error) {
	ws, hs, both := strings.Cut(size, "x")
	w, err1 := strconv.Atoi(ws)
	h := 0
	var err2 error
	if both {
		h, err2 = strconv.Atoi(hs)
	}
	if err1 != nil || err2 != nil || w <= 0 || w > 4000 || h < 0 || h > 4000 {
		return 0, 0, fmt.Errorf("Picture: the size %q should be a width, such as \"800\", or a box, such as \"96x96\", in CSS pixels up to 4000", size)
	}
	return w, h, nil
}

// SocialImage is the picture shown when a page is shared: an absolute address and its size.
type SocialImage struct {
	URL           string
	Width, Height int
	Alt           string
}

// SocialImage returns the image shown when the page is shared (og:image): the page's own
// image, scaled to at most 1200 pixels wide, or else its social card, a 1200 x 630 PNG
// with its title, section and the site's name. Sharing needs an absolute address, so
// without a base URL it returns nil and no image is made.
func (c *Context) SocialImage() (*SocialImage, error) {
	if c.Site.BaseURL == "" || c.r == nil || c.r.Opts.Media == nil || c.root != "" {
		return nil, nil
	}
	p := c.Page
	pipe := c.r.Opts.Media
	if p.Image != "" {
		img, err := pipe.Probe(p.Image, p.Source)
		if err != nil {
			return nil, err
		}
		f := img.Format
		if f != imaging.JPEG {
			f = imaging.PNG
		}
		out, w, h, err := pipe.URL(p.Image, 1200, 0, imaging.Fit, f, p.KeyPosOr("image"))
		if err != nil {
			return nil, err
		}
		return &SocialImage{URL: urls.Abs(c.Site.BaseURL, out), Width: w, Height: h, Alt: p.ImageAlt}, nil
	}
	out := c.r.Opts.Media.SocialCard(p.URL, c.cardText(), p.KeyPosOr("title"))
	return &SocialImage{URL: urls.Abs(c.Site.BaseURL, out), Width: media.CardWidth, Height: media.CardHeight, Alt: p.Title}, nil
}

// cardText is what the page's social card says.
func (c *Context) cardText() media.CardText {
	t := media.CardText{Title: c.Page.Title, Site: c.Site.Title, Background: param(c.Site.Params, "card_background"),
		Text: param(c.Site.Params, "card_text"), Accent: param(c.Site.Params, "card_accent")}
	if c.Page.IsHome() {
		t.Title, t.Section = c.Site.Title, c.Site.Description
		t.Site = ""
	} else if sec := c.Page.SectionInfo; sec != nil && c.Page.Kind == site.KindPage {
		t.Section = sec.Title
	}
	return t
}

func param(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// mediaRel is Rel for the files the image pipeline has just noted, which exist by then
// (media.Pipeline.Or): their addresses cannot be refused.
func (c *Context) mediaRel(to string) string {
	u, _ := c.Rel(to)
	return u
}

// mediaAbs is Abs for those files: "" without a base URL.
func (c *Context) mediaAbs(to string) string {
	u, _ := c.Abs(to)
	return u
}

// The methods below read the page being rendered, so a partial that calls them is not kept
// for other pages.

// SocialImage is Context.SocialImage.
func (p *PartialContext) SocialImage() (*SocialImage, error) {
	p.read()
	return p.Context.SocialImage()
}

// Video is Context.Video.
func (p *PartialContext) Video() (*Recording, error) { p.read(); return p.Context.Video() }

// Slides is Context.Slides.
func (p *PartialContext) Slides() *SlidesLink { p.read(); return p.Context.Slides() }
