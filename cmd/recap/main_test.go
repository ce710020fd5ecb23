package main

import (
	"os"
	"testing"
)

// TestMain runs every test with partial verification on: each result of .Partial that one
// page takes from another is checked against a fresh one, so a template of the real site
// that forgets a variant fails the tests instead of showing another page's data.
func TestMain(m *testing.M) {
	os.Setenv("RECAP_VERIFY_PARTIALS", "1")
	os.Exit(m.Run())
}
