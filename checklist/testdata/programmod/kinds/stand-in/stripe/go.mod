module github.com/stripe/stripe-go/v81

go 1.26.0
