// Package tools is a helper library of the service that happens to be
// named tools, deep in the tree: serving, not a developer tool.
package tools

import (
	"bufio"
	"os"
)

// Save drops the error of its buffered writer's Flush, where the bytes are
// written: full severity.
func Save(name string, b []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	if _, err := w.Write(b); err != nil {
		return err
	}
	w.Flush() // want `the error of this flush is discarded`
	return nil
}
