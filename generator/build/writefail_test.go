package build_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/output"
	"github.com/icc-recap/recap/internal/synth"
)

// fillingDisk is an output whose disk fills up after a number of files: every write after
// that fails as a full disk does.
type fillingDisk struct {
	room   int64
	writes atomic.Int64
}

func (f *fillingDisk) WriteFile(rel string, data []byte) error {
	if f.writes.Add(1) > f.room {
		return syscall.ENOSPC
	}
	return nil
}

// A disk that fills up during a build gives one line, for the first file that could not be
// written, and the build stops there instead of trying, and reporting, every page after it.
func TestFullDiskIsOneLine(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Site(dir, 300, 7); err != nil {
		t.Fatal(err)
	}
	for _, room := range []int64{0, 20, 200} {
		w := &fillingDisk{room: room}
		res := build.Run(context.Background(), build.Options{Source: dir}, w)
		var errs []*diag.Diagnostic
		for _, d := range res.Diags {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		var we *output.WriteError
		if len(errs) != 1 || !errors.As(errs[0], &we) || !strings.Contains(errs[0].Error(), "the build stopped at this first file it could not write") {
			t.Errorf("with room for %d files: %d errors, want one for the first file not written: %v", room, len(errs), errs)
		}
		if tried := w.writes.Load(); tried > room+50 {
			t.Errorf("with room for %d files, %d writes were tried: the build went on after the disk was full", room, tried)
		}
	}
}
