package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/icc-recap/recap/generator/serve"
)

func init() {
	commands["serve"] = command{summary: "preview the site with live reload", run: runServe}
}

// hostList is a flag that may be given several times.
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

func (h *hostList) Set(v string) error {
	if v == "" || strings.ContainsAny(v, "/: ") {
		return fmt.Errorf("%q is not a host name: give the name alone, such as preview.example", v)
	}
	*h = append(*h, v)
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	source := fs.String("source", ".", "the site root, holding content/, templates/ and static/")
	addr := fs.String("addr", "127.0.0.1:1313", "the address to listen on (loopback unless you say otherwise; any other address allows any host name)")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	var allow hostList
	fs.Var(&allow, "allow-host", "a host name requests may use besides localhost and loopback addresses, such as a tunnel's (repeatable)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		fmt.Fprintf(stderr, "recap serve: --addr %q must be host:port, such as 127.0.0.1:1313\n", *addr)
		return 2
	}
	srv, _ := serve.New(ctx, serve.Options{Source: *source, Addr: *addr, Drafts: *drafts, AllowHosts: allow, Log: stderr})
	err := srv.Run(ctx, func(a string) {
		fmt.Fprintf(stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", *source, a)
	})
	if err != nil {
		fmt.Fprintf(stderr, "recap serve: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "stopped")
	return 0
}
