//go:build unix

package review

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/prodready/prodready/internal/testenv"
)

// bigFile is one Go file of n functions: most do a little arithmetic and
// one in ten calls the network without a timeout (an http-no-timeout
// finding), so the checks have real work on every function.
func bigFile(n int) string {
	var b strings.Builder
	b.WriteString("package big\n\nimport (\n\t\"io\"\n\t\"net/http\"\n)\n\nvar _ = io.EOF\n")
	for i := range n {
		if i%10 == 0 {
			fmt.Fprintf(&b, "\n// F%d fetches.\nfunc F%d(url string) error {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn resp.Body.Close()\n}\n", i, i)
			continue
		}
		fmt.Fprintf(&b, "\n// F%d adds.\nfunc F%d(a, b int) int {\n\tif a > b {\n\t\treturn a - b\n\t}\n\treturn a + b + %d\n}\n", i, i, i)
	}
	return b.String()
}

// BenchmarkReviewBigFile reviews a change that adds one file of 12,500,
// 25,000 and 50,000 functions (the whole catalog, no LLM, warm build cache).
// ns/func and B/func stay flat as the file grows if the review is linear in
// its size:
//
//	go test -run '^$' -bench BigFile -benchtime 1x -benchmem ./review/
func BenchmarkReviewBigFile(b *testing.B) {
	for _, n := range []int{12500, 25000, 50000} {
		b.Run(fmt.Sprintf("funcs=%d", n), func(b *testing.B) {
			r := testenv.NewRepo(b)
			r.Write(map[string]string{"go.mod": testenv.GoMod, "big/doc.go": "// Package big is generated for a benchmark.\npackage big\n"})
			r.Commit("base")
			r.Git("checkout", "-q", "-b", "feature")
			r.WriteFile("big/big.go", bigFile(n))
			r.Commit("big file")
			b.ReportAllocs()
			self0, child0 := cpuTimes(b)
			b.ResetTimer()
			var findings int
			for range b.N {
				rep, err := Run(context.Background(), Options{Dir: r.Dir, Base: "main"})
				if err != nil {
					b.Fatal(err)
				}
				findings = len(rep.Report.Findings)
			}
			b.StopTimer()
			self1, child1 := cpuTimes(b)
			if want := (n + 9) / 10; findings < want {
				b.Fatalf("%d findings, want at least %d (one per fetching function)", findings, want)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/func")
			// CPU rather than wall time shows the shape on a shared machine:
			// prodready's own, and the go command's (go list compiling the
			// package for its export data) and git's.
			b.ReportMetric(float64(self1-self0)/float64(b.N)/float64(n), "cpu-ns/func")
			b.ReportMetric(float64(child1-child0)/float64(b.N)/float64(n), "child-cpu-ns/func")
		})
	}
}

// cpuTimes returns the user+system CPU time of this process and of its
// finished children, in nanoseconds.
func cpuTimes(b *testing.B) (self, children int64) {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	self = ru.Utime.Nano() + ru.Stime.Nano()
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		b.Fatal(err)
	}
	return self, ru.Utime.Nano() + ru.Stime.Nano()
}
