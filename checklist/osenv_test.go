package checklist

import "os"

func osEnviron() []string { return os.Environ() }
