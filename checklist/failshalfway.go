package checklist

// failsHalfwayChecks are the checks that answer "what if a call fails halfway?".
// Each check's analyzer and catalog entry live in their own
// failshalfway_<name>.go file.
func failsHalfwayChecks() []*Check {
	return []*Check{
		txNoRollbackCheck(),
		sqlRowsNotClosedCheck(),
		sqlRowsErrUncheckedCheck(),
		httpNoContextCheck(),
		contextBackgroundCheck(),
	}
}

// leftOutFailsHalfway lists the fails-halfway checks of the catalogue that do
// not ship, and why.
func leftOutFailsHalfway() []LeftOut { return nil }

// failsHalfwayPeers holds, per check ID, how the check compares with the
// public linter it overlaps.
func failsHalfwayPeers() map[string]string {
	return map[string]string{}
}
