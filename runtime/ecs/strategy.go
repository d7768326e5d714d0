package ecs

import (
	"sort"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Capacity provider strategy limits [API:CapacityProviderStrategyItem],
// reference 1.2: at most 20 providers, base 0–100,000 on at most one of
// them, weight 0–1,000.
const (
	maxStrategyItems = 20
	maxStrategyBase  = 100000
	maxStrategyWgt   = 1000
)

// validateStrategy applies the rules of reference 1.2 to a strategy that
// may use the providers associated with a cluster.
func (e *ECS) validateStrategy(associated []string, strategy []CapacityProviderStrategyItem) error {
	if len(strategy) > maxStrategyItems {
		// [API:RunTaskRequest] "A capacity provider strategy can contain a maximum of 20 capacity providers"
		return invalidParam("A capacity provider strategy can contain a maximum of %d capacity providers.", maxStrategyItems)
	}
	bases, weighted := 0, 0
	fargate, asg := false, false
	seen := map[string]bool{}
	for _, item := range strategy {
		name := deref(item.CapacityProvider)
		if !oneOf(name, associated) {
			// text not verified
			return invalidParam("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.")
		}
		if seen[name] {
			// text not verified
			return invalidParam("The specified capacity provider strategy contains the capacity provider '%s' more than once.", name)
		}
		seen[name] = true
		if w := aws.ToInt(item.Weight); w < 0 || w > maxStrategyWgt {
			// text not verified
			return invalidParam("The weight of capacity provider '%s' must be between 0 and %d.", name, maxStrategyWgt)
		} else if w > 0 {
			weighted++
		}
		b := aws.ToInt(item.Base)
		if b < 0 || b > maxStrategyBase {
			// text not verified
			return invalidParam("The base of capacity provider '%s' must be between 0 and %d.", name, maxStrategyBase)
		}
		if b > 0 {
			bases++
		}
		if cp := e.providers[name]; cp != nil && cp.fargate {
			fargate = true
		} else {
			asg = true
		}
	}
	if bases > 1 {
		// text not verified; the rule is [API:CapacityProviderStrategyItem]
		return invalidParam("Only one capacity provider in a capacity provider strategy can have a base defined.")
	}
	if len(strategy) > 1 && weighted == 0 {
		// text not verified; the rule is [API:CapacityProviderStrategyItem]
		return invalidParam("The specified capacity provider strategy is invalid. At least one capacity provider in the strategy must have a weight greater than zero.")
	}
	if fargate && asg {
		// reference 1.2 rule 4 (https://github.com/terraform-aws-modules/terraform-aws-ecs/issues/68)
		return invalidParam("A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.")
	}
	return nil
}

// split divides n tasks over a strategy's providers: the provider with a
// base gets min(base, n) first, the rest goes by weight with
// largest-remainder rounding, ties to the provider listed first (reference
// 1.4: the ratios are AWS's, the rounding is ecsbox's documented choice).
// A strategy of one provider gets everything whatever its weight.
func split(strategy []CapacityProviderStrategyItem, n int) []int {
	alloc := make([]int, len(strategy))
	if len(strategy) == 0 || n <= 0 {
		return alloc
	}
	if len(strategy) == 1 {
		alloc[0] = n
		return alloc
	}
	rest := n
	for i, item := range strategy {
		if b := aws.ToInt(item.Base); b > 0 {
			alloc[i] = min(b, n)
			rest -= alloc[i]
		}
	}
	total := 0
	for _, item := range strategy {
		total += aws.ToInt(item.Weight)
	}
	if rest <= 0 || total == 0 {
		return alloc
	}
	type share struct {
		i    int
		frac float64
	}
	shares := make([]share, len(strategy))
	given := 0
	for i, item := range strategy {
		exact := float64(rest) * float64(aws.ToInt(item.Weight)) / float64(total)
		whole := int(exact)
		alloc[i] += whole
		given += whole
		shares[i] = share{i, exact - float64(whole)}
	}
	sort.SliceStable(shares, func(a, b int) bool { return shares[a].frac > shares[b].frac })
	for k := 0; given < rest; k++ {
		if aws.ToInt(strategy[shares[k%len(shares)].i].Weight) == 0 {
			continue
		}
		alloc[shares[k%len(shares)].i]++
		given++
	}
	return alloc
}
