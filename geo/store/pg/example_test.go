package pg_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store/pg"
)

// Open a shared store and reload whenever any instance commits. (Not run:
// it needs a PostgreSQL server at the DSN.)
func ExampleOpen() {
	ctx := context.Background()
	seed := func() (*geo.City, error) { return fixtures.Generate(fixtures.Options{Seed: 1}) }
	s, err := pg.Open(ctx, "postgres://gridmap@db.internal/gridmap", seed)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for v := range s.Watch(ctx) {
		st, err := s.Load(ctx)
		if err != nil {
			log.Print(err)
			continue
		}
		fmt.Println("version", v, "now serving", st.Version, "with", len(st.City.Grids), "grids")
	}
}
