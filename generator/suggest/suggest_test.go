package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"title", "title", 0},
		{"titel", "title", 1}, {"tilte", "title", 1}, {"kitten", "sitting", 3},
		{"day-1", "day-10", 1}, {"speakers", "speaker", 1}, {"ab", "ba", 1}, {"abc", "ca", 3},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestNearlySameAndClosest(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Title", "title", true}, {"titel", "title", true}, {"titl", "title", true}, {"tit", "title", false},
		{"sumary", "summary", true}, {"summery", "summary", true}, {"organisation", "organisations", true}, {"weight", "height", true}, {"date", "data", true}, {"layout", "about", false},
	} {
		if got := NearlySame(tt.a, tt.b); got != tt.want {
			t.Errorf("NearlySame(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	names := []string{"pia-laurila", "ulla-engelmann", "claudia-fusco"}
	for _, tt := range []struct{ s, want string }{{"pia-lauria", "pia-laurila"}, {"ula-engelman", "ulla-engelmann"}, {"grace", ""}, {"", ""}} {
		if got := Closest(tt.s, names); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("titel", "title")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d != Distance(b, a) || d > max(len(a), len(b)) || d < max(len(a), len(b))-min(len(a), len(b)) || (d == 0) != (a == b) {
			t.Errorf("Distance(%q, %q) = %d", a, b, d)
		}
	})
}
