// Package serve is the preview server of recap serve: it builds a site into memory, serves it
// over HTTP (nothing is written to disk), watches the sources, brings the site up to date
// after each change with package incremental, and tells open browser tabs to reload over
// Server-Sent Events. A broken change keeps the last good site served and shows the errors
// in the terminal and over the page. It reads no file outside the built site for a request.
package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/extras"
	"github.com/icc-recap/recap/generator/incremental"
	"github.com/icc-recap/recap/generator/templates"
	"github.com/icc-recap/recap/generator/watch"
)

// EventsPath is the address of the Server-Sent Events stream.
const EventsPath = "/_recap/events"

// liveScript is injected before </body> of every page in serve mode only. It reloads the
// tab after a good rebuild and shows the errors of a bad one over the page.
const liveScript = `<script>(function(){var o=null;function cur(){return o||(o=document.getElementById("recap-errors"))}function show(l){if(!cur()){o=document.createElement("div");o.id="recap-errors";o.setAttribute("role","alert");o.style.cssText="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap";document.body.appendChild(o)}o.textContent="recap: the site has errors; fix them and this page reloads by itself (until then it shows the last good build, if there is one).\n\n"+l.join("\n")}var e=new EventSource("` + EventsPath + `");e.addEventListener("reload",function(){location.reload()});e.addEventListener("errors",function(m){show(JSON.parse(m.data))});e.addEventListener("ok",function(){if(cur()){o.remove();o=null}})})()</script>`

// Options set what the server serves.
type Options struct {
	Source string
	Addr   string
	Drafts bool
	// Log receives what the terminal shows: the address, each rebuild, each error.
	Log io.Writer
	// Quiet is how long the watcher waits for a burst of changes to end.
	Quiet time.Duration
}

// Server serves one site.
type Server struct {
	opts Options
	site *incremental.Site
	hub  hub
	// Rebuilt receives the result of every rebuild, for tests and benchmarks (optional).
	Rebuilt func(*incremental.Result)
}

// New builds the site into memory. Errors of that first build are kept and shown, as later
// ones are; the server starts all the same, so that fixing them shows the site.
func New(ctx context.Context, opts Options) (*Server, *incremental.Result) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s, res := incremental.New(ctx, build.Options{Source: opts.Source, Drafts: opts.Drafts, Inject: liveScript})
	srv := &Server{opts: opts, site: s}
	srv.report(res, true)
	return srv, res
}

// Site returns the site being served.
func (s *Server) Site() *incremental.Site { return s.site }

