// Package parallel runs the items of a job on every core: the one worker pool of the build
// (reading files, rendering pages, removing folders). It knows nothing of what the items are.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For runs f(0), ..., f(n-1) on as many goroutines as there are cores, each taking the next
// item when done with one, and returns when all have returned. Once stop (when not nil)
// reports true, no more items are started.
func For(n int, stop func() bool, f func(i int)) { On(0, n, stop, f) }

// On is For on at most workers goroutines (0: one per core).
func On(workers, n int, stop func() bool, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || stop != nil && stop() {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}
