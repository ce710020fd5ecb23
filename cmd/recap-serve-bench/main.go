// Command recap-serve-bench puts `recap serve` under load, from outside its process, as a
// new user's browser and editor would: clients read pages while tabs hold event streams and
// files change. It prints requests per second, p50 and p99 latency of page requests, the
// reloads delivered to the tabs and the server's memory (RSS).
//
//	go run ./cmd/recap-serve-bench -pages 2000
//	go run ./cmd/recap-serve-bench -pages 2000 -rounds 3 -against /tmp/base.bin
//
// It writes a synthetic archive (internal/synth, with the repository's templates), builds
// the recap command (or takes -bin), and for each binary, alternating with -against's in
// every round, starts `recap serve` on it and runs three phases:
//
//   - idle: -clients clients read random pages for -seconds while -streams tabs listen;
//   - template saves: the same, while templates/base.html is saved again and again (each
//     save changes every page; the next waits for the reload of the last);
//   - large file: a Markdown page of -large MB is added, then removed, with the clients
//     still reading; the RSS is sampled every second for 10 s after the removal.
//
// RSS is read from /proc (Linux). Medians over the rounds are printed at the end.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icc-recap/recap/internal/synth"
)

type options struct {
	clients, streams, saves int
	seconds                 float64
	largeMB                 int
}

// result is what one run of one binary measured.
type result struct {
	idle, saving, large  load
	saves                int
	reloads, wantReloads int64
	rssSteady, rssSaving int64 // KiB
	rssLargePeak         int64
	rssAfter             []int64 // each second after the large file was removed
}

// load is the page requests of one phase.
type load struct {
	n        int
	perSec   float64
	p50, p99 time.Duration
	max      time.Duration
	failed   int
}

func main() {
	pages := flag.Int("pages", 2000, "pages in the synthetic archive")
	bin := flag.String("bin", "", "the recap binary to run (default: build ./cmd/recap)")
	against := flag.String("against", "", "another recap binary, run in the same rounds (a before/after comparison)")
	rounds := flag.Int("rounds", 1, "rounds; each runs every binary once, alternating")
	var o options
	flag.IntVar(&o.clients, "clients", 8, "clients reading pages at once")
	flag.IntVar(&o.streams, "streams", 200, "tabs holding an event stream")
	flag.Float64Var(&o.seconds, "seconds", 5, "length of the idle and template-save phases")
	flag.IntVar(&o.largeMB, "large", 5, "size of the large Markdown page, in MB (0: no large-file phase)")
	flag.Parse()
	if err := run(*pages, *bin, *against, *rounds, o); err != nil {
		fmt.Fprintln(os.Stderr, "recap-serve-bench:", err)
		os.Exit(1)
	}
}

