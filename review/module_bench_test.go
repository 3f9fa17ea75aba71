//go:build unix

package review

import (
	"context"
	"os"
	"testing"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/load"
)

// BenchmarkCheckModule measures `prodready check ./...` on the Go module in
// $PRODREADY_BENCH_MODULE (skipped when unset) in two parts: load, the
// loading floor (go list plus parsing and type-checking the module's
// packages, as check loads them), and analyze, the whole catalog over the
// packages loaded once. analyze's cpu-ns/op over load's is what the checks
// add to the floor; profile it alone with
//
//	dir=$(go mod download -json k8s.io/client-go@v0.37.2 | jq -r .Dir)
//	cp -r $dir /tmp/cg && chmod -R u+w /tmp/cg && (cd /tmp/cg && rm -f go.work go.work.sum && go mod download)
//	PRODREADY_BENCH_MODULE=/tmp/cg go test -run '^$' -bench CheckModule/analyze \
//	    -benchtime 3x -cpuprofile cpu.out ./review/
//
// cpu-ns/op counts this process and the go command it waited for, so it
// means more than ns/op on a shared machine.
func BenchmarkCheckModule(b *testing.B) {
	dir := os.Getenv("PRODREADY_BENCH_MODULE")
	if dir == "" {
		b.Skip("PRODREADY_BENCH_MODULE is not set")
	}
	loadOnce := func(b *testing.B) *load.Result {
		res, err := load.Patterns(context.Background(), dir, dir, []string{"./..."}, load.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	b.Run("load", func(b *testing.B) {
		cpuLoop(b, func() { loadOnce(b) })
	})
	b.Run("analyze", func(b *testing.B) {
		pkgs := loadOnce(b).Packages
		var n int
		cpuLoop(b, func() {
			out, _, err := analyzeModel(dir, pkgs, checklist.Catalog(), config.Config{})
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		})
		b.ReportMetric(float64(n), "findings")
	})
}

// cpuLoop runs f b.N times and reports its CPU time, this process's and
// its finished children's, per run.
func cpuLoop(b *testing.B, f func()) {
	self0, child0 := cpuTimes(b)
	b.ResetTimer()
	for range b.N {
		f()
	}
	b.StopTimer()
	self1, child1 := cpuTimes(b)
	b.ReportMetric(float64(self1-self0+child1-child0)/float64(b.N), "cpu-ns/op")
}
