package code

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
)

// Guard returns run made safe to call on code nobody foresaw: a panic in it
// becomes an error of the pass, naming the analyzer and the package, so the
// checker fails that one action (and those that need its result) instead of
// the whole process.
func Guard(name string, run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				res, err = nil, fmt.Errorf("%s failed on package %s: internal error: %v", name, pass.Pkg.Path(), r)
			}
		}()
		return run(pass)
	}
}
