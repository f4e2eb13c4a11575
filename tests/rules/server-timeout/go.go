package main

import (
	"context"
	"crypto/tls"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

type config struct {
	Addr        string
	ReadTimeout time.Duration
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func runDefault() {
	// bkgen: expect server-timeout
	log.Fatal(http.ListenAndServe(":8080", routes()))
}

func runTLS() error {
	// bkgen: expect server-timeout
	return http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", routes())
}

func runOnListener(ln net.Listener) error {
	// bkgen: expect server-timeout
	return http.Serve(ln, routes())
}

func runTLSOnListener(ln net.Listener) error {
	// bkgen: expect server-timeout
	return http.ServeTLS(ln, routes(), "cert.pem", "key.pem")
}

func runTLSConfigured(ln net.Listener, cfg config) error {
	// bkgen: ok server-timeout
	srv := &http.Server{Handler: routes(), ReadHeaderTimeout: 5 * time.Second}
	return srv.ServeTLS(ln, "cert.pem", "key.pem")
}

func newServerNoTimeouts(cfg config) *http.Server {
	// bkgen: expect server-timeout
	return &http.Server{
		Addr:    cfg.Addr,
		Handler: routes(),
		// WriteTimeout alone does not stop a slow client from trickling headers
		WriteTimeout: 10 * time.Second,
	}
}

func newValueServer() http.Server {
	// bkgen: expect server-timeout
	return http.Server{Addr: ":9090", Handler: routes(), TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
}

func newServer(cfg config) *http.Server {
	// bkgen: ok server-timeout
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           routes(),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

func newServerFromConfig(cfg config) *http.Server {
	// The timeout comes from configuration, not a literal: still set.
	// bkgen: ok server-timeout
	return &http.Server{Addr: cfg.Addr, Handler: routes(), ReadTimeout: cfg.ReadTimeout}
}

func newServerAssigned(cfg config) *http.Server {
	// bkgen: ok server-timeout
	srv := &http.Server{Addr: cfg.Addr, Handler: routes()}
	srv.ReadHeaderTimeout = cfg.ReadTimeout
	srv.IdleTimeout = time.Minute
	return srv
}

func twoServers(cfg config) (*http.Server, *http.Server) {
	// bkgen: ok server-timeout
	public := &http.Server{Addr: cfg.Addr, Handler: routes()}
	public.ReadHeaderTimeout = 5 * time.Second
	// The assignment above is for the other server: this one has no timeout.
	// bkgen: expect server-timeout
	admin := &http.Server{Addr: "127.0.0.1:9000", Handler: routes()}
	return public, admin
}

func gracefulRun(ctx context.Context, srv *http.Server) error {
	// Method calls on a configured server are not reported.
	// bkgen: ok server-timeout
	go func() { _ = srv.ListenAndServe() }()

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func client() (*http.Response, error) {
	// An http.Client literal is not a server.
	// bkgen: ok server-timeout
	c := &http.Client{Timeout: 5 * time.Second}
	return c.Get(os.Getenv("UPSTREAM_URL"))
}
