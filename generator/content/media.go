package content

import (
	"path"
	"strings"

	"github.com/icc-recap/recap/generator/embed"
	"github.com/icc-recap/recap/generator/media"
	"github.com/icc-recap/recap/generator/site"
	"github.com/icc-recap/recap/generator/urls"
)

// IsMediaFile reports whether a file of content/ is one a page may name beside it: an
// image, a PDF or a video file.
func IsMediaFile(name string) bool {
	if media.IsImage(name) || media.IsSVG(name) {
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf", ".mp4", ".webm", ".m4v", ".ogv", ".mov", ".vtt":
		return true
	}
	return false
}

// readMedia reads the front-matter keys image, image_alt, video and slides, checking that
// a file they name exists beside the page (and that an image can be processed).
func readMedia(pg *site.Page, v values, pipe *media.Pipeline) {
	if img := strings.TrimSpace(v.str("image")); img != "" {
		pos := v.m.ValuePos("image", img)
		switch {
		case urls.IsExternal(img):
			v.col.Errorf(pos, "image %q is a web address: put the image file beside the page and name it, image: %s", img, path.Base(img))
		case !media.IsImage(img):
			v.col.Errorf(pos, "image %q is not a JPEG, PNG, GIF or WebP file: name one beside the page, such as image: portrait.jpg", img)
		default:
			rel, ok := beside(pg, img)
			if !ok {
				v.col.Errorf(pos, "image %q leaves the content folder: put the image beside the page", img)
				break
			}
			if pipe == nil {
				pg.Image = rel
				break
			}
			if _, err := pipe.Probe(rel, pg.Source); err != nil {
				v.col.Errorf(pos, "%s", err.Error())
				break
			}
			pg.Image = rel
		}
	}
	pg.ImageAlt = strings.TrimSpace(v.str("image_alt"))
	if pg.ImageAlt == "" {
		pg.ImageAlt = pg.Title
	}
	pg.Video = fileOrURL(pg, v, pipe, "video", []string{".mp4", ".webm", ".m4v", ".ogv", ".mov"}, "a YouTube or Vimeo address, or a video file (.mp4, .webm) beside the page")
	if pg.Video != "" && urls.IsExternal(pg.Video) {
		if _, ok := embed.Parse(pg.Video); !ok {
			v.col.Errorf(v.m.ValuePos("video", pg.Video), "video %q is not the address of a YouTube or Vimeo video: give the video's own address (https://www.youtube.com/watch?v=..., https://vimeo.com/...), or put a video file beside the page", pg.Video)
			pg.Video = ""
		}
	}
	pg.Slides = fileOrURL(pg, v, pipe, "slides", []string{".pdf"}, "a web address, or a PDF file beside the page")
}

// fileOrURL reads a key that names a web address or a file beside the page.
func fileOrURL(pg *site.Page, v values, pipe *media.Pipeline, key string, exts []string, what string) string {
	val := strings.TrimSpace(v.str(key))
	if val == "" {
		return ""
	}
	pos := v.m.ValuePos(key, val)
	if strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "http://") {
		return val
	}
	if urls.IsExternal(val) {
		v.col.Errorf(pos, "%s %q must be %s", key, val, what)
		return ""
	}
	ok := false
	for _, e := range exts {
		if strings.EqualFold(path.Ext(val), e) {
			ok = true
		}
	}
	if !ok {
		v.col.Errorf(pos, "%s %q must be %s", key, val, what)
		return ""
	}
	rel, inside := beside(pg, val)
	if !inside {
		v.col.Errorf(pos, "%s %q leaves the content folder: put the file beside the page", key, val)
		return ""
	}
	if pipe != nil && !pipe.Exists(rel) {
		v.col.Errorf(pos, "%s %q names no file: there is no %s; check the name (letter case counts), or put the file beside the page", key, val, rel)
		return ""
	}
	return rel
}

// beside returns the slash path from the site root of a file named relative to the page.
func beside(pg *site.Page, name string) (string, bool) {
	rel := path.Join(path.Dir(pg.Source), name)
	return rel, strings.HasPrefix(rel, Dir+"/")
}
