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
	"hash/crc32"
	"html/template"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/content"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/incremental"
	"github.com/icc-recap/recap/generator/render"
	"github.com/icc-recap/recap/generator/templates"
	"github.com/icc-recap/recap/generator/watch"
)

// EventsPath is the address of the Server-Sent Events stream.
const EventsPath = "/_recap/events"

// overlayStyle is the style of the box that shows the errors over a page; the live script
// and the page served while the site is broken both use it.
const overlayStyle = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap"

// overlayIntro opens the overlay's text.
const overlayIntro = "recap: the site has errors; fix them and this page reloads by itself (until then it shows the last good build, if there is one)."

// liveScript is injected before </body> of every page in serve mode only. It reloads the
// tab after a good rebuild and shows the errors of a bad one over the page.
const liveScript = `<script>(function(){var o=null;function cur(){return o||(o=document.getElementById("recap-errors"))}function show(l){if(!cur()){o=document.createElement("div");o.id="recap-errors";o.setAttribute("role","alert");o.style.cssText="` + overlayStyle + `";document.body.appendChild(o)}o.textContent="` + overlayIntro + `\n\n"+l.join("\n")}var e=new EventSource("` + EventsPath + `");e.addEventListener("reload",function(){location.reload()});e.addEventListener("errors",function(m){show(JSON.parse(m.data))});e.addEventListener("ok",function(){if(cur()){o.remove();o=null}})})()</script>`

// Options set what the server serves.
type Options struct {
	Source string
	Addr   string
	Drafts bool
	// AllowHosts are host names, besides the address served, localhost and loopback
	// addresses, that requests may name in their Host header. Serving on an address that is
	// not a loopback one allows any host.
	AllowHosts []string
	// Log receives what the terminal shows: the address, each rebuild, each error.
	Log io.Writer
	// Quiet is how long the watcher waits for a burst of changes to end.
	Quiet time.Duration
}

// Server serves one site.
type Server struct {
	opts  Options
	site  *incremental.Site
	hub   hub
	hosts *hostCheck
	// Rebuilt receives the result of every rebuild, for tests and benchmarks (optional).
	Rebuilt func(*incremental.Result)
	// watched, if set, is given the watcher before it runs (tests give it errors);
	// extrasDone, if set, is called when the extras of a snapshot have been written.
	watched    func(*watch.Watcher)
	extrasDone func(*incremental.Snapshot)

	mu sync.Mutex
	// watchErrs are the watcher's problems, shown with the site's errors.
	watchErrs []string
	// warned holds the warnings already printed, so that each rebuild prints only new ones.
	warned map[string]bool
	// extras receives each new snapshot, for the extras to be written in the background.
	extras chan extrasJob
	// free returns memory to the system a while after the last rebuild.
	free *time.Timer
}

type extrasJob struct {
	sn *incremental.Snapshot
	// reloaded says whether the tabs were told to reload for this snapshot already.
	reloaded bool
}

