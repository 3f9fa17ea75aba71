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
