package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/internal/sitetest"
)

func TestNewCommand(t *testing.T) {
	root := sitetest.Write(t, sitetest.Base)
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"new", "--source", root, "speakers"}, 2, "", "want a section and a title"},
		{[]string{"new", "--source", root, "speakers", "Pia Laurila"}, 0, "created content/speakers/pia-laurila.md\n", ""},
		{[]string{"new", "speakers", "Pia Laurila", "--source", root}, 1, "", "content/speakers/pia-laurila.md:1:1: this page already has the address"},
		{[]string{"new", "--source", root, "speaker", "Bob"}, 1, "", `there is no section "speaker"`},
	}
	for _, tc := range cases {
		code, out, errOut := runCmd(t, tc.args...)
		if code != tc.code || out != tc.out || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "content", "speakers", "pia-laurila.md"))
	if err != nil || !strings.HasPrefix(string(b), "---\ntitle: Pia Laurila\n") {
		t.Errorf("the new page: %q, %v", b, err)
	}
	// The new page passes the check.
	if code, out, _ := runCmd(t, "check", "--source", root); code != 0 {
		t.Errorf("check after new: exit %d\n%s", code, out)
	}
}
