package server

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics holds the server's Prometheus collectors in their own registry.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	version  prometheus.Gauge
	objects  *prometheus.GaugeVec
	points   *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridmap_http_requests_total",
			Help: "HTTP requests served, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gridmap_http_request_duration_seconds",
			Help:    "Time from routing a request to its handler's return, by method, route template and status.",
			Buckets: []float64{25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 100e-3, 250e-3, 1, 2.5, 10},
		}, []string{"method", "route", "status"}),
		version: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridmap_snapshot_version",
			Help: "Version of the snapshot being served (0 before one is loaded).",
		}),
		objects: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gridmap_objects",
			Help: "Objects in the served snapshot, by kind.",
		}, []string{"kind"}),
		points: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridmap_lookup_points_total",
			Help: "Points looked up through the batch and streamed forms, by form.",
		}, []string{"form"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.version, m.objects, m.points,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// setSnapshot publishes the snapshot's version and object counts.
func (m *metrics) setSnapshot(s *geo.Snapshot) {
	m.version.Set(float64(s.Version))
	c := s.City
	households := 0 // from the districts' counts: summing the buildings costs a commit the city
	for _, u := range c.Units {
		if u.Level() == geo.LevelDistrict {
			households += s.Stats(u.Code).Households
		}
	}
	for kind, n := range map[string]int{
		"units": len(c.Units), "grids": len(c.Grids), "buildings": len(c.Buildings),
		"households": households, "stations": len(c.Stations), "streets": len(c.Streets),
	} {
		m.objects.WithLabelValues(kind).Set(float64(n))
	}
}

// A routeMetrics holds one route's collectors, resolved once per status so
// that a request costs two atomic adds and no label lookup.
type routeMetrics struct {
	m             *metrics
	method, route string
	byStatus      [600]atomic.Pointer[statusMetrics]
}

type statusMetrics struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

func (m *metrics) route(method, route string) *routeMetrics {
	return &routeMetrics{m: m, method: method, route: route}
}

// observe counts one request with the given status and duration.
func (r *routeMetrics) observe(status int, d time.Duration) {
	if status < 100 || status >= len(r.byStatus) {
		status = 599
	}
	sm := r.byStatus[status].Load()
	if sm == nil {
		code := strconv.Itoa(status)
		sm = &statusMetrics{
			count:   r.m.requests.WithLabelValues(r.method, r.route, code),
			latency: r.m.latency.WithLabelValues(r.method, r.route, code),
		}
		r.byStatus[status].Store(sm)
	}
	sm.count.Inc()
	sm.latency.Observe(d.Seconds())
}
