package archetype

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/icc-recap/recap/internal/sitetest"
)

var day = time.Date(2020, 9, 21, 10, 0, 0, 0, time.UTC)

func TestNew(t *testing.T) {
	cases := []struct {
		name           string
		files          map[string]string
		section, title string
		wantPath       string
		wantFile       string
		wantErr        string
	}{
		{
			name:    "built-in default",
			files:   map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n---\n"},
			section: "speakers", title: "Pia Laurila",
			wantPath: "content/speakers/pia-laurila.md",
			wantFile: "---\ntitle: Pia Laurila\ndate: 2020-09-21\n---\nWrite the page here, in Markdown.\n",
		},
		{
			name: "section archetype",
			files: map[string]string{
				"content/speakers/ada.md":          "---\ntitle: Ada\n---\n",
				"templates/archetypes/speakers.md": "---\ntitle: \"{{ .Title }}\"\norganisations: []\n---\nAbout {{ .Title }} ({{ .Slug }} in {{ .Section }}).\n",
				"templates/archetypes/default.md":  "---\ntitle: {{ .Title }}\n---\nDefault.\n",
			},
			section: "speakers", title: "Pia Laurila",
			wantPath: "content/speakers/pia-laurila.md",
			wantFile: "---\ntitle: \"Pia Laurila\"\norganisations: []\n---\nAbout Pia Laurila (pia-laurila in speakers).\n",
		},
		{
			name: "default archetype",
			files: map[string]string{
				"content/days/x.md":               "---\ntitle: X\n---\n",
				"templates/archetypes/default.md": "---\ntitle: {{ .Title }}\ndate: {{ .Date }}\n---\n",
			},
			section: "days", title: "Day 6",
			wantPath: "content/days/day-6.md",
			wantFile: "---\ntitle: Day 6\ndate: 2020-09-21\n---\n",
		},
		{
			name:    "a title that needs quoting",
			files:   map[string]string{"content/talks/_index.md": "---\ntitle: Talks\n---\n", "templates/archetypes/talks.md": "---\ntitle: \"{{ .Title }}\"\n---\n"},
			section: "talks", title: `Cities: the "smart" way #1`,
			wantPath: "content/talks/cities-the-smart-way-1.md",
			wantFile: "---\ntitle: \"Cities: the \\\"smart\\\" way #1\"\n---\n",
		},
		{
			name:    "a TOML archetype",
			files:   map[string]string{"content/talks/_index.md": "---\ntitle: Talks\n---\n", "templates/archetypes/talks.md": "+++\ntitle = {{ .Title }}\n+++\n"},
			section: "talks", title: "Opening",
			wantPath: "content/talks/opening.md",
			wantFile: "+++\ntitle = \"Opening\"\n+++\n",
		},
		{
			name:    "refuses to overwrite",
			files:   map[string]string{"content/speakers/Pia Laurila.md": "---\ntitle: Pia\n---\n"},
			section: "speakers", title: "Pia Laurila",
			wantErr: `content/speakers/Pia Laurila.md:1:1: this page already has the address a page titled "Pia Laurila" would get: edit it, or choose another title`,
		},
		{
			name:    "unknown section",
			files:   map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n---\n", "content/days/x.md": "---\ntitle: X\n---\n"},
			section: "speaker", title: "Pia",
			wantErr: `content/speaker:1:1: there is no section "speaker": the sections are days, speakers (to start a new one, create the folder content/speaker/ first)`,
		},
		{
			name:    "a section that leaves content",
			files:   map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n---\n"},
			section: "../templates", title: "Pia",
			wantErr: `content:1:1: "../templates" is not a section name: use the name of a folder of content/, such as speakers`,
		},
		{
			name:    "an empty title",
			files:   map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n---\n"},
			section: "speakers", title: " !! ",
			wantErr: `content/speakers:1:1: the title "!!" gives an empty file name: use letters or digits in it`,
		},
		{
			name:    "a broken archetype",
			files:   map[string]string{"content/speakers/ada.md": "---\ntitle: Ada\n---\n", "templates/archetypes/speakers.md": "---\ntitle: {{ .Title }}\n---\n{{ .Name }}\n"},
			section: "speakers", title: "Pia",
			wantErr: `templates/archetypes/speakers.md:4:3: the archetype does not work: executing "templates/archetypes/speakers.md" at <.Name>: can't evaluate field Name in type archetype.Data: it may use {{ .Title }}, {{ .Date }}, {{ .Section }} and {{ .Slug }}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := sitetest.Write(t, tc.files)
			before := sitetest.Snapshot(t, root)
			got, d := New(root, tc.section, tc.title, day)
			if tc.wantErr != "" {
				if d == nil || d.Error() != tc.wantErr {
					t.Fatalf("got error %v, want %s", d, tc.wantErr)
				}
				if after := sitetest.Snapshot(t, root); len(after) != len(before) {
					t.Errorf("a refused page changed the site")
				}
				return
			}
			if d != nil || got != tc.wantPath {
				t.Fatalf("New = %q, %v; want %q", got, d, tc.wantPath)
			}
			b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(got)))
			if err != nil || string(b) != tc.wantFile {
				t.Errorf("the page is\n%s\nwant\n%s", b, tc.wantFile)
			}
		})
	}
}
