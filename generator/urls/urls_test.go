package urls

import "testing"

func TestRel(t *testing.T) {
	tests := []struct {
		from, to string
		file     bool
		want     string
	}{
		{"", "", false, "./"},
		{"", "", true, "index.html"},
		{"", "days/day-1/", false, "days/day-1/"},
		{"", "days/day-1/", true, "days/day-1/index.html"},
		{"days/day-1/", "", false, "../../"},
		{"days/day-1/", "", true, "../../index.html"},
		{"days/day-1/", "days/day-2/", false, "../day-2/"},
		{"days/day-1/", "days/", false, "../"},
		{"days/", "days/day-1/", false, "day-1/"},
		{"days/day-1/", "speakers/pia/", false, "../../speakers/pia/"},
		{"days/day-1/", "css/style.css", false, "../../css/style.css"},
		{"days/day-1/", "css/style.css", true, "../../css/style.css"},
		{"days/day-1/", "days/day-1/", false, "./"},
		{"days/day-1/", "days/day-1/#intro", false, "#intro"},
		{"days/day-1/", "days/day-2/#intro", false, "../day-2/#intro"},
		{"days/day-1/", "days/day-2/#intro", true, "../day-2/index.html#intro"},
		{"404.html", "css/style.css", false, "css/style.css"},
		{"a/b/c/", "a/x/", false, "../../x/"},
	}
	for _, tt := range tests {
		if got := Rel(tt.from, tt.to, tt.file); got != tt.want {
			t.Errorf("Rel(%q, %q, %v) = %q, want %q", tt.from, tt.to, tt.file, got, tt.want)
		}
	}
}

func TestOfSource(t *testing.T) {
	tests := map[string]string{
		"_index.md":               "",
		"days/_index.md":          "days/",
		"days/day-1.md":           "days/day-1/",
		"days/Day 1.md":           "days/day-1/",
		"Speakers/Pia Laurila.md": "speakers/pia-laurila/",
		"about.md":                "about/",
	}
	for in, want := range tests {
		if got := OfSource(in); got != want {
			t.Errorf("OfSource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Day 1":            "day-1",
		"  spaces  ":       "spaces",
		"Café Crème":       "café-crème",
		"a/b\\c":           "a-b-c",
		"..":               "",
		"v1.2":             "v1.2",
		"under_score":      "under_score",
		"!!!":              "",
		"Pact for Skills!": "pact-for-skills",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsExternal(t *testing.T) {
	tests := map[string]bool{
		"https://example.org": true,
		"mailto:a@b.c":        true,
		"javascript:alert(1)": true,
		"//host/x":            true,
		"/abs/path":           true,
		"../x.md":             false,
		"x.md#a:b":            false,
		"#frag":               false,
		"dir/file.md":         false,
	}
	for in, want := range tests {
		if got := IsExternal(in); got != want {
			t.Errorf("IsExternal(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestAbs(t *testing.T) {
	if got := Abs("", "days/"); got != "" {
		t.Errorf("Abs without base = %q, want empty", got)
	}
	if got := Abs("https://example.org/recap/", "days/"); got != "https://example.org/recap/days/" {
		t.Errorf("Abs = %q", got)
	}
	if got := Abs("https://example.org/recap", ""); got != "https://example.org/recap/" {
		t.Errorf("Abs = %q", got)
	}
}
