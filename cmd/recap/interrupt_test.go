package main

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icc-recap/recap/internal/sitetest"
)

// TestInterruptedBuild runs the real binary on a large site, sends it SIGINT while it writes
// pages, and checks that the previous public/ is untouched and no staging folder is left.
// If the build finishes before the signal lands, it tries again with a larger site.
func TestInterruptedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a large site")
	}
	bin := filepath.Join(t.TempDir(), "recap")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for pages := 2000; pages <= 64000; pages *= 4 {
		root := largeSite(t, pages)
		public := filepath.Join(root, "public")
		sitetest.WriteInto(t, public, map[string]string{"index.html": "<p>the previous build</p>\n", "css/site.css": "old\n"})
		before := sitetest.Snapshot(t, public)

		cmd := exec.Command(bin, "build", "--source", root)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Wait until pages are being written into the staging folder.
		signalled := false
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-time.After(2 * time.Millisecond):
			}
			if writing(root) {
				_ = cmd.Process.Signal(os.Interrupt)
				signalled = true
				<-done
				break
			}
		}
		code := cmd.ProcessState.ExitCode()
		if !signalled || code == 0 {
			t.Logf("%d pages: the build finished before the signal; trying a larger site", pages)
			continue
		}
		if code != 1 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
		}
		if after := sitetest.Snapshot(t, public); !maps.Equal(before, after) {
			t.Errorf("the interrupted build changed public/")
		}
		assertNoLeftovers(t, root)
		return
	}
	t.Fatal("no build could be interrupted while writing pages")
}

// writing reports whether a staging folder under root holds a written page.
func writing(root string) bool {
	m, _ := filepath.Glob(filepath.Join(root, ".recap-staging-*", "p", "*", "index.html"))
	return len(m) > 0
}

func largeSite(t *testing.T, pages int) string {
	files := maps.Clone(sitetest.Base)
	body := strings.Repeat("A paragraph of the record, with *emphasis* and a [link](../p/page-1.md).\n\n", 20)
	for i := range pages {
		files[fmt.Sprintf("content/p/page-%d.md", i)] = fmt.Sprintf("---\ntitle: Page %d\n---\n## Part %d\n\n%s", i, i, body)
	}
	return sitetest.Write(t, files)
}
