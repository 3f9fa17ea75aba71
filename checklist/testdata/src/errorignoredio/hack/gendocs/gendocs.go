// Package gendocs is a helper under hack/, the directory of developer
// scripts: one-shot, at most info.
package gendocs

import "os"

// Write drops the error of a write: at most info.
func Write(name string, b []byte) {
	f, err := os.Create(name)
	if err != nil {
		return
	}
	defer f.Close()
	f.Write(b) // want `the error of this file write is discarded`
}
