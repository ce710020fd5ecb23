package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		name           string
		pages, largest int64
		procs          int
		want           int64
	}{
		{"the real record", 60, 8 << 10, 2, 256 * mib},
		{"10,000 pages", 10000, 6 << 10, 2, 256 * mib},
		{"10,000 pages in two languages", 20000, 6 << 10, 2, 20000 * 24 << 10},
		{"100,000 pages", 100000, 6 << 10, 2, 900 * mib},
		{"a million pages: above what they hold", 1000000, 6 << 10, 2, 1000000 * 9 << 10},
		{"one page of 50 MB on 8 cores", 1, 50 << 20, 8, 128*mib + 24*8*(50<<20)},
	} {
		if got := memoryLimit(c.pages, c.largest, c.procs); got != c.want {
			t.Errorf("%s: %d MiB, want %d MiB", c.name, got/mib, c.want/mib)
		}
	}
}
