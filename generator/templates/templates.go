// Package templates loads the html/template files of a site once per build and finds the
// template that gives a page its shape: the page's layout, then its section's template, then
// the default, all wrapped in base.html. Parse errors come back with the template file and
// line. It does not execute templates (render does).
package templates

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/icc-recap/recap/generator/diag"
)

// Dir is the name of the templates folder inside a site.
const Dir = "templates"

// Base is the layout every page template is wrapped in.
const Base = "base.html"

// Set is the parsed templates of a site.
type Set struct {
	// pages maps a template file name (days/page.html) to its executable template.
	pages map[string]*template.Template
	// wrapped tells which templates run through base.html.
	wrapped map[string]bool
	// partials holds base.html and partials/ alone, to run a partial by itself.
	partials *template.Template
	// Sources maps every template name to its file's bytes (archetypes included).
	Sources map[string][]byte
}

// Load reads and parses every .html file under root/templates. funcs are made available to
// every template.
func Load(root string, funcs template.FuncMap) (*Set, diag.List) {
	files := map[string][]byte{}
	base := filepath.Join(root, Dir)
	var diags diag.List
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == base && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if p != base && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(base, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			diags = append(diags, diag.Errorf(diag.Pos{Path: Dir + "/" + rel}, "templates may not be symbolic links: copy the file here"))
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			// One error at the file. It stays in the set, empty, so that the templates that
			// call it are not also reported as calling a template that does not exist.
			diags = append(diags, diag.Wrap(diag.Pos{Path: Dir + "/" + rel}, err, "cannot read this template: "+readHint(err)))
			b = []byte{}
		}
		files[rel] = b
		return nil
	})
	if err != nil {
		diags = append(diags, diag.Wrap(diag.Pos{Path: Dir}, err, "cannot read the templates: "+err.Error()))
	}
	set, more := Parse(files, funcs)
	return set, append(diags, more...).Sort()
}

// readHint says what to do about a template file that cannot be read.
func readHint(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied: make it readable (chmod a+r)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error() + ": replace it with a plain file"
}

// Parse parses template files given by their slash paths relative to templates/.
func Parse(files map[string][]byte, funcs template.FuncMap) (*Set, diag.List) {
	var diags diag.List
	s := &Set{pages: map[string]*template.Template{}, wrapped: map[string]bool{}, Sources: files}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	})
	root := template.New("").Funcs(funcs)
	ok := true
	for _, n := range names {
		if n != Base && !strings.HasPrefix(n, "partials/") || !strings.HasSuffix(n, ".html") {
			continue
		}
		if _, err := root.New(n).Parse(string(files[n])); err != nil {
			diags = append(diags, FromError(err, n))
			ok = false
		}
	}
	if !ok {
		return s, diags
	}
	s.partials, _ = root.Clone()
	for _, n := range names {
		if n == Base || strings.HasPrefix(n, "partials/") || strings.HasPrefix(n, "archetypes/") || !strings.HasSuffix(n, ".html") {
			continue
		}
		t, err := root.Clone()
		if err == nil {
			_, err = t.New(n).Parse(string(files[n]))
		}
		if err != nil {
			diags = append(diags, FromError(err, n))
			continue
		}
		wrapped := definesBlocks(files[n])
		if wrapped && t.Lookup(Base) == nil {
			diags = append(diags, diag.Errorf(diag.Pos{Path: Dir + "/" + n, Line: 1, Col: 1},
				"this template defines blocks for %s, which does not exist: create templates/%s", Base, Base))
			continue
		}
		entry := n
		if wrapped {
			entry = Base
		}
		if missing := missingCalls(t, entry); len(missing) > 0 {
			diags = append(diags, missing...)
			continue
		}
		s.pages[n] = t
		s.wrapped[n] = wrapped
	}
	return s, diags
}

// missingCalls finds the {{ template "name" }} calls that can be reached from the template
// entry and name no template, which would otherwise fail only when a page is rendered.
func missingCalls(t *template.Template, entry string) diag.List {
	var diags diag.List
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		tt := t.Lookup(name)
		if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
			return
		}
		walk(tt.Tree.Root, func(n *parse.TemplateNode) {
			if t.Lookup(n.Name) != nil {
				visit(n.Name)
				return
			}
			loc, _ := tt.Tree.ErrorContext(n)
			d := FromError(fmt.Errorf("template: %s: no template", loc), name)
			hint := fmt.Sprintf("define it with {{ define %q }} or fix the name", n.Name)
			if strings.HasSuffix(n.Name, ".html") {
				hint = fmt.Sprintf("create templates/%s or fix the name", n.Name)
			}
			d.Message = fmt.Sprintf("there is no template %q: %s", n.Name, hint)
			diags = append(diags, d)
		})
	}
	visit(entry)
	return diags
}

// walk calls f for every {{ template }} call under n.
func walk(n parse.Node, f func(*parse.TemplateNode)) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			walk(c, f)
		}
	case *parse.TemplateNode:
		f(x)
	case *parse.IfNode:
		walk(x.List, f)
		walk(x.ElseList, f)
	case *parse.RangeNode:
		walk(x.List, f)
		walk(x.ElseList, f)
	case *parse.WithNode:
		walk(x.List, f)
		walk(x.ElseList, f)
	}
}

