package templates

import (
	"cmp"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/icc-recap/recap/generator/diag"
)

// ShowsOtherPages reports whether any template reads one of the named fields of a page other
// than the one being rendered: anything but .Page.<field> and $.Page.<field>, such as
// {{ range .Page.Pages }}{{ .WordCount }}{{ end }}. Incremental rebuilds use it to know
// whether a change to a page's body can show on other pages.
func (s *Set) ShowsOtherPages(fields ...string) bool {
	want := map[string]bool{}
	for _, f := range fields {
		want[f] = true
	}
	for _, t := range s.pages {
		for _, tt := range t.Templates() {
			if tt.Tree != nil && tt.Tree.Root != nil && usesElsewhere(tt.Tree.Root, want) {
				return true
			}
		}
	}
	return false
}

func usesElsewhere(n parse.Node, want map[string]bool) bool {
	found := false
	var walk func(parse.Node)
	check := func(ident []string, rooted bool) {
		if len(ident) == 0 || !want[ident[len(ident)-1]] {
			return
		}
		// .Page.X or $.Page.X is the page being rendered.
		if rooted && len(ident) == 2 && ident[0] == "Page" {
			return
		}
		found = true
	}
	walk = func(n parse.Node) {
		if n == nil || found {
			return
		}
		switch x := n.(type) {
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return
			}
			for _, c := range x.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range x.Args {
				walk(a)
			}
		case *parse.FieldNode:
			check(x.Ident, true)
		case *parse.VariableNode:
			if len(x.Ident) > 1 {
				check(x.Ident[1:], x.Ident[0] == "$")
			}
		case *parse.ChainNode:
			check(x.Field, false)
			walk(x.Node)
		case *parse.IfNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.TemplateNode:
			walk(x.Pipe)
		}
	}
	walk(n)
	return found
}

// Call is a call of a method with a constant text as its first argument, such as
// {{ .T "results" }}, where a template file writes it.
type Call struct {
	Pos    diag.Pos
	Method string
	Arg    string
}

// Calls lists, sorted and each once, the calls of the named methods (T, for {{ .T "key" }},
// {{ $.T "key" }} or {{ .ctx.T "key" }}) whose first argument is a constant text, in every
// template.
func (s *Set) Calls(methods ...string) []Call {
	want := map[string]bool{}
	for _, m := range methods {
		want[m] = true
	}
	seen := map[Call]bool{}
	var calls []Call
	visit := func(t *template.Template) {
		for _, tt := range t.Templates() {
			if tt.Tree == nil || tt.Tree.Root == nil {
				continue
			}
			tree := tt.Tree
			eachCommand(tree.Root, func(c *parse.CommandNode) {
				method := lastIdent(c.Args[0])
				if len(c.Args) < 2 || !want[method] {
					return
				}
				str, ok := c.Args[1].(*parse.StringNode)
				if !ok {
					return
				}
				loc, _ := tree.ErrorContext(c)
				call := Call{Pos: posOf(loc), Method: method, Arg: str.Text}
				call.Pos.Col++ // text/template counts columns from 0
				if !seen[call] {
					seen[call] = true
					calls = append(calls, call)
				}
			})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.pages)) {
		visit(s.pages[name])
	}
	if s.partials != nil {
		visit(s.partials)
	}
	slices.SortFunc(calls, func(a, b Call) int {
		return cmp.Or(cmp.Compare(a.Pos.Path, b.Pos.Path), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col), strings.Compare(a.Arg, b.Arg))
	})
	return calls
}

func lastIdent(n parse.Node) string {
	var ident []string
	switch x := n.(type) {
	case *parse.FieldNode:
		ident = x.Ident
	case *parse.VariableNode:
		ident = x.Ident[1:]
	case *parse.ChainNode:
		ident = x.Field
	}
	if len(ident) == 0 {
		return ""
	}
	return ident[len(ident)-1]
}

// posOf turns a location of text/template ("partials/card.html:3:14") into a position.
func posOf(loc string) diag.Pos {
	pos := diag.Pos{Path: Dir + "/" + loc}
	parts := strings.Split(loc, ":")
	if len(parts) >= 3 {
		line, err1 := strconv.Atoi(parts[len(parts)-2])
		col, err2 := strconv.Atoi(parts[len(parts)-1])
		if err1 == nil && err2 == nil {
			pos = diag.Pos{Path: Dir + "/" + strings.Join(parts[:len(parts)-2], ":"), Line: line, Col: col}
		}
	}
	return pos
}

// eachCommand calls f for every command under n.
func eachCommand(n parse.Node, f func(*parse.CommandNode)) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			eachCommand(c, f)
		}
	case *parse.ActionNode:
		eachCommand(x.Pipe, f)
	case *parse.PipeNode:
		if x == nil {
			return
		}
		for _, c := range x.Cmds {
			eachCommand(c, f)
		}
	case *parse.CommandNode:
		f(x)
		for _, a := range x.Args {
			eachCommand(a, f)
		}
	case *parse.IfNode:
		eachBranch(&x.BranchNode, f)
	case *parse.RangeNode:
		eachBranch(&x.BranchNode, f)
	case *parse.WithNode:
		eachBranch(&x.BranchNode, f)
	case *parse.TemplateNode:
		eachCommand(x.Pipe, f)
	}
}

func eachBranch(b *parse.BranchNode, f func(*parse.CommandNode)) {
	eachCommand(b.Pipe, f)
	eachCommand(b.List, f)
	eachCommand(b.ElseList, f)
}
