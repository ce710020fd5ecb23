package frontmatter

import "testing"

// typicalPage is a content file with front matter like most of a site's pages.
const typicalPage = `---
title: Green city accord 42
summary: "A sentence with a comma, and an apostrophe’s curl."
date: 2020-09-21
weight: 3
draft: false
speakers: [spe-00012, spe-00345]
organisations:
  - dg-env
  - dg-regio
params:
  acronym: GCA
  full_name: Directorate-General for Environment
  parent: European Commission
---
The body of the page, which Parse only splits off.
`

// BenchmarkParse measures Parse on a typical page: adrg/frontmatter's split and
// go.yaml.in/yaml/v3's decoding.
func BenchmarkParse(b *testing.B) {
	src := []byte(typicalPage)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Parse("content/events/accord.md", src); err != nil {
			b.Fatal(err)
		}
	}
}
