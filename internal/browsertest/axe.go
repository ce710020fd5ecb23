package browsertest

import (
	"os"
	"path/filepath"
	"testing"
)

// AxeScript returns the source of axe-core (installed by .ci/setup-browser into
// .ci/node/node_modules, or named by RECAP_AXE). It skips the test when axe-core is missing,
// or fails it under RECAP_BROWSER_TESTS=require.
func AxeScript(t testing.TB) string {
	t.Helper()
	p := os.Getenv("RECAP_AXE")
	if p == "" {
		dir, _ := os.Getwd()
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				p = filepath.Join(dir, ".ci", "node", "node_modules", "axe-core", "axe.min.js")
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		msg := "axe-core not found: run bash .ci/setup-browser (npm installs it into .ci/node) or set RECAP_AXE to axe.min.js"
		if os.Getenv(EnvRequire) == "require" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(b)
}
