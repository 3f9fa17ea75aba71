package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/jobs"
	"github.com/prodready/prodready/github/jobs/jobstest"
	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/github/store/storetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// prodreadyBinary builds cmd/prodready once per test run.
func prodreadyBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "prodready-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "prodready")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/prodready/prodready/cmd/prodready")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// child is a `prodready serve` process.
type child struct {
	t    testing.TB
	cmd  *exec.Cmd
	url  string
	done chan struct{}
	mu   sync.Mutex
	logs bytes.Buffer
}

func startServe(t testing.TB, env map[string]string) *child {
	t.Helper()
	cmd := exec.Command(prodreadyBinary(t), "serve")
	// Its own process group, so a kill takes its git children too, as a
	// crashed container would.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "PRODREADY_ADDR=127.0.0.1:0")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			c.mu.Lock()
			c.logs.Write(line)
			c.logs.WriteByte('\n')
			c.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			}
		}
		_ = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-c.done
		}
		if t.Failed() {
			t.Logf("serve logs:\n%s", c.Logs())
		}
	})
	select {
	case a := <-addr:
		c.url = "http://" + a
	case <-c.done:
		t.Fatalf("serve exited before listening:\n%s", c.Logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", c.Logs())
	}
	return c
}

func (c *child) Logs() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logs.String()
}

func (c *child) kill() {
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	<-c.done
}

func (c *child) term() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	<-c.done
	if code := c.cmd.ProcessState.ExitCode(); code != 0 {
		c.t.Errorf("serve exited %d after SIGTERM", code)
	}
}

func serveEnv(g *jobstest.GitHub, dbURL, dataDir, replica string) map[string]string {
	return map[string]string{
		"PRODREADY_APP_ID": fmt.Sprint(jobstest.AppID), "PRODREADY_PRIVATE_KEY": string(g.PrivateKeyPEM),
		"PRODREADY_WEBHOOK_SECRET": secret, "GITHUB_API_URL": g.APIURL(),
		"PRODREADY_DATABASE_URL": dbURL, "PRODREADY_DATA_DIR": dataDir, "PRODREADY_REPLICA_ID": replica,
		"PRODREADY_POLL_INTERVAL": "100ms", "PRODREADY_WORKERS": "4", "PRODREADY_SHUTDOWN_GRACE": "20s",
		"PRODREADY_JOB_TIMEOUT": "2m", "PRODREADY_LOG_LEVEL": "info",
	}
}

