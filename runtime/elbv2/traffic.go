package elbv2

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
)

// The request load. A script sets a rate of requests per second on a load
// balancer (optionally for a host and path) or on a target group; the rate
// holds until it is set again. Requests to a load balancer are shared
// evenly by its listeners, each applies its rules, and a forward action
// splits them by weight over its target groups. In a target group the
// requests go round robin, so evenly, to the healthy targets; when there is
// none, to the unhealthy ones ("If a target group contains only unhealthy
// registered targets, the load balancer nodes route requests across its
// unhealthy targets." [ALB-UG:target-group-health-checks]); when there is
// no target, the load balancer answers 503.
//
// Every minute the load balancers publish AWS/ApplicationELB metrics for
// that minute [ALB-UG:load-balancer-cloudwatch-metrics]: RequestCount,
// RequestCountPerTarget, TargetResponseTime, the HTTPCode_Target_* and
// HTTPCode_ELB_* counts, and HealthyHostCount / UnHealthyHostCount. As in
// AWS, the request metrics are published only for minutes with requests
// ("If there are no requests flowing through the load balancer or no data
// for a metric, the metric is not reported."); the host counts every
// minute.

const (
	namespace       = "AWS/ApplicationELB"
	publishInterval = time.Minute
)

type stream struct{ host, path string }

type trafficState struct {
	lbRates map[string]map[stream]float64 // load balancer ARN -> rates
	tgRates map[string]float64            // target group ARN -> rate
	last    time.Time
	ticking bool
	acc     map[accKey]*accum
}

func (t *trafficState) init() {
	t.lbRates = map[string]map[stream]float64{}
	t.tgRates = map[string]float64{}
	t.acc = map[accKey]*accum{}
}

// accKey: a load balancer's totals (tg "") or a target group's behind it.
type accKey struct{ lb, tg string }

// accum sums a minute: requests by outcome, response time × requests, and
// host counts × seconds.
type accum struct {
	requests                     float64
	target                       [6]float64 // by status class 1xx..5xx (index 2..5)
	elb                          [6]float64
	elb502, elb503, elb504       float64
	rtSum                        float64
	healthySec, unhealthySec     float64
	routedSec                    float64 // targets that received requests × seconds
	hostSamples                  bool
	lbName, lbDim, tgName, tgDim string
}

// flow is a steady rate of requests with one outcome.
type flow struct {
	lb   *loadBalancer
	tg   *targetGroup // nil: answered by the load balancer itself
	t    *target      // nil: answered by the load balancer itself
	rps  float64
	code int // the HTTP status the client gets
	// byELB: the load balancer answered (fixed response, redirect, 5xx
	// for no target or a failed connection).
	byELB bool
	rt    float64 // response time, seconds
}

// SetTraffic sets the rate of requests per second to a load balancer (by
// ARN or name), for its DNS name and the path /.
func (e *ELBv2) SetTraffic(loadBalancerArnOrName string, rps float64) error {
	lb := e.lbByARN(loadBalancerArnOrName)
	if lb == nil {
		lb = e.lbByName(loadBalancerArnOrName)
	}
	if lb == nil {
		return lbNotFound()
	}
	return e.SetRequestTraffic(lb.arn, lb.dns, "/", rps)
}

// SetRequestTraffic sets the rate of requests per second to a load
// balancer for one host and path, which its rules see.
func (e *ELBv2) SetRequestTraffic(loadBalancerArn, host, path string, rps float64) error {
	lb := e.lbByARN(loadBalancerArn)
	if lb == nil {
		return lbNotFound()
	}
	if rps < 0 || math.IsNaN(rps) || math.IsInf(rps, 0) {
		return fmt.Errorf("elbv2: traffic of %v requests per second", rps)
	}
	e.accumulate()
	if e.traffic.lbRates[lb.arn] == nil {
		e.traffic.lbRates[lb.arn] = map[stream]float64{}
	}
	e.traffic.lbRates[lb.arn][stream{host, path}] = rps
	e.sim.Recordf("elbv2", "TrafficSet", lb.arn, "load balancer %s: %g requests/s for %s%s", lb.name, rps, host, path)
	e.startTicks()
	return nil
}

