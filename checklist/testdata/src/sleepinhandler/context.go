package sleepinhandler

import (
	"crypto/subtle"
	"math/rand/v2"
	"net/http"
	"time"
)

// Every answer takes at least 300ms, so that a wrong user and a wrong
// password cannot be told apart by timing: a defence, not a delay.
func login(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ok := check(r.FormValue("user"), r.FormValue("password"))
	time.Sleep(300*time.Millisecond - time.Since(start))
	if !ok {
		http.Error(w, "no", http.StatusUnauthorized)
	}
}

func check(user, pass string) bool { return user != "" && pass != "" }

// A random pause before comparing a token.
func verify(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Token")), []byte("secret")) != 1 {
		http.Error(w, "no", http.StatusUnauthorized)
	}
}

// A fixed pause next to a constant-time comparison.
func apiKey(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Key")), []byte("k")) != 1 {
		time.Sleep(time.Second)
		http.Error(w, "no", http.StatusUnauthorized)
	}
}

// A retry loop that waits a fixed second between attempts inside the
// request: that is the delay the check is for.
func export(w http.ResponseWriter, r *http.Request) {
	for i := 0; i < 3; i++ {
		if ready() {
			break
		}
		time.Sleep(time.Second) // want `time.Sleep in an HTTP handler`
	}
	w.WriteHeader(http.StatusOK)
}

func ready() bool { return false }

// signIn evens out the answer time for an unknown user with a helper named
// for its random delay, so that timing does not tell which users exist.
func signIn(w http.ResponseWriter, r *http.Request) {
	if !check(r.FormValue("user"), r.FormValue("pass")) {
		time.Sleep(expectedRandomDelay(80*time.Millisecond, 10*time.Millisecond))
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// expectedRandomDelay returns about the time a password check takes.
func expectedRandomDelay(expected, deviation time.Duration) time.Duration {
	return expected + deviation/2
}

// throttle waits a fixed pause computed by a helper: a delay on the
// request path.
func throttle(w http.ResponseWriter, r *http.Request) {
	time.Sleep(pauseFor(r.URL.Path)) // want `time.Sleep in an HTTP handler`
	w.WriteHeader(http.StatusNoContent)
}

func pauseFor(string) time.Duration { return 200 * time.Millisecond }
