module github.com/pquerna/otp

go 1.26.0
