package publish_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/githubtest"
	"github.com/prodready/prodready/github/publish"
)

// BenchmarkPublish30 measures one full publication of 30 inline comments
// (review, read-back, summary, check run) against the fake, clock injected.
func BenchmarkPublish30(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixtureTB(b)
		var fs []finding.Finding
		for j := 0; j < 30; j++ {
			fs = append(fs, f.mk("svc/client.go", 20+j%3, 20+j%3, fmt.Sprintf("c-%02d", j), finding.RunsTwice, finding.SeverityWarning, "Fetch"))
		}
		rep := f.report(fs...)
		b.StartTimer()
		if _, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, rep, f.patch); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(f.srv.Calls(githubtest.RouteCreateReview)), "create-review-calls/op")
	}
}

// BenchmarkBisectOneBad30 counts the probes needed to find one refused
// comment among 30.
func BenchmarkBisectOneBad30(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixtureTB(b)
		var fs []finding.Finding
		for j := 0; j < 29; j++ {
			fs = append(fs, f.mk("svc/client.go", 20+j%3, 20+j%3, fmt.Sprintf("c-%02d", j), finding.RunsTwice, finding.SeverityWarning, "Fetch"))
		}
		// Line 40 is in our patch but the fake is told a diff without it.
		bad := f.mk("svc/client.go", 40, 40, "bad", finding.UnderLoad, finding.SeverityWarning, "Start")
		fs = append(fs, bad)
		f.dropHunkAt40(b)
		rep := f.report(fs...)
		b.StartTimer()
		res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, rep, f.patch)
		if err != nil || len(res.Rejected) != 1 {
			b.Fatalf("err %v, rejected %d", err, len(res.Rejected))
		}
		b.ReportMetric(float64(f.srv.Calls(githubtest.RouteCreateReview)), "create-review-calls/op")
	}
}
