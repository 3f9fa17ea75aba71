// Package wait stands in for k8s.io/apimachinery/pkg/util/wait: the same
// names and signatures, bodies reduced to what the tests need.
package wait

import (
	"errors"
	"time"
)

// ErrWaitTimeout is returned when a poll is stopped before its condition holds.
var ErrWaitTimeout = errors.New("timed out waiting for the condition")

// ConditionFunc reports whether polling may stop, or fails.
type ConditionFunc func() (done bool, err error)

// PollImmediateUntil runs condition every interval until it holds, fails or
// stopCh is closed.
func PollImmediateUntil(interval time.Duration, condition ConditionFunc, stopCh <-chan struct{}) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		done, err := condition()
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		select {
		case <-stopCh:
			return ErrWaitTimeout
		case <-t.C:
		}
	}
}
