package embed

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in            string
		provider, id  string
		player, watch string
	}{
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
		{"https://youtu.be/dQw4w9WgXcQ?t=42", "YouTube", "dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"},
		{"https://m.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
		{"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
		{"https://vimeo.com/76979871", "Vimeo", "76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1", "https://vimeo.com/76979871"},
		{"https://vimeo.com/76979871/abcdef1234", "Vimeo", "76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abcdef1234", "https://vimeo.com/76979871/abcdef1234"},
		{"https://player.vimeo.com/video/76979871", "Vimeo", "76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1", "https://vimeo.com/76979871"},
	} {
		v, ok := Parse(c.in)
		if !ok || v.Provider != c.provider || v.ID != c.id || v.Player != c.player || v.Watch != c.watch {
			t.Errorf("Parse(%q) = %+v, %v", c.in, v, ok)
		}
	}
	for _, bad := range []string{"", "youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=short", "https://www.youtube.com/channel/UC123", "https://vimeo.com/channels/staff", "https://example.org/video.mp4", "javascript:alert(1)", "https://youtu.be/dQw4w9WgXcQ\"onload=x"} {
		if v, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) = %+v, want no video", bad, v)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
	f.Add("https://vimeo.com/76979871/abcdef1234")
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := Parse(s)
		if ok && (v.ID == "" || v.Player == "" || v.Watch == "") {
			t.Fatalf("Parse(%q) = %+v", s, v)
		}
	})
}
