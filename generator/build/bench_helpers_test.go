package build

import (
	"os"
	"testing"
)

func mkdirTemp(pattern string) (string, error) { return os.MkdirTemp("", pattern) }

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range archives {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}
