package main

// fiber (fasthttp) reads requests without a deadline unless its Config sets
// ReadTimeout.

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

func plain() *fiber.App {
	// bkgen: expect server-timeout
	return fiber.New()
}

func named() *fiber.App {
	// bkgen: expect server-timeout
	app := fiber.New(fiber.Config{
		AppName:      "orders",
		ServerHeader: "orders",
	})
	return app
}

func bounded() *fiber.App {
	// bkgen: ok server-timeout
	app := fiber.New(fiber.Config{
		AppName:      "orders",
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  60 * time.Second,
	})
	return app
}

func fromConfig(cfg fiber.Config) *fiber.App {
	// The config is built elsewhere: not visible here, not reported.
	// bkgen: ok server-timeout
	return fiber.New(cfg)
}
