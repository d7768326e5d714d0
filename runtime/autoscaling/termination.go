package autoscaling

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Which instance a scale-in removes [ASG-UG:ec2-auto-scaling-termination-policies]:
//
//  1. Instances protected from scale-in are never candidates.
//  2. "Amazon EC2 Auto Scaling always balances instances across
//     Availability Zones first, regardless of which termination policy is
//     used": the candidates are narrowed to the Availability Zone with the
//     most instances that has an unprotected one (ties: the zone whose name
//     sorts first — AWS does not say).
//  3. The group's termination policies narrow the candidates in order:
//     OldestInstance, NewestInstance, OldestLaunchTemplate (instances of a
//     template other than the current one first, then the oldest version
//     of the current one), ClosestToNextInstanceHour, and Default, which
//     is OldestLaunchTemplate then ClosestToNextInstanceHour.
//     OldestLaunchConfiguration and AllocationStrategy change nothing here
//     (no launch configurations, no mixed instances policy in ecsbox).
//  4. Default applies after the listed policies when more than one
//     candidate is left, and the last tie is broken at random (the
//     simulation's seeded generator), as AWS "randomly" does.
//
// Billing is per second today; "closest to the next instance hour" is kept
// as AWS still documents it: the instance whose running time is nearest
// below a whole number of hours.

// chooseVictim picks the instance to terminate among the active members,
// or nil when every one of them is protected. It also says why.
func chooseVictim(active []*member, policies []string, current ltRef, now time.Time, rnd *rand.Rand) (*member, string) {
	var cands []*member
	for _, m := range active {
		if !m.protected {
			cands = append(cands, m)
		}
	}
	if len(cands) == 0 {
		return nil, ""
	}
	az := balanceZone(active, cands)
	var why []string
	narrowed := cands[:0:0]
	for _, m := range cands {
		if m.az == az {
			narrowed = append(narrowed, m)
		}
	}
	if len(narrowed) < len(cands) {
		why = append(why, "Availability Zone "+az+" has the most instances")
	}
	cands = narrowed
	order := append(slices.Clone(policies), "Default")
	for _, p := range order {
		if len(cands) == 1 {
			break
		}
		before := len(cands)
		cands = applyPolicy(p, cands, current, now)
		if len(cands) < before {
			why = append(why, p)
		}
	}
	pick := cands[0]
	if len(cands) > 1 {
		pick = cands[rnd.IntN(len(cands))]
		why = append(why, fmt.Sprintf("random among %d", len(cands)))
	}
	if len(why) == 0 {
		why = append(why, "only candidate")
	}
	return pick, strings.Join(why, ", then ")
}

// balanceZone returns the zone with the most active instances among the
// zones that have a candidate.
func balanceZone(active, cands []*member) string {
	count := map[string]int{}
	for _, m := range active {
		count[m.az]++
	}
	best := ""
	for _, m := range cands {
		switch {
		case best == "", count[m.az] > count[best], count[m.az] == count[best] && m.az < best:
			best = m.az
		}
	}
	return best
}

// applyPolicy keeps the candidates one termination policy prefers.
func applyPolicy(p string, cands []*member, current ltRef, now time.Time) []*member {
	switch p {
	case "OldestInstance":
		return keepBest(cands, func(m *member) float64 { return -float64(m.launched.UnixNano()) })
	case "NewestInstance":
		return keepBest(cands, func(m *member) float64 { return float64(m.launched.UnixNano()) })
	case "OldestLaunchTemplate":
		return oldestTemplate(cands, current)
	case "ClosestToNextInstanceHour":
		return keepBest(cands, func(m *member) float64 { return float64(now.Sub(m.launched) % time.Hour) })
	case "Default":
		return applyPolicy("ClosestToNextInstanceHour", oldestTemplate(cands, current), current, now)
	}
	return cands
}

// oldestTemplate keeps the instances of another template than the
// group's, or, if none, those of the oldest version.
func oldestTemplate(cands []*member, current ltRef) []*member {
	var other []*member
	for _, m := range cands {
		if m.lt.id != current.id {
			other = append(other, m)
		}
	}
	if len(other) > 0 {
		return other
	}
	return keepBest(cands, func(m *member) float64 {
		v, _ := strconv.Atoi(m.lt.version)
		return -float64(v)
	})
}

// keepBest keeps the candidates with the highest score.
func keepBest(cands []*member, score func(*member) float64) []*member {
	var out []*member
	var best float64
	for _, m := range cands {
		s := score(m)
		switch {
		case len(out) == 0 || s > best:
			out, best = []*member{m}, s
		case s == best:
			out = append(out, m)
		}
	}
	return out
}

// leastLoadedZone returns the zone a launch goes to: the one with the
// fewest active instances; ties go to the zone whose name sorts first.
func leastLoadedZone(zones []string, active []*member) string {
	count := map[string]int{}
	for _, m := range active {
		count[m.az]++
	}
	best := ""
	for _, z := range zones {
		if best == "" || count[z] < count[best] {
			best = z
		}
	}
	return best
}
