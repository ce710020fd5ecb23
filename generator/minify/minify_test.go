package minify

import "testing"

func TestFile(t *testing.T) {
	m := New()
	tests := []struct{ name, in, want string }{
		{"a.html", "<!doctype html>\n<html lang=\"en\">\n  <body>\n    <p class=\"x\">Hi  there</p>\n  </body>\n</html>\n", `<!doctype html><html lang=en><body><p class=x>Hi there</body></html>`},
		{"a.css", "body {\n  color: #ff0000;\n}\n", "body{color:red}"},
		{"a.js", "function add(a, b) {\n  return a + b;\n}\n", "function add(e,t){return e+t}"},
		{"a.json", "{\n  \"a\": [1, 2]\n}\n", `{"a":[1,2]}`},
		{"a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"10\" height=\"10\"/>\n</svg>\n", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>`},
		{"a.xml", "<feed>\n  <title>x</title>\n</feed>\n", "<feed><title>x</title></feed>"},
		{"a.png", "\x89PNG  raw  bytes", "\x89PNG  raw  bytes"},
		{"A.CSS", "a { color: blue }", "a{color:blue}"},
	}
	for _, tt := range tests {
		got, err := m.File(tt.name, []byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSyntaxErrorIsReported(t *testing.T) {
	if _, err := New().File("a.js", []byte("function (")); err == nil {
		t.Error("broken JavaScript minified without an error")
	}
}
