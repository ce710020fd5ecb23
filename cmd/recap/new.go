package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/icc-recap/recap/generator/archetype"
)

func init() {
	commands["new"] = command{summary: "start a new page: recap new SECTION \"Title\", or a translation: recap new --lang fr FILE", run: runNew}
}

func runNew(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", stderr)
	source := fs.String("source", ".", "the site root, holding content/ and templates/")
	lang := fs.String("lang", "", "start a translation into this language of the page FILE instead")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: recap new [--source DIR] SECTION \"Title\"")
		fmt.Fprintln(fs.Output(), "       recap new [--source DIR] --lang LANG FILE")
		fmt.Fprintln(fs.Output(), "Writes content/SECTION/<slug>.md from templates/archetypes/SECTION.md (or default.md);")
		fmt.Fprintln(fs.Output(), "with --lang, writes FILE's translation (content/speakers/x.fr.md for content/speakers/x.md)")
		fmt.Fprintln(fs.Output(), "holding the text to translate: title, summary, description, params and the body.")
		fs.PrintDefaults()
	}
	// Flags may come before or after the two arguments.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *lang != "" {
		if len(pos) != 1 {
			fmt.Fprintf(stderr, "recap new: --lang wants one page file, as in: recap new --lang fr content/speakers/pia-laurila.md\n")
			return 2
		}
		rel, d := archetype.Translate(*source, *lang, pos[0])
		if d != nil {
			fmt.Fprintln(stderr, d.Error())
			return 1
		}
		fmt.Fprintf(stdout, "created %s\n", rel)
		return 0
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "recap new: want a section and a title, as in: recap new speakers \"Pia Laurila\"\n")
		return 2
	}
	rel, d := archetype.New(*source, pos[0], pos[1], time.Now())
	if d != nil {
		fmt.Fprintln(stderr, d.Error())
		return 1
	}
	fmt.Fprintf(stdout, "created %s\n", rel)
	return 0
}
