package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/incremental"
	"github.com/icc-recap/recap/generator/watch"
)

// TestEventStreamMethods: the stream answers GET only; HEAD returns at once, and the next
// request on the same connection is answered.
func TestEventStreamMethods(t *testing.T) {
	_, base := start(t, testSite(t))
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	for _, method := range []string{"HEAD", "POST", "DELETE", "PUT", "OPTIONS"} {
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", method, EventsPath)
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("%s %s: %v", method, EventsPath, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow GET", method, EventsPath, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	// The same connection still answers.
	fmt.Fprintf(conn, "GET /talks/a/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("GET after the others: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "First version.") {
		t.Errorf("GET after the others: %d %s", resp.StatusCode, b)
	}
}

func TestHosts(t *testing.T) {
	tests := []struct {
		addr  string
		allow []string
		host  string
		want  bool
	}{
		{"127.0.0.1:1313", nil, "127.0.0.1:1313", true},
		{"127.0.0.1:1313", nil, "localhost:1313", true},
		{"127.0.0.1:1313", nil, "LocalHost", true},
		{"127.0.0.1:1313", nil, "app.localhost:1313", true},
		{"127.0.0.1:1313", nil, "[::1]:1313", true},
		{"127.0.0.1:1313", nil, "127.0.0.2", true},
		{"127.0.0.1:1313", nil, "evil.example:1313", false},
		{"127.0.0.1:1313", nil, "localhost.evil.example", false},
		{"127.0.0.1:1313", nil, "10.0.0.1", false},
		{"127.0.0.1:1313", nil, "", false},
		{"127.0.0.1:1313", []string{"Preview.Test"}, "preview.test:1313", true},
		{"127.0.0.1:1313", []string{"preview.test"}, "other.test", false},
		{"localhost:1313", nil, "evil.example", false},
		{"[::1]:1313", nil, "[::1]:1313", true},
		{"[::1]:1313", nil, "evil.example", false},
		{"0.0.0.0:1313", nil, "evil.example", true},
		{":1313", nil, "evil.example", true},
		{"192.168.1.5:1313", nil, "evil.example", true},
	}
	for _, tt := range tests {
		hc := newHostCheck(tt.addr, tt.allow)
		if got := hc.allowed(tt.host); got != tt.want {
			t.Errorf("serving %s allowing %v, Host %q: allowed = %v, want %v", tt.addr, tt.allow, tt.host, got, tt.want)
		}
	}
}

func TestForeignHostIsRefused(t *testing.T) {
	log := &syncLog{}
	_, base := startWith(t, Options{Source: testSite(t), Log: log})
	for _, path := range []string{"/", EventsPath, "/site.css"} {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Host = "evil.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || strings.Contains(string(b), "Live") {
			t.Errorf("GET %s for evil.example: %d %s", path, resp.StatusCode, b)
		}
	}
	if n := strings.Count(log.String(), "--allow-host evil.example"); n != 1 {
		t.Errorf("the terminal says how to allow the host %d times, want 1:\n%s", n, log)
	}
}

// TestEncodedSlash: %2f does not stand for a folder's end, so one file has one address.
func TestEncodedSlash(t *testing.T) {
	dir := testSite(t)
	writeFile(t, dir, "static/css/extra.css", "p { color: red }")
	_, base := start(t, dir)
	for target, want := range map[string]string{
		"/css/extra.css":   "HTTP/1.1 200",
		"/css%2fextra.css": "HTTP/1.1 404",
		"/css%2Fextra.css": "HTTP/1.1 404",
		"/talks%2fa/":      "HTTP/1.1 404",
		"/talks/%61/":      "HTTP/1.1 200", // other escapes are fine
	} {
		if resp := rawGet(t, base, target); !strings.HasPrefix(resp, want) {
			t.Errorf("GET %s: %s, want %s", target, strings.SplitN(resp, "\r\n", 2)[0], want)
		}
	}
}

// TestConditionalRequests: every file has an ETag; asking again with it gives 304 until the
// file changes; the preview never lets a browser use a copy without asking.
func TestConditionalRequests(t *testing.T) {
	dir := testSite(t)
	_, base := start(t, dir)
	next := events(t, base)
	next()
	get := func(path, etag string) (int, string, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, cc)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("ETag"), string(b)
	}
	for _, path := range []string{"/talks/a/", "/site.css", "/search-index.js"} {
		status, etag, _ := get(path, "")
		if status != 200 || etag == "" {
			t.Fatalf("GET %s: %d, ETag %q", path, status, etag)
		}
		if status, _, body := get(path, etag); status != http.StatusNotModified || body != "" {
			t.Errorf("GET %s with its ETag: %d %q, want 304", path, status, body)
		}
		if status, _, _ := get(path, `"other", W/`+etag); status != http.StatusNotModified {
			t.Errorf("GET %s with a list of ETags holding its own: %d, want 304", path, status)
		}
		if status, _, _ := get(path, `"something-else"`); status != 200 {
			t.Errorf("GET %s with another ETag: %d, want 200", path, status)
		}
	}
	_, etag, _ := get("/talks/a/", "")
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nSecond version.\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("event %q after an edit", name)
	}
	if status, newTag, body := get("/talks/a/", etag); status != 200 || newTag == etag || !strings.Contains(body, "Second version.") {
		t.Errorf("after an edit, GET with the old ETag: %d %q %s", status, newTag, body)
	}
	// While the site is broken, the page carries the errors: a copy from before must not be
	// taken for it.
	_, etag, _ = get("/talks/a/", "")
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: [Talk A\n---\nBroken.\n")
	if name, _ := next(); name != "errors" {
		t.Fatalf("event %q after a broken edit", name)
	}
	if status, _, body := get("/talks/a/", etag); status != 200 || !strings.Contains(body, "recap-errors") {
		t.Errorf("while broken, GET with the good page's ETag: %d %s", status, body)
	}
}

