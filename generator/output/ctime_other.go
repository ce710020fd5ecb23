//go:build !linux

package output

import "io/fs"

// changeTime returns the file's modification time in nanoseconds: outside Linux, the
// stand-in for the time its inode last changed.
func changeTime(st fs.FileInfo) int64 { return st.ModTime().UnixNano() }
