package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"

	"example.com/shop/internal/idempotency"
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
	// bkgen: expect missing-idempotency
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

// An outbound call is not a route.
func notify(url string, body []byte) error {
	// bkgen: ok missing-idempotency
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
