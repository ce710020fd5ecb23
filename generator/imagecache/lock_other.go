//go:build !unix

package imagecache

import "os"

// lockShared does nothing where flock is not used: there Prune cannot tell that another
// process is using the folder.
func lockShared(*os.File) error { return nil }

// tryExclusive always succeeds where flock is not used.
func tryExclusive(*os.File) bool { return true }
