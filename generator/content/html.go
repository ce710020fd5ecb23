package content

import "html/template"

// htmlOf marks the converter's output as safe HTML: goldmark escapes text and drops raw HTML
// and script URLs unless the site's settings let raw HTML through.
func htmlOf(s string) template.HTML { return template.HTML(s) }
