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
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		lang, key string
		day       time.Time
		want      string
	}{
		// The examples.
		{"en", "date.long", day(2020, 9, 21), "Monday 21 September 2020"},
		{"fr", "date.long", day(2020, 9, 21), "lundi 21 septembre 2020"},
		{"de", "date.long", day(2020, 9, 21), "Montag, 21. September 2020"},
		{"de", "date.day_month", day(2020, 9, 21), "21. September"},
		{"fr", "date.day_month_year", day(2020, 9, 21), "21 septembre 2020"},
		{"en", "date.day_month_year", day(2020, 9, 25), "25 September 2020"},
		// French writes the first of the month 1er, and only the first.
		{"fr", "date.long", day(2020, 9, 1), "mardi 1er septembre 2020"},
		{"fr", "date.day_month", day(2021, 1, 1), "1er janvier"},
		{"fr", "date.day_month_year", day(2020, 12, 1), "1er décembre 2020"},
		{"fr", "date.long", day(2020, 9, 2), "mercredi 2 septembre 2020"},
		{"fr", "date.long", day(2020, 10, 11), "dimanche 11 octobre 2020"},
		{"fr", "date.long", day(2021, 2, 21), "dimanche 21 février 2021"},
		{"en", "date.long", day(2020, 9, 1), "Tuesday 1 September 2020"},
		{"de", "date.long", day(2020, 9, 1), "Dienstag, 1. September 2020"},
		{"de", "date.day_month_year", day(2021, 3, 1), "1. März 2021"},
		{"de", "date.long", day(2020, 12, 31), "Donnerstag, 31. Dezember 2020"},
	} {
		got, err := s.Date(tc.lang, tc.key, tc.day)
		if err != nil || got != tc.want {
			t.Errorf("Date(%s, %s, %s) = %q, %v; want %q", tc.lang, tc.key, tc.day.Format(time.DateOnly), got, err, tc.want)
		}
	}
}

// TestDayOfMonth finds the day of the month among a layout's other numbers as time.Format
// reads them.
func TestDayOfMonth(t *testing.T) {
	for _, tc := range []struct {
		layout string
		want   int
	}{
		{"Monday 2 January 2006", 7},
		{"2. January", 0},
		{"January 2, 2006", 8},
		{"02/01/2006", -1},
		{"_2 Jan 2006", -1},
		{"2006-01-02", -1},
		{"002 2006", -1},
		{"_2006 2", 6},
		{"15:04 2", 6},
		{"", -1},
	} {
		if got := dayOfMonth(tc.layout); got != tc.want {
			t.Errorf("dayOfMonth(%q) = %d, want %d", tc.layout, got, tc.want)
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
