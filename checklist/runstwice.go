package checklist

// runsTwiceChecks are the checks that answer "what if this runs twice?".
func runsTwiceChecks() []*Check { return nil }
