module goroutineerrordropped

go 1.26.0

require golang.org/x/sync v0.25.0

require github.com/spf13/cobra v0.0.0

replace github.com/spf13/cobra => ./stand-in/cobra
