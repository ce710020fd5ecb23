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
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icc-recap/recap/generator/incremental"
)

// site writes a small site into a temporary folder.
func testSite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/_index.md":       "---\ntitle: Live\n---\nHome [a talk](talks/a.md).\n",
		"content/talks/_index.md": "---\ntitle: Talks\n---\n",
		"content/talks/a.md":      "---\ntitle: Talk A\n---\nFirst version.\n",
		"templates/base.html":     "<!doctype html><html lang=en><head><title>{{ .Page.Title }}</title><link rel=stylesheet href=\"{{ .Rel \"site.css\" }}\"></head><body>{{ block \"main\" . }}{{ end }}</body></html>",
		"templates/page.html":     "{{ define \"main\" }}<h1>{{ .Page.Title }}</h1>{{ .Page.Content }}{{ end }}",
		"templates/list.html":     "{{ define \"main\" }}<h1>{{ .Page.Title }}</h1>{{ range .Page.Pages }}<a href=\"{{ $.Rel .URL }}\">{{ .Title }}</a>{{ end }}{{ end }}",
		"templates/home.html":     "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ .Page.Content }}{{ end }}",
		"templates/404.html":      "{{ define \"main\" }}<h1>Not here</h1>{{ end }}",
		"static/site.css":         "body { margin: 0 }",
		"outside.txt":             "secret",
	}
	for name, data := range files {
		writeFile(t, dir, name, data)
	}
	return dir
}

func writeFile(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// Write through a temporary file and rename, as many editors do.
	tmp := p + ".tmp~"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// start runs a server on a free loopback port until the test ends.
func start(t testing.TB, dir string) (*Server, string) {
	t.Helper()
	return startWith(t, Options{Source: dir})
}

// startWith is start with more options; Source must be set. set, if given, is called on the
// server before it runs.
func startWith(t testing.TB, opts Options, set ...func(*Server)) (*Server, string) {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	opts.Quiet = 10 * time.Millisecond
	srv, _ := New(context.Background(), opts)
	for _, f := range set {
		f(srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return srv, "http://" + addr
}

func get(t testing.TB, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// events opens the SSE stream and returns a function that waits for the next event name.
func events(t testing.TB, base string) func() (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type = %q", ct)
	}
	type ev struct{ name, data string }
	ch := make(chan ev, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ch <- ev{name, strings.TrimPrefix(line, "data: ")}
			}
		}
		close(ch)
	}()
	return func() (string, string) {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatal("the event stream ended")
			}
			return e.name, e.data
		case <-time.After(10 * time.Second):
			t.Fatal("no event within 10s")
		}
		return "", ""
	}
}

