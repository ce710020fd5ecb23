// Package socialcard draws the picture shown when a page is shared on social media and in
// chat apps: a 1200 x 630 PNG with the page's title, its section and the site's name, in
// the site's colours. The text is set in the Go fonts (golang.org/x/image/font/gofont,
// under the BSD-style licence of the Go project, compiled into recap), so a card looks the
// same on every machine and needs no font installed. It does not cache or write anything.
package socialcard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The size of a card, as Open Graph and X recommend for large images.
const (
	Width  = 1200
	Height = 630
)

// Version changes whenever a card's drawing changes, so that cached cards are redrawn.
const Version = "socialcard/1 gofont-regular-bold"

// Card is what a card says and its colours.
type Card struct {
	Title   string
	Section string
	Site    string
	// Colours as #rrggbb; the zero value uses the default stylesheet's.
	Background, Text, Accent string
}

// Default colours: those of the site's stylesheet in its light scheme.
const (
	DefaultBackground = "#ffffff"
	DefaultText       = "#1d1f23"
	DefaultAccent     = "#0b4f9c"
)

var fonts = sync.OnceValues(func() (*opentype.Font, error) {
	return opentype.Parse(gobold.TTF)
})

var regular = sync.OnceValues(func() (*opentype.Font, error) {
	return opentype.Parse(goregular.TTF)
})

// ParseColor reads #rgb or #rrggbb.
func ParseColor(s string) (color.RGBA, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	var r, g, b uint8
	if len(s) != 6 {
		return color.RGBA{}, fmt.Errorf("%q is not a colour written #rrggbb", "#"+s)
	}
	if _, err := fmt.Sscanf(s, "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.RGBA{}, fmt.Errorf("%q is not a colour written #rrggbb", "#"+s)
	}
	return color.RGBA{r, g, b, 255}, nil
}

func orDefault(s, def string) color.RGBA {
	if c, err := ParseColor(s); err == nil && s != "" {
		return c
	}
	c, _ := ParseColor(def)
	return c
}

// Draw draws the card and encodes it as PNG.
func Draw(c Card) ([]byte, error) {
	bold, err := fonts()
	if err != nil {
		return nil, err
	}
	reg, err := regular()
	if err != nil {
		return nil, err
	}
	bg, fg, accent := orDefault(c.Background, DefaultBackground), orDefault(c.Text, DefaultText), orDefault(c.Accent, DefaultAccent)
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	// A band of the accent colour down the left edge and along the bottom.
	draw.Draw(img, image.Rect(0, 0, 24, Height), image.NewUniform(accent), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, Height-12, Width, Height), image.NewUniform(accent), image.Point{}, draw.Src)

	const left, right = 88, Width - 88
	if c.Site != "" {
		face, err := opentype.NewFace(reg, &opentype.FaceOptions{Size: 34, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		lines := wrap(face, c.Site, right-left, 1)
		drawText(img, face, fg, left, 110, lines)
	}
	// The title, as large as fits in four lines.
	var titleLines []string
	var titleFace font.Face
	var size float64
	for _, size = range []float64{76, 66, 58, 50} {
		f, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		titleFace = f
		titleLines = wrap(f, c.Title, right-left, 4)
		if !strings.HasSuffix(titleLines[len(titleLines)-1], "…") {
			break
		}
	}
	lineH := int(size * 1.18)
	top := 150 + lineH
	drawText(img, titleFace, fg, left, top, titleLines)
	if c.Section != "" {
		face, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: 36, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		drawText(img, face, accent, left, Height-70, wrap(face, c.Section, right-left, 1))
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func drawText(img draw.Image, face font.Face, c color.Color, x, y int, lines []string) {
	m := face.Metrics()
	lineH := (m.Height * 118 / 100).Ceil()
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(x, y+i*lineH)
		d.DrawString(l)
	}
}

// wrap breaks text into at most n lines no wider than width, ending the last with "…"
// when the text does not fit.
func wrap(face font.Face, text string, width, n int) []string {
	words := strings.Fields(text)
	var lines []string
	cur := ""
	fits := func(s string) bool { return font.MeasureString(face, s).Ceil() <= width }
	for _, w := range words {
		cand := w
		if cur != "" {
			cand = cur + " " + w
		}
		if fits(cand) {
			cur = cand
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = w
		if len(lines) == n {
			// No room for the rest: end the last line with an ellipsis.
			last := []rune(lines[n-1])
			for len(last) > 0 && !fits(string(last)+"…") {
				last = []rune(strings.TrimRight(string(last[:len(last)-1]), " "))
			}
			lines[n-1] = string(last) + "…"
			return lines
		}
		// A single word wider than the line is cut.
		for r := []rune(cur); !fits(cur) && len(r) > 1; cur = string(r) {
			r = r[:len(r)-1]
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}
