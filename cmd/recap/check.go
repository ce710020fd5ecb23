package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/diag"
)

func init() {
	commands["check"] = command{summary: "check the site for errors and broken links, writing nothing", run: runCheck}
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	source := fs.String("source", ".", "the site root, holding content/, templates/ and static/")
	format := fs.String("format", "text", "how to print problems: text (path:line:col: message), github (GitHub Actions annotations) or json (one object per line)")
	drafts := fs.Bool("drafts", false, "check pages marked draft: true as well")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch *format {
	case "text", "github", "json":
	default:
		fmt.Fprintf(stderr, "recap check: --format %q must be text, github or json\n", *format)
		return 2
	}
	res := build.Check(ctx, build.Options{Source: *source, Drafts: *drafts})
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "recap check: interrupted")
		return 1
	}
	printFormatted(stdout, *format, *source, res.Diags)
	errs, warns, notes := len(res.Diags.Errors()), len(res.Diags.Warnings()), len(res.Diags.Notes())
	if errs > 0 {
		if *format == "text" {
			fmt.Fprintf(stderr, "recap check: %d %s, %d %s\n", errs, diag.Plural(errs, "error", "errors"), warns, diag.Plural(warns, "warning", "warnings"))
		}
		return 1
	}
	if *format == "text" {
		fmt.Fprintf(stderr, "recap check: %d pages and their links are fine (%d %s", res.Pages, warns, diag.Plural(warns, "warning", "warnings"))
		if notes > 0 {
			fmt.Fprintf(stderr, ", %d %s", notes, diag.Plural(notes, "note", "notes"))
		}
		fmt.Fprintln(stderr, ")")
	}
	return 0
}

// printFormatted prints diagnostics as text, GitHub Actions workflow commands or JSON lines.
// For GitHub, paths are made relative to the working directory (the repository root in a
// workflow) so that annotations land on the right file.
func printFormatted(w io.Writer, format, source string, ds diag.List) {
	prefix := ""
	if format == "github" && source != "" && !filepath.IsAbs(source) {
		if p := filepath.ToSlash(filepath.Clean(source)); p != "." {
			prefix = p + "/"
		}
	}
	for _, d := range ds {
		switch format {
		case "github":
			fmt.Fprintln(w, githubCommand(prefix, d))
		case "json":
			b, _ := json.Marshal(struct {
				File     string `json:"file"`
				Line     int    `json:"line"`
				Column   int    `json:"column"`
				Severity string `json:"severity"`
				Message  string `json:"message"`
			}{d.Path, max(d.Line, 1), max(d.Col, 1), d.Severity.String(), d.Text()})
			fmt.Fprintf(w, "%s\n", b)
		default:
			fmt.Fprintln(w, d.Error())
		}
	}
}

// githubCommand formats a diagnostic as an ::error or ::warning workflow command.
func githubCommand(prefix string, d *diag.Diagnostic) string {
	var b strings.Builder
	b.WriteString("::")
	if d.Severity == diag.Note {
		b.WriteString("notice")
	} else {
		b.WriteString(d.Severity.String())
	}
	b.WriteString(" file=")
	b.WriteString(escapeProperty(prefix + d.Path))
	// Like the text format, a problem with a whole file is put at its start.
	fmt.Fprintf(&b, ",line=%d,col=%d", max(d.Line, 1), max(d.Col, 1))
	b.WriteString(",title=recap check::")
	b.WriteString(escapeData(d.Text()))
	return b.String()
}

// escapeData escapes the message of a workflow command.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value of a workflow command.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