var defineRe = regexp.MustCompile(`\{\{-?\s*(define|block)\s`)

func definesBlocks(b []byte) bool {
	return defineRe.Match(b)
}

// Has reports whether a page template of that name exists.
func (s *Set) Has(name string) bool { return s.pages[name] != nil }

// PagesDir holds the templates that are pages of their own: templates/pages/search.html
// makes the page search/, whether or not content/ has a file for it.
const PagesDir = "pages"

// PageNames returns the names of the pages the templates of PagesDir bring ("search" for
// pages/search.html), sorted.
func (s *Set) PageNames() []string {
	if s == nil {
		return nil
	}
	var names []string
	for n := range s.pages {
		if rest, ok := strings.CutPrefix(n, PagesDir+"/"); ok && !strings.Contains(rest, "/") {
			names = append(names, strings.TrimSuffix(rest, ".html"))
		}
	}
	slices.Sort(names)
	return names
}

// Find returns the first of the candidate names that exists, or "".
func (s *Set) Find(candidates ...string) string {
	for _, c := range candidates {
		if s.pages[c] != nil {
			return c
		}
	}
	return ""
}

// Execute runs the page template name with data into buf.
func (s *Set) Execute(buf *bytes.Buffer, name string, data any) error {
	t := s.pages[name]
	if t == nil {
		return fmt.Errorf("no template %s", name)
	}
	if s.wrapped[name] {
		return t.ExecuteTemplate(buf, Base, data)
	}
	return t.ExecuteTemplate(buf, name, data)
}

// ExecutePartial runs a template of base.html or partials/ by itself with data into buf.
func (s *Set) ExecutePartial(buf *bytes.Buffer, name string, data any) error {
	if s.partials == nil || s.partials.Lookup(name) == nil {
		return fmt.Errorf("there is no template %q: create templates/%s or fix the name", name, name)
	}
	return s.partials.ExecuteTemplate(buf, name, data)
}

var tmplErrRe = regexp.MustCompile(`(?:html/)?template: ?([^:\s]+):(\d+)(?::(\d+))?: `)

// selfContainedRe matches the words text/template puts before the error of .Rel or .Abs,
// whose message says all: a link to nowhere.
var selfContainedRe = regexp.MustCompile(`^executing "[^"]*" at <[^>]*>: error calling (?:Rel|Abs): `)

var (
	fieldRe     = regexp.MustCompile(`can't evaluate field (\w+) in type (\S+)`)
	undefFuncRe = regexp.MustCompile(`function "(.*)" not defined`)
)

// FromError turns a template error into a diagnostic at the template file and line it names;
// fallback is the template name to blame when the error names none. The message says what
// to do where the error is a common one.
func FromError(err error, fallback string) *diag.Diagnostic {
	msg := err.Error()
	pos := diag.Pos{Path: Dir + "/" + fallback}
	// A partial run by Partial fails inside the template that called it: blame the innermost.
	if all := tmplErrRe.FindAllStringSubmatchIndex(msg, -1); all != nil {
		m := all[len(all)-1]
		part := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return msg[m[2*i]:m[2*i+1]]
		}
		pos.Path = Dir + "/" + part(1)
		pos.Line, _ = strconv.Atoi(part(2))
		pos.Col, _ = strconv.Atoi(part(3))
		msg = msg[m[1]:]
		if loc := selfContainedRe.FindStringIndex(msg); loc != nil {
			return diag.Wrap(pos, err, msg[loc[1]:])
		}
	} else {
		msg = strings.TrimPrefix(msg, "html/template: ")
		msg = strings.TrimPrefix(msg, "template: ")
	}
	if pos.Line > 0 && pos.Col == 0 {
		// Parse errors name a line only: point at its start.
		pos.Col = 1
	}
	return diag.Wrap(pos, err, msg+hintFor(msg))
}

func hintFor(msg string) string {
	switch {
	case strings.Contains(msg, "unexpected EOF"):
		return ": a {{ define }}, {{ block }}, {{ if }}, {{ range }} or {{ with }} is missing its {{ end }}"
	case strings.Contains(msg, "unexpected {{end}}"):
		return ": this {{ end }} closes nothing; remove it"
	case strings.Contains(msg, "unexpected \"}\""), strings.Contains(msg, "unclosed action"):
		return ": an action is written {{ ... }}, with two braces on each side"
	case undefFuncRe.MatchString(msg):
		return ": docs/templates.md lists the functions a template can call"
	case fieldRe.MatchString(msg):
		m := fieldRe.FindStringSubmatch(msg)
		return fmt.Sprintf(": %s has no field %s; docs/templates.md lists what a template sees", typeName(m[2]), m[1])
	case strings.Contains(msg, "nil pointer evaluating"):
		return ": the value is missing on this page; test it first with {{ with ... }}"
	case !strings.HasPrefix(msg, "executing") && !strings.Contains(msg, "error calling"):
		return ": fix the template's syntax (docs/templates.md shows the forms)"
	}
	return ""
}

func typeName(t string) string {
	switch strings.TrimPrefix(t, "*") {
	case "site.Page":
		return "a page"
	case "site.Site":
		return "the site"
	case "site.Section":
		return "a section"
	case "render.Context":
		return "the template's dot (use .Page or .Site)"
	}
	return t
}
