package api

import (
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"example.com/shop/internal/idempotency"
	"example.com/shop/internal/followers"
	"example.com/shop/internal/messages"
	"example.com/shop/internal/orders"
)

type Server struct {
	orders *orders.Service
	store  idempotency.Store
}

// ---- net/http (Go 1.22 patterns) ----

func (s *Server) Routes() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /orders/{id}", s.getOrder)
	// bkgen: expect missing-idempotency
	m.HandleFunc("POST /orders", s.createOrder)
	// bkgen: ok missing-idempotency
	m.HandleFunc("POST /payments", s.createPayment)
	// Cancelling twice leaves the order cancelled.
	// bkgen: ok missing-idempotency
	m.Handle("POST /orders/{id}/cancel", s.handleCancel())
	// The handler is defined in another package: not checked from here.
	// bkgen: ok missing-idempotency
	m.Handle("POST /carts", orders.CartHandler(s.orders))
	return m
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	o, err := s.orders.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	_ = json.NewEncoder(w).Encode(o)
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	var in orders.NewOrder
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o, err := s.orders.Create(r.Context(), in)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(o)
}

func (s *Server) createPayment(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		http.Error(w, "Idempotency-Key header required", http.StatusBadRequest)
		return
	}
	if cached, ok := s.store.Get(r.Context(), key); ok {
		cached.WriteTo(w)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleCancel() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.orders.Cancel(r.Context(), r.PathValue("id")); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// ---- Gin ----

func RegisterGin(r *gin.Engine, s *Server) {
	// bkgen: expect missing-idempotency
	r.POST("/v2/orders", func(c *gin.Context) {
		var in orders.NewOrder
		if err := c.ShouldBindJSON(&in); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		o, _ := s.orders.Create(c, in)
		c.JSON(http.StatusCreated, o)
	})

	v2 := r.Group("/v2/payments", idempotency.Gin(s.store))
	// The group applies the idempotency middleware.
	// bkgen: ok missing-idempotency
	v2.POST("", func(c *gin.Context) { c.Status(http.StatusCreated) })

	// GET routes are never reported.
	// bkgen: ok missing-idempotency
	r.GET("/v2/orders", func(c *gin.Context) { c.JSON(http.StatusOK, []string{}) })
}

// ---- chi ----

func RegisterChi(r chi.Router, s *Server) {
	r.Route("/v3", func(v3 chi.Router) {
		v3.Use(idempotency.Middleware(s.store))
		// bkgen: ok missing-idempotency
		v3.Post("/orders", s.createOrder)
	})
}

func RegisterChiWebhooks(wh chi.Router, s *Server) {
	// Webhook receivers deduplicate on the event id.
	// bkgen: ok missing-idempotency
	wh.Post("/webhooks/shipping", func(w http.ResponseWriter, r *http.Request) {
		var event struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		_ = json.NewDecoder(r.Body).Decode(&event)
		if s.orders.SeenEvent(r.Context(), event.ID) {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
}

// ---- gorilla/mux ----

func RegisterGorilla(r *mux.Router, s *Server) {
	r.HandleFunc("/v4/orders/{id}", s.getOrder).Methods(http.MethodGet)
	// bkgen: expect missing-idempotency
	r.HandleFunc("/v4/orders", s.createOrder).Methods(http.MethodPost)
	// bkgen: ok missing-idempotency
	r.HandleFunc("/v4/payments", s.createPayment).Methods("POST")
}

// ---- what a POST does decides ----

func RegisterMore(r *gin.Engine, rm *mux.Router, s *Server, db *sql.DB, gdb *gorm.DB, baseURL string) {
	// A group with middleware; the handler is in another package but its
	// name says it creates.
	// bkgen: expect missing-idempotency
	r.Group("/").Use(requireClient).POST("/message", messages.CreateMessage)

	// bkgen: ok missing-idempotency
	r.POST("/users/login", func(c *gin.Context) {
		tok, _ := s.orders.CreateSession(c, c.PostForm("user"))
		c.JSON(http.StatusOK, tok)
	})

	// bkgen: ok missing-idempotency
	r.POST("/profiles/:username/follow", ProfileFollow)

	// bkgen: ok missing-idempotency
	r.POST("/tags", func(c *gin.Context) {
		var tag Tag
		gdb.Where(Tag{Name: c.PostForm("name")}).FirstOrCreate(&tag)
		c.JSON(http.StatusOK, tag)
	})

	// bkgen: expect missing-idempotency
	r.POST("/audit", func(c *gin.Context) {
		_, _ = db.ExecContext(c, "INSERT INTO audit (actor) VALUES ($1)", c.GetString("user"))
		c.Status(http.StatusNoContent)
	})

	// A path built from a prefix.
	// bkgen: expect missing-idempotency
	rm.HandleFunc(baseURL+"/cart", s.addToCartHandler).Methods(http.MethodPost)
}

func ProfileFollow(c *gin.Context) {
	_ = followers.Save(c.Param("username"), c.GetString("user"))
	c.Status(http.StatusOK)
}

func (s *Server) addToCartHandler(w http.ResponseWriter, r *http.Request) {
	_ = s.orders.AddItem(r.Context(), r.FormValue("product_id"))
	w.WriteHeader(http.StatusFound)
}

// An outbound call is not a route.
func notify(url string, body []byte) error {
	// bkgen: ok missing-idempotency
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