// waitFor polls cond until it holds. The deadline is generous: CI machines
// have two busy cores, and a passing run never waits for it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// finalJobs opens the child's database and lists the review jobs.
func finalJobs(t *testing.T, dbURL, dataDir string) []*rivertype.JobRow {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := jobs.New(st, jobs.Config{ID: "inspector", Reviewer: jobs.ReviewerFunc(func(context.Context, *jobs.Job) error { return nil })})
	if err != nil {
		t.Fatal(err)
	}
	all, err := q.Jobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

const goMod = "module example.com/m\n\ngo 1.22\n"

// fetchCode is a Go file with one finding (http.Get has no timeout); n makes
// each version distinct.
func fetchCode(n int) string {
	return fmt.Sprintf(`package m

import "net/http"

// Fetch%d gets a page.
func Fetch%d(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`, n, n)
}

func post(t *testing.T, url, delivery string, payload []byte) int {
	t.Helper()
	return deliver(t, url, "pull_request", delivery, payload, sign(secret, payload))
}

func TestServeKilledMidJobCompletesOnce(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		g := jobstest.New(t)
		repo, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
		head := repo.Push("feature", map[string]string{"a.go": fetchCode(1)})
		repo.OpenPR(7, base, head)
		fetching := make(chan struct{})
		testDone := make(chan struct{})
		defer close(testDone)
		var once sync.Once
		g.BeforeFetch(func(r *http.Request) {
			first := false
			once.Do(func() { first = true })
			if first {
				close(fetching)
				select { // hold the first fetch until the process dies
				case <-r.Context().Done():
				case <-testDone:
				}
			}
		})
		dbURL, dataDir := storetest.URL(t, b), t.TempDir()
		env := serveEnv(g, dbURL, dataDir, "replica-1")
		first := startServe(t, env)
		p := g.PullRequestPayload(t, "opened", "octo", "shop", 7, base, head)
		if code := post(t, first.url, "kill-1", p); code != http.StatusAccepted {
			t.Fatalf("status %d, want 202", code)
		}
		select {
		case <-fetching:
		case <-time.After(3 * time.Minute):
			t.Fatalf("the job never started:\n%s", first.Logs())
		}
		first.kill()
		if n := len(g.Reviews("octo", "shop", 7)); n != 0 {
			t.Fatalf("%d reviews before the restart", n)
		}
		second := startServe(t, env)
		waitFor(t, "the review after the restart", func() bool {
			return len(g.Reviews("octo", "shop", 7)) >= 1 && len(g.Summaries("octo", "shop", 7)) >= 1
		})
		// A redelivery after the fact changes nothing.
		if code := post(t, second.url, "kill-1", p); code != http.StatusAccepted {
			t.Fatalf("redelivery: status %d, want 202", code)
		}
		second.term()
		if rs := g.Reviews("octo", "shop", 7); len(rs) != 1 || rs[0].GetCommitID() != head {
			t.Fatalf("reviews = %+v; want exactly one, on the head", rs)
		}
		if cs := g.API.ReviewComments("octo", "shop", 7); len(cs) != 1 {
			t.Fatalf("%d review comments, want 1", len(cs))
		}
		if cs := g.Summaries("octo", "shop", 7); len(cs) != 1 {
			t.Fatalf("%d summary comments, want 1", len(cs))
		}
		all := finalJobs(t, dbURL, dataDir)
		if len(all) != 1 || all[0].State != rivertype.JobStateCompleted || all[0].Attempt != 2 {
			t.Fatalf("jobs: %d; first state %s attempt %d; want one completed on its 2nd attempt", len(all), all[0].State, all[0].Attempt)
		}
		if entries, _ := os.ReadDir(filepath.Join(dataDir, "work")); len(entries) != 0 {
			t.Fatalf("workspaces left: %d", len(entries))
		}
	})
}

func TestTwoReplicasSharePostgres(t *testing.T) {
	g := jobstest.New(t)
	repo, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
	const prs = 20
	heads := make([]string, prs+1)
	for n := 1; n <= prs; n++ {
		heads[n] = repo.Push(fmt.Sprintf("pr-%d", n), map[string]string{"a.go": fetchCode(n)})
		repo.OpenPR(n, base, heads[n])
	}
	dbURL := storetest.URL(t, "postgres")
	a := startServe(t, serveEnv(g, dbURL, t.TempDir(), "replica-a"))
	b := startServe(t, serveEnv(g, dbURL, t.TempDir(), "replica-b"))
	type delivery struct {
		url, id string
		body    []byte
	}
	var ds []delivery
	for i := range 200 {
		n := i%prs + 1
		url := a.url
		if i%2 == 1 {
			url = b.url
		}
		action := []string{"opened", "synchronize", "reopened"}[i%3]
		ds = append(ds, delivery{url, fmt.Sprintf("d-%d", i), g.PullRequestPayload(t, action, "octo", "shop", n, base, heads[n])})
	}
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	codes := make([]int, len(ds))
	for i, d := range ds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			codes[i] = post(t, d.url, d.id, d.body)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusAccepted {
			t.Fatalf("delivery %d: status %d, want 202", i, c)
		}
	}
	reviewed := func() int {
		n := 0
		for pr := 1; pr <= prs; pr++ {
			if len(g.Reviews("octo", "shop", pr)) > 0 {
				n++
			}
		}
		return n
	}
	waitFor(t, "20 reviewed pull requests", func() bool { return reviewed() == prs })
	a.term()
	b.term()
	for n := 1; n <= prs; n++ {
		rs := g.Reviews("octo", "shop", n)
		if len(rs) != 1 || rs[0].GetCommitID() != heads[n] {
			t.Errorf("PR %d: %d reviews; want exactly one at %s", n, len(rs), heads[n])
		}
		if cs := g.API.ReviewComments("octo", "shop", n); len(cs) != 1 {
			t.Errorf("PR %d: %d review comments, want 1", n, len(cs))
		}
	}
	all := finalJobs(t, dbURL, t.TempDir())
	if len(all) != prs {
		t.Fatalf("%d jobs, want %d", len(all), prs)
	}
	workers := map[string]int{}
	for _, j := range all {
		if j.State != rivertype.JobStateCompleted {
			t.Errorf("job %d is %s, want completed", j.ID, j.State)
		}
		workers[j.AttemptedBy[len(j.AttemptedBy)-1]]++
	}
	t.Logf("jobs per replica: %v", workers)
	if !strings.Contains(a.Logs(), `"msg":"listening"`) {
		t.Error("replica a did not log as JSON")
	}
}

