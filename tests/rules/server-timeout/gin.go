package main

// gin's Engine.Run* start http.ListenAndServe (or http.Serve) on a zero
// http.Server: no header, read, write or idle timeout can be given to them.

import (
	"net/http"
	"os/exec"
	"time"

	"github.com/gin-gonic/gin"
)

type app struct {
	router *gin.Engine
}

func ping(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"message": "pong"})
}

func main() {
	r := gin.Default()
	r.GET("/ping", ping)
	// bkgen: expect server-timeout
	r.Run() // listen and serve on 0.0.0.0:8080
}

func runTLS() error {
	var engine = gin.New()
	engine.Use(gin.Recovery())
	// bkgen: expect server-timeout
	return engine.RunTLS(":8443", "cert.pem", "key.pem")
}

func (a *app) start() error {
	a.router = gin.Default()
	a.router.GET("/ping", ping)
	// bkgen: expect server-timeout
	return a.router.Run(":8080")
}

func quick() {
	// bkgen: expect server-timeout
	gin.Default().Run(":9090")
}

func served() error {
	// The engine is only a handler here: the http.Server has the timeouts.
	router := gin.New()
	router.GET("/ping", ping)
	// bkgen: ok server-timeout
	srv := &http.Server{Addr: ":8080", Handler: router, ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}

func migrate() error {
	// Run on something that is not a gin engine.
	cmd := exec.Command("migrate", "up")
	// bkgen: ok server-timeout
	return cmd.Run()
}