// SetTargetGroupTraffic sets the rate of requests per second sent straight
// to a target group (through the first active load balancer that uses it).
func (e *ELBv2) SetTargetGroupTraffic(tgArn string, rps float64) error {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return tgNotFound()
	}
	if rps < 0 || math.IsNaN(rps) || math.IsInf(rps, 0) {
		return fmt.Errorf("elbv2: traffic of %v requests per second", rps)
	}
	e.accumulate()
	e.traffic.tgRates[tg.arn] = rps
	e.sim.Recordf("elbv2", "TrafficSet", tg.arn, "target group %s: %g requests/s", tg.name, rps)
	e.startTicks()
	return nil
}

// Traffic returns the requests per second each registered target of a
// target group receives now (0 for those that receive none).
func (e *ELBv2) Traffic(tgArn string) map[TargetKey]float64 {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return nil
	}
	out := map[TargetKey]float64{}
	for _, t := range tg.targets {
		out[TargetKey{t.id, t.port}] = 0
	}
	for _, f := range e.flows() {
		if f.tg == tg && f.t != nil {
			out[TargetKey{f.t.id, f.t.port}] += f.rps
		}
	}
	return out
}

// ResourceLabel is the resource label of the ALBRequestCountPerTarget
// predefined metric for a load balancer and a target group:
// app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>
// [AppAutoScaling-API:PredefinedMetricSpecification].
func ResourceLabel(lbArn, tgArn string) string {
	_, lb, _ := strings.Cut(lbArn, ":loadbalancer/")
	_, tg, _ := strings.Cut(tgArn, ":targetgroup/")
	return lb + "/targetgroup/" + tg
}

// flows computes the steady flows of requests of the current rates, states
// and rules, in a deterministic order.
func (e *ELBv2) flows() []flow {
	var out []flow
	for _, lb := range e.lbs {
		rates := e.traffic.lbRates[lb.arn]
		if lb.state != LoadBalancerStateEnumActive || len(rates) == 0 {
			continue
		}
		var ls []*listener
		for _, l := range e.listeners {
			if l.lb == lb {
				ls = append(ls, l)
			}
		}
		if len(ls) == 0 {
			continue // nothing listens: connections are refused
		}
		slices.SortFunc(ls, func(a, b *listener) int { return a.port - b.port })
		streams := make([]stream, 0, len(rates))
		for s := range rates {
			streams = append(streams, s)
		}
		slices.SortFunc(streams, func(a, b stream) int { return strings.Compare(a.host+"\x00"+a.path, b.host+"\x00"+b.path) })
		for _, s := range streams {
			share := rates[s] / float64(len(ls))
			if share == 0 {
				continue
			}
			for _, l := range ls {
				out = e.actionFlows(out, lb, e.route(l, s.host, s.path), share)
			}
		}
	}
	for _, tg := range e.tgs {
		rps := e.traffic.tgRates[tg.arn]
		if rps == 0 {
			continue
		}
		if lbs := e.activeLBsOf(tg); len(lbs) > 0 {
			out = e.targetFlows(out, lbs[0], tg, rps)
		}
	}
	return out
}

func (e *ELBv2) actionFlows(out []flow, lb *loadBalancer, actions []Action, rps float64) []flow {
	a := actions[len(actions)-1]
	switch aws.ToString(a.Type) {
	case ActionTypeEnumFixedResponse:
		code := 0
		fmt.Sscan(aws.ToString(a.FixedResponseConfig.StatusCode), &code)
		return append(out, flow{lb: lb, rps: rps, code: code, byELB: true})
	case ActionTypeEnumRedirect:
		code := 301
		if aws.ToString(a.RedirectConfig.StatusCode) == RedirectActionStatusCodeEnumHTTP302 {
			code = 302
		}
		return append(out, flow{lb: lb, rps: rps, code: code, byELB: true})
	}
	total := 0
	for _, t := range a.ForwardConfig.TargetGroups {
		total += aws.ToInt(t.Weight)
	}
	if total == 0 {
		return append(out, flow{lb: lb, rps: rps, code: 503, byELB: true})
	}
	for _, t := range a.ForwardConfig.TargetGroups {
		if w := aws.ToInt(t.Weight); w > 0 {
			if tg := e.tgByARN(aws.ToString(t.TargetGroupArn)); tg != nil {
				out = e.targetFlows(out, lb, tg, rps*float64(w)/float64(total))
			}
		}
	}
	return out
}

