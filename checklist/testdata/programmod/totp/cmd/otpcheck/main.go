// Command otpcheck signs in once from a terminal.
package main

import (
	"context"
	"fmt"
	"os"

	"example.com/totp/auth"
)

func main() {
	var s auth.Service
	tok, err := s.MFALogin(context.Background(), os.Args[1], os.Args[2], os.Getenv("TOTP_SECRET"))
	if err != nil {
		os.Exit(1)
	}
	fmt.Println(tok)
}