func TestServeNewerHeadWins(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		g := jobstest.New(t)
		repo, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
		oldHead := repo.Push("feature", map[string]string{"a.go": fetchCode(1)})
		repo.OpenPR(7, base, oldHead)
		fetching := make(chan struct{})
		release := make(chan struct{})
		var once sync.Once
		g.BeforeFetch(func(r *http.Request) {
			first := false
			once.Do(func() { first = true })
			if first {
				close(fetching)
				select { // the old head's review is mid-flight
				case <-release:
				case <-r.Context().Done():
				}
			}
		})
		srv := startServe(t, serveEnv(g, storetest.URL(t, b), t.TempDir(), "replica-1"))
		if code := post(t, srv.url, "old", g.PullRequestPayload(t, "opened", "octo", "shop", 7, base, oldHead)); code != http.StatusAccepted {
			t.Fatalf("old head: status %d", code)
		}
		select {
		case <-fetching:
		case <-time.After(3 * time.Minute):
			t.Fatalf("the old head's job never started:\n%s", srv.Logs())
		}
		newHead := repo.Push("feature", map[string]string{"a.go": fetchCode(2)})
		repo.MovePR(7, base, newHead)
		if code := post(t, srv.url, "new", g.PullRequestPayload(t, "synchronize", "octo", "shop", 7, base, newHead)); code != http.StatusAccepted {
			t.Fatalf("new head: status %d", code)
		}
		close(release)
		waitFor(t, "the newest head's review", func() bool {
			for _, r := range g.Reviews("octo", "shop", 7) {
				if r.GetCommitID() == newHead {
					return true
				}
			}
			return false
		})
		srv.term()
		rs := g.Reviews("octo", "shop", 7)
		if len(rs) != 1 || rs[0].GetCommitID() != newHead {
			t.Fatalf("reviews = %d, first at %s; want only the newest head's", len(rs), rs[0].GetCommitID())
		}
		sum := g.Summaries("octo", "shop", 7)
		if len(sum) != 1 || !strings.Contains(sum[0].GetBody(), newHead) || strings.Contains(sum[0].GetBody(), oldHead) {
			t.Fatalf("summary = %+v; want one naming the newest head only", sum)
		}
	})
}

