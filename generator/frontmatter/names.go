package frontmatter

import "sync"

// A site's pages use the same few keys (title, summary, the names of sections), and every
// loaded page keeps its keys: in its values and in the positions diagnostics point at. As
// strings of their own they were eight small objects a page of the synthetic archive, that
// the garbage collector marked on every cycle of a large build; so each key is kept once,
// and every page's values and positions share that copy.
//
// At most maxNames keys are shared, so a long-running preview of a site whose keys never
// repeat does not grow without end; longer keys are left alone.
const (
	maxNames   = 1024
	maxNameLen = 64
)

var names struct {
	sync.RWMutex
	m map[string]string
}

// name returns the shared copy of the key b.
func name(b []byte) string {
	if len(b) > maxNameLen {
		return string(b)
	}
	names.RLock()
	s, ok := names.m[string(b)]
	names.RUnlock()
	if ok {
		return s
	}
	return add(string(b))
}

// nameOf returns the shared copy of the key s.
func nameOf(s string) string {
	if len(s) > maxNameLen {
		return s
	}
	names.RLock()
	c, ok := names.m[s]
	names.RUnlock()
	if ok {
		return c
	}
	return add(s)
}

func add(s string) string {
	names.Lock()
	defer names.Unlock()
	if c, ok := names.m[s]; ok {
		return c
	}
	if names.m == nil {
		names.m = map[string]string{}
	}
	if len(names.m) < maxNames {
		names.m[s] = s
	}
	return s
}
