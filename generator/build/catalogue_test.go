package build_test

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icc-recap/recap/generator/build"
	"github.com/icc-recap/recap/internal/sitetest"
	"github.com/icc-recap/recap/internal/testimage"
)

// catalogue is every mistake a contributor or a template author can make, with the lines
// a build must print for it: the right file, line and column, and what to do.
var catalogue = []struct {
	name   string
	change map[string]string
	want   []string
}{
	{
		name:   "yaml syntax",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\nsummary: [unclosed\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:3:1: YAML front matter: did not find expected ',' or ']': close the list with ] and separate its items with commas",
		},
	},
	{
		name:   "yaml tab indentation",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\nparams:\n\trole: x\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:4:1: YAML front matter: found character that cannot start any token: YAML does not allow tabs for indentation: indent with spaces",
		},
	},
	{
		name:   "yaml duplicate key",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\nsummary: one\nsummary: two\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:4:1: YAML front matter: the key \"summary\" appears twice (first on line 3): keep only one",
		},
	},
	{
		name:   "yaml colon in value",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada: the first\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:2:1: YAML front matter: mapping values are not allowed in this context: put a value that contains a colon in double quotes, e.g. title: \"Day 1: opening\"",
		},
	},
	{
		name:   "toml syntax",
		change: map[string]string{"content/speakers/ada.md": "+++\ntitle = \"Ada\"\nsummary = unquoted\n+++\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:3:11: TOML front matter: expected value but found \"unquoted\" instead: put text in double quotes, e.g. \"unquoted\"",
		},
	},
	{
		name:   "toml duplicate key",
		change: map[string]string{"content/speakers/ada.md": "+++\ntitle = \"Ada\"\ntitle = \"Ada 2\"\n+++\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:3:1: TOML front matter: the key \"title\" appears twice (first on line 2): keep only one",
		},
	},
	{
		name:   "json syntax",
		change: map[string]string{"content/speakers/ada.md": "{\n  \"title\": \"Ada\",\n  \"summary\": \"x\",\n}\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:4:1: JSON front matter: invalid character '}' looking for beginning of object key string: remove the comma after the last item",
		},
	},
	{
		name:   "json duplicate key",
		change: map[string]string{"content/speakers/ada.md": "{\n  \"title\": \"Ada\",\n  \"title\": \"Ada 2\"\n}\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:3:3: JSON front matter: the key \"title\" appears twice (first on line 2): keep only one",
		},
	},
	{
		name:   "front matter not closed",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:1:1: the YAML front matter opened here is never closed: add a line \"---\" after its last key",
		},
	},
	{
		name:   "toml not closed",
		change: map[string]string{"content/speakers/ada.md": "\n+++\ntitle = \"Ada\"\n"},
		want: []string{
			"content/speakers/ada.md:2:1: the TOML front matter opened here is never closed: add a line \"+++\" after its last key",
		},
	},
	{
		name:   "empty file",
		change: map[string]string{"content/speakers/ada.md": sitetest.Empty},
		want: []string{
			"content/speakers/ada.md:1:1: the file is empty: give it front matter with at least a title (---, title: ..., ---)",
		},
	},
	{
		name:   "blank file",
		change: map[string]string{"content/speakers/ada.md": "\n  \n"},
		want: []string{
			"content/speakers/ada.md:1:1: the file is empty: give it front matter with at least a title (---, title: ..., ---)",
		},
	},
	{
		name:   "not utf-8",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ad\xe9\n---\n"},
		want: []string{
			"content/speakers/ada.md:2:10: the file is not valid UTF-8 text: save it with UTF-8 encoding",
		},
	},
	{
		name:   "no title",
		change: map[string]string{"content/speakers/ada.md": "---\nsummary: x\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:1:1: the page has no title: add a line 'title: ...' to its front matter",
		},
	},
	{
		name:   "no front matter",
		change: map[string]string{"content/speakers/ada.md": "Just a body.\n"},
		want: []string{
			"content/speakers/ada.md:1:1: the file has no front matter: start it with a line ---, then a line title: The title, then a line ---",
		},
	},
	{
		name:   "empty title",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: \"  \"\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:2:1: the title is empty: give the page a title",
		},
	},
	{
		name:   "title is a list",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: [Ada, Lovelace]\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:2:1: title must be a single text value, not a list: write title: some text",
		},
	},
	{
		name:   "reference is a number",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nspeakers: 5\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:1: speakers must list pages of the section speakers, not the number 5: write speakers: some-slug, or a list speakers: [a-slug, another-slug], naming files of content/speakers/ without .md",
		},
	},
	{
		name:   "reference item is a map",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nspeakers:\n  - name: ada\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:1: speakers must list page slugs, but one item is a map: write speakers: some-slug, or a list speakers: [a-slug, another-slug], naming files of content/speakers/ without .md",
		},
	},
	{
		name:   "weight not a number",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nweight: first\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:9: weight must be a whole number, not the text \"first\": write weight: 1",
		},
	},
	{
		name:   "draft not a boolean",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\ndraft: perhaps\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:8: draft must be true or false, not the text \"perhaps\"",
		},
	},
	{
		name:   "invalid date",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\ndate: 2021-13-45\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:7: date \"2021-13-45\" is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21",
		},
	},
	{
		name:   "date in words",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\ndate: 21 September 2020\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:7: date \"21 September 2020\" is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21",
		},
	},
	{
		name:   "unknown reference",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nspeakers: [ada, grace]\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:17: there is no page \"grace\" in content/speakers/: create content/speakers/grace.md or fix the slug",
		},
	},
	{
		name:   "misspelt reference",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nspeakers: [adda]\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:12: there is no page \"adda\" in content/speakers/: did you mean \"ada\"?",
		},
	},
	{
		name: "reference to a draft",
		change: map[string]string{
			"content/speakers/grace.md": "---\ntitle: Grace\ndraft: true\n---\n",
			"content/talks/opening.md":  "---\ntitle: Opening\nspeakers:\n  - ada\n  - grace\n---\nBody.\n",
		},
		want: []string{
			"content/talks/opening.md:5:5: speakers \"grace\" is a draft and will not be published: remove the reference or publish the page",
		},
	},
	{
		name: "reference to the wrong section",
		change: map[string]string{
			"content/talks/opening.md": "---\ntitle: Opening\nspeakers: [closing]\n---\nBody.\n",
			"content/talks/closing.md": "---\ntitle: Closing\n---\n",
		},
		want: []string{
			"content/talks/opening.md:3:12: there is no page \"closing\" in speakers, but there is one in talks: list it under talks: instead",
		},
	},
	{
		name: "url collision",
		change: map[string]string{
			"content/speakers/ada-l.md": "---\ntitle: Ada L\n---\n",
			"content/speakers/ada_l.md": "---\ntitle: Ada L\n---\n",
			"content/speakers/Ada L.md": "---\ntitle: Ada L\n---\n",
		},
		want: []string{
			"content/speakers/ada-l.md:1:1: this page's address /speakers/ada-l/ is already taken by content/speakers/Ada L.md: rename one of the two files",
		},
	},
	{
		name:   "url collision in case",
		change: map[string]string{"content/speakers/ADA.md": "---\ntitle: Ada again\n---\n"},
		want: []string{
			"content/speakers/ada.md:1:1: this page's address /speakers/ada/ is already taken by content/speakers/ADA.md: rename one of the two files",
		},
	},
	{
		name:   "body link to a missing file",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nSee [Grace](../speakers/grace.md).\n"},
		want: []string{
			"content/talks/opening.md:4:13: the link points at content/speakers/grace.md, which does not exist: check the file name and the ../ steps (links are relative to content/talks/opening.md)",
		},
	},
	{
		name:   "body link to a missing anchor",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nSee\n[Ada's life](../speakers/ada.md#life).\n"},
		want: []string{
			"content/talks/opening.md:5:14: content/speakers/ada.md has no heading or anchor with the id \"life\": its headings are biography",
		},
	},
	{
		name:   "body link to a missing anchor on the same page",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\n## Start\n\nBack to [the start](#begin).\n"},
		want: []string{
			"content/talks/opening.md:6:21: content/talks/opening.md has no heading or anchor with the id \"begin\": its headings are start",
		},
	},
	{
		name: "body link to a draft",
		change: map[string]string{
			"content/speakers/grace.md": "---\ntitle: Grace\ndraft: true\n---\n",
			"content/talks/opening.md":  "---\ntitle: Opening\n---\nSee [Grace](../speakers/grace.md).\n",
		},
		want: []string{
			"content/talks/opening.md:4:13: the link points at content/speakers/grace.md, which is a draft and will not be published: link elsewhere or publish it",
		},
	},
	{
		name:   "body link to a missing static file",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\n![Slides](../../static/slides.pdf)\n"},
		want: []string{
			"content/talks/opening.md:4:11: the link points at static/slides.pdf, which does not exist: check the file name",
		},
	},
	{
		name:   "body link leaves the site",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nSee [secrets](../../../etc/passwd).\n"},
		want: []string{
			"content/talks/opening.md:4:15: the link \"../../../etc/passwd\" leaves the site: link to a file inside the repository",
		},
	},
	{
		name:   "body link to a template",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nSee [base](../../templates/base.html).\n"},
		want: []string{
			"content/talks/opening.md:4:12: the link \"../../templates/base.html\" points at templates/base.html, which is neither a page (a .md file under content/) nor a file under static/: link to one of those",
		},
	},
	{
		name:   "script link",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nClick [here](javascript:alert(1)).\n"},
		want: []string{
			"content/talks/opening.md:4:14: warning: the link \"javascript:alert(1)\" would run a script or open a local file, so it is left out: link to a page, a file or a web address (https://...)",
		},
	},
	{
		name:   "template parse error",
		change: map[string]string{"templates/page.html": "{{ define \"main\" }}\n<h1>{{ .Page.Title }</h1>\n{{ end }}\n"},
		want: []string{
			"templates/page.html:2:1: unexpected \"}\" in operand: an action is written {{ ... }}, with two braces on each side",
		},
	},
	{
		name:   "template unclosed action",
		change: map[string]string{"templates/list.html": "{{ define \"main\" }}\n{{ range .Page.Pages }}\n<p>x</p>\n{{ end }}\n"},
		want: []string{
			"templates/list.html:5:1: unexpected EOF: a {{ define }}, {{ block }}, {{ if }}, {{ range }} or {{ with }} is missing its {{ end }}",
		},
	},
	{
		name:   "template unknown function",
		change: map[string]string{"templates/page.html": "{{ define \"main\" }}\n{{ frobnicate .Page.Title }}\n{{ end }}\n"},
		want: []string{
			"templates/page.html:2:1: function \"frobnicate\" not defined: docs/templates.md lists the functions a template can call",
		},
	},
	{
		name:   "template execution error",
		change: map[string]string{"templates/page.html": "{{ define \"main\" }}\n<h1>{{ .Page.Title }}</h1>\n{{ .Page.Nope }}\n{{ end }}\n"},
		want: []string{
			"templates/page.html:3:8: executing \"main\" at <.Page.Nope>: can't evaluate field Nope in type *site.Page: a page has no field Nope; docs/templates.md lists what a template sees (while rendering content/speakers/ada.md and 1 other page)",
		},
	},
	{
		name: "template links to an address the site does not have",
		change: map[string]string{
			"templates/home.html": "{{ define \"main\" }}\n<a href=\"{{ .Rel \"speakers/ada/\" }}#biography\">Ada</a>\n<a href=\"{{ .Rel \"speakers/grace/\" }}\">Grace</a>{{ end }}\n",
			"templates/list.html": "{{ define \"main\" }}\n<a href=\"{{ .Abs \"atom.xml\" }}\">Feed</a> <a href=\"{{ .Abs \"feed.xml\" }}\">Feed</a>{{ end }}\n",
			"templates/404.html":  "{{ define \"main\" }}\n<a href=\"{{ .Rel \"search/\" }}\">Search</a>{{ end }}\n",
		},
		want: []string{
			"templates/404.html:2:12: a link to search/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering templates/404.html)",
			"templates/home.html:3:12: a link to speakers/grace/ leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering content/_index.md)",
			"templates/list.html:2:53: a link to feed.xml leads nowhere: the site has no page or file at that address; fix the address, or add the file under static/ (while rendering content/speakers/_index.md and 1 other page)",
		},
	},
	{
		name:   "template calls a missing partial",
		change: map[string]string{"templates/page.html": "{{ define \"main\" }}\n{{ template \"partials/card.html\" . }}\n{{ end }}\n"},
		want: []string{
			"templates/page.html:2:12: there is no template \"partials/card.html\": create templates/partials/card.html or fix the name",
		},
	},
	{
		name:   "layout names no template",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nlayout: wide\n---\nBody.\n"},
		want: []string{
			"content/talks/opening.md:3:1: layout \"wide\" names no template: create templates/talks/wide.html or templates/wide.html or remove the layout line",
		},
	},
	{
		name:   "static file collides with a page",
		change: map[string]string{"static/speakers/ada/index.html": "<p>hi</p>\n"},
		want: []string{
			"static/speakers/ada/index.html:1:1: this static file would overwrite the page made from content/speakers/ada.md: rename or move it",
		},
	},
	{
		name:   "missing home page",
		change: map[string]string{"content/_index.md": ""},
		want: []string{
			"content/_index.md:1:1: the home page is missing: create it with front matter giving the site's title",
		},
	},
	{
		name:   "home page syntax error",
		change: map[string]string{"content/_index.md": "---\ntitle: Test Conf\nbase_url: https://x.org/\n  language: en\n---\n"},
		want: []string{
			"content/_index.md:4:3: YAML front matter: mapping values are not allowed in this context: put a value that contains a colon in double quotes, e.g. title: \"Day 1: opening\"",
		},
	},
	{
		name:   "base url not absolute",
		change: map[string]string{"content/_index.md": "---\ntitle: Test Conf\nbase_url: example.org/recap\n---\n"},
		want: []string{
			"content/_index.md:3:11: base_url \"example.org/recap\" must be an absolute address starting with https:// or http://",
		},
	},
	{
		name:   "date is a list",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\ndate: [2021-03-01, 2021-03-02]\n---\n"},
		want: []string{
			"content/talks/opening.md:3:1: date must be a date written as YYYY-MM-DD, not a list",
		},
	},
	{
		name:   "summary is a map",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nsummary:\n  en: The opening\n---\n"},
		want: []string{
			"content/talks/opening.md:3:1: summary must be a single text value, not a map: write summary: some text",
		},
	},
	{
		name:   "params not a map",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nparams: [a, b]\n---\n"},
		want: []string{
			"content/talks/opening.md:3:1: params must be a map of keys to values (indented lines under params:), not a list",
		},
	},
	{
		name:   "layout with a path",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nlayout: ../../etc/passwd\n---\n"},
		want: []string{
			"content/talks/opening.md:3:1: layout \"../../etc/passwd\" must be a plain template name such as wide: it may not contain / or ..",
		},
	},
	{
		name:   "reference to itself",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\nspeakers: ada\n---\n"},
		want: []string{
			"content/speakers/ada.md:3:11: the page refers to itself: remove \"ada\" from speakers",
		},
	},
	{
		name:   "folder inside a section",
		change: map[string]string{"content/speakers/old/bob.md": "---\ntitle: Bob\n---\n"},
		want: []string{
			"content/speakers/old:1:1: folders inside a section are not read: move its pages up into content/speakers/",
		},
	},
	{
		name:   "base template parse error",
		change: map[string]string{"templates/base.html": "<html>\n<body>\n{{ block \"main\" . }}\n</body>\n"},
		want: []string{
			"templates/base.html:5:1: unexpected EOF: a {{ define }}, {{ block }}, {{ if }}, {{ range }} or {{ with }} is missing its {{ end }}",
		},
	},
	{
		name:   "partial parse error",
		change: map[string]string{"templates/partials/nav.html": "<nav>\n{{ range .Site.Sections }}\n{{ else if }}\n</nav>\n"},
		want: []string{
			"templates/partials/nav.html:3:1: unexpected <if> in input: fix the template's syntax (docs/templates.md shows the forms)",
		},
	},
	{
		name:   "template field of the site that does not exist",
		change: map[string]string{"templates/home.html": "{{ define \"main\" }}\n<h1>{{ .Site.Name }}</h1>{{ end }}\n"},
		want: []string{
			"templates/home.html:2:12: executing \"main\" at <.Site.Name>: can't evaluate field Name in type *site.Site: the site has no field Name; docs/templates.md lists what a template sees (while rendering content/_index.md)",
		},
	},
	{
		name:   "no template for a section",
		change: map[string]string{"templates/list.html": ""},
		want: []string{
			"templates:1:1: no template can render this kind of page: create templates/speakers/list.html or templates/list.html (while rendering content/speakers/_index.md)",
			"templates:1:1: no template can render this kind of page: create templates/talks/list.html or templates/list.html (while rendering content/talks)",
		},
	},
	{
		name:   "page collides with a section",
		change: map[string]string{"content/talks.md": "---\ntitle: Talks page\n---\n"},
		want: []string{
			"content/talks.md:1:1: this page's address /talks/ is already taken by the list page of the folder content/talks/: rename the file or the folder",
		},
	},
	{
		name:   "sections differ only in case",
		change: map[string]string{"content/Speakers/bob.md": "---\ntitle: Bob\n---\n"},
		want: []string{
			"content/speakers/_index.md:1:1: this page's address /speakers/ is already taken by the list page of the folder content/Speakers/: rename the file or the folder",
		},
	},
	{
		name:   "misspelt title",
		change: map[string]string{"content/speakers/ada.md": "---\nsummary: x\ntitel: Ada\n---\nBody.\n"},
		want: []string{
			"content/speakers/ada.md:3:1: the page has no title: titel looks like a misspelt title; write title: ...",
		},
	},
	{
		name:   "misspelt reference key",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nspeaker: [ada]\n---\n"},
		want: []string{
			"content/talks/opening.md:3:1: warning: speaker is not a setting nor a section, so it is only passed to templates: did you mean speakers?",
		},
	},
	{
		name:   "body link to a section folder",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nAll [speakers](../speakers/).\n"},
		want: []string{
			"content/talks/opening.md:4:16: the link \"../speakers/\" points at the folder content/speakers: link to its list page, content/speakers/_index.md, or to one of its .md files",
		},
	},
	{
		name: "translation with an unknown language suffix",
		change: map[string]string{
			"content/_index.md":          "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/fr.yaml":     "language_name: Français\nin:\n  en: (en anglais)\n",
			"content/speakers/ada.es.md": "---\ntitle: Ada\n---\nAda habló.\n",
		},
		want: []string{
			"content/speakers/ada.es.md:1:1: the suffix .es.md names no language of the site (the site's languages are en and fr): add es to languages: in content/_index.md, or rename the file",
		},
	},
	{
		name:   "translation in a site of one language",
		change: map[string]string{"content/speakers/ada.fr.md": "---\ntitle: Ada\n---\nAda a parlé.\n"},
		want: []string{
			"content/speakers/ada.fr.md:1:1: the suffix .fr.md names no language of the site (the site lists no other language): add fr to languages: in content/_index.md, or rename the file",
		},
	},
	{
		name: "orphan translation",
		change: map[string]string{
			"content/_index.md":            "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/fr.yaml":       "language_name: Français\nin:\n  en: (en anglais)\n",
			"content/speakers/grace.fr.md": "---\ntitle: Grace\n---\nGrace a parlé.\n",
		},
		want: []string{
			"content/speakers/grace.fr.md:1:1: this translation has no default-language page: content/speakers/grace.md does not exist; create it, or rename this file after the page it translates",
		},
	},
	{
		name: "reference and date in a translation",
		change: map[string]string{
			"content/_index.md":           "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr, de]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/fr.yaml":      "language_name: Français\nin:\n  en: (en anglais)\n",
			"templates/i18n/de.yaml":      "language_name: Deutsch\nin:\n  en: (auf Englisch)\n",
			"content/talks/opening.fr.md": "---\ntitle: Ouverture\ndate: 2021-03-02\nspeakers: [ada]\n---\nL'ouverture.\n",
		},
		want: []string{
			"content/talks/opening.fr.md:3:1: date is declared once, in content/talks/opening.md: remove it from this translation, which gives only title, summary, description, params and the body",
			"content/talks/opening.fr.md:4:1: references are declared once, in content/talks/opening.md: remove speakers from this translation; its pages show the references of content/talks/opening.md in every language",
		},
	},
	{
		name: "suffix of the default language",
		change: map[string]string{
			"content/_index.md":          "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/fr.yaml":     "language_name: Français\nin:\n  en: (en anglais)\n",
			"content/speakers/ada.en.md": "---\ntitle: Ada\n---\nAda spoke.\n",
		},
		want: []string{
			"content/speakers/ada.en.md:1:1: the suffix .en.md names the default language (language: en in content/_index.md), whose pages have no suffix: rename the file ada.md",
		},
	},
	{
		name: "languages that are not codes",
		change: map[string]string{
			"content/_index.md": "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [French, en]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
		},
		want: []string{
			"content/_index.md:4:1: en is the default language (language: en): list only the other languages",
			"content/_index.md:4:13: \"French\" is not a language code: write lower-case codes such as fr, de or pt-br",
		},
	},
	{
		name: "link in a translation to a heading of the translation",
		change: map[string]string{
			"content/_index.md":          "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/fr.yaml":     "language_name: Français\nin:\n  en: (en anglais)\n",
			"content/speakers/ada.fr.md": "---\ntitle: Ada\n---\n## Biographie\n\nAda a parlé.\n",
			"content/_index.fr.md":       "---\ntitle: Conf\n---\nVoir [Ada](speakers/ada.md#biography).\n",
		},
		want: []string{
			"content/_index.fr.md:4:12: content/speakers/ada.fr.md has no heading or anchor with the id \"biography\": its headings are biographie",
		},
	},
	{
		name: "missing template string",
		change: map[string]string{
			"content/_index.md":      "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/en.yaml": "language_name: English\nspeakers:\n  one: Speaker\n  other: Speakers\n",
			"templates/i18n/fr.yaml": "language_name: Français\nin:\n  en: (en anglais)\n",
			"templates/list.html":    "{{ define \"main\" }}<h1>{{ .T \"speakers\" (len .Page.Pages) }}</h1>\n<ul>{{ range .Page.Pages }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}\n",
		},
		want: []string{
			"templates/list.html:1:27: the string \"speakers\" is missing in the language fr: add it to templates/i18n/fr.yaml",
		},
	},
	{
		name: "language without a string file",
		change: map[string]string{
			"content/_index.md":      "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [de]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
			"templates/i18n/en.yaml": "language_name: English\nspeakers: Speakers\n",
			"templates/list.html":    "{{ define \"main\" }}<h1>{{ .T \"speakers\" }}</h1>\n<ul>{{ range .Page.Pages }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}\n",
		},
		want: []string{
			"templates/i18n/de.yaml:1:1: the language de has no string file: create it with at least language_name (the language's name in itself) and in.en (the words after a link to a page in en, such as \"(in English)\")",
			"templates/list.html:1:27: the templates use strings, but the language de has no string file: create templates/i18n/de.yaml with the keys of the other languages' files, translated",
		},
	},
	{
		name: "string file that is not YAML",
		change: map[string]string{
			"templates/i18n/en.yaml": "language_name: English\nspeakers: [Speakers\n",
		},
		want: []string{
			"templates/i18n/en.yaml:2:1: YAML: did not find expected ',' or ']': write one key: text per line, and indent the forms of a plural (one:, other:) under their key",
		},
	},
	{
		name: "several errors sorted",
		change: map[string]string{
			"content/talks/opening.md": "---\ntitle: Opening\nspeakers: [grace]\ndate: soon\n---\nSee [x](nope.md).\n",
			"content/speakers/ada.md":  "---\ntitle:\n---\n",
		},
		want: []string{
			"content/speakers/ada.md:2:1: the title is empty: give the page a title",
			"content/talks/opening.md:3:12: there is no page \"grace\" in content/speakers/: create content/speakers/grace.md or fix the slug",
			"content/talks/opening.md:4:7: date \"soon\" is not a valid date: write it as YYYY-MM-DD, e.g. 2020-09-21",
			"content/talks/opening.md:6:9: the link points at content/talks/nope.md, which does not exist: check the file name and the ../ steps (links are relative to content/talks/opening.md)",
		},
	},
	{
		name:   "missing image",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\n---\nThe hall: ![The plenary hall](hall.jpg)\n"},
		want: []string{
			"content/talks/opening.md:4:31: the image content/talks/hall.jpg does not exist: check the file name (letter case counts), or put the image beside the page",
		},
	},
	{
		name:   "missing portrait",
		change: map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\nimage: ada.jpg\n---\n"},
		want: []string{
			"content/speakers/ada.md:3:8: the image content/speakers/ada.jpg does not exist: check the file name (letter case counts), or put the image beside the page",
		},
	},
	{
		name: "missing alt text",
		change: map[string]string{
			"content/talks/opening.md": "---\ntitle: Opening\n---\n![](hall.png)\n",
			"content/talks/hall.png":   string(testimage.PNG(testimage.Photo(40, 30, 1))),
		},
		want: []string{
			`content/talks/opening.md:4:5: the image has no alternative text: describe it between the brackets, ![what it shows](...), for readers who cannot see it; an image that only decorates (says nothing the text does not) is written ![""](...)`,
		},
	},
	{
		name: "unreadable image",
		change: map[string]string{
			"content/talks/opening.md": "---\ntitle: Opening\n---\n![The hall](hall.jpg)\n",
			"content/talks/hall.jpg":   "this is text saved with a .jpg name",
		},
		want: []string{
			"content/talks/opening.md:4:13: the image content/talks/hall.jpg cannot be read (not a JPEG, PNG, GIF or WebP image): save it again as a JPEG, PNG, GIF or WebP file",
		},
	},
	{
		name: "image too large to decode",
		change: map[string]string{
			"content/talks/opening.md":   "---\ntitle: Opening\n---\n![A panorama](panorama.png)\n",
			"content/talks/panorama.png": string(testimage.PNGHeader(40000, 30000)),
		},
		want: []string{
			"content/talks/opening.md:4:15: the image content/talks/panorama.png is 40000 x 30000 pixels (1200 megapixels): decoding it needs about 5839 MiB, more than the image memory budget of 512 MiB: scale it down to at most 10507 x 7880 pixels, or raise the budget with --image-memory",
		},
	},
	{
		name: "image cut short",
		change: map[string]string{
			"content/talks/opening.md": "---\ntitle: Opening\n---\n![The hall](hall.png)\n",
			"content/talks/hall.png":   string(testimage.PNG(testimage.Photo(40, 30, 1))[:120]),
		},
		want: []string{
			"content/talks/opening.md:4:13: the image content/talks/hall.png cannot be decoded (png: invalid format: not enough pixel data): it may be damaged or cut short; save it again as a JPEG, PNG, GIF or WebP file",
		},
	},
	{
		name:   "slides missing",
		change: map[string]string{"content/talks/opening.md": "---\ntitle: Opening\nslides: opening.pdf\n---\n"},
		want: []string{
			`content/talks/opening.md:3:9: slides "opening.pdf" names no file: there is no content/talks/opening.pdf; check the name (letter case counts), or put the file beside the page`,
		},
	},
}

func TestCatalogue(t *testing.T) {
	for _, tc := range catalogue {
		t.Run(tc.name, func(t *testing.T) {
			root := sitetest.Write(t, sitetest.With(sitetest.Base, tc.change))
			out := filepath.Join(root, "public")
			sitetest.WriteInto(t, out, map[string]string{"index.html": "previous build\n"})
			before := sitetest.Snapshot(t, root)
			res, err := build.Build(context.Background(), build.Options{Source: root, Out: out})
			var got []string
			for _, d := range res.Diags {
				got = append(got, d.Error())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			if res.Diags.HasErrors() {
				if !errors.Is(err, build.ErrFailed) {
					t.Errorf("Build returned %v, want ErrFailed", err)
				}
				if after := sitetest.Snapshot(t, root); !maps.Equal(before, after) {
					t.Errorf("a failed build changed the site folder")
				}
			}
		})
	}
}
