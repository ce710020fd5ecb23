// Package suggest finds what a misspelt name was probably meant to be, for the "did you
// mean" part of a message: an edit distance and the nearest of a set of names. It knows
// nothing of pages or settings.
package suggest

import (
	"slices"
	"strings"
)

// Distance is the number of edits (a character inserted, removed or replaced, or two
// neighbours swapped, as in titel and title) that turn a into b, counted in bytes.
func Distance(a, b string) int {
	// Three rows of the table: the one before last, the last and the current.
	pp := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// NearlySame reports whether a and b differ only by case, or by one edit (two for names of
// seven bytes or more).
func NearlySame(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	if d := len(a) - len(b); d > 2 || d < -2 {
		return false
	}
	limit := 1
	if len(b) >= 7 {
		limit = 2
	}
	return Distance(a, b) <= limit
}

// Closest returns the name of names nearest to s, if fewer edits than half of s's length
// away, else "". Of names equally near, the first in sorted order wins.
func Closest(s string, names []string) string {
	sorted := slices.Sorted(slices.Values(names))
	best, bestD := "", len(s)/2+1
	for _, n := range sorted {
		if d := Distance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
