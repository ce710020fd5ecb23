package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/icc-recap/recap/internal/browsertest"
)

// TestBrowserReloadsByItself opens a page in headless Chromium, edits the page's file, and
// waits for the open tab to show the new text without anyone reloading it; then breaks the
// file and waits for the error overlay, and fixes it again.
func TestBrowserReloadsByItself(t *testing.T) {
	dir := testSite(t)
	srv, base := start(t, dir)
	bctx := browsertest.New(t)
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/talks/a/")); err != nil {
		t.Fatal(err)
	}
	// Mark the tab: a reload by the browser itself clears the mark.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.recapMark = true`)); err != nil {
		t.Fatal(err)
	}
	waitFor := func(what, expr string) {
		t.Helper()
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			select {
			case <-ctx.Done():
				body, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
				t.Fatalf("%s: not seen in time; the page shows %q", what, body)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	// Edit only once the page's event stream is open (the first, then the reloaded page's).
	streams := func(n int) {
		t.Helper()
		for srv.hub.streamsOpened() < n {
			select {
			case <-ctx.Done():
				t.Fatalf("the page opened %d event streams, want %d", srv.hub.streamsOpened(), n)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	streams(1)
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nEdited in the editor.\n")
	waitFor("the edit", `document.body.innerText.includes("Edited in the editor.") && window.recapMark === undefined`)

	streams(2)
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: [Talk A\n---\nBroken.\n")
	waitFor("the error overlay", `!!document.getElementById("recap-errors") && document.getElementById("recap-errors").innerText.includes("content/talks/a.md:2:")`)
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if !strings.Contains(text, "Edited in the editor.") {
		t.Errorf("the last good page is not shown under the overlay: %q", text)
	}

	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFixed.\n")
	waitFor("the fix", `document.body.innerText.includes("Fixed.") && !document.getElementById("recap-errors")`)
}
