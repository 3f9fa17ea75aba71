// Package cli implements the commands of a command line; it starts no
// server, so its commands run once: one-shot.
package cli

import "os"

// MergeTranslations writes merged files for the build command: at most info.
func MergeTranslations(name string, b []byte) {
	f, err := os.Create(name)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.Write(b) // want `the error of this file write is discarded`
}
