// Package synth writes synthetic event archives in recap's content format, of any size,
// from a seed: the same seed and size always give the same files. An archive has the four
// sections of the real record (days, speakers, initiatives, organisations); pages of 400 to
// 700 words with headings, lists, a table, emphasis, code spans and two to four links to
// other pages; about ten speaker references per day, and speakers referring to their
// organisation and initiatives. It is for benchmarks and tests; it knows nothing of the build.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Shape is how many pages of each section an archive of n pages has.
type Shape struct {
	Days, Speakers, Initiatives, Organisations int
}

// ShapeOf splits n pages between the sections: a day for every 20 pages, an organisation
// for every 50, an initiative for every 10, speakers for the rest (n >= 20).
func ShapeOf(n int) Shape {
	s := Shape{Days: max(n/20, 1), Organisations: max(n/50, 1), Initiatives: max(n/10, 1)}
	s.Speakers = max(n-s.Days-s.Organisations-s.Initiatives, 1)
	return s
}

// Total is the number of pages, list pages and home page excluded.
func (s Shape) Total() int { return s.Days + s.Speakers + s.Initiatives + s.Organisations }

var words = strings.Fields(`city cities recovery ecosystem smart green skills mission partnership
innovation digital climate neutral urban policy funding citizens industry data mobility energy
commitment mentor track methodology transversal local regional european accord reskilling
upskilling technology uptake monitoring resilience inclusion cooperation capacity knowledge
communication investment cohesion research biodiversity ecosystems challenge network lab`)

func slug(section string, i int) string { return fmt.Sprintf("%s-%05d", section[:3], i) }

// Options change the archive Write makes.
type Options struct {
	// Length multiplies the length of every page (1, or 0, gives pages of 400 to 700 words;
	// 2 twice as long): the page goes on with more sections of the same kind.
	Length int
	// Langs is the number of languages (0 or 1: English only): with more, every page,
	// list page and the home page also get a translation into each of the first Langs-1
	// Codes (page.fr.md: a title, a summary and a body of their own, with links to other
	// pages), and content/_index.md lists them. The English pages are those of the same
	// seed in one language.
	Langs int
}

// Codes are the languages of a translated archive, after English.
var Codes = []string{"fr", "de", "it", "es", "nl", "pt", "pl", "sv", "da", "fi"}

// Write writes an archive of about n pages into dir/content (created). It returns the
// shape of the archive.
func Write(dir string, n int, seed uint64) (Shape, error) {
	return WriteWith(dir, n, seed, Options{})
}

// WriteWith is Write with options.
func WriteWith(dir string, n int, seed uint64, opts Options) (Shape, error) {
	if opts.Langs > len(Codes)+1 {
		return Shape{}, fmt.Errorf("an archive has 1 to %d languages, not %d", len(Codes)+1, opts.Langs)
	}
	codes := Codes[:max(opts.Langs-1, 0)]
	sh := ShapeOf(n)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	content := filepath.Join(dir, "content")
	write := func(rel, s string) error {
		p := filepath.Join(content, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(s), 0o644)
	}
	g := &gen{r: r, sh: sh, length: max(opts.Length, 1)}
	languages := ""
	if len(codes) > 0 {
		languages = "languages: [" + strings.Join(codes, ", ") + "]\n"
	}
	if err := write("_index.md", "---\ntitle: Synthetic City Lab archive\ndescription: A generated archive for benchmarks.\nlanguage: en\n"+languages+"params:\n  event_name: Synthetic City Lab\n  start_date: 2020-09-21\n  end_date: 2020-09-25\n  organiser: recap benchmarks\n---\n"+g.para()+"\n"); err != nil {
		return sh, err
	}
	sections := []struct {
		name  string
		count int
	}{{"days", sh.Days}, {"speakers", sh.Speakers}, {"initiatives", sh.Initiatives}, {"organisations", sh.Organisations}}
	for w, sec := range sections {
		title := strings.ToUpper(sec.name[:1]) + sec.name[1:]
		front := fmt.Sprintf("---\ntitle: %s\nweight: %d\n---\n", title, w+1)
		if real, ok := repoFrontMatter(sec.name + "/_index.md"); ok {
			front = real // the real record's settings for the section, such as its schema
		}
		if err := write(sec.name+"/_index.md", front+g.para()+"\n"); err != nil {
			return sh, err
		}
		for i := range sec.count {
			if err := write(sec.name+"/"+slug(sec.name, i)+".md", g.page(sec.name, i)); err != nil {
				return sh, err
			}
		}
	}
	// Translations come from generators of their own, so that the English pages stay
	// those of the seed.
	for k, code := range codes {
		s := seed + uint64(k+1)*0x51ed27
		t := &gen{r: rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)), sh: sh, length: g.length}
		if err := write("_index."+code+".md", fmt.Sprintf("---\ntitle: Synthetic City Lab archive (%s)\n---\n%s\n", code, t.para())); err != nil {
			return sh, err
		}
		for _, sec := range sections {
			if err := write(sec.name+"/_index."+code+".md", fmt.Sprintf("---\ntitle: %s (%s)\n---\n%s\n", sec.name, code, t.para())); err != nil {
				return sh, err
			}
			for i := range sec.count {
				if err := write(sec.name+"/"+slug(sec.name, i)+"."+code+".md", t.translation(sec.name, i, code)); err != nil {
					return sh, err
				}
			}
		}
	}
	return sh, nil
}

