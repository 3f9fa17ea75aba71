module example.com/stepup

go 1.26.0

require github.com/pquerna/otp v0.0.0

replace github.com/pquerna/otp => ../totp/stand-in/otp
