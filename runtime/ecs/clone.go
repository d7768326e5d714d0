package ecs

import (
	"encoding/json"
	"fmt"
)

// clone returns a deep copy of v through its JSON form, the form in which
// these shapes reach callers anyway. Stored resources are cloned on the way
// in and out so that no caller shares memory with the simulated account.
// Empty-but-present slices stay present ([] round-trips to []), which keeps
// the difference AWS makes between an omitted member and an empty one.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("ecs: clone %T: %v", v, err)) // the generated shapes always marshal
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("ecs: clone %T: %v", v, err))
	}
	return out
}
