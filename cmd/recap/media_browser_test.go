package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/icc-recap/recap/internal/browsertest"
	"github.com/icc-recap/recap/internal/testimage"
)

// mediaSiteChanges gives a copy of the real record a gallery (several photographs in the
// body of day 1), a portrait from front matter (Pia Laurila's, stored turned, with EXIF
// orientation 6 and a GPS position) and a YouTube recording on day 2.
func mediaSiteChanges() map[string]func(string) string {
	change := map[string]func(string) string{
		"content/days/day-1.md": func(s string) string {
			var b strings.Builder
			b.WriteString(s)
			b.WriteString("\n## Pictures of the day\n\n")
			for i, alt := range []string{"The opening session seen from the back of the hall", "Participants in a break-out room", "A speaker at the lectern", "The closing panel"} {
				b.WriteString("![" + alt + "](gallery-" + string(rune('1'+i)) + ".jpg)\n\nSome words between the pictures, so that the page is long enough to scroll.\n\n")
			}
			return b.String()
		},
		"content/speakers/pia-laurila.md": func(s string) string {
			return strings.Replace(s, "title: Pia Laurila\n", "title: Pia Laurila\nimage: pia-laurila.jpg\n", 1)
		},
		"content/days/day-2.md": func(s string) string {
			return strings.Replace(s, "\ndate:", "\nvideo: https://www.youtube.com/watch?v=dQw4w9WgXcQ\ndate:", 1)
		},
		"content/speakers/pia-laurila.jpg": func(string) string {
			return string(testimage.JPEG(testimage.Scene(900, 1200, 7), testimage.EXIF{Orientation: 6, GPS: true}))
		},
	}
	for i := range 4 {
		seed := i + 1
		change["content/days/gallery-"+string(rune('1'+i))+".jpg"] = func(string) string {
			return string(testimage.JPEG(testimage.Scene(1600, 1000+100*seed, seed), testimage.EXIF{GPS: true}))
		}
	}
	return change
}

// videoHost reports whether an address is on a video host or its image servers.
func videoHost(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	for _, host := range []string{"youtube.com", "youtube-nocookie.com", "youtu.be", "ytimg.com", "googlevideo.com", "vimeo.com", "vimeocdn.com"} {
		if h == host || strings.HasSuffix(h, "."+host) {
			return true
		}
	}
	return false
}

// TestMediaInTheBrowser opens a gallery, a page with a portrait and a page with a
// recording: no layout shift while the page loads and its lazy images are scrolled into
// view; no request to the video host until the reader presses play, then the player from
// the privacy-enhanced address; axe-core finds nothing wrong with any of them.
func TestMediaInTheBrowser(t *testing.T) {
	axe := browsertest.AxeScript(t)
	out, _ := buildRealSiteWith(t, mediaSiteChanges(), "--base-url", "https://example.org"+prefix)
	// Images arrive late, as on a slow network, so that a picture without its size would
	// move the text when it comes (from a local server, everything would be there before
	// the first layout, and no shift could show).
	files := http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(out)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch path.Ext(r.URL.Path) {
		case ".webp", ".jpg", ".png", ".svg":
			time.Sleep(400 * time.Millisecond)
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + prefix
	bctx := browsertest.New(t)

	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	hostRequests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, r := range requests {
			if videoHost(r) {
				out = append(out, r)
			}
		}
		return out
	}

	for _, width := range []int64{390, 1280} {
		ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
		emulate(t, ctx, width, "light")
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"days/day-1/", "speakers/pia-laurila/", "days/day-2/"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+page)); err != nil {
				t.Fatalf("%s: %v", page, err)
			}
			pics, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main img").length`))
			if want := map[string]int{"days/day-1/": 4, "speakers/pia-laurila/": 1, "days/day-2/": 1}[page]; pics < want {
				t.Errorf("%s shows %d images, want at least %d", page, pics, want)
			}
			// Every layout shift since the page began (buffered), after load and after
			// scrolling each image into view and waiting for it to load.
			cls, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(async () => {
				let total = 0;
				new PerformanceObserver(list => {
					for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
				}).observe({type: "layout-shift", buffered: true});
				const settle = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
				await settle();
				for (const img of document.querySelectorAll("img")) {
					img.scrollIntoView({block: "center"});
					if (!img.complete) await new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 5000); });
					await settle();
				}
				window.scrollTo(0, document.body.scrollHeight);
				await settle();
				await new Promise(r => setTimeout(r, 300));
				return total;
			})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: %v", page, err)
			}
			if cls != 0 {
				t.Errorf("%s at %dpx: layout shifts add up to %g, want 0", page, width, cls)
			}
			// The images came from the site, and none is still without its pixels.
			broken, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main img")].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.currentSrc || i.src)`))
			if len(broken) > 0 {
				t.Errorf("%s at %dpx: images that did not load: %v", page, width, broken)
			}
			if width == 1280 {
				for _, v := range axeViolations(t, ctx, axe) {
					t.Errorf("%s: %s", page, v)
				}
			}
		}
		if got := hostRequests(); len(got) > 0 {
			t.Fatalf("requests to the video host before play was pressed: %v", got)
		}
		cancel()
	}

	// Pressing play: the player comes from the privacy-enhanced address, and only then is
	// the host asked for anything.
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"days/day-2/"), chromedp.Click(chromedp.CSS("a.video-play")), chromedp.WaitReady(chromedp.CSS(".video-frame iframe"))); err != nil {
		t.Fatal(err)
	}
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(".video-frame iframe"), "src"))
	if err != nil {
		t.Fatal(err)
	}
	src := attr.Value
	if !strings.HasPrefix(src, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ") {
		t.Errorf("the player's address is %q, want the privacy-enhanced youtube-nocookie.com", src)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(hostRequests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// The first request after play is the player's (with a network, the player then
	// fetches its own scripts from the host's other servers).
	if got := hostRequests(); len(got) == 0 {
		t.Error("pressing play asked the video host for nothing: the test would not see requests before it either")
	} else if h, _ := url.Parse(got[0]); h == nil || h.Hostname() != "www.youtube-nocookie.com" {
		t.Errorf("after play, the first request went to %s, not to the privacy-enhanced host", got[0])
	}
}
