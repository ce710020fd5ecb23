// Package embed recognises the addresses of recordings on video hosts (YouTube, Vimeo) and
// gives the address of each host's privacy-enhanced player, which sets no tracking cookie
// before the reader plays the video. It does no I/O; the page decides when to load the
// player (only after a click).
package embed

import (
	"net/url"
	"regexp"
	"strings"
)

// Video is a recording on a video host.
type Video struct {
	// Provider is the host's name as readers know it: "YouTube" or "Vimeo".
	Provider string
	// ID is the video's identifier on the host.
	ID string
	// Player is the privacy-enhanced player's address, set to play at once (the reader
	// has just pressed play).
	Player string
	// Watch is the video's own page on the host.
	Watch string
}

var (
	youTubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]{6,12}$`)
	vimeoKey  = regexp.MustCompile(`^[0-9a-f]{6,20}$`)
)

// Parse recognises a YouTube or Vimeo address (watch pages, short links, embeds, shorts and
// live pages), or reports false.
func Parse(addr string) (Video, bool) {
	u, err := url.Parse(strings.TrimSpace(addr))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return Video{}, false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch host {
	case "youtube.com", "youtube-nocookie.com", "music.youtube.com":
		id := ""
		switch {
		case len(parts) == 1 && parts[0] == "watch":
			id = u.Query().Get("v")
		case len(parts) == 2 && (parts[0] == "embed" || parts[0] == "shorts" || parts[0] == "live" || parts[0] == "v"):
			id = parts[1]
		}
		return youTube(id, u.Query())
	case "youtu.be":
		if len(parts) == 1 {
			return youTube(parts[0], u.Query())
		}
	case "vimeo.com":
		if len(parts) >= 1 && vimeoID.MatchString(parts[0]) {
			return vimeo(parts[0], parts[1:])
		}
	case "player.vimeo.com":
		if len(parts) >= 2 && parts[0] == "video" && vimeoID.MatchString(parts[1]) {
			h := u.Query().Get("h")
			var rest []string
			if h != "" {
				rest = []string{h}
			}
			return vimeo(parts[1], rest)
		}
	}
	return Video{}, false
}

func youTube(id string, q url.Values) (Video, bool) {
	if !youTubeID.MatchString(id) {
		return Video{}, false
	}
	player := "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1"
	watch := "https://www.youtube.com/watch?v=" + id
	if t := strings.TrimSuffix(q.Get("t"), "s"); t != "" && isDigits(t) {
		player += "&start=" + t
		watch += "&t=" + t + "s"
	}
	return Video{Provider: "YouTube", ID: id, Player: player, Watch: watch}, true
}

func vimeo(id string, rest []string) (Video, bool) {
	player := "https://player.vimeo.com/video/" + id + "?dnt=1&autoplay=1"
	watch := "https://vimeo.com/" + id
	// An unlisted video's address carries its key: vimeo.com/ID/KEY.
	if len(rest) > 0 && vimeoKey.MatchString(rest[0]) {
		player += "&h=" + rest[0]
		watch += "/" + rest[0]
	}
	return Video{Provider: "Vimeo", ID: id, Player: player, Watch: watch}, true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
