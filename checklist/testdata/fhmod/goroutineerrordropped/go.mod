module goroutineerrordropped

go 1.26.0

require golang.org/x/sync v0.25.0

require k8s.io/apimachinery v0.0.0

replace k8s.io/apimachinery => ./stand-in/apimachinery
