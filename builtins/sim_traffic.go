package builtins

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
)

// sim.set_traffic: the request load that flows through the account's
// Application Load Balancers to the targets behind them.

func init() {
	docs["sim.set_traffic"] = doc{"sim.set_traffic(load_balancer=None, target_group=None, rps=0, host=None, path=\"/\")",
		[]string{"load_balancer", "target_group", "rps", "host", "path"},
		"Sets the requests per second sent to a load balancer (its ARN, its name, or the dict\n" +
			"create_load_balancer returned; with host and path as its rules see them, the load\n" +
			"balancer's DNS name and / by default) or straight to a target group (ARN or dict).\n" +
			"Requests go round-robin to the healthy targets (to all of them when none is healthy,\n" +
			"as ALB fails open); each costs the task that serves it 5 ms of CPU, and the\n" +
			"AWS/ApplicationELB metrics (RequestCount, RequestCountPerTarget, TargetResponseTime,\n" +
			"HealthyHostCount, UnHealthyHostCount, HTTPCode_*) follow every minute."}
}

func (in *Interp) simSetTraffic(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lb, tg starlark.Value = starlark.None, starlark.None
	var rps starlark.Value = starlark.MakeInt(0)
	var host starlark.Value = starlark.None
	path := "/"
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "load_balancer?", &lb, "target_group?", &tg, "rps?", &rps, "host?", &host, "path?", &path); err != nil {
		return nil, err
	}
	rate, ok := starlark.AsFloat(rps)
	if !ok {
		return nil, fmt.Errorf("%s: rps must be a number, not %s", b.Name(), rps.Type())
	}
	elb := in.cloud.ELBv2
	switch {
	case lb != starlark.None && tg != starlark.None:
		return nil, fmt.Errorf("%s: give load_balancer or target_group, not both", b.Name())
	case tg != starlark.None:
		arn, err := arnArg(b.Name(), "target_group", tg, "TargetGroupArn")
		if err != nil {
			return nil, err
		}
		return starlark.None, elb.SetTargetGroupTraffic(arn, rate)
	case lb != starlark.None:
		ref, err := arnArg(b.Name(), "load_balancer", lb, "LoadBalancerArn")
		if err != nil {
			return nil, err
		}
		if host == starlark.None && path == "/" {
			return starlark.None, elb.SetTraffic(ref, rate)
		}
		h, ok := starlark.AsString(host)
		if host != starlark.None && !ok {
			return nil, fmt.Errorf("%s: host must be a string, not %s", b.Name(), host.Type())
		}
		info, found := elb.LoadBalancer(ref)
		if !found {
			return starlark.None, elb.SetTraffic(ref, rate) // its error names the load balancer
		}
		if h == "" {
			h = info.DNSName
		}
		return starlark.None, elb.SetRequestTraffic(info.ARN, h, path, rate)
	}
	return nil, fmt.Errorf("%s: give load_balancer or target_group", b.Name())
}

// arnArg reads a resource argument: an ARN or name string, or a dict the
// API returned that holds key (or the list of one such dict under key's
// plural, as create_target_group returns {"TargetGroups": [...]}).
func arnArg(fn, param string, v starlark.Value, key string) (string, error) {
	if s, ok := starlark.AsString(v); ok {
		return s, nil
	}
	if d, ok := v.(*starlark.Dict); ok {
		if x, found, _ := d.Get(starlark.String(key)); found {
			if s, ok := starlark.AsString(x); ok {
				return s, nil
			}
		}
		// {"LoadBalancers": [{...}]} as create_load_balancer returns it.
		plural := strings.TrimSuffix(key, "Arn") + "s"
		if x, found, _ := d.Get(starlark.String(plural)); found {
			if l, ok := x.(*starlark.List); ok && l.Len() == 1 {
				return arnArg(fn, param, l.Index(0), key)
			}
		}
	}
	return "", fmt.Errorf("%s: %s must be an ARN, a name or a dict with %s, not %s", fn, param, key, v.Type())
}
