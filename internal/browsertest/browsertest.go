// Package browsertest starts headless Chromium for tests, driven with chromedp. Where no
// Chromium is installed, tests that need it are skipped with a message saying how to run
// them; when RECAP_BROWSER_TESTS=require (set by .ci/run, which installs Chromium), a
// missing browser fails the test instead.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvRequire is the variable that turns a missing browser from a skip into a failure.
const EnvRequire = "RECAP_BROWSER_TESTS"

// Path returns the Chromium executable, or "".
func Path() string {
	if p := os.Getenv("RECAP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for t and returns a chromedp context for a new tab; it is
// closed when the test ends. It skips (or fails, under RECAP_BROWSER_TESTS=require) when no
// Chromium is installed.
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Path()
	if exe == "" {
		msg := "no Chromium found: install Debian's chromium package (apt-get install chromium) or set RECAP_CHROMIUM, then run the browser tests again; .ci/run does this"
		if os.Getenv(EnvRequire) == "require" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first action starts the browser; it must run on a context without a timeout, or
	// the timeout would stop the whole browser. Tests derive timeouts from the result.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium %s: %v", exe, err)
		}
	case <-time.After(time.Minute):
		t.Fatalf("Chromium %s did not start within a minute", exe)
	}
	return ctx
}
