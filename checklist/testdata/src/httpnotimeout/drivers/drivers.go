// Package drivers builds clients for vendor SDKs.
package drivers

import (
	"net/http"

	"github.com/acme/chat"
	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// Bucket hands a client to an object-storage SDK that moves objects of any
// size, each call with its ctx: a whole-request Timeout would cut large
// uploads, so at most info.
func Bucket(base string) *cos.Client {
	return cos.NewClient(base, &http.Client{}) // want `http.Client without Timeout`
}

// Chat hands a client to a chat API's SDK: its requests are out of sight,
// so at most info.
func Chat(token string) *chat.Client {
	return chat.NewClient(token, &http.Client{}) // want `http.Client without Timeout`
}
