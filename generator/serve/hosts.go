package serve

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
)

// hostCheck decides which Host headers the preview answers. A server on a loopback address
// that answered any name could be read by any web page its user visits, through DNS
// rebinding (evil.example made to resolve to 127.0.0.1): so it answers only the address it
// serves, localhost (and names under .localhost), loopback addresses and the names it was
// told to allow. Served on any other address, it is reachable by name anyway, and allows any.
type hostCheck struct {
	any   bool
	names map[string]bool

	mu      sync.Mutex
	refused map[string]bool // names already reported in the terminal
}

func newHostCheck(addr string, allow []string) *hostCheck {
	hc := &hostCheck{names: map[string]bool{"localhost": true}, refused: map[string]bool{}}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && !ip.IsLoopback() {
		hc.any = true // 0.0.0.0, ::, a LAN address, or no host at all: every interface
	}
	if host != "" && !strings.EqualFold(host, "localhost") && net.ParseIP(host) == nil {
		// A name given to --addr: loopback only if every address it stands for is.
		ips, err := net.LookupIP(host)
		for _, ip := range ips {
			if !ip.IsLoopback() {
				hc.any = true
			}
		}
		if err != nil || len(ips) == 0 {
			hc.any = true
		}
	}
	hc.names[strings.ToLower(host)] = true
	for _, n := range allow {
		hc.names[strings.ToLower(strings.TrimSuffix(n, "."))] = true
	}
	return hc
}

// allowed reports whether a request naming host (with or without a port) is answered.
func (hc *hostCheck) allowed(host string) bool {
	if hc.any {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if hc.names[host] || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuseHost answers 403 and says in the terminal, once per name, how to allow it.
func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request) {
	name := r.Host
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	s.hosts.mu.Lock()
	first := !s.hosts.refused[name]
	s.hosts.refused[name] = true
	s.hosts.mu.Unlock()
	if first {
		fmt.Fprintf(s.opts.Log, "recap serve: refused a request for the host %q: the preview answers only localhost and loopback addresses, so that other web sites cannot read it; to allow this name, run recap serve --allow-host %s (or serve on a non-loopback --addr, which allows any host)\n", name, name)
	}
	http.Error(w, fmt.Sprintf("recap serve does not answer for the host %q: restart it with --allow-host %s to allow it", name, name), http.StatusForbidden)
}
