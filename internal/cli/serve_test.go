package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeHelpDocumentsEveryVariable(t *testing.T) {
	code, _, stderr := runCLI(t, nil, "serve", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d, want 0", code)
	}
	for _, v := range []string{
		"PRODREADY_APP_ID", "PRODREADY_PRIVATE_KEY", "PRODREADY_PRIVATE_KEY_FILE", "PRODREADY_WEBHOOK_SECRET",
		"PRODREADY_DATABASE_URL", "PRODREADY_ADDR", "PRODREADY_DATA_DIR", "GITHUB_API_URL",
		"OPENAI_API_KEY", "OPENAI_BASE_URL", "PRODREADY_MODEL", "PRODREADY_WORKERS", "PRODREADY_PER_INSTALLATION",
		"PRODREADY_JOB_TIMEOUT", "PRODREADY_RESCUE_AFTER", "PRODREADY_MAX_ATTEMPTS", "PRODREADY_MAX_WORKSPACE_MB", "PRODREADY_REVIEW_DRAFTS",
		"PRODREADY_REPLICA_ID", "PRODREADY_SHUTDOWN_GRACE", "PRODREADY_POLL_INTERVAL", "PRODREADY_LOG_LEVEL",
		"default :8080", "default prodready-data",
	} {
		if !strings.Contains(stderr, v) {
			t.Errorf("serve --help does not mention %s", v)
		}
	}
	if strings.Contains(stderr, "Flags:") {
		t.Errorf("serve --help has a \"Flags:\" heading, but serve takes no flags:\n%s", stderr)
	}
}

// testKey is a PEM RSA key such as GitHub issues for an App.
func testKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func TestServeBadConfigIsOneLine(t *testing.T) {
	full := map[string]string{
		"PRODREADY_APP_ID": "12", "PRODREADY_PRIVATE_KEY": testKey(t), "PRODREADY_WEBHOOK_SECRET": "s",
		"PRODREADY_DATA_DIR": t.TempDir(), "PRODREADY_ADDR": "127.0.0.1:0",
	}
	cases := []struct {
		name, key, value, want string
	}{
		{"no app id", "PRODREADY_APP_ID", "", "PRODREADY_APP_ID"},
		{"bad app id", "PRODREADY_APP_ID", "abc", "PRODREADY_APP_ID"},
		{"no key", "PRODREADY_PRIVATE_KEY", "", "PRODREADY_PRIVATE_KEY"},
		{"no secret", "PRODREADY_WEBHOOK_SECRET", "", "PRODREADY_WEBHOOK_SECRET"},
		{"bad workers", "PRODREADY_WORKERS", "-1", "PRODREADY_WORKERS"},
		{"bad timeout", "PRODREADY_JOB_TIMEOUT", "soon", "PRODREADY_JOB_TIMEOUT"},
		{"rescue before timeout", "PRODREADY_RESCUE_AFTER", "1s", "PRODREADY_RESCUE_AFTER"},
		{"bad drafts", "PRODREADY_REVIEW_DRAFTS", "maybe", "PRODREADY_REVIEW_DRAFTS"},
		{"bad database", "PRODREADY_DATABASE_URL", "mysql://u:pw@h/db", "PRODREADY_DATABASE_URL"},
		{"bad key", "PRODREADY_PRIVATE_KEY", "not a key", "PRODREADY_PRIVATE_KEY: not the App's PEM private key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range full {
				env[k] = v
			}
			env[c.key] = c.value
			code, _, stderr := runCLI(t, env, "serve")
			if code == ExitOK {
				t.Fatalf("exit 0 with %s=%q", c.key, c.value)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "prodready: ") || !strings.Contains(last, c.want) {
				t.Fatalf("stderr = %q; want one line naming %s", stderr, c.want)
			}
			if strings.Contains(stderr, "pw@") {
				t.Fatalf("stderr leaks the database password: %q", stderr)
			}
		})
	}
}

// A bad PEM file is named by the variable the user set, with its path.
func TestServeBadKeyFileNamesItsVariable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(file, []byte("-----BEGIN NOTHING-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PRODREADY_APP_ID": "12", "PRODREADY_PRIVATE_KEY_FILE": file, "PRODREADY_WEBHOOK_SECRET": "s",
		"PRODREADY_DATA_DIR": t.TempDir(), "PRODREADY_ADDR": "127.0.0.1:0"}
	code, _, stderr := runCLI(t, env, "serve")
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitUsage, stderr)
	}
	if !strings.Contains(stderr, "PRODREADY_PRIVATE_KEY_FILE ("+file+"): not the App's PEM private key") {
		t.Fatalf("stderr = %q; want PRODREADY_PRIVATE_KEY_FILE and the file named", stderr)
	}
	if strings.Contains(stderr, "PRODREADY_PRIVATE_KEY:") || strings.Contains(stderr, "PRODREADY_PRIVATE_KEY)") {
		t.Fatalf("stderr = %q; names PRODREADY_PRIVATE_KEY, which the user did not set", stderr)
	}
}
