// Package testimage makes images for tests: photographs-like pictures of a given size, with
// an EXIF block (orientation, camera and GPS position) written by go-exif, so that tests of
// the image pipeline need no files checked in.
package testimage

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"

	exif "github.com/dsoprea/go-exif/v3"
	exifcommon "github.com/dsoprea/go-exif/v3/common"
)

// Quadrants returns a w x h image whose four quadrants are red (top left), green (top
// right), blue (bottom left) and white (bottom right), so a test can tell how it was turned.
func Quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var c color.RGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.RGBA{255, 0, 0, 255}
			case y < h/2:
				c = color.RGBA{0, 255, 0, 255}
			case x < w/2:
				c = color.RGBA{0, 0, 255, 255}
			default:
				c = color.RGBA{255, 255, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// Photo returns a w x h image with smooth gradients and some fine detail, closer to a
// photograph than flat colours (which compress to almost nothing); seed varies it.
func Photo(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fs := float64(seed%7 + 1)
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(6*fx*fs+3*fy)
			g := 128 + 90*math.Cos(5*fy*fs-2*fx)
			b := 128 + 80*math.Sin(9*(fx+fy))
			// Fine texture, like foliage or fabric.
			t := 20 * math.Sin(float64(x*x+y*3*seed)*0.013) * math.Cos(float64(y)*0.31)
			img.Pix[img.PixOffset(x, y)+0] = clamp(r + t)
			img.Pix[img.PixOffset(x, y)+1] = clamp(g + t)
			img.Pix[img.PixOffset(x, y)+2] = clamp(b - t)
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	return img
}

func clamp(v float64) uint8 {
	return uint8(max(0, min(255, v)))
}

// EXIF says what to write in a test image's EXIF block.
type EXIF struct {
	// Orientation 1 to 8; 0 writes none.
	Orientation int
	// GPS writes a position (Brussels) when set.
	GPS bool
	// Camera is written as the Make tag when not empty.
	Camera string
}

// JPEG encodes img as a JPEG with the EXIF block e (none when e is zero).
func JPEG(img image.Image, e EXIF) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	data := buf.Bytes()
	if e == (EXIF{}) {
		return data
	}
	block := Block(e)
	// An APP1 segment right after the start of image marker.
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+6+len(block)))
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, block...)
	out := append([]byte{}, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

// PNG encodes img as a PNG.
func PNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Block returns an EXIF block (TIFF header and IFDs) holding e, made by go-exif.
func Block(e EXIF) []byte {
	im := exifcommon.NewIfdMapping()
	if err := exifcommon.LoadStandardIfds(im); err != nil {
		panic(err)
	}
	ti := exif.NewTagIndex()
	ib := exif.NewIfdBuilder(im, ti, exifcommon.IfdStandardIfdIdentity, binary.BigEndian)
	if e.Orientation > 0 {
		must(ib.AddStandardWithName("Orientation", []uint16{uint16(e.Orientation)}))
	}
	if e.Camera != "" {
		must(ib.AddStandardWithName("Make", e.Camera))
	}
	if e.GPS {
		gps := exif.NewIfdBuilder(im, ti, exifcommon.IfdGpsInfoStandardIfdIdentity, binary.BigEndian)
		must(gps.AddStandardWithName("GPSLatitudeRef", "N"))
		must(gps.AddStandardWithName("GPSLatitude", []exifcommon.Rational{{Numerator: 50, Denominator: 1}, {Numerator: 50, Denominator: 1}, {Numerator: 2400, Denominator: 100}}))
		must(gps.AddStandardWithName("GPSLongitudeRef", "E"))
		must(gps.AddStandardWithName("GPSLongitude", []exifcommon.Rational{{Numerator: 4, Denominator: 1}, {Numerator: 21, Denominator: 1}, {Numerator: 900, Denominator: 100}}))
		must(ib.AddChildIb(gps))
	}
	data, err := exif.NewIfdByteEncoder().EncodeToExif(ib)
	if err != nil {
		panic(err)
	}
	return data
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// PNGHeader returns the start of a PNG file that says it is w x h pixels: enough for a
// program to read its size, as one would of a huge panorama, without the memory to make one.
func PNGHeader(w, h int) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, truecolour
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	return append(out, chunk("IDAT", []byte{0x78, 0x9c})...)
}
