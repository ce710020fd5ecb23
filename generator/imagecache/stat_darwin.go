//go:build darwin

package imagecache

import (
	"io/fs"
	"syscall"
)

// identity returns the file's inode number and status change time (nanoseconds), which
// change when its bytes are written even if its size and modification time are put back.
func identity(st fs.FileInfo) (inode uint64, ctime int64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ino, s.Ctimespec.Nano()
	}
	return 0, 0
}
