package frontmatter

import "bytes"

// locateKeys records, for each top-level key, the byte span of the front matter text from
// the key to the next top-level key, so diagnostics can point at a key or a value in it.
func (m *Matter) locateKeys() {
	type hit struct {
		key string
		off int
	}
	var hits []hit
	switch m.Format {
	case YAML, TOML:
		off := 0
		inTable := false
		for _, line := range bytes.SplitAfter(m.text, []byte("\n")) {
			l := bytes.TrimRight(line, "\r\n")
			if m.Format == TOML && bytes.HasPrefix(bytes.TrimSpace(l), []byte("[")) {
				inTable = true
			}
			if key, ok := topKey(l, m.Format); ok && !inTable {
				hits = append(hits, hit{key, off})
			}
			off += len(line)
		}
	case JSON:
		hits = nil
		depth := 0
		for i := 0; i < len(m.text); i++ {
			switch c := m.text[i]; c {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			case '"':
				j := i + 1
				for j < len(m.text) && m.text[j] != '"' {
					if m.text[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(m.text) {
					i = j
					break
				}
				k := j + 1
				for k < len(m.text) && (m.text[k] == ' ' || m.text[k] == '\t' || m.text[k] == '\r' || m.text[k] == '\n') {
					k++
				}
				if depth == 1 && k < len(m.text) && m.text[k] == ':' {
					hits = append(hits, hit{string(m.text[i+1 : j]), i})
				}
				i = j
			}
		}
	}
	for i, h := range hits {
		end := len(m.text)
		if i+1 < len(hits) {
			end = hits[i+1].off
		}
		if _, seen := m.keyOff[h.key]; !seen {
			m.keyOff[h.key] = [2]int{h.off, end}
			m.Keys = append(m.Keys, h.key)
		}
	}
}

// topKey returns the key a YAML or TOML line starts at column 1 with, if any.
func topKey(l []byte, f Format) (string, bool) {
	if len(l) == 0 || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '-' {
		return "", false
	}
	sep := byte(':')
	if f == TOML {
		sep = '='
	}
	if l[0] == '"' || l[0] == '\'' {
		j := bytes.IndexByte(l[1:], l[0])
		if j < 0 {
			return "", false
		}
		key := name(l[1 : j+1])
		rest := bytes.TrimLeft(l[j+2:], " \t")
		if len(rest) > 0 && rest[0] == sep {
			return key, true
		}
		return "", false
	}
	i := bytes.IndexByte(l, sep)
	if i <= 0 {
		return "", false
	}
	key := bytes.TrimSpace(l[:i])
	if bytes.ContainsAny(key, " \t{}[],") {
		return "", false
	}
	return name(key), true
}
