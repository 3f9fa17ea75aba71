package goroutineunbounded

import "context"

// Channel is an SSH-style channel request a connection hands out.
type Channel struct{ id int }

func serveChannel(ctx context.Context, ch Channel) error { return nil }

// One goroutine per channel of an established connection: how a server
// serves; its listener's limits bound them.
// at most info: the channel hands out connections, not work items.
func serveChannels(ctx context.Context, chans <-chan Channel) {
	for ch := range chans {
		go serveChannel(ctx, ch) // want `goroutine is started for every iteration`
	}
}
