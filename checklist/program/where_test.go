package program

import (
	"go/parser"
	"go/token"
	"testing"
)

func TestSettingOfPathAndFile(t *testing.T) {
	for _, tc := range []struct {
		path, name string
		want       Setting
	}{
		{"example.com/shop/api", "api", Serving},
		{"example.com/shop/internal/testutil", "testutil", TestSupport},
		{"example.com/shop/store/storetest", "storetest", TestSupport},
		{"example.com/shop/mocks", "mocks", TestSupport},
		{"example.com/shop/examples/hello", "main", TestSupport},
		{"example.com/shop/db/migrations", "migrations", OneShot},
		{"example.com/shop/latest", "latest", Serving}, // a word, not a ...test package
		{"example.com/shop/testing", "testing", TestSupport},
		{"example.com/shop/internal/testenv/upstreams", "upstreams", TestSupport}, // an integration-test environment
		{"example.com/shop/test/bearer-token/okapi", "main", TestSupport},         // a stub server an end-to-end script runs
		{"example.com/shop/internal/contest", "contest", Serving},                 // a word that ends in test
		{"example.com/shop/cmd/e2e/opevents", "main", TestSupport},
		{"example.com/shop/test/e2etests", "e2etests", TestSupport},
		{"example.com/shop/internal/destinationmockserver", "destinationmockserver", TestSupport},
		{"example.com/shop/internal/recipe", "recipe", Serving}, // no segment is a harness
		{"example.com/shop/internal/e2ee", "e2ee", Serving},     // end-to-end encryption serves
		{"example.com/shop/api_e2e", "api_e2e", TestSupport},
		{"example.com/shop/e2e/opevents", "opevents", TestSupport},
		{"example.com/shop/internal/mockserver/mocksdk", "mocksdk", TestSupport},
		{"example.com/shop/hack/gendocs", "main", OneShot},
		{"example.com/shop/internal/redis/scripts", "scripts", Serving}, // Lua scripts the service runs
		{"example.com/shop/internal/generator", "generator", Serving},   // a serving report generator
		{"example.com/shop/pkg/tools", "tools", Serving},                // a helper library named tools
		{"example.com/shop/pkg/e2eish", "e2eish", Serving},
		{"example.com/shop/cmd/shop-demo-p2p", "main", TestSupport}, // a demonstration binary
		{"example.com/shop/contrib/demos/kiosk", "main", TestSupport},
		{"example.com/shop/internal/democracy", "democracy", Serving}, // a word that only contains demo
		{"example.com/shop/internal/demote", "demote", Serving},
		{"example.com/demo", "demo", Serving}, // a module that is only named demo
		{"example.com/demo/api", "api", Serving},
		{"example.com/shop/cmd/demo", "main", TestSupport}, // a demo command
	} {
		if got := settingOfPath(tc.path, tc.name); got != tc.want {
			t.Errorf("settingOfPath(%q, %q) = %s, want %s", tc.path, tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		base string
		want Setting
	}{
		{"handler.go", Serving},
		{"handler_test.go", TestSupport},
		{"mock_store.go", TestSupport},
		{"store_mock.go", TestSupport},
		{"example_client.go", TestSupport},
		{"0001_migrate_users.go", OneShot},
		{"20210416150927_state_blocks_refactor.go", OneShot},
		{"20220614_visibility.go", OneShot},
		{"1234567_short.go", Serving},
		{"2021041615092700.go", Serving},
	} {
		if got := settingOfFile(tc.base); got != tc.want {
			t.Errorf("settingOfFile(%q) = %s, want %s", tc.base, got, tc.want)
		}
	}
}

func TestDevToolPath(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"tools/gen-docs", true},
		{"hack/devserver", true},
		{"devtools/sendit", true},
		{"internal/dev-tools/tunnel", true},
		{"scripts/seed", true},
		{"internal/redis/scripts", false}, // Lua scripts the service runs
		{"internal/agent/tools", false},   // an agent's tools serve requests
		{"cmd/server", false},
		{"cmd/tcl/devbox-binary-storage", true},
		{"cmd/tcl/kubectl-testkube/devbox/devutils", true},
		{"cmd/debug-server", true},
		{"internal/debug", false}, // a debug endpoint the service serves
	} {
		if got := devToolPath(tc.rel); got != tc.want {
			t.Errorf("devToolPath(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
}

func TestSettingOfBuild(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Setting
	}{
		{"//go:build ignore\n\npackage main\n", OneShot},
		{"//go:build tools\n\npackage tools\n", OneShot},
		{"//go:build linux && !cgo\n\npackage store\n", Serving},
		{"package store\n\n//go:build ignore\nvar x int\n", Serving}, // not a constraint: after the package clause
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", tc.src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if got := settingOfBuild(f); got != tc.want {
			t.Errorf("settingOfBuild(%q) = %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestCLIPackage(t *testing.T) {
	for path, want := range map[string]bool{
		"example.com/shop/internal/cli":                true,
		"example.com/shop/cmd/shop-cli/clisupport":     true,
		"example.com/shop/internal/client":             false,
		"example.com/shop/pkg/clients/cliproxy":        false,
		"example.com/shop/internal/cliutil/formatting": false,
	} {
		if got := cliPackage(path); got != want {
			t.Errorf("cliPackage(%q) = %v, want %v", path, got, want)
		}
	}
}
