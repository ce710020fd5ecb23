//go:build !unix

package output

import "io/fs"

// links returns the number of names a file has; only Unix systems say, elsewhere it is 1.
func links(fs.FileInfo) uint64 { return 1 }

// canWriteIn reports whether this process may write in the folder st describes; outside
// Unix it goes by the permission bits alone.
func canWriteIn(st fs.FileInfo) bool { return st.Mode().Perm()&0o200 != 0 }
