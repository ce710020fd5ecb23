package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/media"
)

func init() {
	commands["build"] = command{summary: "build the site into public/", run: runBuild}
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	source := fs.String("source", ".", "the site root, holding content/, templates/ and static/")
	out := fs.String("out", "", "the output folder (default: public inside the site root)")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	baseURL := fs.String("base-url", "", "the absolute address the site is published at, e.g. https://example.org/recap/ (overrides base_url in content/_index.md)")
	fileURLs := fs.Bool("file-urls", false, "make links end in index.html, so the site works when opened from the file system")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to this file, for go tool pprof")
	timings := fs.Bool("timings", false, "print how long each stage of the build took")
	cacheDir := fs.String("cache-dir", "", "the folder of processed images kept between builds (default: .recap-cache inside the site root)")
	imageMemory := fs.Int("image-memory", media.DefaultBudget>>20, "the memory, in MiB, that images being processed may take at once")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *imageMemory < 64 {
		fmt.Fprintf(stderr, "recap build: --image-memory %d is too small: give at least 64 (MiB)\n", *imageMemory)
		return 2
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "recap build: --cpuprofile: %v\n", err)
			return 2
		}
		defer func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		}()
	}
	if *baseURL != "" {
		u, err := url.Parse(*baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fmt.Fprintf(stderr, "recap build: --base-url %q must be an absolute http:// or https:// address\n", *baseURL)
			return 2
		}
	}
	if *out == "" {
		*out = filepath.Join(*source, "public")
	}
	limitMemory(*source)
	res, err := build.Build(ctx, build.Options{
		Source: *source, Out: *out, Drafts: *drafts, BaseURL: *baseURL, FileURLs: *fileURLs,
		CacheDir: *cacheDir, ImageMemory: int64(*imageMemory) << 20,
	})
	printDiags(stderr, res.Diags)
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "recap build: interrupted; the previous output is unchanged")
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "recap build: %d %s; %s is unchanged\n", len(res.Diags.Errors()), diag.Plural(len(res.Diags.Errors()), "error", "errors"), *out)
		return 1
	}
	fmt.Fprintf(stdout, "built %d pages and %d other files into %s in %s\n", res.Pages, res.Files-res.Pages, *out, res.Duration.Round(time.Millisecond))
	if *timings {
		printStages(stdout, res.Stages)
	}
	return 0
}

// printStages prints the wall time of each stage, with the stages that ran alongside one
// under it.
func printStages(w io.Writer, stages []build.Stage) {
	for _, st := range stages {
		if st.Alongside != "" {
			continue
		}
		fmt.Fprintf(w, "  %-44s %9.3f s\n", st.Name, st.Duration.Seconds())
		for _, by := range stages {
			if by.Alongside == st.Name {
				fmt.Fprintf(w, "    %-42s %9.3f s  (at the same time)\n", by.Name, by.Duration.Seconds())
			}
		}
	}
}

func printDiags(w io.Writer, ds diag.List) {
	for _, d := range ds {
		fmt.Fprintln(w, d.Error())
	}
}
