package cli

import (
	"context"
	"fmt"
)

func runAction(context.Context, *Env, []string) error {
	return fmt.Errorf("action: not built yet")
}
