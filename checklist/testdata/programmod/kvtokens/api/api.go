// Package api serves sign-in, password reset, invites and e-mail
// verification, keeping their single-use secrets in Redis.
package api

import (
	"context"
	"fmt"
	"net/http"

	redisv8 "github.com/go-redis/redis/v8"
	redigo "github.com/gomodule/redigo/redis"
	"github.com/redis/go-redis/v9"

	"example.com/kvtokens/cache"
	"example.com/kvtokens/service"
)

// resetKeyFormat is where a password-reset token's user is kept.
const resetKeyFormat = "password_reset:%s"

// getDelScript reads a key and deletes it in one step.
const getDelScript = `local v = redis.call("GET", KEYS[1]); redis.call("DEL", KEYS[1]); return v`

// API serves the endpoints.
type API struct {
	rdb  *redis.Client
	old  *redisv8.Client
	pool *redigo.Pool
	svc  *service.Service
	otps *cache.OTPs
}

// issueSession signs the user in.
func issueSession(w http.ResponseWriter, userID string) error { return nil }

// setPassword stores a user's new password hash.
func setPassword(ctx context.Context, userID, hash string) error { return nil }

// joinTeam adds the caller to a team.
func joinTeam(ctx context.Context, team string) error { return nil }

// LoginOTP signs in with a code sent by SMS, deleting the code after the
// session is issued without reading whether this request deleted it.
func (a *API) LoginOTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	phone, code := r.FormValue("phone"), r.FormValue("code")
	stored, err := a.rdb.Get(ctx, "otp:"+phone).Result()
	if err != nil || stored != code {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	if err := issueSession(w, phone); err != nil {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	a.rdb.Del(ctx, "otp:"+phone) // want `^\x60Del\x60 deletes the secret \(DEL "otp:" \+ phone\) read at line \d+ without checking how many keys it removed.*both get \x60issueSession\x60`
}

// LoginOTPTaken reads and deletes the code in one step.
func (a *API) LoginOTPTaken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	phone, code := r.FormValue("phone"), r.FormValue("code")
	stored, err := a.rdb.GetDel(ctx, "otp:"+phone).Result()
	if err != nil || stored != code {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	if err := issueSession(w, phone); err != nil {
		http.Error(w, "try again", http.StatusInternalServerError)
	}
}

// LoginOTPExpired deletes an expired code on a branch that signs nobody
// in.
func (a *API) LoginOTPExpired(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	phone, code := r.FormValue("phone"), r.FormValue("code")
	stored, err := a.rdb.Get(ctx, "otp:"+phone).Result()
	if err != nil {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	if stored == "expired" {
		a.rdb.Del(ctx, "otp:"+phone)
		http.Error(w, "expired", http.StatusUnauthorized)
		return
	}
	if stored != code {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	_ = issueSession(w, phone)
}

// ResetPassword sets the password for the user a reset token names, then
// deletes the token kept under a key built in a local. A second use sets the
// same user's password again (info).
func (a *API) ResetPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := fmt.Sprintf(resetKeyFormat, r.FormValue("token"))
	userID, err := a.rdb.Get(ctx, key).Result()
	if err != nil {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	if err := setPassword(ctx, userID, r.FormValue("hash")); err != nil {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	if err := a.rdb.Del(ctx, key).Err(); err != nil { // want `^\[info\] \x60Del\x60 deletes the secret \(DEL password_reset:%s, key = fmt\.Sprintf\(resetKeyFormat, r\.F\.\.\.\) read at line \d+ .*both get \x60setPassword\x60.*\(info: what a second use gets is setting the same user's password again\)`
		http.Error(w, "try again", http.StatusInternalServerError)
	}
}

// ResetPasswordCounted deletes the token first and sets the password only
// if this request removed it.
func (a *API) ResetPasswordCounted(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := fmt.Sprintf(resetKeyFormat, r.FormValue("token"))
	userID, err := a.rdb.Get(ctx, key).Result()
	if err != nil {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	n, err := a.rdb.Del(ctx, key).Result()
	if err != nil || n != 1 {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	_ = setPassword(ctx, userID, r.FormValue("hash"))
}

// ResetPasswordScript reads and deletes the token in one Lua script.
func (a *API) ResetPasswordScript(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := fmt.Sprintf(resetKeyFormat, r.FormValue("token"))
	v, err := a.rdb.Eval(ctx, getDelScript, []string{key}).Result()
	userID, ok := v.(string)
	if err != nil || !ok {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	_ = setPassword(ctx, userID, r.FormValue("hash"))
}

// ResetPasswordWatched reads the token and deletes it in a transaction
// that fails if another request touched the key in between.
func (a *API) ResetPasswordWatched(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := fmt.Sprintf(resetKeyFormat, r.FormValue("token"))
	var userID string
	err := a.rdb.Watch(ctx, func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, key).Result()
		if err != nil {
			return err
		}
		userID = v
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, key)
			return nil
		})
		return err
	}, key)
	if err != nil {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	_ = setPassword(ctx, userID, r.FormValue("hash"))
}

// ResetPasswordMulti reads and deletes the token in one MULTI/EXEC.
func (a *API) ResetPasswordMulti(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := fmt.Sprintf(resetKeyFormat, r.FormValue("token"))
	pipe := a.rdb.TxPipeline()
	get := pipe.Get(ctx, key)
	pipe.Del(ctx, key)
	if _, err := pipe.Exec(ctx); err != nil {
		http.Error(w, "invalid link", http.StatusBadRequest)
		return
	}
	_ = setPassword(ctx, get.Val(), r.FormValue("hash"))
}

// OAuthCallback signs in after checking the state it stored, then deletes
// the state without reading whether this request deleted it.
func (a *API) OAuthCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	verifier, err := a.rdb.Get(ctx, "oauth_state:"+state).Result()
	if err != nil {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	if err := issueSession(w, verifier); err != nil {
		return
	}
	a.rdb.Del(ctx, "oauth_state:"+state) // want `^\x60Del\x60 deletes the secret \(DEL "oauth_state:" \+ state\)`
}

// FlowCallback reads and deletes a state that names no sign-in flow: a
// state alone is no single-use secret.
func (a *API) FlowCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.URL.Query().Get("id")
	state, err := a.rdb.Get(ctx, "workflow_state:"+id).Result()
	if err != nil {
		return
	}
	_ = issueSession(w, state)
	a.rdb.Del(ctx, "workflow_state:"+id)
}

// LoginWithToken signs in with a stored token; only the word token names
// it, so that it is single-use is not in evidence.
// at most info
func (a *API) LoginWithToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := r.FormValue("t")
	userID, err := a.rdb.Get(ctx, "token:"+t).Result()
	if err != nil {
		return
	}
	_ = issueSession(w, userID)
	a.rdb.Del(ctx, "token:"+t) // want `^\[info\] \x60Del\x60 deletes the secret \(DEL "token:" \+ t\)`
}

// MagicLink signs in through a magic link kept with go-redis v8.
func (a *API) MagicLink(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := r.URL.Query().Get("t")
	email, err := a.old.Get(ctx, "magic:"+t).Result()
	if err != nil {
		return
	}
	_ = issueSession(w, email)
	_ = a.old.Del(ctx, "magic:"+t).Err() // want `^\x60Del\x60 deletes the secret \(DEL "magic:" \+ t\)`
}

// AcceptInvite joins the team an invite names through redigo, then
// deletes the invite without reading the reply.
func (a *API) AcceptInvite(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	conn := a.pool.Get()
	defer conn.Close()
	code := r.FormValue("code")
	team, err := redigo.String(conn.Do("GET", "invite:"+code))
	if err != nil {
		return
	}
	if err := joinTeam(ctx, team); err != nil {
		return
	}
	conn.Do("DEL", "invite:"+code) // want `^\x60Do\x60 deletes the secret \(DEL "invite:" \+ code\)`
}

// AcceptInviteCounted deletes the invite first and joins only if this
// request removed it.
func (a *API) AcceptInviteCounted(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	conn := a.pool.Get()
	defer conn.Close()
	code := r.FormValue("code")
	team, err := redigo.String(conn.Do("GET", "invite:"+code))
	if err != nil {
		return
	}
	if n, err := redigo.Int(conn.Do("DEL", "invite:"+code)); err != nil || n != 1 {
		return
	}
	_ = joinTeam(ctx, team)
}

// HandleVerify serves POST /verify.
func (a *API) HandleVerify(w http.ResponseWriter, r *http.Request) {
	if err := a.svc.VerifyEmail(r.Context(), r.FormValue("email"), r.FormValue("code")); err != nil {
		http.Error(w, "invalid code", http.StatusBadRequest)
	}
}

// LoginVerified signs in on the word of a verifier that deletes the code:
// the finding is the verifier's, not repeated here.
func (a *API) LoginVerified(w http.ResponseWriter, r *http.Request) {
	phone := r.FormValue("phone")
	ok, err := a.otps.VerifyOTP(r.Context(), phone, r.FormValue("code"))
	if err != nil || !ok {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	_ = issueSession(w, phone)
}
