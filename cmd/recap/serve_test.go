package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log the command and the test may use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs recap serve with args until the test ends, and returns its address and
// what it prints on stderr.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"content/_index.md":   "---\ntitle: Preview\n---\nHello.\n",
		"templates/base.html": "<!doctype html><html lang=en><head><title>{{ .Page.Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>",
		"templates/home.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ end }}",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--source", dir}, args...), outW, stderr)
		outW.Close()
	}()
	sc := bufio.NewScanner(outR)
	if !sc.Scan() {
		t.Fatalf("recap serve printed nothing; stderr: %s", stderr)
	}
	first := sc.Text()
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		rest <- b.String()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("recap serve exited %d; stderr: %s", code, stderr)
		}
		if out := <-rest; out != "stopped\n" {
			t.Errorf("after Ctrl-C recap serve printed %q, want stopped", out)
		}
	})
	_, after, ok := strings.Cut(first, " at http://")
	if !ok {
		t.Fatalf("first line %q does not give the address", first)
	}
	return strings.TrimSuffix(strings.Fields(after)[0], "/"), stderr
}

func getHost(t *testing.T, addr, host string) int {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeAllowHost(t *testing.T) {
	addr, stderr := startServe(t, "--addr", "127.0.0.1:0", "--allow-host", "preview.test")
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		host string
		want int
	}{
		{addr, 200},
		{"localhost:" + port, 200},
		{"preview.test:" + port, 200},
		{"PREVIEW.test", 200},
		{"evil.example:" + port, 403},
		{"evil.example", 403},
	}
	for _, tt := range tests {
		if got := getHost(t, addr, tt.host); got != tt.want {
			t.Errorf("Host %s: %d, want %d", tt.host, got, tt.want)
		}
	}
	// One line for a refused name, however often it is asked for, saying what to do (it is
	// printed before the answer is sent).
	if n := strings.Count(stderr.String(), `refused a request for the host "evil.example"`); n != 1 {
		t.Errorf("the refusal was printed %d times:\n%s", n, stderr)
	}
}

func TestServeAnyHostOnAnOpenAddress(t *testing.T) {
	addr, stderr := startServe(t, "--addr", "0.0.0.0:0")
	_, port, _ := net.SplitHostPort(addr)
	if got := getHost(t, "127.0.0.1:"+port, "evil.example"); got != 200 {
		t.Errorf("serving on 0.0.0.0, Host evil.example: %d, want 200", got)
	}
	if !strings.Contains(stderr.String(), "any host name is allowed") {
		t.Errorf("serving on 0.0.0.0 does not say that any host is allowed:\n%s", stderr)
	}
}

func TestServeBadAllowHost(t *testing.T) {
	var stderr strings.Builder
	if code := run(context.Background(), []string{"serve", "--allow-host", "http://x/"}, io.Discard, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "is not a host name") {
		t.Errorf("stderr: %s", stderr.String())
	}
}
