package testenv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestWebhooksHaveGitHubsShape checks every carried payload: it decodes,
// and, where the shared fixtures (GitHub's published examples) sit beside
// the repository, each field it has exists there with the same JSON type.
func TestWebhooksHaveGitHubsShape(t *testing.T) {
	shared, haveShared := Shared(t)
	names := WebhookNames(t)
	if len(names) < 10 {
		t.Fatalf("only %d webhook fixtures", len(names))
	}
	for _, name := range names {
		var ours any
		if err := json.Unmarshal(Webhook(t, name), &ours); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !haveShared {
			continue
		}
		b, err := os.ReadFile(filepath.Join(shared, "webhooks", name))
		if err != nil {
			t.Errorf("%s: no shared counterpart: %v", name, err)
			continue
		}
		var theirs any
		if err := json.Unmarshal(b, &theirs); err != nil {
			t.Fatalf("shared %s: %v", name, err)
		}
		sameShape(t, name, "", ours, theirs)
	}
}

// sameShape reports fields of ours missing from theirs or of another type;
// a null on either side matches anything.
func sameShape(t *testing.T, file, path string, ours, theirs any) {
	t.Helper()
	if ours == nil || theirs == nil {
		return
	}
	switch o := ours.(type) {
	case map[string]any:
		m, ok := theirs.(map[string]any)
		if !ok {
			t.Errorf("%s: %s is an object here, %T in GitHub's example", file, path, theirs)
			return
		}
		for k, v := range o {
			tv, ok := m[k]
			if !ok {
				t.Errorf("%s: %s.%s is not in GitHub's example", file, path, k)
				continue
			}
			sameShape(t, file, path+"."+k, v, tv)
		}
	case []any:
		a, ok := theirs.([]any)
		if !ok {
			t.Errorf("%s: %s is an array here, %T in GitHub's example", file, path, theirs)
			return
		}
		if len(o) > 0 && len(a) > 0 {
			sameShape(t, file, path+"[0]", o[0], a[0])
		}
	default:
		if _, isMap := theirs.(map[string]any); isMap {
			t.Errorf("%s: %s is %T here, an object in GitHub's example", file, path, ours)
		} else if _, isArr := theirs.([]any); isArr {
			t.Errorf("%s: %s is %T here, an array in GitHub's example", file, path, ours)
		} else if fmtType(ours) != fmtType(theirs) {
			t.Errorf("%s: %s is %T here, %T in GitHub's example", file, path, ours, theirs)
		}
	}
}

func fmtType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "other"
}