// translation is the text of a page in another language: a title, a summary and a body
// of the same shape as the page's, and no references.
func (g *gen) translation(section string, i int, code string) string {
	page := g.page(section, i)
	_, body, _ := strings.Cut(strings.TrimPrefix(page, "---\n"), "\n---\n")
	return fmt.Sprintf("---\ntitle: %s %s %d (%s)\nsummary: %q\n---\n%s", g.capitalWord(), section[:len(section)-1], i, code, g.sentence(), body)
}

type gen struct {
	r      *rand.Rand
	sh     Shape
	length int
}

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

// capitalWord is a word with its first letter in upper case, for titles.
func (g *gen) capitalWord() string {
	w := g.word()
	return strings.ToUpper(w[:1]) + w[1:]
}

func (g *gen) sentence() string {
	n := 8 + g.r.IntN(12)
	ws := make([]string, n)
	for i := range ws {
		w := g.word()
		switch g.r.IntN(25) {
		case 0:
			w = "*" + w + "*"
		case 1:
			w = "**" + w + "**"
		case 2:
			w = "`" + w + "`"
		}
		ws[i] = w
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *gen) para() string {
	n := 3 + g.r.IntN(3)
	ss := make([]string, n)
	for i := range ss {
		ss[i] = g.sentence()
	}
	return strings.Join(ss, " ")
}

// link returns a Markdown link from a page of section from to a random page.
func (g *gen) link(from string) string {
	type target struct {
		sec string
		n   int
	}
	ts := []target{{"days", g.sh.Days}, {"speakers", g.sh.Speakers}, {"initiatives", g.sh.Initiatives}, {"organisations", g.sh.Organisations}}
	t := ts[g.r.IntN(len(ts))]
	s := slug(t.sec, g.r.IntN(t.n))
	if t.sec == from {
		return fmt.Sprintf("[%s](%s.md)", g.word(), s)
	}
	return fmt.Sprintf("[%s](../%s/%s.md)", g.word(), t.sec, s)
}

func (g *gen) page(section string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s %s %d\nsummary: %q\n", g.capitalWord(), section[:len(section)-1], i, g.sentence())
	switch section {
	case "days":
		fmt.Fprintf(&b, "date: 2020-%02d-%02d\nweight: %d\nspeakers: [", 1+i/28%12, 1+i%28, i+1)
		seen := map[int]bool{}
		for k := range min(8+g.r.IntN(5), g.sh.Speakers) {
			if k > 0 {
				b.WriteString(", ")
			}
			s := g.r.IntN(g.sh.Speakers)
			for seen[s] {
				s = (s + 1) % g.sh.Speakers
			}
			seen[s] = true
			b.WriteString(slug("speakers", s))
		}
		b.WriteString("]\n")
	case "speakers":
		fmt.Fprintf(&b, "organisations: [%s]\ninitiatives: [%s]\n", slug("organisations", g.r.IntN(g.sh.Organisations)), slug("initiatives", g.r.IntN(g.sh.Initiatives)))
	case "initiatives":
		fmt.Fprintf(&b, "organisations: [%s]\nparams:\n  acronym: %s\n", slug("organisations", g.r.IntN(g.sh.Organisations)), strings.ToUpper(g.word()[:3]))
	case "organisations":
		fmt.Fprintf(&b, "params:\n  full_name: Directorate-General for %s\n  parent: European Commission\n", g.word())
	}
	b.WriteString("---\n")
	// About 400 to 700 words.
	links := 2 + g.r.IntN(3)
	b.WriteString(g.para() + " See " + g.link(section) + ".\n\n")
	b.WriteString("## " + g.capitalWord() + " and " + g.word() + "\n\n")
	for range 2 + g.r.IntN(2) {
		b.WriteString(g.para() + "\n\n")
	}
	for range 3 + g.r.IntN(3) {
		b.WriteString("- " + g.sentence() + "\n")
	}
	b.WriteString("\n| Item | Detail | Figure |\n| --- | --- | --- |\n")
	for k := range 3 {
		fmt.Fprintf(&b, "| %s | %s | %d |\n", g.word(), g.word(), 10*(k+1)+g.r.IntN(90))
	}
	b.WriteString("\n## " + g.capitalWord() + "\n\n")
	for k := range 2 + g.r.IntN(2) {
		b.WriteString(g.para())
		if k < links-1 {
			b.WriteString(" More in " + g.link(section) + ".")
		}
		b.WriteString("\n\n")
	}
	// Longer pages go on with sections like the ones above, links aside.
	for range (g.length - 1) * 2 {
		b.WriteString("## " + g.capitalWord() + " and " + g.word() + "\n\n")
		for range 3 + g.r.IntN(2) {
			b.WriteString(g.para() + "\n\n")
		}
		for range 2 + g.r.IntN(3) {
			b.WriteString("- " + g.sentence() + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// CopyTree copies the folder from into to (for templates/ and static/ of a repository).
func CopyTree(from, to string) error {
	return os.CopyFS(to, os.DirFS(from))
}

// RepoRoot finds the repository root (the folder holding go.mod) above the working folder.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

// Site writes an archive of n pages with the repository's own templates and static files
// into dir, ready to build.
func Site(dir string, n int, seed uint64) (Shape, error) {
	return SiteWith(dir, n, seed, Options{})
}

// SiteWith is Site with options.
func SiteWith(dir string, n int, seed uint64, opts Options) (Shape, error) {
	if err := Theme(dir, opts); err != nil {
		return Shape{}, err
	}
	return WriteWith(dir, n, seed, opts)
}

// Theme copies the repository's templates and static files into the archive in dir,
// replacing any earlier copy (so that an archive kept from an older commit is built with
// today's theme), and gives each of the archive's languages a string file.
func Theme(dir string, opts Options) error {
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	for _, d := range []string{"templates", "static"} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			return err
		}
		if err := CopyTree(filepath.Join(root, d), filepath.Join(dir, d)); err != nil {
			return err
		}
	}
	// A language the templates have no string file for gets a copy of the English one.
	strs := filepath.Join(dir, "templates", "i18n")
	for _, code := range Codes[:min(max(opts.Langs-1, 0), len(Codes))] {
		if _, err := os.Stat(filepath.Join(strs, code+".yaml")); err == nil {
			continue
		}
		en, err := os.ReadFile(filepath.Join(strs, "en.yaml"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(strs, code+".yaml"), en, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// repoFrontMatter returns the front matter, fences included, of a file of the repository's
// own content/, or false when there is none.
func repoFrontMatter(rel string) (string, bool) {
	root, err := RepoRoot()
	if err != nil {
		return "", false
	}
	b, err := os.ReadFile(filepath.Join(root, "content", filepath.FromSlash(rel)))
	if err != nil || !strings.HasPrefix(string(b), "---\n") {
		return "", false
	}
	end := strings.Index(string(b[4:]), "\n---\n")
	if end < 0 {
		return "", false
	}
	return string(b[:4+end+5]), true
}
