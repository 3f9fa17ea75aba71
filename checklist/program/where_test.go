package program

import "testing"

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
		{"example.com/shop/cmd/e2e/opevents", "main", TestSupport},
		{"example.com/shop/test/e2etests", "e2etests", TestSupport},
		{"example.com/shop/internal/destinationmockserver", "destinationmockserver", TestSupport},
		{"example.com/shop/internal/recipe", "recipe", Serving}, // no segment is a harness
		{"example.com/shop/internal/e2ee", "e2ee", Serving},     // end-to-end encryption serves
		{"example.com/shop/api_e2e", "api_e2e", TestSupport},
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
		{"internal/scripts/seed", true},
		{"internal/agent/tools", false}, // an agent's tools serve requests
		{"cmd/server", false},
	} {
		if got := devToolPath(tc.rel); got != tc.want {
			t.Errorf("devToolPath(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
}
