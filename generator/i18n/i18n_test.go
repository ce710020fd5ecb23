package i18n

import (
	"os"
	"testing"
	"time"
)

func repoStrings(t *testing.T) *Strings {
	t.Helper()
	files := map[string][]byte{}
	for _, l := range []string{"en", "fr", "de"} {
		b, err := os.ReadFile("../../templates/" + File(l))
		if err != nil {
			t.Fatal(err)
		}
		files[File(l)] = b
	}
	s, diags := Parse(files)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return s
}

func TestDate(t *testing.T) {
	s := repoStrings(t)
	day := time.Date(2020, 9, 21, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, key, want string }{
		{"en", "date.long", "Monday 21 September 2020"},
		{"fr", "date.long", "lundi 21 septembre 2020"},
		{"de", "date.long", "Montag, 21. September 2020"},
		{"de", "date.day_month", "21. September"},
		{"fr", "date.day_month_year", "21 septembre 2020"},
	} {
		got, err := s.Date(tc.lang, tc.key, day)
		if err != nil || got != tc.want {
			t.Errorf("Date(%s, %s) = %q, %v; want %q", tc.lang, tc.key, got, err, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	s := repoStrings(t)
	for _, tc := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"en", "speakers", 1, "Speaker"},
		{"en", "speakers", 0, "Speakers"},
		{"en", "speakers", 2, "Speakers"},
		{"fr", "speakers", 0, "Intervenant"}, // French treats 0 as singular
		{"fr", "speakers", 2, "Intervenants"},
		{"de", "days", 1, "Tag"},
		{"de", "days", 5, "Tage"},
		{"en", "see_all", 13, "See all 13"},
		{"fr", "see_all", 13, "Voir les 13"},
	} {
		got, err := s.T(tc.lang, tc.key, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("T(%s, %s, %d) = %q, %v; want %q", tc.lang, tc.key, tc.n, got, err, tc.want)
		}
	}
}

func TestSameKeys(t *testing.T) {
	s := repoStrings(t)
	en := s.langs["en"]
	for _, code := range []string{"fr", "de"} {
		for k := range en.plain {
			if !s.HasKey(code, k) {
				t.Errorf("%s lacks %s", code, k)
			}
		}
		for k := range en.plural {
			if !s.HasKey(code, k) {
				t.Errorf("%s lacks %s", code, k)
			}
		}
	}
}

func TestMissing(t *testing.T) {
	s := repoStrings(t)
	if _, err := s.T("fr", "nope"); err == nil || err.Error() != `the string "nope" is missing in the language fr: add it to templates/i18n/fr.yaml` {
		t.Errorf("missing key: %v", err)
	}
	if _, err := s.T("it", "search"); err == nil {
		t.Errorf("a language without a file gave no error")
	}
}

func TestLocale(t *testing.T) {
	for in, want := range map[string]string{"fr": "fr_FR", "de": "de_DE", "en": "en_US", "pt-br": "pt_BR", "en-GB": "en_GB"} {
		if got := Locale(in); got != want {
			t.Errorf("Locale(%s) = %s, want %s", in, got, want)
		}
	}
}
