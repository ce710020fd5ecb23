// Package imaging does the pixel work of the image pipeline: it reads an image's size and
// EXIF orientation without decoding it, decodes it, scales and crops it, turns it upright
// and encodes the result as WebP, JPEG, PNG or GIF. Whatever metadata the original held
// (EXIF with GPS position and camera, XMP, ICC comments) is never copied: every output is
// encoded afresh from pixels. It knows nothing of pages, caches or output folders.
//
// Formats are read and written by maintained libraries: the standard library's image/jpeg,
// image/png and image/gif, golang.org/x/image for scaling (draw.CatmullRom) and WebP
// decoding, github.com/gen2brain/webp (libwebp compiled to WebAssembly, run by wazero: no
// cgo) for WebP encoding, and github.com/dsoprea/go-exif/v3 for the orientation tag.
package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"sync/atomic"

	exif "github.com/dsoprea/go-exif/v3"
	xdraw "golang.org/x/image/draw"
	xwebp "golang.org/x/image/webp"
)

// Format is an encoded image format.
type Format string

// The formats the pipeline reads and writes.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// Ext is the file extension of the format, without the dot.
func (f Format) Ext() string {
	if f == JPEG {
		return "jpg"
	}
	return string(f)
}

// MIME is the media type of the format.
func (f Format) MIME() string { return "image/" + string(f) }

// Info is what Probe learns of an image without decoding its pixels.
type Info struct {
	Format Format
	// Width and Height are as stored in the file, before orientation.
	Width, Height int
	// Orientation is the EXIF orientation, 1 to 8 (1 when the file has none).
	Orientation int
}

// Upright returns the size of the image once its orientation is applied.
func (i Info) Upright() (w, h int) {
	if i.Orientation >= 5 {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}

// ErrUnknownFormat is returned for data that is none of the formats read.
var ErrUnknownFormat = errors.New("not a JPEG, PNG, GIF or WebP image")

// Probe reads the format, the size and the EXIF orientation of an encoded image.
func Probe(data []byte) (Info, error) {
	cfg, name, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return Info{}, ErrUnknownFormat
		}
		return Info{}, err
	}
	info := Info{Format: Format(name), Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	switch info.Format {
	case JPEG, PNG, GIF, WebP:
	default:
		return Info{}, ErrUnknownFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("the image has no pixels (%d x %d)", cfg.Width, cfg.Height)
	}
	if info.Format == JPEG || info.Format == WebP {
		info.Orientation = Orientation(data)
	}
	return info, nil
}

// exifWindow is how far into a file the EXIF block is looked for: in a JPEG it is an APP1
// segment, at most 64 KiB, right after the start; in a WebP an early chunk.
const exifWindow = 256 << 10

// Orientation returns the EXIF orientation (1 to 8) of an encoded image, or 1 when it has
// none or it cannot be read.
func Orientation(data []byte) int {
	raw, err := exif.SearchAndExtractExif(data[:min(len(data), exifWindow)])
	if err != nil || len(raw) == 0 {
		return 1
	}
	tags, _, err := exif.GetFlatExifData(raw, nil)
	if err != nil && len(tags) == 0 {
		return 1
	}
	for _, t := range tags {
		if t.TagId != 0x0112 || t.IfdPath != "IFD" {
			continue
		}
		if v, ok := t.Value.([]uint16); ok && len(v) > 0 && v[0] >= 1 && v[0] <= 8 {
			return int(v[0])
		}
	}
	return 1
}

// DecodeBytes is how many bytes of memory processing an image of that size may take: the
// decoded pixels (up to 4 bytes each), a first halving (1 byte a pixel), and the
// scaler's buffer for the largest file made of it (64 bytes for each of its pixels; that
// file is at most 1600 pixels wide, the widest of a body image).
func DecodeBytes(w, h int) int64 {
	scaled := int64(w) * int64(h)
	if w > 1600 {
		scaled = 1600 * ((int64(h)*1600 + int64(w) - 1) / int64(w))
	}
	return int64(w)*int64(h)*5 + 64*scaled
}

// decodes counts the calls of Decode, so that tests can tell that a build decoded nothing.
var decodes atomic.Int64

// Decodes returns how many times Decode has been called in this process.
func Decodes() int64 { return decodes.Load() }

// Decode decodes an encoded image of format f (the first frame of an animated GIF).
func Decode(data []byte, f Format) (image.Image, error) {
	decodes.Add(1)
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r)
	case WebP:
		return xwebp.Decode(r)
	}
	return nil, ErrUnknownFormat
}

// Crop says which part of an image to keep.
type Crop int

// The crops.
const (
	// Fit keeps the whole image.
	Fit Crop = iota
	// Fill fills the target box exactly, cutting what overflows: the centre of a wide
	// image, and of a tall one a window a little above the middle, where faces are in
	// portraits.
	Fill
)

// Box returns the part of an upright image of size w x h that a crop to the aspect ratio of
// tw x th keeps, in upright coordinates.
func Box(w, h, tw, th int, crop Crop) image.Rectangle {
	if crop != Fill || tw <= 0 || th <= 0 {
		return image.Rect(0, 0, w, h)
	}
	// Compare w/h with tw/th without rounding.
	if int64(w)*int64(th) > int64(h)*int64(tw) {
		cw := int((int64(h)*int64(tw) + int64(th)/2) / int64(th))
		x := (w - cw) / 2
		return image.Rect(x, 0, x+cw, h)
	}
	ch := int((int64(w)*int64(th) + int64(tw)/2) / int64(tw))
	y := (h - ch) / 5
	return image.Rect(0, y, w, y+ch)
}

