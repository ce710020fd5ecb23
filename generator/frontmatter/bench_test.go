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

// BenchmarkParse measures Parse on a typical page, with the fast YAML decoder ("fast") and
// with yaml.v3 alone ("yaml.v3"), as before the fast decoder.
func BenchmarkParse(b *testing.B) {
	src := []byte(typicalPage)
	for _, bb := range []struct {
		name string
		fast bool
	}{{"fast", true}, {"yaml.v3", false}} {
		b.Run(bb.name, func(b *testing.B) {
			defer func(old bool) { useFastYAML = old }(useFastYAML)
			useFastYAML = bb.fast
			b.ReportAllocs()
			for b.Loop() {
				if _, _, _, err := Parse("content/events/accord.md", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeYAML measures the decoding of the typical front matter alone: the fast
// decoder against yaml.v3 and normalize.
func BenchmarkDecodeYAML(b *testing.B) {
	text := []byte(yamlFastCases[0].text)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeYAMLFast(text); !ok {
				b.Fatal("declined")
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := viaYAMLv3(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}
