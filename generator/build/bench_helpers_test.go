package build

import (
	"flag"
	"os"
	"testing"
)

func mkdirTemp(pattern string) (string, error) { return os.MkdirTemp("", pattern) }

func TestMain(m *testing.M) {
	// Tests check every partial result one page takes from another (see
	// render.Context.Partial); benchmarks time the build as users get it, without.
	flag.Parse()
	if flag.Lookup("test.bench").Value.String() == "" && os.Getenv("RECAP_VERIFY_PARTIALS") == "" {
		os.Setenv("RECAP_VERIFY_PARTIALS", "1")
	}
	code := m.Run()
	for _, dir := range archives {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}
