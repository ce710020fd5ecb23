// Package archetype starts a new page: it fills in the skeleton of the page's section
// (templates/archetypes/<section>.md, else templates/archetypes/default.md, else a plain
// default) with the title and today's date, and writes content/<section>/<slug>.md, never
// over an existing file. It does not build anything.
package archetype

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/frontmatter"
	"github.com/icc-recap/recap/generator/urls"
)

// Dir is the folder of archetypes inside the templates folder.
const Dir = "templates/archetypes"

// Default is the skeleton used when the site has no archetype for a section.
const Default = `---
title: {{ .Title }}
date: {{ .Date }}
---
Write the page here, in Markdown.
`

// Data is what an archetype sees: {{ .Title }}, {{ .Date }} (YYYY-MM-DD), {{ .Section }}
// and {{ .Slug }}.
type Data struct {
	Title   string
	Date    string
	Section string
	Slug    string
}

// New writes a new page of section titled title under the site root and returns its path
// relative to the root (content/<section>/<slug>.md).
func New(root, section, title string, now time.Time) (string, *diag.Diagnostic) {
	title = strings.TrimSpace(title)
	sectionPos := diag.Pos{Path: "content/" + section}
	if section == "" || strings.ContainsAny(section, `/\`) || strings.HasPrefix(section, ".") || urls.Slugify(section) != section {
		return "", diag.Errorf(diag.Pos{Path: "content"}, "%q is not a section name: use the name of a folder of content/, such as %s", section, listSections(root))
	}
	if st, err := os.Stat(filepath.Join(root, "content", section)); err != nil || !st.IsDir() {
		return "", diag.Errorf(sectionPos, "there is no section %q: the sections are %s (to start a new one, create the folder content/%s/ first)", section, listSections(root), section)
	}
	slug := urls.Slugify(title)
	if slug == "" {
		return "", diag.Errorf(sectionPos, "the title %q gives an empty file name: use letters or digits in it", title)
	}
	rel := "content/" + section + "/" + slug + ".md"
	if other := taken(root, section, slug); other != "" {
		return "", diag.Errorf(diag.Pos{Path: other}, "this page already has the address a page titled %q would get: edit it, or choose another title", title)
	}

	src, from := []byte(Default), "(built-in default)"
	for _, name := range []string{section + ".md", "default.md"} {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(Dir), name))
		if err == nil {
			src, from = b, Dir+"/"+name
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", diag.Wrap(diag.Pos{Path: Dir + "/" + name}, err, "cannot read the archetype: "+err.Error())
		}
	}
	data := Data{Title: title, Date: now.Format("2006-01-02"), Section: section, Slug: slug}
	out, d := fill(from, src, data)
	if d != nil {
		return "", d
	}
	if err := write(filepath.Join(root, filepath.FromSlash(rel)), out); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", diag.Errorf(diag.Pos{Path: rel}, "%s already exists: edit it, or choose another title", rel)
		}
		return "", diag.Wrap(diag.Pos{Path: rel}, err, "cannot write the new page: "+err.Error())
	}
	return rel, nil
}

// fill executes the archetype and makes sure the result's front matter holds the title as
// given, quoting it when the archetype's line would not.
func fill(from string, src []byte, data Data) ([]byte, *diag.Diagnostic) {
	t, err := template.New(from).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, archetypeError(from, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, archetypeError(from, err)
	}
	out := buf.Bytes()
	if titleOK(out, data.Title) {
		return out, nil
	}
	// The title needs quoting (a colon, a quote, a # ...): rewrite its line.
	q, _ := json.Marshal(data.Title)
	fixed := titleLineRe.ReplaceAllFunc(out, func(line []byte) []byte {
		if bytes.Contains(line, []byte("=")) && !bytes.Contains(line, []byte(":")) || bytes.HasPrefix(bytes.TrimSpace(line), []byte("title =")) || bytes.HasPrefix(bytes.TrimSpace(line), []byte("title=")) {
			return append([]byte("title = "), q...)
		}
		return append([]byte("title: "), q...)
	})
	if titleOK(fixed, data.Title) {
		return fixed, nil
	}
	return nil, diag.Errorf(diag.Pos{Path: from, Line: 1, Col: 1}, "the archetype does not give a page with the title %q: it needs front matter with a line title: {{ .Title }}", data.Title)
}

var titleLineRe = regexp.MustCompile(`(?m)^title\s*[:=].*$`)

func titleOK(page []byte, title string) bool {
	m, _, _, err := frontmatter.Parse("new.md", page)
	if err != nil || m == nil {
		return false
	}
	got, _ := m.Values["title"].(string)
	return got == title
}

var tmplLineRe = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: (.*)$`)

func archetypeError(from string, err error) *diag.Diagnostic {
	pos := diag.Pos{Path: from}
	msg := err.Error()
	if m := tmplLineRe.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &pos.Line)
		pos.Col = 1
		if m[2] != "" {
			fmt.Sscan(m[2], &pos.Col)
		}
		msg = m[3]
	}
	return diag.Wrap(pos, err, "the archetype does not work: "+msg+": it may use {{ .Title }}, {{ .Date }}, {{ .Section }} and {{ .Slug }}")
}

// taken returns the page of the section whose address is the one a page named slug gets.
func taken(root, section, slug string) string {
	entries, _ := os.ReadDir(filepath.Join(root, "content", section))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && strings.EqualFold(urls.Slugify(strings.TrimSuffix(e.Name(), ".md")), slug) {
			return "content/" + section + "/" + e.Name()
		}
	}
	return ""
}

func listSections(root string) string {
	entries, _ := os.ReadDir(filepath.Join(root, "content"))
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none yet"
	}
	return strings.Join(names, ", ")
}

// write creates the file, failing if it exists.
func write(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(p)
		return err
	}
	return f.Close()
}