// targetFlows spreads a target group's requests round robin.
func (e *ELBv2) targetFlows(out []flow, lb *loadBalancer, tg *targetGroup, rps float64) []flow {
	var healthy, unhealthy []*target
	for _, t := range tg.targets {
		switch t.state {
		case StateHealthy:
			healthy = append(healthy, t)
		case StateUnhealthy:
			unhealthy = append(unhealthy, t)
		}
	}
	if len(healthy) > 0 {
		each := rps / float64(len(healthy))
		for _, t := range healthy {
			out = append(out, flow{lb: lb, tg: tg, t: t, rps: each, code: 200, rt: e.responseTime(t, each)})
		}
		return out
	}
	if len(unhealthy) == 0 {
		return append(out, flow{lb: lb, tg: tg, rps: rps, code: 503, byELB: true})
	}
	each := rps / float64(len(unhealthy))
	for _, t := range unhealthy {
		r := e.probe(lb, tg, t, t.port, "/", "")
		f := flow{lb: lb, tg: tg, t: t, rps: each}
		switch {
		case r.pass:
			f.code, f.rt = r.status, e.responseTime(t, each)
			if f.code == 0 {
				f.code = 200
			}
		case r.reason == ReasonFailedHealthChecks || r.invalid != "":
			f.code, f.byELB = 502, true
		case r.reason == ReasonResponseCodeMismatch:
			f.code, f.rt = r.status, e.responseTime(t, each)
		default:
			f.code, f.byELB = 504, true
		}
		out = append(out, f)
	}
	return out
}

func (e *ELBv2) responseTime(t *target, rps float64) float64 {
	if rt, ok := e.backends.(ResponseTimer); ok {
		return rt.ResponseTime(t.id, t.port, rps).Seconds()
	}
	return DefaultResponseTime.Seconds()
}

// startTicks starts the per-minute accumulation and publication once there
// is a load balancer or traffic.
func (e *ELBv2) startTicks() {
	if e.traffic.ticking {
		return
	}
	e.traffic.ticking = true
	e.traffic.last = e.sim.Now()
	next := e.sim.Now().Truncate(publishInterval).Add(publishInterval)
	e.sim.At(next, "elbv2 metrics", e.tick)
}

func (e *ELBv2) tick() {
	now := e.sim.Now()
	e.accumulate()
	e.publish(now.Add(-publishInterval))
	e.traffic.acc = map[accKey]*accum{}
	e.sim.At(now.Add(publishInterval), "elbv2 metrics", e.tick)
}

func (e *ELBv2) accFor(lb *loadBalancer, tg *targetGroup) *accum {
	k := accKey{lb: lb.arn}
	if tg != nil {
		k.tg = tg.arn
	}
	a := e.traffic.acc[k]
	if a == nil {
		a = &accum{lbName: lb.name, lbDim: lb.dimension()}
		if tg != nil {
			a.tgName, a.tgDim = tg.name, tg.dimension()
		}
		e.traffic.acc[k] = a
	}
	return a
}

