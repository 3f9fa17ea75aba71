// Package notifier sends the notifications the store holds.
package notifier

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/smtp"
	"time"

	"example.com/notify/store"
)

// Notifier posts notifications to webhooks and mails them.
type Notifier struct {
	Store *store.Store
}

// post delivers one notification to its webhook.
func (n *Notifier) post(ctx context.Context, p store.Notification) error {
	req, err := http.NewRequestWithContext(ctx, "POST", p.URL, bytes.NewReader([]byte(p.Body)))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// SendPending posts every pending notification and marks it sent; a failed
// mark is only logged, so the next run posts it again.
func (n *Notifier) SendPending(ctx context.Context) {
	pending, err := n.Store.ListPending(ctx)
	if err != nil {
		log.Printf("list: %v", err)
		return
	}
	for _, p := range pending {
		if err := n.post(ctx, p); err != nil {
			log.Printf("notify %d: %v", p.ID, err)
			continue
		}
		if err := n.Store.MarkSent(ctx, p.ID); err != nil { // want `^\x60MarkSent\x60 records a row of notifications as sent only after an outbound POST via \x60\(\*Notifier\)\.post\x60, and its error is only logged; in \x60SendPending\x60's loop over \x60pending\x60\. When this write fails`
			log.Printf("mark %d: %v", p.ID, err)
		}
	}
}

// SendPendingStrict returns the mark's error: the run fails visibly.
func (n *Notifier) SendPendingStrict(ctx context.Context) error {
	pending, err := n.Store.ListPending(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := n.post(ctx, p); err != nil {
			continue
		}
		if err := n.Store.MarkSent(ctx, p.ID); err != nil {
			log.Printf("mark %d: %v", p.ID, err)
			return fmt.Errorf("mark %d sent: %w", p.ID, err)
		}
	}
	return nil
}

// SendPendingClaimed claims each notification before it goes out: a failed
// send is lost, not repeated.
func (n *Notifier) SendPendingClaimed(ctx context.Context) {
	pending, _ := n.Store.ListPending(ctx)
	for _, p := range pending {
		if err := n.Store.Claim(ctx, p.ID); err != nil {
			continue
		}
		if err := n.post(ctx, p); err != nil {
			log.Printf("notify %d: %v", p.ID, err)
		}
	}
}

// SendPendingKeyed sends with an idempotency key taken from the row: the
// receiver drops a repeat.
func (n *Notifier) SendPendingKeyed(ctx context.Context) {
	pending, _ := n.Store.ListPending(ctx)
	for _, p := range pending {
		req, err := http.NewRequestWithContext(ctx, "POST", p.URL, bytes.NewReader([]byte(p.Body)))
		if err != nil {
			continue
		}
		req.Header.Set("Idempotency-Key", fmt.Sprint("notification-", p.ID))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		_ = resp.Body.Close()
		_ = n.Store.MarkSent(ctx, p.ID)
	}
}

// Run sweeps on a ticker.
func (n *Notifier) Run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		n.sweep(ctx)
	}
}

// sweep mails what the store lists; the mark's error is dropped.
func (n *Notifier) sweep(ctx context.Context) {
	rows, _ := n.Store.List(ctx)
	for _, p := range rows {
		if err := smtp.SendMail("mail:25", nil, "noreply@example.com", []string{p.Email}, []byte(p.Body)); err != nil {
			continue
		}
		_ = n.Store.MarkSent(ctx, p.ID) // want `^\x60MarkSent\x60 records a row of notifications as sent only after an e-mail or SMS \(SendMail\), and its error is discarded; called from the poll loop of \x60Run\x60`
	}
}

// sweepExclusive either mails a digest or marks the row, never both.
func (n *Notifier) sweepExclusive(ctx context.Context, p store.Notification, digest bool) {
	if digest {
		_ = smtp.SendMail("mail:25", nil, "noreply@example.com", []string{p.Email}, []byte(p.Body))
		return
	}
	_ = n.Store.MarkSent(ctx, p.ID)
}

// sweepTouch records that the user was seen, not that the mail went out.
func (n *Notifier) sweepTouch(ctx context.Context, p store.Notification) {
	if err := smtp.SendMail("mail:25", nil, "noreply@example.com", []string{p.Email}, []byte(p.Body)); err != nil {
		return
	}
	_ = n.Store.TouchUser(ctx, p.ID)
}

// Hourly registers the delivery job.
func (n *Notifier) Hourly(c *Cron, ctx context.Context) {
	_ = c.AddFunc("@hourly", func() { n.deliver(ctx) })
	n.sweepExclusive(ctx, store.Notification{}, false)
	n.sweepTouch(ctx, store.Notification{})
}

// deliver posts the hour's notifications.
func (n *Notifier) deliver(ctx context.Context) {
	rows, _ := n.Store.List(ctx)
	for _, p := range rows {
		if n.post(ctx, p) != nil {
			continue
		}
		err := n.Store.MarkSent(ctx, p.ID) // want `^\x60MarkSent\x60 .* and its error is never read; reached from the scheduled job \x60func literal\x60 \(notifier/notifier\.go:\d+\) via \x60\(\*Notifier\)\.deliver\x60`
		_ = err
	}
}

// Cron stands in for a scheduler.
type Cron struct{}

// AddFunc schedules f.
func (c *Cron) AddFunc(spec string, f func()) error { return nil }

// Resend is a request handler: the user asked for this one; nothing runs
// it again by itself.
// at most info
func (n *Notifier) Resend(w http.ResponseWriter, r *http.Request) {
	p := store.Notification{URL: r.FormValue("url")}
	if err := n.post(r.Context(), p); err != nil {
		http.Error(w, "failed", http.StatusBadGateway)
		return
	}
	if err := n.Store.MarkSent(r.Context(), p.ID); err != nil { // want `^\[info\] \x60MarkSent\x60 records a row of notifications as sent only after an outbound POST`
		log.Printf("mark: %v", err)
	}
}
