package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// toHugo converts an archive to a Hugo site: the same content (Hugo reads the same front
// matter), taxonomies named after the sections so that references become term pages and
// back-references, and small idiomatic templates that list them.
func toHugo(src, dst string) error {
	if err := os.CopyFS(filepath.Join(dst, "content"), os.DirFS(filepath.Join(src, "content"))); err != nil {
		return err
	}
	cfg := `baseURL = "https://example.org/"
title = "Synthetic City Lab archive"
disableKinds = ["RSS"]
[taxonomies]
speaker = "speakers"
organisation = "organisations"
initiative = "initiatives"
day = "days"
[permalinks.taxonomy]
speakers = "/by/speakers/"
organisations = "/by/organisations/"
initiatives = "/by/initiatives/"
days = "/by/days/"
[permalinks.term]
speakers = "/by/speakers/:slug/"
organisations = "/by/organisations/:slug/"
initiatives = "/by/initiatives/:slug/"
days = "/by/days/:slug/"
[markup.goldmark.renderer]
unsafe = false
`
	files := map[string]string{
		"hugo.toml":                    cfg,
		"layouts/_default/baseof.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ range $tax, $terms := .Site.Taxonomies }}{{ with $.GetTerms $tax }}<h2>{{ $tax }}</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}{{ end }}{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}`,
		"layouts/_default/terms.html":  `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	if err := writeFiles(dst, files); err != nil {
		return err
	}
	// recap's body links name source files; Hugo's ref shortcode would fail on none of
	// them, but plain .md links are fine for timing: leave them.
	if !strings.HasPrefix(dst, "/") {
		return fmt.Errorf("hugo site path must be absolute: %s", dst)
	}
	return nil
}
