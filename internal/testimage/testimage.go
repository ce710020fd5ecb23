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
	"math/rand/v2"

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
	return WithEXIF(buf.Bytes(), e)
}

// WithEXIF returns the JPEG data with the EXIF block e inserted after its start (data as
// it is when e is zero). Benchmarks use it to make many originals that differ in their
// bytes, and so are processed each on its own, from one encoded picture.
func WithEXIF(data []byte, e EXIF) []byte {
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

// Scene returns a w x h picture built like a photograph, for benchmarks of real-sized
// images: a sky gradient over a ground, soft-edged shapes (people, panels, lamps), fine
// texture and sensor noise, so that it compresses about as a photograph does (flat colours
// or smooth gradients alone compress to almost nothing). seed varies it; the same seed
// gives the same pixels.
func Scene(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	horizon := h * (45 + rnd.IntN(20)) / 100
	sky := [2][3]float64{{70 + rnd.Float64()*60, 110 + rnd.Float64()*60, 190 + rnd.Float64()*50}, {200, 210, 225}}
	ground := [2][3]float64{{90 + rnd.Float64()*60, 80 + rnd.Float64()*40, 60}, {40, 35 + rnd.Float64()*30, 30}}
	// Noise and texture come from small tables, so that making 12 megapixels stays quick.
	noise := make([]float64, 4099)
	for i := range noise {
		noise[i] = rnd.NormFloat64() * 6
	}
	wave := make([]float64, 1024)
	for i := range wave {
		wave[i] = 10 * math.Sin(float64(i)*2*math.Pi/1024*7)
	}
	for y := range h {
		var a, b [3]float64
		t := 0.0
		if y < horizon {
			a, b, t = sky[0], sky[1], float64(y)/float64(horizon)
		} else {
			a, b, t = ground[0], ground[1], float64(y-horizon)/float64(h-horizon)
		}
		var base [3]float64
		for c := range 3 {
			base[c] = a[c] + (b[c]-a[c])*t
		}
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := range w {
			tex := 0.0
			if y >= horizon {
				tex = wave[(x*3+y*5)&1023] * wave[(x*7-y*2)&1023] / 10
			}
			n := noise[(x*31+y*17+seed)%len(noise)]
			for c := range 3 {
				row[x*4+c] = clamp(base[c] + tex + n)
			}
			row[x*4+3] = 255
		}
	}
	// Shapes: soft-edged ellipses and panels in varied colours.
	for range 40 + rnd.IntN(30) {
		cx, cy := rnd.IntN(w), horizon/2+rnd.IntN(h-horizon/2)
		rx, ry := w/60+rnd.IntN(w/10), h/40+rnd.IntN(h/6)
		col := [3]float64{rnd.Float64() * 255, rnd.Float64() * 255, rnd.Float64() * 255}
		panel := rnd.IntN(3) == 0
		for y := max(0, cy-ry); y < min(h, cy+ry); y++ {
			for x := max(0, cx-rx); x < min(w, cx+rx); x++ {
				dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
				d := dx*dx + dy*dy
				if panel {
					d = max(dx*dx, dy*dy)
				}
				if d >= 1 {
					continue
				}
				// Opaque inside, fading over the outer tenth; shaded top to bottom.
				alpha := min(1, (1-d)*10)
				shade := 1 - 0.3*float64(y-cy+ry)/float64(2*ry)
				o := img.PixOffset(x, y)
				for c := range 3 {
					v := float64(img.Pix[o+c])
					img.Pix[o+c] = clamp(v + (col[c]*shade+noise[(x+y*13)%len(noise)]-v)*alpha)
				}
			}
		}
	}
	return img
}
