// Package diag defines the diagnostics a build reports: errors and warnings that carry the
// position of the problem in a source file, printed as Go's own tools print them
// (path:line:col: message). It formats and sorts them; it does not decide what is wrong.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Severity says whether a diagnostic fails the build.
type Severity int

const (
	// Error fails the build.
	Error Severity = iota
	// Warning is printed but never fails the build.
	Warning
	// Note is information, not a problem (a page not yet translated); it never fails
	// anything.
	Note
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Note:
		return "note"
	}
	return "error"
}

// Pos is a position in a file of the site: Path is slash-separated and relative to the site
// root; Line and Col count from 1, and 0 means unknown (printed as 1).
type Pos struct {
	Path string
	Line int
	Col  int
}

func (p Pos) String() string {
	// Always path:line:col, as tools that read the output expect: a problem with a whole
	// file is reported at its start.
	return fmt.Sprintf("%s:%d:%d", p.Path, max(p.Line, 1), max(p.Col, 1))
}

// Diagnostic is one problem found in the site, with its position and what to do about it.
type Diagnostic struct {
	Pos
	Severity Severity
	Message  string
	// Rendering is the source of the page being rendered when a template failed, such as
	// content/talks/opening.md, or ""; OtherPages counts the other pages the same problem
	// showed on. Both are printed after the message.
	Rendering  string
	OtherPages int
	// Template is the template that was executed when the problem showed (the page's own,
	// whereas Pos may be in a partial it called), or "".
	Template string
	// Cause is the underlying error, if any; it is not printed but can be unwrapped.
	Cause error
}

// Error prints the diagnostic as path:line:col: message (warnings say so after the position).
// A message is always printed on one line.
func (d *Diagnostic) Error() string {
	msg := d.Text()
	if d.Severity != Error {
		return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, msg)
	}
	return fmt.Sprintf("%s: %s", d.Pos, msg)
}

// Text is the message on one line, followed by the pages it showed on, without the
// position: what a report that gives the position apart prints.
func (d *Diagnostic) Text() string {
	msg := oneLine(d.Message)
	switch {
	case d.Rendering != "" && d.OtherPages > 0:
		msg += fmt.Sprintf(" (while rendering %s and %d other %s)", d.Rendering, d.OtherPages, Plural(d.OtherPages, "page", "pages"))
	case d.Rendering != "":
		msg += fmt.Sprintf(" (while rendering %s)", d.Rendering)
	}
	return msg
}

// oneLine folds the lines of s into one, so that each diagnostic stays one line of output.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Unwrap returns the cause.
func (d *Diagnostic) Unwrap() error { return d.Cause }

// Errorf makes an error diagnostic at pos.
func Errorf(pos Pos, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Error, Message: fmt.Sprintf(format, args...)}
}

// Notef makes a note at pos.
func Notef(pos Pos, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Note, Message: fmt.Sprintf(format, args...)}
}

// Warnf makes a warning diagnostic at pos.
func Warnf(pos Pos, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Warning, Message: fmt.Sprintf(format, args...)}
}

// Wrap makes an error diagnostic at pos whose message is msg and whose cause is err.
func Wrap(pos Pos, err error, msg string) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Error, Message: msg, Cause: err}
}

// List is a set of diagnostics.
type List []*Diagnostic

// Sort orders the list by path, line, column, then message and page, and drops exact
// duplicates.
func (l List) Sort() List {
	slices.SortStableFunc(l, func(a, b *Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
			cmp.Compare(a.Rendering, b.Rendering),
			cmp.Compare(a.OtherPages, b.OtherPages),
		)
	})
	return slices.CompactFunc(l, func(a, b *Diagnostic) bool {
		return a.Pos == b.Pos && a.Severity == b.Severity && a.Message == b.Message &&
			a.Rendering == b.Rendering && a.OtherPages == b.OtherPages
	})
}

// MergePages reports a problem that showed on many pages (the same position, severity and
// message, different Rendering) once, naming the first page in order and counting the others.
// The result is sorted.
func (l List) MergePages() List {
	type key struct {
		pos Pos
		sev Severity
		msg string
	}
	first := map[key]*Diagnostic{}
	var out List
	for _, d := range l.Sort() {
		if d.Rendering == "" {
			out = append(out, d)
			continue
		}
		k := key{d.Pos, d.Severity, d.Message}
		if f := first[k]; f != nil {
			f.OtherPages += 1 + d.OtherPages
			continue
		}
		c := *d
		first[k] = &c
		out = append(out, &c)
	}
	return out
}

// Errors returns the diagnostics of severity Error.
func (l List) Errors() List { return l.bySeverity(Error) }

// Warnings returns the diagnostics of severity Warning.
func (l List) Warnings() List { return l.bySeverity(Warning) }

// Notes returns the diagnostics of severity Note.
func (l List) Notes() List { return l.bySeverity(Note) }

func (l List) bySeverity(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Collector gathers diagnostics from concurrent stages.
type Collector struct {
	mu   sync.Mutex
	list List
}

// Add records diagnostics; nil ones are ignored.
func (c *Collector) Add(ds ...*Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range ds {
		if d != nil {
			c.list = append(c.list, d)
		}
	}
}

// Errorf records an error at pos.
func (c *Collector) Errorf(pos Pos, format string, args ...any) {
	c.Add(Errorf(pos, format, args...))
}

// Warnf records a warning at pos.
func (c *Collector) Warnf(pos Pos, format string, args ...any) {
	c.Add(Warnf(pos, format, args...))
}

// List returns what was collected, sorted.
func (c *Collector) List() List {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.list).Sort()
}

// LineCol returns the 1-based line and column of byte offset off in src. Columns count
// characters, not bytes, as an editor shows them.
func LineCol(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line, col = 1, 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			col = 1
		} else if src[i]&0xC0 != 0x80 {
			col++
		}
	}
	return line, col
}

// Plural returns one when n is 1 and many otherwise, for counts in messages.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
