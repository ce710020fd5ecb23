package output

import (
	"io/fs"
	"syscall"
)

// changeTime returns the time a file's inode last changed, in nanoseconds: any write,
// truncation, change of permissions or of times sets it, and no program can set it back.
func changeTime(st fs.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano()
	}
	return st.ModTime().UnixNano()
}