// New builds the site into memory. Errors of that first build are kept and shown, as later
// ones are; the server starts all the same, so that fixing them shows the site.
func New(ctx context.Context, opts Options) (*Server, *incremental.Result) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s, res := incremental.New(ctx, build.Options{Source: opts.Source, Drafts: opts.Drafts, Inject: liveScript})
	srv := &Server{opts: opts, site: s, warned: map[string]bool{}, extras: make(chan extrasJob, 1)}
	srv.hosts = newHostCheck(opts.Addr, opts.AllowHosts)
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
		return fmt.Errorf("watch %s: %s", s.opts.Source, watch.Explain(err))
	}
	if s.watched != nil {
		s.watched(w)
	}
	if s.hosts.any {
		fmt.Fprintf(s.opts.Log, "serving on %s, which is not a loopback address: any host name is allowed, and anyone who can reach this address can read the preview\n", s.opts.Addr)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hs := &http.Server{Handler: s, BaseContext: func(net.Listener) context.Context { return ctx }, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	wg.Go(func() {
		for err := range w.Errors {
			s.watchError(err)
		}
	})
	s.queueExtras(extrasJob{sn: s.site.Current(), reloaded: true})
	wg.Go(func() { s.writeExtras(ctx) })
	wg.Go(func() {
		for batch := range w.Batches {
			res := s.site.Update(ctx, batch)
			s.report(res, false)
			s.queueExtras(extrasJob{sn: res.Snapshot, reloaded: res.Changed})
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
	s.mu.Lock()
	if s.free != nil {
		s.free.Stop()
	}
	s.mu.Unlock()
	if se := <-serveErr; se != nil && !errors.Is(se, http.ErrServerClosed) {
		return se
	}
	return err
}

// queueExtras hands a snapshot to writeExtras, in place of one it has not started on.
func (s *Server) queueExtras(job extrasJob) {
	for {
		select {
		case s.extras <- job:
			return
		default:
		}
		select {
		case old := <-s.extras:
			job.reloaded = job.reloaded && old.reloaded
		default:
		}
	}
}

// writeExtras writes the search index, sitemap and feed of each new snapshot once the tabs
// have been told about it, so that a reload never waits for them; prints their problems;
// reloads the tabs when only they changed; and, when things are quiet again, gives the
// memory a large rebuild used back to the system.
func (s *Server) writeExtras(ctx context.Context) {
	var last *incremental.Snapshot
	for {
		var job extrasJob
		select {
		case <-ctx.Done():
			return
		case job = <-s.extras:
		}
		xd := job.sn.Extras()
		if xd.HasErrors() {
			s.showErrors(xd, "the search index, sitemap or feed could not be made")
		} else {
			s.printWarnings(xd)
		}
		if last != nil && !job.reloaded && !job.sn.SameExtras(last) {
			s.hub.publish("reload", []byte("{}"))
		}
		last = job.sn
		if s.extrasDone != nil {
			s.extrasDone(job.sn)
		}
		s.mu.Lock()
		if s.free == nil {
			s.free = time.AfterFunc(freeAfter, debug.FreeOSMemory)
		} else {
			s.free.Reset(freeAfter)
		}
		s.mu.Unlock()
	}
}

// freeAfter is how long after the last rebuild the memory it no longer needs is returned to
// the system (the Go runtime would return it over minutes).
const freeAfter = 2 * time.Second

// report prints the result of a build, the first one or a rebuild, and tells the open tabs.
func (s *Server) report(res *incremental.Result, first bool) {
	if res.Diags.HasErrors() {
		then := "still serving the last good build"
		if first {
			then = "the site will appear when they are fixed"
		}
		s.showErrors(res.Diags, then)
	} else {
		s.printWarnings(res.Diags)
		verb := "rebuilt "
		switch {
		case first:
			verb = "built "
		case res.Full:
			verb = "rebuilt all "
		}
		what := fmt.Sprintf("%s%d %s", verb, res.Rendered, diag.Plural(res.Rendered, "page", "pages"))
		if !first && !res.Changed {
			what += ", nothing changed"
		}
		fmt.Fprintf(s.opts.Log, "%s in %s\n", what, res.Duration.Round(100*time.Microsecond))
		switch {
		case res.Changed:
			s.hub.publish("reload", []byte("{}"))
		case len(s.watchProblems()) > 0:
			s.hub.publish("errors", s.errorsEvent(nil))
		default:
			s.hub.publish("ok", []byte("{}"))
		}
	}
	if s.Rebuilt != nil {
		s.Rebuilt(res)
	}
}

// showErrors prints errors and sends them to the open tabs.
func (s *Server) showErrors(ds diag.List, then string) {
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.Error())
	}
	n := len(ds.Errors())
	fmt.Fprintf(s.opts.Log, "%s\nrecap serve: %d %s; %s\n", strings.Join(lines, "\n"), n, diag.Plural(n, "error", "errors"), then)
	s.hub.publish("errors", s.errorsEvent(ds))
}

// printWarnings prints the warnings not printed before: the same warning after every save
// would only hide what changed.
func (s *Server) printWarnings(ds diag.List) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range ds {
		if line := d.Error(); !s.warned[line] {
			s.warned[line] = true
			fmt.Fprintln(s.opts.Log, line)
		}
	}
}

// watchError prints a problem of the watcher and shows it over the pages.
func (s *Server) watchError(err error) {
	line := "recap serve: " + watch.Explain(err)
	s.mu.Lock()
	s.watchErrs = append(s.watchErrs, line)
	s.mu.Unlock()
	fmt.Fprintln(s.opts.Log, line)
	s.hub.publish("errors", s.errorsEvent(s.site.Current().Diags))
}

func (s *Server) watchProblems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.watchErrs)
}

// problems lists what the overlay shows: the site's errors, then the watcher's problems.
func (s *Server) problems(ds diag.List) []string {
	var lines []string
	for _, d := range ds.Errors() {
		lines = append(lines, d.Error())
	}
	return append(lines, s.watchProblems()...)
}

func (s *Server) errorsEvent(ds diag.List) []byte {
	data, _ := json.Marshal(s.problems(ds))
	return data
}