func run(pages int, bin, against string, rounds int, o options) error {
	dir, err := os.MkdirTemp("", "recap-serve-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	site := filepath.Join(dir, "site")
	if _, err := synth.Site(site, pages, 1); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(dir, "recap")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/recap")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	bins := []string{bin}
	if against != "" {
		bins = append(bins, against)
	}
	urls, err := pageURLs(site)
	if err != nil {
		return err
	}
	fmt.Printf("%d pages, %d clients, %d event streams, %.0f s per phase, large page %d MB\n", pages, o.clients, o.streams, o.seconds, o.largeMB)
	all := make([][]result, len(bins))
	for r := range rounds {
		for i, b := range bins {
			res, err := runOnce(b, site, urls, o)
			if err != nil {
				return fmt.Errorf("%s: %w", b, err)
			}
			all[i] = append(all[i], res)
			fmt.Printf("round %d, %s:\n", r+1, b)
			res.print("  ")
		}
	}
	if rounds > 1 {
		for i, b := range bins {
			fmt.Printf("median of %d rounds, %s:\n", rounds, b)
			medianOf(all[i]).print("  ")
		}
	}
	return nil
}

func (r result) print(indent string) {
	p := func(name string, l load) {
		fmt.Printf("%s%-15s %7.0f requests/s  p50 %6.2f ms  p99 %7.2f ms  max %8.2f ms  (%d requests, %d failed)\n",
			indent, name, l.perSec, ms(l.p50), ms(l.p99), ms(l.max), l.n, l.failed)
	}
	p("idle:", r.idle)
	p("template saves:", r.saving)
	if r.saving.p99 > 0 && r.idle.p99 > 0 {
		fmt.Printf("%s  p99 during saves is %.2fx the idle p99\n", indent, float64(r.saving.p99)/float64(r.idle.p99))
	}
	fmt.Printf("%sreloads delivered: %d of %d (%d saves x tabs)\n", indent, r.reloads, r.wantReloads, r.saves)
	if r.large.n > 0 {
		p("large file:", r.large)
	}
	fmt.Printf("%sRSS: steady %.0f MB, during saves %.0f MB", indent, mb(r.rssSteady), mb(r.rssSaving))
	if len(r.rssAfter) > 0 {
		last := r.rssAfter[len(r.rssAfter)-1]
		fmt.Printf(", with the large page %.0f MB (peak), 10 s after its removal %.0f MB (%.2fx steady)", mb(r.rssLargePeak), mb(last), float64(last)/float64(r.rssSteady))
	}
	fmt.Println()
	if len(r.rssAfter) > 0 {
		var s []string
		for _, v := range r.rssAfter {
			s = append(s, fmt.Sprintf("%.0f", mb(v)))
		}
		fmt.Printf("%sRSS each second after the removal (MB): %s\n", indent, strings.Join(s, " "))
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mb(kib int64) float64       { return float64(kib) / 1024 }

// pageURLs lists the addresses of the archive's pages, from its content files.
func pageURLs(site string) ([]string, error) {
	var urls []string
	root := filepath.Join(site, "content")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(strings.TrimSuffix(rel, ".md"))
		rel = strings.TrimSuffix(rel, "_index")
		if rel != "" && !strings.HasSuffix(rel, "/") {
			rel += "/"
		}
		urls = append(urls, "/"+rel)
		return nil
	})
	return urls, err
}

// server is a running recap serve.
type server struct {
	cmd  *exec.Cmd
	base string
}

func startServer(bin, site string) (*server, error) {
	cmd := exec.Command(bin, "serve", "--source", site, "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("recap serve printed nothing")
	}
	line := sc.Text()
	go func() { _, _ = io.Copy(io.Discard, out) }()
	_, after, ok := strings.Cut(line, " at http://")
	if !ok {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("unexpected first line %q", line)
	}
	return &server{cmd: cmd, base: "http://" + strings.TrimSuffix(strings.Fields(after)[0], "/")}, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// rss returns the server's resident set size and its peak, in KiB.
func (s *server) rss() (cur, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = v
		case "VmHWM:":
			peak = v
		}
	}
	return cur, peak
}

// tabs holds event streams open and counts the reloads each receives.
type tabs struct {
	reloads []atomic.Int64
	ready   sync.WaitGroup
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

func openTabs(base string, n int) *tabs {
	ctx, cancel := context.WithCancel(context.Background())
	t := &tabs{reloads: make([]atomic.Int64, n), cancel: cancel}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}}
	for i := range n {
		t.ready.Add(1)
		t.done.Add(1)
		go func() {
			defer t.done.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/_recap/events", nil)
			resp, err := client.Do(req)
			if err != nil {
				t.ready.Done()
				return
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			first := true
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "data:") && first {
					first = false
					t.ready.Done()
				}
				if line == "event: reload" {
					t.reloads[i].Add(1)
				}
			}
			if first {
				t.ready.Done()
			}
		}()
	}
	t.ready.Wait()
	return t
}

func (t *tabs) total() int64 {
	var n int64
	for i := range t.reloads {
		n += t.reloads[i].Load()
	}
	return n
}

func (t *tabs) close() { t.cancel(); t.done.Wait() }

