package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icc-recap/recap/internal/sitetest"
)

func TestNewCommand(t *testing.T) {
	root := sitetest.Write(t, sitetest.Base)
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"new", "--source", root, "speakers"}, 2, "", "want a section and a title"},
		{[]string{"new", "--source", root, "speakers", "Pia Laurila"}, 0, "created content/speakers/pia-laurila.md\n", ""},
		{[]string{"new", "speakers", "Pia Laurila", "--source", root}, 1, "", "content/speakers/pia-laurila.md:1:1: this page already has the address"},
		{[]string{"new", "--source", root, "speaker", "Bob"}, 1, "", `there is no section "speaker"`},
	}
	for _, tc := range cases {
		code, out, errOut := runCmd(t, tc.args...)
		if code != tc.code || out != tc.out || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "content", "speakers", "pia-laurila.md"))
	if err != nil || !strings.HasPrefix(string(b), "---\ntitle: Pia Laurila\n") {
		t.Errorf("the new page: %q, %v", b, err)
	}
	// The new page passes the check.
	if code, out, _ := runCmd(t, "check", "--source", root); code != 0 {
		t.Errorf("check after new: exit %d\n%s", code, out)
	}
}

func TestNewTranslation(t *testing.T) {
	root := sitetest.Write(t, sitetest.With(sitetest.Base, map[string]string{
		"content/_index.md":       "---\ntitle: Test Conf\nbase_url: https://example.org/test/\nlanguages: [fr]\n---\nWelcome. See [Ada](speakers/ada.md).\n",
		"content/speakers/ada.md": "---\ntitle: Ada\nsummary: She opened.\ndate: 2021-03-01\nweight: 2\ntalks: [opening]\nparams:\n  role: Speaker\n---\n## Biography\n\nAda spoke.\n",
		"templates/i18n/fr.yaml":  "language_name: Français\nin:\n  en: (en anglais)\n",
	}))
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"new", "--source", root, "--lang", "fr"}, 2, "", "--lang wants one page file"},
		{[]string{"new", "--source", root, "--lang", "fr", "content/speakers/ada.md"}, 0, "created content/speakers/ada.fr.md\n", ""},
		{[]string{"new", "--source", root, "--lang", "fr", "content/speakers/ada.md"}, 1, "", "content/speakers/ada.fr.md:1:1: content/speakers/ada.fr.md already exists: edit it"},
		{[]string{"new", "--source", root, "--lang", "es", "content/speakers/ada.md"}, 1, "", "content/_index.md:4:1: es is not a language of the site (languages: lists fr): add it to languages: here first"},
		{[]string{"new", "--source", root, "--lang", "fr", "content/speakers/grace.md"}, 1, "", "content/speakers/grace.md:1:1: cannot read the page to translate"},
		{[]string{"new", "--source", root, "--lang", "fr", "content/speakers/ada.fr.md"}, 1, "", "is itself a translation: name the default-language file, content/speakers/ada.md"},
	}
	for _, tc := range cases {
		code, out, errOut := runCmd(t, tc.args...)
		if code != tc.code || out != tc.out || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	// Only the text to translate is copied: no date, weight or reference.
	b, err := os.ReadFile(filepath.Join(root, "content", "speakers", "ada.fr.md"))
	want := "---\ntitle: Ada\nsummary: She opened.\nparams:\n  role: Speaker\n---\n## Biography\n\nAda spoke.\n"
	if err != nil || string(b) != want {
		t.Errorf("the translation:\n%s\nwant:\n%s", b, want)
	}
	// It builds as it is, and the check notes what is left to translate.
	code, out, errOut := runCmd(t, "check", "--source", root)
	if code != 0 {
		t.Fatalf("check after new --lang: exit %d\n%s%s", code, out, errOut)
	}
	wantNotes := "content/_index.md:1:1: note: 3 of 4 pages are not translated into fr\n" +
		"content/_index.md:1:1: note: not translated into fr: readers of fr get this page in en; translate it in content/_index.fr.md (recap new --lang fr content/_index.md)\n" +
		"content/speakers/_index.md:1:1: note: not translated into fr: readers of fr get this page in en; translate it in content/speakers/_index.fr.md (recap new --lang fr content/speakers/_index.md)\n" +
		"content/talks/opening.md:1:1: note: not translated into fr: readers of fr get this page in en; translate it in content/talks/opening.fr.md (recap new --lang fr content/talks/opening.md)\n"
	if out != wantNotes || !strings.Contains(errOut, "4 notes") {
		t.Errorf("check notes:\n%s%s\nwant:\n%s", out, errOut, wantNotes)
	}
	code, out, _ = runCmd(t, "check", "--source", root, "--format", "json")
	if code != 0 || !strings.Contains(out, `{"file":"content/_index.md","line":1,"column":1,"severity":"note","message":"3 of 4 pages are not translated into fr"}`) {
		t.Errorf("check --format json: exit %d\n%s", code, out)
	}
	// A translated heading that loses the original's anchor is noted at its line, with the
	// anchor to keep; kept with {#id}, it is not.
	for _, tc := range []struct{ heading, note string }{
		{"## Biographie", `content/speakers/ada.fr.md:7:1: note: the heading "Biographie" has the anchor #biographie, which content/speakers/ada.md does not have: end it with {#biography}, the anchor of the heading in its place in content/speakers/ada.md, so that #links to it work in every language` + "\n"},
		{"## Biographie {#biography}", ""},
	} {
		sitetest.WriteInto(t, root, map[string]string{"content/speakers/ada.fr.md": strings.Replace(want, "## Biography", tc.heading, 1)})
		code, out, errOut := runCmd(t, "check", "--source", root)
		var notes []string
		for _, line := range strings.SplitAfter(out, "\n") {
			if strings.Contains(line, "anchor") {
				notes = append(notes, line)
			}
		}
		if code != 0 || strings.Join(notes, "") != tc.note {
			t.Errorf("check with %q: exit %d, anchor notes %q, want %q\n%s", tc.heading, code, notes, tc.note, errOut)
		}
	}
}
