//go:build unix

package output

import (
	"io/fs"
	"os"
	"syscall"
)

// links returns the number of names a file has.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

// canWriteIn reports whether this process may create and remove entries in the folder st
// describes: the superuser may anywhere, others in their own folders that allow it.
func canWriteIn(st fs.FileInfo) bool {
	uid := os.Geteuid()
	if uid == 0 {
		return true
	}
	s, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(s.Uid) == uid && st.Mode().Perm()&0o300 == 0o300
}
