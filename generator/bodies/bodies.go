// Package bodies keeps the converted bodies of a site's pages (their HTML and text) in a
// temporary file instead of memory, and reads each back when a stage asks for it: a build
// then holds what pages show of each other (titles, summaries, links, headings) but not
// their text, and its memory does not grow with the length of the pages. Reading a body
// back costs a read from the operating system's file cache. It knows nothing of pages
// beyond the site.Body it returns.
package bodies

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"sync"
	"unsafe"

	"github.com/icc-recap/recap/generator/site"
)

// Store is a temporary file of bodies. Put and reading bodies back are safe for concurrent
// use. Close removes the file; bodies read after it are empty.
type Store struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	size    int64 // bytes put, written or buffered
	flushed int64 // bytes in the file
	err     error
	closed  bool
}

// New creates a store in dir (the system's temporary folder when dir is "").
func New(dir string) (*Store, error) {
	f, err := os.CreateTemp(dir, "recap-bodies-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a temporary file for page bodies: %w", err)
	}
	// Where the system allows it, the file has no name from now on, so nothing is left
	// behind if the build is killed; elsewhere Close removes it.
	_ = os.Remove(f.Name())
	return &Store{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// Put stores a body (a copy: html and text may be used again once it returns) and returns
// it as a site.Body that reads it back.
func (s *Store) Put(html, text []byte) site.Body {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &body{s: s, off: s.size, htmlLen: len(html), textLen: len(text)}
	if s.err == nil && !s.closed {
		_, err := s.w.Write(html)
		if err == nil {
			_, err = s.w.Write(text)
		}
		if err != nil {
			s.err = fmt.Errorf("cannot write page bodies to a temporary file: %w", err)
		}
	}
	s.size += int64(len(html) + len(text))
	return b
}

// Err returns the first error in writing or reading the file: a body that could not be
// read back was given as empty, so a build must fail when there is one.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close closes and removes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	if rmErr := os.Remove(s.f.Name()); rmErr != nil && !os.IsNotExist(rmErr) && err == nil {
		err = rmErr
	}
	return err
}

// read reads n bytes at off, flushing what is still buffered first.
func (s *Store) read(off int64, n int) string {
	if n == 0 {
		return ""
	}
	buf, ok := s.appendAt(make([]byte, 0, n), off, n)
	if !ok {
		return ""
	}
	// buf is never written again: the string can be its bytes, not a second copy of them.
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// appendAt appends the n bytes at off to dst, flushing what is still buffered first; ok is
// false, and dst returned as it was, when they cannot be read (the error is kept for Err).
func (s *Store) appendAt(dst []byte, off int64, n int) (_ []byte, ok bool) {
	s.mu.Lock()
	if s.closed || s.err != nil {
		s.mu.Unlock()
		return dst, false
	}
	if off+int64(n) > s.flushed {
		if err := s.w.Flush(); err != nil {
			s.err = fmt.Errorf("cannot write page bodies to a temporary file: %w", err)
			s.mu.Unlock()
			return dst, false
		}
		s.flushed = s.size
	}
	s.mu.Unlock()
	grown := slices.Grow(dst, n)
	buf := grown[len(dst) : len(dst)+n]
	if _, err := s.f.ReadAt(buf, off); err != nil {
		s.mu.Lock()
		if s.err == nil && !s.closed {
			s.err = fmt.Errorf("cannot read page bodies back from a temporary file: %w", err)
		}
		s.mu.Unlock()
		return dst, false
	}
	return grown[:len(dst)+n], true
}

// body is one page's body in a store: its HTML, then its text.
type body struct {
	s                *Store
	off              int64
	htmlLen, textLen int
}

func (b *body) HTML() string { return b.s.read(b.off, b.htmlLen) }
func (b *body) Text() string { return b.s.read(b.off+int64(b.htmlLen), b.textLen) }

// AppendText appends the text to dst (see site.TextAppender); nothing when it cannot be
// read (the store's Err says why).
func (b *body) AppendText(dst []byte) []byte {
	dst, _ = b.s.appendAt(dst, b.off+int64(b.htmlLen), b.textLen)
	return dst
}
