package imaging

import (
	"image"
	"image/draw"
	"io"
	_ "unsafe" // for go:linkname

	"github.com/gen2brain/webp"
)

// WebP is encoded by libwebp compiled to WebAssembly, as gen2brain/webp ships it: pure Go
// through wazero, so no cgo and no C compiler, and the same bytes for the same pixels on
// every machine and system. Left to itself, gen2brain/webp would instead load a libwebp.so
// it finds installed (its build tag nodynamic turns that off, but a tag cannot be asked of
// everyone who runs go run ./cmd/recap): another libwebp version gives other bytes, and
// so other cache keys and output on one machine than on the next. The two variables below
// are the package's own switch; setting them after its init makes it use WebAssembly always.

//go:linkname webpDynamic github.com/gen2brain/webp.dynamic
var webpDynamic bool

func init() { webpDynamic = false }

func encodeWebP(w io.Writer, img image.Image) error {
	// gen2brain/webp reads the bytes of an *image.RGBA as if they were not premultiplied:
	// right for opaque pixels only, so an image with transparency goes as NRGBA.
	if rgba, ok := img.(*image.RGBA); ok && !rgba.Opaque() {
		n := image.NewNRGBA(rgba.Rect)
		draw.Draw(n, n.Rect, rgba, rgba.Rect.Min, draw.Src)
		img = n
	}
	return webp.Encode(w, img, webp.Options{Quality: WebPQuality(img.Bounds().Dx()), Method: WebPMethod})
}
