package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/icc-recap/recap/internal/browsertest"
	"github.com/icc-recap/recap/internal/synth"
)

// searchBench measures, in Chromium, what a one-word query costs a reader of the synthetic
// archive: the bytes of every file the search page reads (cold: a new browser profile for
// each run), split into the index, the search script and the page itself, and the time from
// the query's input event to the first results on screen, from disk (file://) and over HTTP.
// With a Pagefind binary it indexes recap's output with it and measures Pagefind's own API
// the same way (search, then the data of the top ten results), over HTTP only: Pagefind does
// not work from disk.
func searchBench(pages, runs int, seed uint64, length int, keep, pagefind, query string) error {
	if browsertest.Path() == "" {
		return errors.New("no Chromium found: install Debian's chromium package or set RECAP_CHROMIUM")
	}
	dir, site, done, err := archive(pages, seed, synth.Options{Length: length}, keep)
	if err != nil {
		return err
	}
	defer done()
	root, err := synth.RepoRoot()
	if err != nil {
		return err
	}
	// The synthetic archive has no search page of its own: it gets the repository's.
	if page := filepath.Join(site, "content", "search.md"); !exists(page) {
		data, err := os.ReadFile(filepath.Join(root, "content", "search.md"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(page, data, 0o644); err != nil {
			return err
		}
	}
	bin := filepath.Join(dir, "recap")
	if err := buildRecap(root, bin); err != nil {
		return err
	}
	public := filepath.Join(dir, "public-search")
	t0 := time.Now()
	cmd := exec.Command(bin, "build", "--source", site, "--out", public)
	if out, err := cmd.Output(); err != nil {
		return fmt.Errorf("recap build: %w\n%s", err, out)
	}
	fmt.Printf("recap build: %.2f s\n", time.Since(t0).Seconds())
	idx, files, biggest := indexSize(public)
	fmt.Printf("recap index: %d files, %.1f MB, largest %.1f KB\n", files, float64(idx)/1e6, float64(biggest)/1e3)

	srv, base, err := serveDir(public)
	if err != nil {
		return err
	}
	defer srv.Close()
	served = srv

	type measure struct {
		name string
		url  string
		js   string
	}
	recapJS := fmt.Sprintf(`new Promise(function (resolve) {
		var input = document.getElementById("search-page-q"), status = document.getElementById("search-status");
		var t0 = performance.now();
		input.value = %q;
		input.dispatchEvent(new Event("input"));
		(function wait() {
			var n = document.querySelectorAll("#search-results li").length;
			if (status.textContent.indexOf("“" + %q + "”") >= 0) {
				var first = document.querySelector("#search-results li");
				resolve(JSON.stringify({ms: performance.now() - t0, shown: n, status: status.textContent,
					first: first ? first.querySelector("a").textContent : "", snippet: first && first.querySelector("mark") ? first.querySelector("p").textContent : ""}));
				return;
			}
			setTimeout(wait, 1);
		})();
	})`, query, query)
	ms := []measure{
		{"recap, file://", "file://" + filepath.Join(public, "search", "index.html"), recapJS},
		{"recap, HTTP", base + "search/", recapJS},
	}
	if pagefind != "" {
		t0 := time.Now()
		pf := exec.Command(pagefind, "--site", public, "--output-subdir", "pagefind", "--silent")
		pf.Stderr = os.Stderr
		if err := pf.Run(); err != nil {
			return fmt.Errorf("pagefind: %w", err)
		}
		rss := pf.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
		pfIdx, pfFiles, pfBig := dirSize(filepath.Join(public, "pagefind"))
		fmt.Printf("pagefind indexing: %.2f s, peak %d MiB; %d files, %.1f MB, largest %.1f KB\n", time.Since(t0).Seconds(), rss/1024, pfFiles, float64(pfIdx)/1e6, float64(pfBig)/1e3)
		page := `<!doctype html><html lang="en"><meta charset="utf-8"><title>Pagefind</title><body><script>
window.runSearch = async function (q) {
	var t0 = performance.now();
	var pf = await import("./pagefind/pagefind.js");
	var r = await pf.search(q);
	var data = await Promise.all(r.results.slice(0, 10).map(function (x) { return x.data(); }));
	return JSON.stringify({ms: performance.now() - t0, shown: data.length, status: r.results.length + " results",
		first: data[0] ? data[0].meta.title : "", snippet: data[0] ? data[0].excerpt : ""});
};
</script></body></html>`
		if err := os.WriteFile(filepath.Join(public, "pagefind-bench.html"), []byte(page), 0o644); err != nil {
			return err
		}
		defer os.Remove(filepath.Join(public, "pagefind-bench.html"))
		pfJS := fmt.Sprintf(`window.runSearch(%q)`, query)
		ms = append(ms, measure{"Pagefind, HTTP", base + "pagefind-bench.html", pfJS}, measure{"Pagefind, file://", "file://" + filepath.Join(public, "pagefind-bench.html"), pfJS})
	}
	fmt.Printf("\none-word query %q, cold (a new browser profile each run), %d runs, medians\n", query, runs)
	fmt.Printf("%-18s %10s %10s %10s %8s %12s  %s\n", "", "index KB", "script KB", "all KB", "files", "first ms", "first result")
	for _, m := range ms {
		var idxB, jsB, allB, nFiles []float64
		var times []float64
		var last string
		var failed error
		for range runs {
			r, err := oneQuery(m.url, m.js, public, base)
			if err != nil {
				failed = err
				break
			}
			idxB = append(idxB, float64(r.index)/1e3)
			jsB = append(jsB, float64(r.script)/1e3)
			allB = append(allB, float64(r.all)/1e3)
			nFiles = append(nFiles, float64(r.files))
			times = append(times, r.ms)
			last = r.first
		}
		if failed != nil {
			fmt.Printf("%-18s fails: %v\n", m.name, failed)
			continue
		}
		fmt.Printf("%-18s %10.1f %10.1f %10.1f %8.0f %12.1f  %s\n", m.name, med(idxB), med(jsB), med(allB), med(nFiles), med(times), last)
	}
	return nil
}

func med(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

type queryResult struct {
	index, script, all int64
	files              int
	ms                 float64
	first              string
}

// oneQuery opens u in a new headless Chromium with an empty profile, runs js (which returns
// a JSON string once the results show), and adds up the bytes of every file the page read,
// from the files on disk (Chromium reports no sizes for file:// reads).
func oneQuery(u, js, public, base string) (*queryResult, error) {
	prof, err := os.MkdirTemp("", "recap-search-profile-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(prof)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browsertest.Path()), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(prof),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()
	var mu sync.Mutex
	var urls []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, err
	}
	served.take()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return nil, err
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	r := &queryResult{}
	var v struct {
		MS    float64
		Shown int
		First string
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		return nil, err
	}
	if v.Shown == 0 {
		return nil, fmt.Errorf("no results: %s", out)
	}
	r.ms, r.first = v.MS, v.First
	mu.Lock()
	defer mu.Unlock()
	if strings.HasPrefix(u, base) {
		// Over HTTP the server's log is the truth: it sees the requests of workers too.
		urls = served.take()
	}
	seen := map[string]bool{}
	for _, raw := range urls {
		p := localPath(raw, public, base)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		r.all += st.Size()
		r.files++
		rel, _ := filepath.Rel(public, p)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasPrefix(rel, "search-index") || strings.HasPrefix(rel, "pagefind/") && !strings.HasSuffix(rel, ".js") && !strings.Contains(rel, "wasm") && !strings.Contains(rel, "worker"):
			r.index += st.Size()
		case strings.HasSuffix(rel, ".js") || strings.Contains(rel, "wasm"):
			r.script += st.Size()
		}
	}
	return r, nil
}

// localPath maps a URL the page read to its file under public, or "".
func localPath(raw, public, base string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	var p string
	switch {
	case u.Scheme == "file":
		p = u.Path
	case strings.HasPrefix(raw, base):
		p = filepath.Join(public, filepath.FromSlash(strings.TrimPrefix(u.Path, "/")))
	default:
		return ""
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		p = filepath.Join(p, "index.html")
	}
	return p
}

// server serves a folder over HTTP on the loopback address and logs what it is asked for.
type server struct {
	*http.Server
	mu   sync.Mutex
	base string
	log  []string
}

var served *server

// take returns the addresses asked for since the last call.
func (s *server) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	s.log = nil
	return l
}

func serveDir(dir string) (*server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	s := &server{base: "http://" + ln.Addr().String() + "/"}
	files := http.FileServer(http.Dir(dir))
	s.Server = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, s.base+strings.TrimPrefix(r.URL.Path, "/"))
		s.mu.Unlock()
		files.ServeHTTP(w, r)
	})}
	go s.Serve(ln)
	return s, s.base, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// indexSize adds up recap's search index files (search-index.js and search-index/).
func indexSize(public string) (total int64, files int, biggest int64) {
	t, f, b := dirSize(filepath.Join(public, "search-index"))
	if st, err := os.Stat(filepath.Join(public, "search-index.js")); err == nil {
		t += st.Size()
		f++
		b = max(b, st.Size())
	}
	return t, f, b
}

func dirSize(dir string) (total int64, files int, biggest int64) {
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
			files++
			biggest = max(biggest, info.Size())
		}
		return nil
	})
	return
}