// A replica that dies mid-job and never comes back: another replica rescues
// the job once it has run longer than PRODREADY_RESCUE_AFTER, and reviews it
// exactly once.
func TestCrashedReplicaJobRescuedByAnother(t *testing.T) {
	g := jobstest.New(t)
	repo, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
	head := repo.Push("feature", map[string]string{"a.go": fetchCode(1)})
	repo.OpenPR(7, base, head)
	fetching := make(chan struct{})
	testDone := make(chan struct{})
	defer close(testDone)
	var once sync.Once
	g.BeforeFetch(func(r *http.Request) {
		first := false
		once.Do(func() { first = true })
		if first {
			close(fetching)
			select {
			case <-r.Context().Done():
			case <-testDone:
			}
		}
	})
	dbURL := storetest.URL(t, "postgres")
	envA := serveEnv(g, dbURL, t.TempDir(), "replica-a")
	envA["PRODREADY_JOB_TIMEOUT"], envA["PRODREADY_RESCUE_AFTER"] = "8s", "8s"
	a := startServe(t, envA)
	p := g.PullRequestPayload(t, "opened", "octo", "shop", 7, base, head)
	if code := post(t, a.url, "rescue-1", p); code != http.StatusAccepted {
		t.Fatalf("status %d, want 202", code)
	}
	select {
	case <-fetching:
	case <-time.After(3 * time.Minute):
		t.Fatalf("the job never started:\n%s", a.Logs())
	}
	a.kill()
	envB := serveEnv(g, dbURL, t.TempDir(), "replica-b")
	envB["PRODREADY_JOB_TIMEOUT"], envB["PRODREADY_RESCUE_AFTER"] = "8s", "8s"
	b := startServe(t, envB)
	waitFor(t, "the rescued review", func() bool { return len(g.Reviews("octo", "shop", 7)) >= 1 })
	b.term()
	if rs := g.Reviews("octo", "shop", 7); len(rs) != 1 || rs[0].GetCommitID() != head {
		t.Fatalf("reviews = %d; want exactly one, on the head", len(rs))
	}
	all := finalJobs(t, dbURL, t.TempDir())
	if len(all) != 1 || all[0].State != rivertype.JobStateCompleted {
		t.Fatalf("jobs: %d, first %s; want one completed", len(all), all[0].State)
	}
	if by := all[0].AttemptedBy; len(by) < 2 || by[0] != "replica-a" || by[len(by)-1] != "replica-b" {
		t.Fatalf("attempted by %v; want replica-a, then replica-b", by)
	}
}

// A late redelivery of an old head's webhook, after the newest head was
// delivered and reviewed: river's uniqueness ignores the old head's cancelled
// job, so the redelivery makes a new job, the pull request's latest request.
// GitHub names the newest head, so that job publishes nothing and asks for
// nothing new (the newest head's job completed): one review, at the newest head.
func TestServeRedeliveredOldHead(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		g := jobstest.New(t)
		repo, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
		oldHead := repo.Push("feature", map[string]string{"a.go": fetchCode(1)})
		repo.OpenPR(7, base, oldHead)
		newHead := repo.Push("feature", map[string]string{"a.go": fetchCode(2)})
		repo.MovePR(7, base, newHead)
		dbURL, dataDir := storetest.URL(t, b), t.TempDir()
		srv := startServe(t, serveEnv(g, dbURL, dataDir, "replica-1"))
		if code := post(t, srv.url, "new", g.PullRequestPayload(t, "synchronize", "octo", "shop", 7, base, newHead)); code != http.StatusAccepted {
			t.Fatalf("new head: status %d", code)
		}
		waitFor(t, "the newest head's job to complete", func() bool {
			all := finalJobs(t, dbURL, dataDir)
			return len(all) == 1 && all[0].State == rivertype.JobStateCompleted
		})
		old := g.PullRequestPayload(t, "opened", "octo", "shop", 7, base, oldHead)
		if code := post(t, srv.url, "old", old); code != http.StatusAccepted {
			t.Fatalf("old head, redelivered: status %d", code)
		}
		var all []*rivertype.JobRow
		waitFor(t, "the redelivery's job to finish", func() bool {
			all = finalJobs(t, dbURL, dataDir)
			for _, j := range all {
				if j.FinalizedAt == nil {
					return false
				}
			}
			return len(all) >= 2
		})
		srv.term()
		if len(all) != 2 {
			t.Fatalf("%d jobs, want 2 (no new job for the reviewed head):\n%s", len(all), srv.Logs())
		}
		for _, j := range all {
			if strings.Contains(string(j.EncodedArgs), oldHead) && j.State != rivertype.JobStateCancelled {
				t.Errorf("old head's job is %s, want cancelled", j.State)
			}
		}
		rs := g.Reviews("octo", "shop", 7)
		if len(rs) != 1 || rs[0].GetCommitID() != newHead {
			t.Fatalf("%d reviews, first at %s; want one, at the newest head %s:\n%s", len(rs), rs[0].GetCommitID(), newHead, srv.Logs())
		}
	})
}
