// Command recap builds the static site of an event record from Markdown. It parses flags and
// wires the stages of package build together; all the work is in generator/.
//
//	recap build  [--source DIR] [--out DIR] [--drafts] [--base-url URL] [--file-urls]
//	recap check  [--source DIR] [--format text|github|json] [--drafts]
//	recap new    [--source DIR] SECTION "Title"
//	recap version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand: it returns the exit status.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is filled in by the files of this package, one per subcommand.
var commands = map[string]command{}

// memoryLimit is the soft memory limit a build keeps to unless GOMEMLIMIT says otherwise: the
// garbage collector works harder near it instead of letting the heap double (a 10,000-page
// build peaks at about 280 MiB instead of 420 MiB, in about the same time).
const memoryLimit = 256 << 20

// largeLimit is the soft memory limit of a site too large for memoryLimit, and largePage
// what each page of it is allowed in the heap beyond that: a 100,000-page build holds about
// 600 MiB (pages' titles, links and headings, the search index's postings, the kept
// partials), and without a limit the heap would grow to twice that between collections.
const (
	largeLimit = 900 << 20
	largePage  = 9 << 10
	manyPages  = 30000
)

// limitMemory sets the soft memory limit for a site whose content is small enough to fit
// under it: a build holds about four times its Markdown in memory, and a limit below what
// the build needs would make the collector run without pause (a 100,000-page build took four
// times as long under it). A site of many pages gets a larger limit, which grows with its
// number of pages so that it stays above what the build holds.
func limitMemory(source string) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var size, files int64
	_ = filepath.WalkDir(filepath.Join(source, "content"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
			if strings.HasSuffix(d.Name(), ".md") {
				files++
			}
		}
		return nil
	})
	switch {
	case 4*size < memoryLimit*3/4:
		debug.SetMemoryLimit(memoryLimit)
		// Under the limit the collector need not run each time the heap doubles: with the
		// bodies kept out of memory (package bodies) the live heap of such a site is tens of
		// megabytes, and doubling it would collect several times as often as the limit needs.
		debug.SetGCPercent(400)
	case files >= manyPages:
		debug.SetMemoryLimit(max(largeLimit, files*largePage))
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "recap: unknown command %q\n", name)
		usage(stderr)
		return 2
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "recap builds the static site of an event record from Markdown.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: recap <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run recap <command> -h for the flags of a command.")
}

// newFlags returns a flag set that reports errors without exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("recap "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args; it returns the exit status to use when parsing ended the command.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), strings.Join(fs.Args(), " "))
		fs.Usage()
		return 2, false
	}
	return 0, true
}
