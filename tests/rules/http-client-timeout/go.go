package billing

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

const ratesURL = "https://rates.internal/v1/latest"

// bkgen: expect http-client-timeout
var sharedClient = &http.Client{
	Transport: &http.Transport{MaxIdleConnsPerHost: 32},
}

// bkgen: ok http-client-timeout
var boundedClient = &http.Client{Timeout: 5 * time.Second}

type Service struct {
	client  *http.Client
	timeout time.Duration
}

func NewService(timeout time.Duration) *Service {
	// bkgen: ok http-client-timeout
	return &Service{client: &http.Client{Timeout: timeout}, timeout: timeout}
}

func NewUnbounded() *Service {
	// bkgen: expect http-client-timeout
	return &Service{client: &http.Client{Timeout: 0}}
}

func FetchRates() (map[string]float64, error) {
	// bkgen: expect http-client-timeout
	resp, err := http.Get(ratesURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var rates map[string]float64
	return rates, json.NewDecoder(resp.Body).Decode(&rates)
}

func Notify(form url.Values) error {
	// bkgen: expect http-client-timeout
	resp, err := http.PostForm("https://hooks.internal/notify", form)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (s *Service) Invoice(ctx context.Context, id string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://invoices.internal/"+id, nil)
	if err != nil {
		return nil, err
	}
	// bkgen: expect http-client-timeout
	return http.DefaultClient.Do(req)
}

func (s *Service) Refund(ctx context.Context, req *http.Request) (*http.Response, error) {
	// bkgen: ok http-client-timeout
	return s.client.Do(req.WithContext(ctx))
}

func NewTunedClient(t http.RoundTripper) *http.Client {
	// bkgen: ok http-client-timeout
	c := &http.Client{Transport: t}
	c.Timeout = 10 * time.Second
	return c
}

func NewLeakyClient(t http.RoundTripper) *http.Client {
	// bkgen: expect http-client-timeout
	c := &http.Client{Transport: t}
	// bkgen: ok http-client-timeout
	other := &http.Client{}
	other.Timeout = 2 * time.Second
	_ = other
	return c
}

func PingStatus(cli *http.Client) (int, error) {
	// bkgen: ok http-client-timeout
	resp, err := cli.Get("https://status.internal/ping")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