// ServeHTTP serves the built site from memory. It never waits for a rebuild: it answers
// from the snapshot being served when the request comes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allowed(r.Host) {
		s.refuseHost(w, r)
		return
	}
	if r.URL.Path == EventsPath {
		s.events(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	sn := s.site.Current()
	key, ok := fileFor(r.URL)
	if ok {
		if b, found := sn.Get(key); found {
			s.send(w, r, sn, key, b, http.StatusOK)
			return
		}
		// A folder asked for without its slash: send the browser to it, so relative links work.
		if _, found := sn.Get(strings.TrimSuffix(key, "/") + "/index.html"); found && !strings.HasSuffix(r.URL.Path, "/") && !strings.HasSuffix(key, ".html") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	// The 404 page of the folder asked for, as static hosts give a language its own
	// (fr/404.html for an address under /fr/), else the site's.
	for _, nf := range notFoundFiles(key) {
		if b, found := sn.Get(nf); found {
			if dir := path.Dir(nf) + "/"; !ok || !inFolder(key, dir) {
				b = notFoundAt(b, strings.TrimPrefix(dir, "./"))
			}
			s.send(w, r, sn, nf, b, http.StatusNotFound)
			return
		}
	}
	if !sn.Built {
		// Nothing was ever built (the first build failed): a page that shows the errors and
		// reloads itself once they are fixed, rather than a bare 404.
		s.send(w, r, sn, "errors.html", []byte(brokenPage), http.StatusServiceUnavailable)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// inFolder reports whether the file key is directly in the folder dir ("./" for the root),
// where the relative links of a page written for dir work as they are.
func inFolder(key, dir string) bool {
	d := path.Dir(key) + "/"
	return d == dir
}

// notFoundFiles returns the 404 pages that may answer for the missing file key: the one of
// its first folder (fr/404.html for fr/x/index.html), then the site's, 404.html.
func notFoundFiles(key string) []string {
	if dir, _, ok := strings.Cut(key, "/"); ok && dir != "" {
		return []string{dir + "/404.html", "404.html"}
	}
	return []string{"404.html"}
}

// fileFor maps a request's path to a file of the built site. It refuses anything that could
// name a file outside it, or name one file in two ways: ".." segments (net/http has already
// decoded %2e%2e), backslashes, NUL bytes, and encoded slashes (%2f is not a folder's end).
func fileFor(u *url.URL) (string, bool) {
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") || strings.Contains(strings.ToLower(u.RawPath), "%2f") {
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

// send answers with one file. Every answer carries an ETag of what it sends, so that a
// browser revalidating (the preview says no-cache) gets 304 Not Modified when nothing changed.
func (s *Server) send(w http.ResponseWriter, r *http.Request, sn *incremental.Snapshot, name string, b []byte, status int) {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	if strings.HasSuffix(name, ".html") {
		ct = "text/html; charset=utf-8"
		if lines := s.problems(sn.Diags); len(lines) > 0 {
			b = withOverlay(b, lines)
		}
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", etag(b))
	if status == http.StatusOK {
		// Conditional requests, HEAD and ranges, as net/http does them.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// etag names the bytes sent: their length and checksum.
func etag(b []byte) string {
	return fmt.Sprintf(`"%x-%08x"`, len(b), crc32.Checksum(b, castagnoli))
}

// brokenPage is served for every address while no build has succeeded yet; send adds the
// errors over it, and its script reloads it once they are fixed.
const brokenPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>recap serve: the site has errors</title></head><body>` + liveScript + `</body></html>`

var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="recap-errors" role="alert" style="` + overlayStyle + `">` + overlayIntro + `

{{ range . }}{{ . }}
{{ end }}</div>`))

// withOverlay puts the problems over an HTML page, for tabs opened while the site is broken.
func withOverlay(page []byte, lines []string) []byte {
	var ov bytes.Buffer
	_ = overlayTmpl.Execute(&ov, lines)
	return render.InjectBeforeBodyEnd(page, ov.Bytes())
}

// events streams reload and error events to one tab until it goes away or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		// HEAD too: a stream has no end for HEAD to wait for.
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "the event stream is read with GET", http.StatusMethodNotAllowed)
		return
	}
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
	if lines := s.problems(s.site.Current().Diags); len(lines) > 0 {
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
	// opened counts the streams ever opened (tests wait for a tab's stream with it).
	opened int
}

func (h *hub) streamsOpened() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.opened
}

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[chan event]bool{}
	}
	ch := make(chan event, 4)
	h.subs[ch] = true
	h.opened++
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
