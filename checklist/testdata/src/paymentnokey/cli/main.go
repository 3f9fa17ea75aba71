// Command cli charges one order when an operator runs it.
package main

import (
	"log"
	"os"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/paymentintent"
)

func main() {
	_, err := paymentintent.New(&stripe.PaymentIntentParams{Customer: stripe.String(os.Args[1])})
	if err != nil {
		log.Fatal(err)
	}
}
