package main

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/internal/sitetest"
	"github.com/icc-recap/recap/internal/testimage"
)

// An image that cannot be decoded within --image-memory is one clear line at the line that
// names it, exit 1, the previous output untouched; nothing is decoded to find out.
func TestImageOverTheMemoryBudget(t *testing.T) {
	root := sitetest.Write(t, sitetest.Base)
	if code, _, errOut := runCmd(t, "build", "--source", root); code != 0 {
		t.Fatalf("first build: exit %d: %s", code, errOut)
	}
	before := sitetest.Snapshot(t, filepath.Join(root, "public"))
	sitetest.WriteInto(t, root, map[string]string{
		"content/talks/opening.md": "---\ntitle: Opening\n---\nThe hall from above:\n\n![The hall from above](hall.png)\n",
		// Only the header of a 6000 x 4000 PNG: enough to read its size.
		"content/talks/hall.png": string(testimage.PNGHeader(6000, 4000)),
	})
	code, _, errOut := runCmd(t, "build", "--source", root, "--image-memory", "64")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	want := "content/talks/opening.md:6:24: the image content/talks/hall.png is 6000 x 4000 pixels (24 megapixels): decoding it needs about 218 MiB, more than the image memory budget of 64 MiB: scale it down to at most 1208 x 805 pixels, or raise the budget with --image-memory"
	if code != 1 || len(lines) != 2 || lines[0] != want || !strings.Contains(lines[1], "is unchanged") {
		t.Errorf("exit %d:\n%s\nwant the line\n%s", code, errOut, want)
	}
	if after := sitetest.Snapshot(t, filepath.Join(root, "public")); !maps.Equal(before, after) {
		t.Error("the failed build changed public/")
	}
}
