package imaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"testing"

	"github.com/icc-recap/recap/internal/testimage"
)

// Each orientation, applied, must give the upright picture: red top left, green top right,
// blue bottom left, white bottom right. The stored image is the upright one transformed by
// the inverse of what the tag says.
func TestOrientationAllEight(t *testing.T) {
	upright := testimage.Quadrants(64, 32)
	for o := 1; o <= 8; o++ {
		stored := inverse(upright, o)
		data := testimage.JPEG(stored, testimage.EXIF{Orientation: o, GPS: true})
		info, err := Probe(data)
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if info.Orientation != o {
			t.Fatalf("orientation %d read as %d", o, info.Orientation)
		}
		if w, h := info.Upright(); w != 64 || h != 32 {
			t.Fatalf("orientation %d: upright size %dx%d, want 64x32", o, w, h)
		}
		img, err := Decode(data, info.Format)
		if err != nil {
			t.Fatal(err)
		}
		out := Scale(img, o, image.Rect(0, 0, 64, 32), 32, 16)
		if out.Rect.Dx() != 32 || out.Rect.Dy() != 16 {
			t.Fatalf("orientation %d: scaled to %v", o, out.Rect)
		}
		for _, c := range []struct {
			x, y int
			want color.RGBA
		}{{4, 3, color.RGBA{255, 0, 0, 255}}, {28, 3, color.RGBA{0, 255, 0, 255}}, {4, 12, color.RGBA{0, 0, 255, 255}}, {28, 12, color.RGBA{255, 255, 255, 255}}} {
			got := out.RGBAAt(c.x, c.y)
			if !near(got, c.want) {
				t.Errorf("orientation %d: pixel (%d,%d) is %v, want %v", o, c.x, c.y, got, c.want)
			}
		}
	}
}

// inverse stores an upright image as a camera with EXIF orientation o would.
func inverse(up *image.RGBA, o int) *image.RGBA {
	inv := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}[o]
	n := image.NewRGBA(up.Rect)
	copy(n.Pix, up.Pix)
	return Orient(n, inv)
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return int(x) > int(y)+40 || int(y) > int(x)+40 }
	return !d(a.R, b.R) && !d(a.G, b.G) && !d(a.B, b.B)
}

// What is encoded holds no metadata: the GPS position, the camera and the EXIF block of
// the original are gone from every format.
func TestEncodeStripsMetadata(t *testing.T) {
	data := testimage.JPEG(testimage.Photo(200, 150, 1), testimage.EXIF{Orientation: 6, GPS: true, Camera: "SecretCam"})
	if !bytes.Contains(data, []byte("Exif")) || !bytes.Contains(data, []byte("SecretCam")) {
		t.Fatal("the test image has no EXIF block")
	}
	info, err := Probe(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Decode(data, info.Format)
	if err != nil {
		t.Fatal(err)
	}
	small := Scale(img, info.Orientation, image.Rect(0, 0, 150, 200), 75, 100)
	for _, f := range []Format{JPEG, PNG, GIF, WebP} {
		var buf bytes.Buffer
		if err := Encode(&buf, small, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, bad := range []string{"Exif", "SecretCam", "GPS", "XMP"} {
			if bytes.Contains(buf.Bytes(), []byte(bad)) {
				t.Errorf("%s output contains %q", f, bad)
			}
		}
		got, err := Probe(buf.Bytes())
		if err != nil || got.Format != f || got.Width != 75 || got.Height != 100 || got.Orientation != 1 {
			t.Errorf("%s output probes as %+v, %v", f, got, err)
		}
	}
}

// The WebP encoder gives the same bytes for the same pixels, here and on any machine: its
// output is pinned by its hash.
func TestWebPIsDeterministic(t *testing.T) {
	img := testimage.Photo(120, 80, 3)
	var a, b bytes.Buffer
	if err := Encode(&a, img, WebP); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, img, WebP); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two encodings of one image differ")
	}
	sum := sha256.Sum256(a.Bytes())
	t.Logf("webp %d bytes, sha256 %s", a.Len(), hex.EncodeToString(sum[:]))
	if webpDynamic {
		t.Fatal("gen2brain/webp uses a system libwebp, whose bytes vary by version")
	}
}

func TestBox(t *testing.T) {
	for _, c := range []struct {
		w, h, tw, th int
		crop         Crop
		want         image.Rectangle
	}{
		{400, 300, 100, 100, Fill, image.Rect(50, 0, 350, 300)},
		{300, 400, 100, 100, Fill, image.Rect(0, 20, 300, 320)},
		{300, 400, 100, 100, Fit, image.Rect(0, 0, 300, 400)},
		{1200, 630, 1200, 630, Fill, image.Rect(0, 0, 1200, 630)},
	} {
		if got := Box(c.w, c.h, c.tw, c.th, c.crop); got != c.want {
			t.Errorf("Box(%d,%d,%d,%d,%v) = %v, want %v", c.w, c.h, c.tw, c.th, c.crop, got, c.want)
		}
	}
}

func TestProbeRejects(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("not an image"), []byte("\x89PNG\r\n\x1a\n"), testimage.JPEG(testimage.Photo(10, 10, 1), testimage.EXIF{})[:40]} {
		if _, err := Probe(data); err == nil {
			t.Errorf("Probe(%q...) gave no error", data[:min(len(data), 12)])
		}
	}
}

func FuzzProbe(f *testing.F) {
	f.Add(testimage.JPEG(testimage.Photo(8, 8, 1), testimage.EXIF{Orientation: 6, GPS: true}))
	f.Add(testimage.PNG(testimage.Photo(8, 8, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Probe(data)
		if err == nil && (info.Orientation < 1 || info.Orientation > 8 || info.Width <= 0) {
			t.Fatalf("Probe gave %+v", info)
		}
	})
}