func TestServing(t *testing.T) {
	_, base := start(t, testSite(t))
	tests := []struct {
		path   string
		status int
		ctype  string
		body   string
	}{
		{"/", 200, "text/html; charset=utf-8", "<h1>Live</h1>"},
		{"/talks/", 200, "text/html; charset=utf-8", "Talk A"},
		{"/talks/a/", 200, "text/html; charset=utf-8", "First version."},
		{"/talks/a/index.html", 200, "text/html; charset=utf-8", "First version."},
		{"/site.css", 200, "text/css; charset=utf-8", "body{margin:0}"},
		{"/nope/", 404, "text/html; charset=utf-8", "Not here"},
		{"/talks/a/", 200, "text/html; charset=utf-8", EventsPath},
	}
	for _, tt := range tests {
		status, ctype, body := get(t, base+tt.path)
		if status != tt.status || ctype != tt.ctype || !strings.Contains(body, tt.body) {
			t.Errorf("GET %s: %d %q %q; want %d %q containing %q", tt.path, status, ctype, body, tt.status, tt.ctype, tt.body)
		}
	}
	// A folder without its slash is redirected, so relative links work.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/talks")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/talks/" {
		t.Errorf("GET /talks: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// rawGet sends a request line as it is, without any client cleaning the path.
func rawGet(t *testing.T, base, target string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target)
	b, _ := io.ReadAll(conn)
	return string(b)
}

func TestTraversalIsRefused(t *testing.T) {
	// Requests are answered from the built site in memory, never from the disk: the site
	// root holds outside.txt, content/ and templates/, and none may be reached.
	_, base := start(t, testSite(t))
	if resp := rawGet(t, base, "/site.css"); !strings.HasPrefix(resp, "HTTP/1.1 200") {
		t.Fatalf("the site is not being served: %s", resp)
	}
	for _, target := range []string{
		"/../outside.txt", "/..%2foutside.txt", "/%2e%2e/outside.txt", "/talks/%2e%2e/%2e%2e/outside.txt",
		"/..\\outside.txt", "/talks\\..\\..\\outside.txt", "/%5c..%5coutside.txt", "/./site.css/..", "/static/../../outside.txt",
		"/outside.txt", "/content/_index.md", "/templates/base.html", "/site.css%00", "//outside.txt",
	} {
		resp := rawGet(t, base, target)
		if strings.Contains(resp, "secret") || strings.Contains(resp, "title: Live") || strings.Contains(resp, "{{") {
			t.Errorf("GET %s leaked a file:\n%s", target, resp)
		}
		if !strings.HasPrefix(resp, "HTTP/1.1 404") && !strings.HasPrefix(resp, "HTTP/1.1 400") {
			t.Errorf("GET %s: %s", target, strings.SplitN(resp, "\r\n", 2)[0])
		}
	}
}

func TestEditReloadBreakAndFix(t *testing.T) {
	dir := testSite(t)
	_, base := start(t, dir)
	next := events(t, base)
	if name, _ := next(); name != "ok" {
		t.Fatalf("first event %q, want ok", name)
	}

	// An edit: the page changes and the stream says reload.
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nSecond version.\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("event %q after an edit, want reload", name)
	}
	if _, _, body := get(t, base+"/talks/a/"); !strings.Contains(body, "Second version.") {
		t.Fatalf("the page did not change: %s", body)
	}

	// A broken edit: the errors are sent and shown over the old page, which is still served.
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: [Talk A\n---\nThird version.\n")
	name, data := next()
	if name != "errors" || !strings.Contains(data, "content/talks/a.md:2:") {
		t.Fatalf("event %q %s after a broken edit", name, data)
	}
	status, _, body := get(t, base+"/talks/a/")
	if status != 200 || !strings.Contains(body, "Second version.") || !strings.Contains(body, `<div id="recap-errors"`) || !strings.Contains(body, "content/talks/a.md:2:") {
		t.Fatalf("while broken: %d %s", status, body)
	}
	// A tab opened now hears about the errors at once.
	if name, _ := events(t, base)(); name != "errors" {
		t.Errorf("a new stream starts with %q, want errors", name)
	}

	// Fixing it recovers.
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFourth version.\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("event %q after the fix, want reload", name)
	}
	_, _, body = get(t, base+"/talks/a/")
	if !strings.Contains(body, "Fourth version.") || strings.Contains(body, `<div id="recap-errors"`) {
		t.Fatalf("after the fix: %s", body)
	}

	// Deleting and renaming pages: they disappear from the site.
	if err := os.Rename(filepath.Join(dir, "content/talks/a.md"), filepath.Join(dir, "content/talks/b.md")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/_index.md", "---\ntitle: Live\n---\nHome [a talk](talks/b.md).\n")
	for {
		name, _ := next()
		if name == "errors" {
			continue // the rename may be seen before the home page's fix
		}
		if status, _, _ := get(t, base+"/talks/b/"); status == 200 {
			break
		}
	}
	if status, _, _ := get(t, base+"/talks/a/"); status != 404 {
		t.Errorf("a renamed page is still served: %d", status)
	}
}

func TestShutdownLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := testSite(t)
	srv, _ := New(context.Background(), Options{Source: dir, Addr: "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, func(a string) { addrc <- a }) }()
	base := "http://" + <-addrc
	// An open event stream and a rebuild in flight must not keep anything alive.
	streamCtx, stopStream := context.WithCancel(context.Background())
	defer stopStream()
	req, _ := http.NewRequestWithContext(streamCtx, "GET", base+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nEdited.\n")
	get(t, base+"/")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines after shutdown, %d before:\n%s", n, before, buf)
	}
}

// syncLog is a log the server and the test may use at once.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogSaysBuiltThenRebuilt checks what the terminal shows: the first build is "built",
// every later one "rebuilt".
func TestLogSaysBuiltThenRebuilt(t *testing.T) {
	dir := testSite(t)
	log := &syncLog{}
	extras := make(chan struct{}, 16)
	_, base := startWith(t, Options{Source: dir, Log: log}, func(s *Server) {
		s.extrasDone = func(*incremental.Snapshot) { extras <- struct{}{} }
	})
	next := events(t, base)
	if name, _ := next(); name != "ok" {
		t.Fatalf("first event %q, want ok", name)
	}
	steps := []struct {
		name, file, data string
		want             string // the line the step adds, with the duration as D
	}{
		{"first build", "", "", "built 3 pages in D"},
		{"a body", "content/talks/a.md", "---\ntitle: Talk A\n---\nFirst version.\n\nMore.\n", "rebuilt 1 page in D"},
		{"a template", "templates/page.html", "{{ define \"main\" }}<h2>{{ .Page.Title }}</h2>{{ .Page.Content }}{{ end }}", "rebuilt 1 page in D"},
		{"the base template", "templates/base.html", "<!doctype html><html lang=en><head><title>{{ .Page.Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>", "rebuilt all 3 pages in D"},
	}
	duration := regexp.MustCompile(` in [0-9.]+[µnm]?s$`)
	seen := 0
	builds := func() []string {
		var lines []string
		for _, l := range strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n") {
			if !strings.Contains(l, ": warning: ") {
				lines = append(lines, l)
			}
		}
		return lines
	}
	for _, st := range steps {
		if st.file != "" {
			writeFile(t, dir, st.file, st.data)
			if name, _ := next(); name != "reload" {
				t.Fatalf("%s: event %q, want reload", st.name, name)
			}
		}
		lines := builds()
		if len(lines) != seen+1 {
			t.Fatalf("%s: the log has %q, want one more line", st.name, lines[seen:])
		}
		got := duration.ReplaceAllString(lines[seen], " in D")
		if got != st.want {
			t.Errorf("%s: the log says %q, want %q", st.name, lines[seen], st.want)
		}
		seen++
	}
	// The extras' warning (the site has no base URL), as a build gives it, once: not again
	// after every save.
	<-extras
	if n := strings.Count(log.String(), "warning: the site has no base_url"); n != 1 {
		t.Errorf("the warning about base_url was printed %d times:\n%s", n, log)
	}
}

// TestBrokenFromTheStart starts on a site whose first build fails: every address shows the
// errors on a page that listens for the reload, and fixing the file shows the site.
func TestBrokenFromTheStart(t *testing.T) {
	dir := testSite(t)
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: [Talk A\n---\nBroken.\n")
	_, base := start(t, dir)
	for _, p := range []string{"/", "/talks/a/", "/no/such/page/"} {
		status, ctype, body := get(t, base+p)
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, `<div id="recap-errors"`) || !strings.Contains(body, "content/talks/a.md:2:") || !strings.Contains(body, EventsPath) {
			t.Errorf("GET %s while nothing is built: %d %s\n%s", p, status, ctype, body)
		}
	}
	next := events(t, base)
	if name, _ := next(); name != "errors" {
		t.Fatalf("first event %q, want errors", name)
	}
	writeFile(t, dir, "content/talks/a.md", "---\ntitle: Talk A\n---\nFixed.\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("event %q after the fix, want reload", name)
	}
	if status, _, body := get(t, base+"/talks/a/"); status != 200 || !strings.Contains(body, "Fixed.") || strings.Contains(body, `<div id="recap-errors"`) {
		t.Errorf("after the fix: %d %s", status, body)
	}
}

// A site in two languages has a 404 page in each: an address under /fr/ that does not
// exist gets the French one, as static hosts that allow one per folder serve them; any
// other, the default language's.
func TestNotFoundPerLanguage(t *testing.T) {
	dir := testSite(t)
	for name, data := range map[string]string{
		"content/_index.md":          "---\ntitle: Live\nlanguages: [fr]\n---\nHome [a talk](talks/a.md).\n",
		"content/_index.fr.md":       "---\ntitle: En direct\n---\nAccueil.\n",
		"templates/404.html":         "{{ define \"main\" }}<h1>{{ .T \"not_found\" }}</h1><a href=\"{{ .Rel .Site.Home.URL }}\">home</a>{{ end }}",
		"templates/i18n/en.yaml":     "language_name: English\nnot_found: Not here\nin:\n  en: (in English)\n",
		"templates/i18n/fr.yaml":     "language_name: Français\nnot_found: Pas ici\nin:\n  en: (en anglais)\n",
		"content/talks/a.fr.md":      "---\ntitle: Exposé A\n---\nPremière version.\n",
		"content/talks/_index.fr.md": "---\ntitle: Exposés\n---\n",
	} {
		writeFile(t, dir, name, data)
	}
	_, base := start(t, dir)
	// The home link, written relative to the 404 page's folder, leads home from any depth.
	for _, tt := range []struct{ path, body, home string }{
		{"/nope/", "<h1>Not here</h1>", `href="/">home`},
		{"/talks/nope/", "<h1>Not here</h1>", `href="/">home`},
		{"/nope.css", "<h1>Not here</h1>", `href=./>home`},
		{"/fr/nope/", "<h1>Pas ici</h1>", `href="/fr/">home`},
		{"/fr/talks/nope/", "<h1>Pas ici</h1>", `href="/fr/">home`},
		{"/fr/nope.css", "<h1>Pas ici</h1>", `href=./>home`},
		{"/french/", "<h1>Not here</h1>", `href="/">home`},
	} {
		status, _, body := get(t, base+tt.path)
		if status != 404 || !strings.Contains(body, tt.body) || !strings.Contains(body, tt.home) {
			t.Errorf("GET %s: %d %q; want 404 with %q and %q", tt.path, status, body, tt.body, tt.home)
		}
	}
	if status, _, body := get(t, base+"/fr/talks/a/"); status != 200 || !strings.Contains(body, "Première version.") {
		t.Errorf("GET /fr/talks/a/: %d %q", status, body)
	}
}
