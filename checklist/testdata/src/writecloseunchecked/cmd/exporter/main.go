// Command exporter writes a report and exits: a one-shot tool (a main
// package that starts no server), where the fails-halfway checks speak at
// most info; a loop in it that runs until the process stops is serving.
package main

import (
	"compress/gzip"
	"os"
	"time"
)

func main() {
	if err := export("report.csv"); err != nil {
		os.Exit(1)
	}
	go tail("events.log")
	follow("follow.log")
}

// export runs once: at most info.
func export(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	_, err = f.WriteString("id,total\n")
	return err
}

// tail, started with go, appends until the process stops: full severity.
func tail(name string) {
	for {
		appendLine(name)
		time.Sleep(time.Second)
	}
}

// follow loops until the process stops, its own body sleeping: full severity.
func follow(name string) {
	for {
		f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return
		}
		func() {
			zw := gzip.NewWriter(f)
			defer zw.Close() // want `deferred zw.Close\(\) drops the error of \*gzip.Writer`
			_, _ = zw.Write([]byte("tick\n"))
		}()
		_ = f.Close()
		time.Sleep(time.Second)
	}
}

// appendLine is called only from tail's loop, and tail is one-shot by its
// package: the loop lives in tail, so this stays at most info.
func appendLine(name string) {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	_, _ = f.WriteString("x\n")
}
