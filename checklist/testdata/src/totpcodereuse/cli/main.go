// Command cli checks a code once from the command line.
package main

import (
	"fmt"
	"os"

	"github.com/pquerna/otp/totp"
)

// issueToken prints a token for the operator.
func issueToken(user string) string { return "token-for-" + user }

func main() {
	if !totp.Validate(os.Args[1], os.Getenv("TOTP_SECRET")) {
		os.Exit(1)
	}
	fmt.Println(issueToken(os.Args[2]))
}
