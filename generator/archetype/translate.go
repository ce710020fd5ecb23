package archetype

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/icc-recap/recap/generator/diag"
	"github.com/icc-recap/recap/generator/frontmatter"
)

// textKeys are the front-matter keys a translation gives, in the order it is written.
var textKeys = []string{"title", "summary", "description", "params"}

// Translate starts the translation into lang of the default-language page file (a slash
// path relative to the site root, such as content/speakers/pia-laurila.md): it writes
// content/speakers/pia-laurila.fr.md beside it, never over an existing file, with the
// text to translate copied from it (the title, summary, description and params, and the
// body) and nothing else. lang must be one of the languages content/_index.md lists. It
// returns the path of the new file relative to the root.
func Translate(root, lang, file string) (string, *diag.Diagnostic) {
	file = path.Clean(filepath.ToSlash(file))
	home := "content/_index.md"
	homeSrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(home)))
	if err != nil {
		return "", diag.Wrap(diag.Pos{Path: home}, err, "cannot read the home page, which lists the languages: "+err.Error())
	}
	hm, _, _, d := frontmatter.Parse(home, homeSrc)
	if d != nil {
		return "", d
	}
	var langs []string
	switch v := hm.Values["languages"].(type) {
	case string:
		langs = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				langs = append(langs, s)
			}
		}
	}
	if !slices.Contains(langs, lang) {
		listed := "lists no other language"
		if len(langs) > 0 {
			listed = "lists " + strings.Join(langs, ", ")
		}
		return "", diag.Errorf(hm.Pos("languages"), "%s is not a language of the site (languages: %s): add it to languages: here first", lang, listed)
	}
	if !strings.HasPrefix(file, "content/") || !strings.HasSuffix(file, ".md") {
		return "", diag.Errorf(diag.Pos{Path: file}, "%s is not a page: name a Markdown file of content/, such as content/speakers/pia-laurila.md", file)
	}
	name := strings.TrimSuffix(path.Base(file), ".md")
	if i := strings.LastIndexByte(name, '.'); i > 0 && (slices.Contains(langs, name[i+1:]) || name[i+1:] == lang) {
		return "", diag.Errorf(diag.Pos{Path: file}, "%s is itself a translation: name the default-language file, %s", file, path.Dir(file)+"/"+name[:i]+".md")
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil {
		return "", diag.Wrap(diag.Pos{Path: file}, err, "cannot read the page to translate: "+err.Error())
	}
	m, body, _, d := frontmatter.Parse(file, src)
	if d != nil {
		return "", d
	}
	var doc yaml.Node
	doc.Kind = yaml.MappingNode
	for _, k := range textKeys {
		v, ok := m.Values[k]
		if !ok || v == nil {
			continue
		}
		var val yaml.Node
		if err := val.Encode(v); err != nil {
			return "", diag.Wrap(m.Pos(k), err, "cannot copy "+k+": "+err.Error())
		}
		doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &val)
	}
	var out bytes.Buffer
	out.WriteString("---\n")
	if len(doc.Content) > 0 {
		enc := yaml.NewEncoder(&out)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return "", diag.Wrap(diag.Pos{Path: file}, err, "cannot write the front matter: "+err.Error())
		}
		_ = enc.Close()
	}
	out.WriteString("---\n")
	out.Write(body)
	rel := strings.TrimSuffix(file, ".md") + "." + lang + ".md"
	if err := write(filepath.Join(root, filepath.FromSlash(rel)), out.Bytes()); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", diag.Errorf(diag.Pos{Path: rel}, "%s already exists: edit it", rel)
		}
		return "", diag.Wrap(diag.Pos{Path: rel}, err, "cannot write the translation: "+err.Error())
	}
	return rel, nil
}