// TestNoReloadForNoise: saves that change no output, editors' files and files no page uses
// send no reload; the next real edit does, once.
func TestNoReloadForNoise(t *testing.T) {
	dir := testSite(t)
	log := &syncLog{}
	rebuilt := make(chan *incremental.Result, 16)
	_, base := startWith(t, Options{Source: dir, Log: log}, func(s *Server) {
		s.Rebuilt = func(r *incremental.Result) { rebuilt <- r }
	})
	next := events(t, base)
	next()
	noise := []struct {
		name string
		do   func()
	}{
		{"the same bytes saved again", func() {
			writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFirst version.\n")
		}},
		{"a note beside the pages", func() { writeFile(t, dir, "content/talks/notes.txt", "to do") }},
		{"a template's comment", func() {
			writeFile(t, dir, "templates/page.html", "{{ define \"main\" }}{{/* a comment */}}<h1>{{ .Page.Title }}</h1>{{ .Page.Content }}{{ end }}")
		}},
	}
	for _, n := range noise {
		n.do()
		select {
		case r := <-rebuilt:
			if r.Changed || r.Diags.HasErrors() {
				t.Errorf("%s: changed %v, %v", n.name, r.Changed, r.Diags)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no rebuild", n.name)
		}
	}
	// Files editors write beside a page are not even a rebuild.
	for _, name := range []string{".a.md.swp", "a.md~", "#a.md#", ".#a.md", "4913"} {
		p := filepath.Join(dir, "content", "talks", name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFirst version.\n\nSecond version.\n")
	r := <-rebuilt
	if !r.Changed || r.Rendered != 1 {
		t.Errorf("the real edit: changed %v, rendered %d", r.Changed, r.Rendered)
	}
	for {
		name, _ := next()
		if name == "reload" {
			break
		}
		if name != "ok" {
			t.Fatalf("event %q", name)
		}
	}
	if _, _, body := get(t, base+"/talks/a/"); !strings.Contains(body, "Second version.") {
		t.Errorf("the first reload came before the real edit: %s", body)
	}
	if !strings.Contains(log.String(), "content/talks/notes.txt:1:1: warning: not a Markdown file") {
		t.Errorf("the note's warning is not shown:\n%s", log)
	}
	select {
	case r := <-rebuilt:
		t.Errorf("a rebuild for the editors' files: %+v", r)
	default:
	}
}

// TestVimSave saves a page as vim does (probe file 4913, the page renamed to a backup, the
// new page written, the backup deleted): one rebuild of that page, one reload.
func TestVimSave(t *testing.T) {
	dir := testSite(t)
	rebuilt := make(chan *incremental.Result, 16)
	_, base := startWith(t, Options{Source: dir}, func(s *Server) {
		s.Rebuilt = func(r *incremental.Result) { rebuilt <- r }
	})
	next := events(t, base)
	next()
	talks := filepath.Join(dir, "content", "talks")
	probe := filepath.Join(talks, "4913")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(probe, nil, 0o644))
	must(os.Remove(probe))
	must(os.Rename(filepath.Join(talks, "a.md"), filepath.Join(talks, "a.md~")))
	must(os.WriteFile(filepath.Join(talks, "a.md"), []byte("---\ntitle: Talk A\n---\nFirst version.\n\nSaved by vim.\n"), 0o644))
	must(os.Remove(filepath.Join(talks, "a.md~")))
	r := <-rebuilt
	if r.Diags.HasErrors() || !r.Changed || r.Rendered != 1 {
		t.Errorf("vim's save: %v, changed %v, rendered %d", r.Diags, r.Changed, r.Rendered)
	}
	if name, _ := next(); name != "reload" {
		t.Errorf("event %q, want reload", name)
	}
	// Nothing else follows: the next rebuild is that of the next save.
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFirst version.\n\nSaved again.\n")
	if r := <-rebuilt; r.Rendered != 1 {
		t.Errorf("the next save rendered %d pages", r.Rendered)
	}
	if _, _, body := get(t, base+"/talks/a/"); !strings.Contains(body, "Saved again.") {
		t.Errorf("after the next save: %s", body)
	}
}

// TestWatchErrorsShown: a watcher's error (here: the system's limit on watched folders) is
// printed with what to do, and shown over the pages and to open tabs.
func TestWatchErrorsShown(t *testing.T) {
	log := &syncLog{}
	_, base := startWith(t, Options{Source: testSite(t), Log: log}, func(s *Server) {
		s.watched = func(w *watch.Watcher) {
			w.Errors <- fmt.Errorf("cannot watch content/talks: %w", syscall.ENOSPC)
		}
	})
	next := events(t, base)
	name, data := next()
	if name == "ok" {
		name, data = next()
	}
	if name != "errors" || !strings.Contains(data, "fs.inotify.max_user_watches") {
		t.Fatalf("event %q %s, want the watcher's error", name, data)
	}
	if !strings.Contains(log.String(), "cannot watch content/talks: no space left on device: the system's limit on watched folders is reached") ||
		!strings.Contains(log.String(), "sudo sysctl fs.inotify.max_user_watches=") {
		t.Errorf("the terminal shows:\n%s", log)
	}
	if _, _, body := get(t, base+"/talks/a/"); !strings.Contains(body, `<div id="recap-errors"`) || !strings.Contains(body, "fs.inotify.max_user_watches") {
		t.Errorf("the page does not show the watcher's error: %s", body)
	}
}

// TestRequestsDoNotWaitForARebuild reads pages while a rebuild of a large page runs: they
// are answered from the last good site meanwhile, not after the rebuild.
func TestRequestsDoNotWaitForARebuild(t *testing.T) {
	dir := testSite(t)
	srv, base := start(t, dir)
	big := "---\ntitle: Talk A\n---\n" + strings.Repeat("A paragraph of the *large* page, with `code` and [a link](../_index.md).\n\n", 8000)
	if err := os.WriteFile(filepath.Join(dir, "content", "talks", "a.md"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		srv.Site().Update(context.Background(), []string{"content/talks/a.md"})
		close(done)
	}()
	answered := 0
	for {
		select {
		case <-done:
			if answered < 3 {
				t.Errorf("%d requests answered while the rebuild ran, want several", answered)
			}
			return
		default:
		}
		status, _, body := get(t, base+"/talks/")
		if status != 200 || !strings.Contains(body, "Talk A") {
			t.Fatalf("during the rebuild: %d %s", status, body)
		}
		select {
		case <-done:
		default:
			answered++ // before the rebuild ended
		}
	}
}
