package checklist

// underLoadChecks are the checks that answer "how does this behave under load?".
func underLoadChecks() []*Check { return nil }
