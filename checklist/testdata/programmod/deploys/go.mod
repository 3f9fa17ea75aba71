module example.com/deploys

go 1.26.0