// accumulate adds the flows since the last call to the minute's sums. Every
// change of rates, states or routing calls it first, so the sums are exact
// for piecewise constant rates.
func (e *ELBv2) accumulate() {
	if !e.traffic.ticking {
		return
	}
	now := e.sim.Now()
	dt := now.Sub(e.traffic.last).Seconds()
	e.traffic.last = now
	if dt <= 0 {
		return
	}
	routed := map[accKey]map[*target]bool{}
	for _, f := range e.flows() {
		n := f.rps * dt
		for _, a := range []*accum{e.accFor(f.lb, nil), e.accForFlow(f)} {
			if a == nil {
				continue
			}
			a.requests += n
			class := min(max(f.code/100, 0), 5)
			if f.byELB {
				a.elb[class] += n
				switch f.code {
				case 502:
					a.elb502 += n
				case 503:
					a.elb503 += n
				case 504:
					a.elb504 += n
				}
			} else {
				a.target[class] += n
				a.rtSum += f.rt * n
			}
		}
		if f.t != nil {
			k := accKey{f.lb.arn, f.tg.arn}
			if routed[k] == nil {
				routed[k] = map[*target]bool{}
			}
			routed[k][f.t] = true
		}
	}
	for _, lb := range e.lbs {
		if lb.state != LoadBalancerStateEnumActive {
			continue
		}
		for _, tg := range e.tgs {
			if !e.lbUses(lb, tg) {
				continue
			}
			a := e.accFor(lb, tg)
			a.hostSamples = true
			for _, t := range tg.targets {
				switch t.state {
				case StateHealthy:
					a.healthySec += dt
				case StateUnhealthy:
					a.unhealthySec += dt
				}
			}
			a.routedSec += float64(len(routed[accKey{lb.arn, tg.arn}])) * dt
		}
	}
}

func (e *ELBv2) accForFlow(f flow) *accum {
	if f.tg == nil {
		return nil
	}
	return e.accFor(f.lb, f.tg)
}

// publish sends the minute's metrics, in a stable order.
func (e *ELBv2) publish(at time.Time) {
	if e.metrics == nil {
		return
	}
	keys := make([]accKey, 0, len(e.traffic.acc))
	for k := range e.traffic.acc {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b accKey) int { return strings.Compare(a.lb+"\x00"+a.tg, b.lb+"\x00"+b.tg) })
	minute := publishInterval.Seconds()
	for _, k := range keys {
		a := e.traffic.acc[k]
		dims := []cloudwatch.Dim{{Name: "LoadBalancer", Value: a.lbDim}}
		if k.tg != "" {
			dims = []cloudwatch.Dim{{Name: "TargetGroup", Value: a.tgDim}, {Name: "LoadBalancer", Value: a.lbDim}}
			if a.hostSamples {
				e.metrics.Publish(namespace, "HealthyHostCount", dims, a.healthySec/minute, "Count", at)
				e.metrics.Publish(namespace, "UnHealthyHostCount", dims, a.unhealthySec/minute, "Count", at)
			}
		}
		if a.requests == 0 {
			continue
		}
		e.metrics.Publish(namespace, "RequestCount", dims, a.requests, "Count", at)
		if k.tg != "" {
			perTarget := a.requests / max(a.routedSec/minute, 1)
			e.metrics.Publish(namespace, "RequestCountPerTarget", dims, perTarget, "Count", at)
			e.metrics.Publish(namespace, "RequestCountPerTarget", dims[:1], perTarget, "Count", at)
		}
		if served := a.target[1] + a.target[2] + a.target[3] + a.target[4] + a.target[5]; served > 0 {
			e.metrics.Publish(namespace, "TargetResponseTime", dims, a.rtSum/served, "Seconds", at)
		}
		for class := 2; class <= 5; class++ {
			if a.target[class] > 0 {
				e.metrics.Publish(namespace, fmt.Sprintf("HTTPCode_Target_%dXX_Count", class), dims, a.target[class], "Count", at)
			}
		}
		if k.tg != "" {
			continue // the load balancer's own answers are per load balancer
		}
		for class := 2; class <= 5; class++ {
			if a.elb[class] > 0 {
				e.metrics.Publish(namespace, fmt.Sprintf("HTTPCode_ELB_%dXX_Count", class), dims, a.elb[class], "Count", at)
			}
		}
		for _, c := range []struct {
			name string
			n    float64
		}{{"HTTPCode_ELB_502_Count", a.elb502}, {"HTTPCode_ELB_503_Count", a.elb503}, {"HTTPCode_ELB_504_Count", a.elb504}} {
			if c.n > 0 {
				e.metrics.Publish(namespace, c.name, dims, c.n, "Count", at)
			}
		}
	}
}
