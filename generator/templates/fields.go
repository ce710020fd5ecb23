package templates

import (
	"text/template/parse"
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
