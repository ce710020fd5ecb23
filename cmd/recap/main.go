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
	"runtime"
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

// The soft memory limit a build keeps to unless GOMEMLIMIT says otherwise: the garbage
// collector works harder near it instead of letting the heap double. With the pages' bodies
// kept out of memory (package bodies) a build holds about 6 to 8 KiB a page (titles, links,
// headings, the search index's postings, the kept partials): 74 MiB for 10,000 pages, 600
// to 700 MiB for 100,000, whatever their length. The limit is pageShare a page, at least minLimit
// and at most maxLimit, but never below keepPage a page, so that it stays above what the
// build holds (a limit below it makes the collector run without pause: a 100,000-page build
// took four times as long), and never below what converting the largest Markdown file on
// every core at once may take.
const (
	minLimit  = 256 << 20
	maxLimit  = 900 << 20
	pageShare = 24 << 10
	keepPage  = 9 << 10
	// fileShare is the memory converting a Markdown file may take, per byte of it.
	fileShare = 24
)

// memoryLimit returns the soft memory limit of a build of pages Markdown files, the largest
// of largest bytes, on procs cores.
func memoryLimit(pages, largest int64, procs int) int64 {
	limit := min(max(pages*pageShare, minLimit), maxLimit)
	return max(limit, pages*keepPage, minLimit/2+largest*fileShare*int64(procs))
}

// limitMemory sets the soft memory limit of a build of the site in source (see memoryLimit).
// Under it the collector need not also run each time the heap doubles: early in a build the
// live heap is small, and doubling it would collect many times more often than the limit
// needs (a 20,404-page build ran 96 collections with no limit and GOGC 100, 28 under its
// limit with GOGC 400).
//
// The limit needs the size of every Markdown file, a walk of content/ with a stat of each
// file (0.7 s for 100,000 files, when the build's own walk needs no stat): it is worked out
// beside the build, which holds little in its first second.
func limitMemory(source string) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	go func() {
		var pages, largest int64
		_ = filepath.WalkDir(filepath.Join(source, "content"), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
				pages++
				if info, err := d.Info(); err == nil {
					largest = max(largest, info.Size())
				}
			}
			return nil
		})
		debug.SetMemoryLimit(memoryLimit(pages, largest, runtime.GOMAXPROCS(0)))
	}()
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
