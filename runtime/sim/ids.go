package sim

import (
	"fmt"
	"strings"
)

const hexDigits = "0123456789abcdef"

// Hex returns n lower-case hex digits from the seeded generator.
func (s *Sim) Hex(n int) string {
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		b.WriteByte(hexDigits[s.rand.IntN(16)])
	}
	return b.String()
}

// TaskID returns a new task ID: 32 hex characters without hyphens, the
// format of new ECS IDs since the long ARN format [DG:ecs-account-settings].
func (s *Sim) TaskID() string { return s.Hex(32) }

// EC2ID returns a new EC2 resource ID: the prefix ("i", "vpc", "subnet",
// "sg", "eni", "ami", ...), a hyphen and 17 hex characters, as EC2 issues
// them since 2018.
func (s *Sim) EC2ID(prefix string) string { return prefix + "-" + s.Hex(17) }

// UUID returns a new random (version 4) UUID, the format of ECS container
// IDs, request IDs and deployment tokens.
func (s *Sim) UUID() string {
	h := []byte(s.Hex(32))
	h[12] = '4'
	h[16] = hexDigits[8+s.rand.IntN(4)]
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}