// Scale returns the part box of the upright image (whose stored form is src, with EXIF
// orientation o) scaled to w x h pixels and turned upright.
func Scale(src image.Image, o int, box image.Rectangle, w, h int) *image.RGBA {
	return Orient(ScaleStored(src, o, box, w, h), o)
}

// ScaleStored is Scale without the final turn: the result is still in the stored
// orientation, so that smaller sizes can be scaled from it and only each result turned.
func ScaleStored(src image.Image, o int, box image.Rectangle, w, h int) *image.RGBA {
	b := src.Bounds()
	// The box in stored coordinates, and the size before the turn.
	sbox := storedRect(box, b.Dx(), b.Dy(), o).Add(b.Min)
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	// Halve while the image is at least twice the size asked for: at exactly half size
	// ApproxBiLinear averages each 2 x 2 block, which is fast and needs no buffer beyond
	// the result, whereas CatmullRom over a large reduction reads many pixels for each
	// one it writes and keeps a buffer of 32 bytes per pixel. CatmullRom does the last
	// step, less than halving, for sharpness.
	for sbox.Dx() >= 2*sw && sbox.Dy() >= 2*sh {
		half := image.NewRGBA(image.Rect(0, 0, sbox.Dx()/2, sbox.Dy()/2))
		xdraw.ApproxBiLinear.Scale(half, half.Rect, src, sbox, xdraw.Src, nil)
		src, sbox = half, half.Rect
	}
	dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
	if sbox.Dx() == sw && sbox.Dy() == sh {
		draw.Draw(dst, dst.Bounds(), src, sbox.Min, draw.Src)
	} else {
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, sbox, xdraw.Src, nil)
	}
	return dst
}

// storedRect maps a rectangle of the upright image (size once turned) to the stored image
// of size w x h.
func storedRect(r image.Rectangle, w, h, o int) image.Rectangle {
	// Map the two corners and normalise.
	p := func(x, y int) image.Point {
		switch o {
		case 2: // mirrored horizontally
			return image.Pt(w-x, y)
		case 3: // turned 180
			return image.Pt(w-x, h-y)
		case 4: // mirrored vertically
			return image.Pt(x, h-y)
		case 5: // transposed
			return image.Pt(y, x)
		case 6: // turned 90 clockwise to be upright: upright (x,y) is stored (y, h-x)
			return image.Pt(y, h-x)
		case 7: // transversed
			return image.Pt(w-y, h-x)
		case 8: // turned 90 counter-clockwise to be upright
			return image.Pt(w-y, x)
		}
		return image.Pt(x, y)
	}
	return image.Rectangle{Min: p(r.Min.X, r.Min.Y), Max: p(r.Max.X, r.Max.Y)}.Canon()
}

// Orient turns a stored image upright according to EXIF orientation o.
func Orient(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+w*4]
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+dx*4:dy*dst.Stride+dx*4+4], row[x*4:x*4+4])
		}
	}
	return dst
}

// Quality settings of the encoders; part of every cache key through Settings.
//
// The quality falls as the width grows. The widest files are fetched by screens of two
// or three device pixels per CSS pixel (a 40rem column is 640 CSS pixels, 1280 device
// pixels on such a screen), where each pixel is too small for the artefacts of a lower
// quality to show ("compressive images"); the 800-pixel file is what a plain desktop
// screen shows pixel for pixel, and keeps the usual quality. Measured on a 3840 x 2560
// street photograph: WebP at 1600 pixels is 315 KB at 78 and 234 KB at 60, and crops
// of the two side by side at full size are hard to tell apart.
const (
	// WebPMethod is libwebp's effort (0 fast to 6 small); 4 is its default.
	WebPMethod = 4
)

// WebPQuality returns the WebP quality of an image w pixels wide.
func WebPQuality(w int) int {
	switch {
	case w <= 800:
		return 78
	case w <= 1200:
		return 70
	}
	return 60
}

// JPEGQuality returns the JPEG quality of an image w pixels wide.
func JPEGQuality(w int) int {
	switch {
	case w <= 800:
		return 80
	case w <= 1200:
		return 75
	}
	return 70
}

// Settings describes the encoders and their settings; a change to any of them must change
// this text, since cached images are keyed by it.
const Settings = "imaging/2 jpeg-q80/800-q75/1200-q70 webp-q78/800-q70/1200-q60-m4 libwebp-wasm(gen2brain/webp v0.5.5) png-default gif-plan9 halve-approxbilinear+catmullrom"

// Encode writes img in format f.
func Encode(w io.Writer, img image.Image, f Format) error {
	switch f {
	case JPEG:
		return jpeg.Encode(w, flatten(img), &jpeg.Options{Quality: JPEGQuality(img.Bounds().Dx())})
	case PNG:
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		return enc.Encode(w, img)
	case GIF:
		return gif.Encode(w, img, &gif.Options{NumColors: 256})
	case WebP:
		return encodeWebP(w, img)
	}
	return fmt.Errorf("cannot encode %s", f)
}

// flatten puts an image with transparency on white, since JPEG has none.
func flatten(img image.Image) image.Image {
	n, ok := img.(*image.RGBA)
	if !ok || n.Opaque() {
		return img
	}
	dst := image.NewRGBA(n.Rect)
	draw.Draw(dst, dst.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, n, n.Rect.Min, draw.Over)
	return dst
}