// Run listens on the address, serves and watches until ctx is cancelled, then stops
// everything it started. ready, if not nil, is called with the address being listened on.
func (s *Server) Run(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.opts.Addr, err)
	}
	w, err := watch.New(s.opts.Source, []string{content.Dir, templates.Dir, build.StaticDir}, watch.Options{Quiet: s.opts.Quiet})
	if err != nil {
		ln.Close()
		return fmt.Errorf("watch %s: %w", s.opts.Source, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hs := &http.Server{Handler: s, BaseContext: func(net.Listener) context.Context { return ctx }, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	wg.Go(func() {
		for batch := range w.Batches {
			s.report(s.site.Update(ctx, batch), false)
		}
	})
	serveErr := make(chan error, 1)
	wg.Go(func() { serveErr <- hs.Serve(ln) })
	if ready != nil {
		ready(ln.Addr().String())
	}
	<-ctx.Done()
	shutdownCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	err = hs.Shutdown(shutdownCtx)
	wg.Wait()
	if se := <-serveErr; se != nil && !errors.Is(se, http.ErrServerClosed) {
		return se
	}
	return err
}

// report prints the result of a build, the first one or a rebuild, and tells the open tabs.
func (s *Server) report(res *incremental.Result, first bool) {
	if res.Diags.HasErrors() {
		var lines []string
		for _, d := range res.Diags {
			lines = append(lines, d.Error())
		}
		then := "still serving the last good build"
		if first {
			then = "the site will appear when they are fixed"
		}
		fmt.Fprintf(s.opts.Log, "%s\nrecap serve: %d %s; %s\n", strings.Join(lines, "\n"), len(res.Diags.Errors()), diag.Plural(len(res.Diags.Errors()), "error", "errors"), then)
		data, _ := json.Marshal(lines)
		s.hub.publish("errors", data)
	} else {
		for _, d := range res.Diags {
			fmt.Fprintln(s.opts.Log, d.Error())
		}
		verb := "rebuilt "
		switch {
		case first:
			verb = "built "
		case res.Full:
			verb = "rebuilt all "
		}
		what := fmt.Sprintf("%s%d %s", verb, res.Rendered, diag.Plural(res.Rendered, "page", "pages"))
		fmt.Fprintf(s.opts.Log, "%s in %s\n", what, res.Duration.Round(100*time.Microsecond))
		s.hub.publish("reload", []byte("{}"))
	}
	if s.Rebuilt != nil {
		s.Rebuilt(res)
	}
}

// ServeHTTP serves the built site from memory.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == EventsPath {
		s.events(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key, ok := fileFor(r.URL.Path)
	if slices.Contains(extras.Files, key) {
		s.site.Extras()
	}
	out := s.site.Output()
	if ok {
		if b, found := out.Get(key); found {
			s.send(w, r, key, b, http.StatusOK)
			return
		}
		// A folder asked for without its slash: send the browser to it, so relative links work.
		if _, found := out.Get(strings.TrimSuffix(key, "/") + "/index.html"); found && !strings.HasSuffix(r.URL.Path, "/") && !strings.HasSuffix(key, ".html") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	if b, found := out.Get("404.html"); found {
		s.send(w, r, "404.html", b, http.StatusNotFound)
		return
	}
	if s.site.Diags().HasErrors() {
		// Nothing was ever built (the first build failed): a page that shows the errors and
		// reloads itself once they are fixed, rather than a bare 404.
		s.send(w, r, "errors.html", []byte(brokenPage), http.StatusServiceUnavailable)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// fileFor maps a request path to a file of the built site. It refuses anything that could
// name a file outside it: ".." segments (net/http has already decoded %2e%2e), backslashes,
// NUL bytes.
func fileFor(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", false
		}
	}
	key := strings.TrimPrefix(p, "/")
	if key == "" || strings.HasSuffix(key, "/") {
		key += "index.html"
	}
	if path.Clean("/"+key) != "/"+key {
		return "", false
	}
	return key, true
}

func (s *Server) send(w http.ResponseWriter, r *http.Request, name string, b []byte, status int) {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	if strings.HasSuffix(name, ".html") {
		ct = "text/html; charset=utf-8"
		if ds := s.site.Diags(); ds.HasErrors() {
			b = withOverlay(b, ds)
		}
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// brokenPage is served for every address while no build has succeeded yet; send adds the
// errors over it, and its script reloads it once they are fixed.
const brokenPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>recap serve: the site has errors</title></head><body>` + liveScript + `</body></html>`

var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="recap-errors" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap">recap: the site has errors; fix them and this page reloads by itself (until then it shows the last good build, if there is one).

{{ range . }}{{ . }}
{{ end }}</div>`))

// withOverlay puts the errors over an HTML page, for tabs opened while the site is broken.
func withOverlay(page []byte, ds diag.List) []byte {
	var lines []string
	for _, d := range ds.Errors() {
		lines = append(lines, d.Error())
	}
	var ov bytes.Buffer
	_ = overlayTmpl.Execute(&ov, lines)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(bytes.Clone(page), ov.Bytes()...)
	}
	out := make([]byte, 0, len(page)+ov.Len())
	out = append(out, page[:i]...)
	out = append(out, ov.Bytes()...)
	return append(out, page[i:]...)
}

// events streams reload and error events to one tab until it goes away or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	// Say at once how things stand, so a tab opened on a broken site shows the errors.
	if ds := s.site.Diags(); ds.HasErrors() {
		var lines []string
		for _, d := range ds.Errors() {
			lines = append(lines, d.Error())
		}
		data, _ := json.Marshal(lines)
		fmt.Fprintf(w, "event: errors\ndata: %s\n\n", data)
	} else {
		fmt.Fprint(w, "event: ok\ndata: {}\n\n")
	}
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
			fl.Flush()
		}
	}
}

type event struct {
	name string
	data []byte
}

// hub fans events out to the open streams.
type hub struct {
	mu   sync.Mutex
	subs map[chan event]bool
}

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[chan event]bool{}
	}
	ch := make(chan event, 4)
	h.subs[ch] = true
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, ch)
}

func (h *hub) publish(name string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- event{name, data}:
		default: // a slow tab misses an event; the next one reloads it anyway
		}
	}
}
