package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		seen := make([]atomic.Int32, n)
		For(n, nil, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: item %d ran %d times", n, i, c)
			}
		}
	}
	// Once stop says so, no item starts.
	var ran, stopped atomic.Int32
	For(1000, func() bool { return stopped.Load() > 0 }, func(i int) {
		if ran.Add(1) == 10 {
			stopped.Store(1)
		}
	})
	if r := ran.Load(); r < 10 || r > 10+int32(16) {
		t.Errorf("%d items ran after stop at the 10th", r)
	}
}
