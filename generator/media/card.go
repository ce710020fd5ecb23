package media

import (
	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/imagecache"
	"github.com/icc-recap/recap/generator/socialcard"
)

// The size of a social card.
const (
	CardWidth  = socialcard.Width
	CardHeight = socialcard.Height
)

// CardText is what a social card says, and its colours.
type CardText = socialcard.Card

// SocialCard notes the social card of the page at pageURL and returns its site address:
// card.HASH.png in the page's folder, the hash naming what it says, so that a changed
// card gets a new address (sharing sites keep images for long).
func (p *Pipeline) SocialCard(pageURL string, c CardText, pos diag.Pos) string {
	key := imagecache.Key("card", socialcard.Version, c.Title, c.Section, c.Site, c.Background, c.Text, c.Accent)
	out := pageURL + "card." + key[:10] + ".png"
	p.Make(out, key, "png", socialcard.Width*socialcard.Height*4*2, pos, func() ([]byte, error) { return socialcard.Draw(c) })
	return out
}
