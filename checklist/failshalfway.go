package checklist

// failsHalfwayChecks are the checks that answer "what if a call fails halfway?".
func failsHalfwayChecks() []*Check { return nil }
