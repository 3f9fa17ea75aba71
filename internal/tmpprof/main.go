// Command tmpprof profiles the catalogue over a tree (not committed).
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"golang.org/x/tools/go/analysis/checker"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/review/load"
)

func main() {
	dir := os.Args[1]
	res, err := load.Patterns(context.Background(), dir, dir, []string{"./..."}, load.Options{})
	if err != nil {
		panic(err)
	}
	an := checklist.Analyzers(checklist.Catalog())
	f, _ := os.Create(os.Args[2])
	pprof.StartCPUProfile(f)
	for i := 0; i < 5; i++ {
		t := time.Now()
		if _, err := checker.Analyze(an, res.Packages, &checker.Options{}); err != nil {
			panic(err)
		}
		fmt.Println(time.Since(t))
	}
	pprof.StopCPUProfile()
}