// readPages runs clients that read random pages until stop is closed.
func readPages(base string, urls []string, clients int, stop <-chan struct{}) load {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 5 * time.Minute}
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 7))
			var mine []time.Duration
			bad := 0
			for {
				select {
				case <-stop:
					mu.Lock()
					lat = append(lat, mine...)
					failed += bad
					mu.Unlock()
					return
				default:
				}
				t0 := time.Now()
				resp, err := client.Get(base + urls[r.IntN(len(urls))])
				if err != nil {
					bad++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	client.CloseIdleConnections()
	return summarize(lat, failed, elapsed)
}

func summarize(lat []time.Duration, failed int, elapsed time.Duration) load {
	l := load{n: len(lat), failed: failed}
	if len(lat) == 0 {
		return l
	}
	slices.Sort(lat)
	l.perSec = float64(len(lat)) / elapsed.Seconds()
	l.p50 = lat[len(lat)/2]
	l.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	l.max = lat[len(lat)-1]
	return l
}

// phase reads pages for d while during runs, and returns the load.
func phase(base string, urls []string, o options, d time.Duration, during func(stop <-chan struct{})) load {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if during != nil {
		wg.Go(func() { during(stop) })
	}
	res := make(chan load, 1)
	go func() { res <- readPages(base, urls, o.clients, stop) }()
	time.Sleep(d)
	close(stop)
	wg.Wait()
	return <-res
}

// waitReloads waits until the first tab has at least n reloads, or the timeout passes.
func waitReloads(t *tabs, n int64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if t.reloads[0].Load() >= n {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

func runOnce(bin, site string, urls []string, o options) (result, error) {
	var res result
	basePath := filepath.Join(site, "templates", "base.html")
	orig, err := os.ReadFile(basePath)
	if err != nil {
		return res, err
	}
	defer os.WriteFile(basePath, orig, 0o644)
	srv, err := startServer(bin, site)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	tb := openTabs(srv.base, o.streams)
	defer tb.close()
	d := time.Duration(o.seconds * float64(time.Second))

	res.idle = phase(srv.base, urls, o, d, nil)
	res.rssSteady, _ = srv.rss()

	// Template saves: each changes every page (a meta tag with the save's number); the next
	// save waits for the reload of the last, as a user's next save would.
	res.saving = phase(srv.base, urls, o, d, func(stop <-chan struct{}) {
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			before := tb.reloads[0].Load()
			data := strings.Replace(string(orig), "<head>", fmt.Sprintf("<head><meta name=\"x-save\" content=\"%d\">", i), 1)
			if err := os.WriteFile(basePath, []byte(data), 0o644); err != nil {
				return
			}
			res.saves++
			if !waitReloads(tb, before+1, time.Minute) {
				return
			}
		}
	})
	res.rssSaving, _ = srv.rss()
	// Let the last reloads arrive, then count them.
	want := int64(res.saves) * int64(o.streams)
	deadline := time.Now().Add(30 * time.Second)
	for tb.total() < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	res.reloads, res.wantReloads = tb.total(), want

	if o.largeMB > 0 {
		large := filepath.Join(site, "content", "speakers", "zz-large-page.md")
		para := "A long paragraph of the large page, with *emphasis*, `code` and words enough to make it grow.\n\n"
		body := "---\ntitle: A large page\n---\n" + strings.Repeat(para, o.largeMB<<20/len(para))
		stop := make(chan struct{})
		loads := make(chan load, 1)
		go func() { loads <- readPages(srv.base, urls, o.clients, stop) }()
		n := tb.reloads[0].Load()
		if err := os.WriteFile(large, []byte(body), 0o644); err != nil {
			return res, err
		}
		waitReloads(tb, n+1, 10*time.Minute)
		_, res.rssLargePeak = srv.rss()
		n = tb.reloads[0].Load()
		if err := os.Remove(large); err != nil {
			return res, err
		}
		waitReloads(tb, n+1, 10*time.Minute)
		close(stop)
		res.large = <-loads
		for range 10 {
			time.Sleep(time.Second)
			cur, _ := srv.rss()
			res.rssAfter = append(res.rssAfter, cur)
		}
	}
	return res, nil
}

// medianOf takes the median of each figure over the runs.
func medianOf(rs []result) result {
	med := func(f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	medLoad := func(f func(result) load) load {
		return load{
			n:      int(med(func(r result) float64 { return float64(f(r).n) })),
			perSec: med(func(r result) float64 { return f(r).perSec }),
			p50:    time.Duration(med(func(r result) float64 { return float64(f(r).p50) })),
			p99:    time.Duration(med(func(r result) float64 { return float64(f(r).p99) })),
			max:    time.Duration(med(func(r result) float64 { return float64(f(r).max) })),
			failed: int(med(func(r result) float64 { return float64(f(r).failed) })),
		}
	}
	out := result{
		idle:         medLoad(func(r result) load { return r.idle }),
		saving:       medLoad(func(r result) load { return r.saving }),
		large:        medLoad(func(r result) load { return r.large }),
		saves:        int(med(func(r result) float64 { return float64(r.saves) })),
		reloads:      int64(med(func(r result) float64 { return float64(r.reloads) })),
		wantReloads:  int64(med(func(r result) float64 { return float64(r.wantReloads) })),
		rssSteady:    int64(med(func(r result) float64 { return float64(r.rssSteady) })),
		rssSaving:    int64(med(func(r result) float64 { return float64(r.rssSaving) })),
		rssLargePeak: int64(med(func(r result) float64 { return float64(r.rssLargePeak) })),
	}
	if len(rs[0].rssAfter) > 0 {
		for i := range rs[0].rssAfter {
			out.rssAfter = append(out.rssAfter, int64(med(func(r result) float64 { return float64(r.rssAfter[i]) })))
		}
	}
	return out
}
