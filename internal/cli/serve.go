package cli

import (
	"context"
	"fmt"
)

func runServe(context.Context, *Env, []string) error {
	return fmt.Errorf("serve: not built yet")
}
