//go:build unix

package output

import (
	"io/fs"
	"syscall"
)

// links returns the number of names a file has.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
