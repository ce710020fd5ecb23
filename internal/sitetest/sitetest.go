// Package sitetest writes small sites for tests: a map of slash paths to file contents
// becomes a folder in t.TempDir(). It builds nothing itself.
package sitetest

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// Base is a small valid site: a home page, two sections with a reference between them,
// templates for every kind of page and one static file. Tests copy it and change a few files.
var Base = map[string]string{
	"content/_index.md":          "---\ntitle: Test Conf\nbase_url: https://example.org/test/\n---\nWelcome. See [Ada](speakers/ada.md).\n",
	"content/speakers/_index.md": "---\ntitle: Speakers\n---\n",
	"content/speakers/ada.md":    "---\ntitle: Ada\n---\n## Biography\n\nAda spoke.\n",
	"content/talks/opening.md":   "---\ntitle: Opening\ndate: 2021-03-01\nspeakers: [ada]\n---\nThe opening talk.\n",
	"templates/base.html": `<!doctype html>
<html lang="{{ .Site.Language }}">
<head><meta charset="utf-8"><title>{{ .Page.Title }}</title>
<link rel="stylesheet" href="{{ .Rel "css/site.css" }}"></head>
<body><a href="{{ .Rel "" }}">Home</a>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
`,
	"templates/home.html": `{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ .Page.Content }}{{ end }}` + "\n",
	"templates/list.html": `{{ define "main" }}<h1>{{ .Page.Title }}</h1>
<ul>{{ range .Page.Pages }}<li><a href="{{ $.Rel .URL }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`,
	"templates/page.html": `{{ define "main" }}<h1>{{ .Page.Title }}</h1>{{ .Page.Content }}
{{ range .Page.Related }}<ul>{{ range .Pages }}<li><a href="{{ $.Rel .URL }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}{{ end }}
`,
	"static/css/site.css": "body { margin: 0; }\n",
}

// With returns a copy of base with the files of change written over it; a file whose
// content is the empty string in change is removed (use Empty for an empty file).
func With(base, change map[string]string) map[string]string {
	out := maps.Clone(base)
	for k, v := range change {
		if v == "" {
			delete(out, k)
			continue
		}
		if v == Empty {
			v = ""
		}
		out[k] = v
	}
	return out
}

// Empty, as a value given to With, writes an empty file.
const Empty = "\x00empty\x00"

// Write writes files into a new temporary folder and returns it.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	WriteInto(t, root, files)
	return root
}

// WriteInto writes files into root.
func WriteInto(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for rel, data := range files {
		if data == Empty {
			data = ""
		}
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Snapshot reads every file under root into a map of slash paths to contents, for
// comparing a folder before and after.
func Snapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
