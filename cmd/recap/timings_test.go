package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/icc-recap/recap/internal/sitetest"
)

// recap build --timings prints every stage of the build once, with a time, the stages run
// beside the pages under them; without the flag it prints none.
func TestBuildTimings(t *testing.T) {
	root := sitetest.Write(t, sitetest.Base)
	code, out, errOut := runCmd(t, "build", "--source", root, "--timings")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	line := regexp.MustCompile(`^(\s+)(\S.*?)\s+([0-9]+\.[0-9]{3}) s(  \(at the same time\))?$`)
	seen := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("line %q is not a stage and its time", l)
		}
		if _, err := strconv.ParseFloat(m[3], 64); err != nil {
			t.Errorf("line %q: %v", l, err)
		}
		if _, twice := seen[m[2]]; twice {
			t.Errorf("stage %q printed twice", m[2])
		}
		seen[m[2]] = m[1] + m[4]
	}
	for name, indent := range map[string]string{
		"load": "  ", "links and languages": "  ", "pages": "  ", "replacing the output folder": "  ",
		"static files": "    " + "  (at the same time)", "search index, feeds, sitemap": "    " + "  (at the same time)",
	} {
		if got, ok := seen[name]; !ok || got != indent {
			t.Errorf("stage %q: printed %v with indent and note %q, want %q\n%s", name, ok, got, indent, out)
		}
	}
	if _, out, _ := runCmd(t, "build", "--source", root); strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("without --timings the build printed more than its summary:\n%s", out)
	}
}
