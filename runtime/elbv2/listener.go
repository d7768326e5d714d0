package elbv2

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// defaultSslPolicy is the security policy of an HTTPS listener created
// without one [ALB-UG:describe-ssl-policies] (text not verified).
const defaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

type listener struct {
	seq      int
	arn, hex string
	lb       *loadBalancer
	port     int
	protocol string
	actions  []Action
	// defaultRule is the ARN DescribeRules shows for the default actions.
	defaultRule string
	certs       []Certificate
	sslPolicy   string
	tags        map[string]string
}

// CreateListener adds a listener (HTTP or HTTPS, a port) with its default
// actions: forward (to one target group, or weighted to several),
// fixed-response or redirect.
func (e *ELBv2) CreateListener(in *CreateListenerInput) (*CreateListenerOutput, error) {
	if in == nil {
		in = &CreateListenerInput{}
	}
	lb := e.lbByARN(aws.ToString(in.LoadBalancerArn))
	if lb == nil {
		return nil, lbNotFound()
	}
	proto := aws.ToString(in.Protocol)
	switch proto {
	case ProtocolEnumHTTP, ProtocolEnumHTTPS:
	case "":
		// text not verified
		return nil, validation("A listener protocol must be specified")
	default:
		// "Listener protocol 'TCP' must be one of 'HTTPS, HTTP'" (text not
		// verified)
		return nil, awserr.Newf(UnsupportedProtocol, "Listener protocol '%s' must be one of 'HTTPS, HTTP'", proto)
	}
	if in.Port == nil {
		// text not verified
		return nil, validation("A listener port must be specified")
	}
	if *in.Port < 1 || *in.Port > 65535 {
		return nil, rangeError("port", *in.Port, 1, 65535)
	}
	for _, l := range e.listeners {
		if l.lb == lb && l.port == *in.Port {
			// "A listener already exists on this port for this load
			// balancer 'arn:...'" (an AWS error quoted in public code)
			return nil, awserr.Newf(DuplicateListener, "A listener already exists on this port for this load balancer '%s'", lb.arn)
		}
	}
	sslPolicy := aws.ToString(in.SslPolicy)
	if proto == ProtocolEnumHTTPS {
		if len(in.Certificates) == 0 {
			// text not verified
			return nil, validation("A certificate must be specified for HTTPS listeners")
		}
		if sslPolicy == "" {
			sslPolicy = defaultSslPolicy
		}
	} else if sslPolicy != "" {
		// "An SSL policy cannot be specified for HTTP listeners."
		// (ValidationError, from a public Terraform module's known
		// issues)
		return nil, validation("An SSL policy cannot be specified for HTTP listeners.")
	}
	actions, err := e.checkActions(lb, in.DefaultActions, "defaultActions")
	if err != nil {
		return nil, err
	}
	tags, err := tagMap(in.Tags)
	if err != nil {
		return nil, err
	}
	e.accumulate()
	e.seq++
	l := &listener{seq: e.seq, hex: e.hexID(), lb: lb, port: *in.Port, protocol: proto, actions: actions,
		certs: slices.Clone(in.Certificates), sslPolicy: sslPolicy, tags: tags}
	l.arn = e.arn("listener/" + lb.dimension() + "/" + l.hex)
	l.defaultRule = e.arn("listener-rule/" + lb.dimension() + "/" + l.hex + "/" + e.hexID())
	e.listeners = append(e.listeners, l)
	e.sim.Recordf("elbv2", "ListenerCreated", l.arn, "load balancer %s: listener %s:%d created, default action %s", lb.name, proto, l.port, e.actionWords(actions))
	e.refreshUse()
	return &CreateListenerOutput{Listeners: []Listener{e.listenerShape(l)}}, nil
}

// checkActions validates a list of actions and returns them in their
// order, with forward actions normalized as AWS returns them (TargetGroupArn
// and a ForwardConfig with weights).
func (e *ELBv2) checkActions(lb *loadBalancer, in []Action, member string) ([]Action, error) {
	if len(in) == 0 {
		// text not verified
		return nil, validation("At least one action must be specified")
	}
	var out []Action
	terminal := 0
	for i, a := range in {
		typ := aws.ToString(a.Type)
		switch typ {
		case ActionTypeEnumForward:
			fwd, err := e.checkForward(lb, a)
			if err != nil {
				return nil, err
			}
			a = fwd
		case ActionTypeEnumFixedResponse:
			if err := checkFixedResponse(a.FixedResponseConfig); err != nil {
				return nil, err
			}
		case ActionTypeEnumRedirect:
			if a.RedirectConfig == nil || aws.ToString(a.RedirectConfig.StatusCode) == "" {
				// text not verified
				return nil, validation("A redirect action must have a redirect configuration with a status code")
			}
			if sc := *a.RedirectConfig.StatusCode; sc != RedirectActionStatusCodeEnumHTTP301 && sc != RedirectActionStatusCodeEnumHTTP302 {
				return nil, enumError(fmt.Sprintf("%s.%d.member.redirectConfig.statusCode", member, i+1), sc, []string{"HTTP_301", "HTTP_302"})
			}
		case ActionTypeEnumAuthenticateOidc, ActionTypeEnumAuthenticateCognito, ActionTypeEnumJwtValidation:
			return nil, notSimulated("ecsbox does not simulate %s actions", typ)
		default:
			return nil, enumError(fmt.Sprintf("%s.%d.member.type", member, i+1), typ, []string{"forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response"})
		}
		if a.Order != nil && (*a.Order < 1 || *a.Order > 50000) {
			return nil, rangeError(fmt.Sprintf("%s.%d.member.order", member, i+1), *a.Order, 1, 50000)
		}
		terminal++
		out = append(out, a)
	}
	if terminal != 1 {
		// text not verified
		return nil, awserr.New(InvalidLoadBalancerAction, "A rule can have only one terminal action: forward, fixed-response or redirect")
	}
	slices.SortStableFunc(out, func(a, b Action) int { return aws.ToInt(a.Order) - aws.ToInt(b.Order) })
	return out, nil
}

// checkForward checks a forward action's target groups: they exist, are in
// the load balancer's VPC, and no other load balancer uses them (an
// Application Load Balancer's target group serves one load balancer).
func (e *ELBv2) checkForward(lb *loadBalancer, a Action) (Action, error) {
	var tuples []TargetGroupTuple
	if a.ForwardConfig != nil {
		tuples = slices.Clone(a.ForwardConfig.TargetGroups)
	}
	if arn := aws.ToString(a.TargetGroupArn); arn != "" {
		if len(tuples) > 1 || len(tuples) == 1 && aws.ToString(tuples[0].TargetGroupArn) != arn {
			// text not verified
			return Action{}, validation("You cannot specify a target group ARN both in the action and in the forward configuration unless they match")
		}
		if len(tuples) == 0 {
			tuples = []TargetGroupTuple{{TargetGroupArn: aws.String(arn)}}
		}
	}
	if len(tuples) == 0 {
		// text not verified
		return Action{}, validation("A forward action must specify a target group")
	}
	if len(tuples) > 5 {
		// [ELB-API:ForwardActionConfig] "You can specify up to 5 target
		// groups"; text not verified
		return Action{}, awserr.New(InvalidLoadBalancerAction, "A forward action can have at most 5 target groups")
	}
	seen := map[string]bool{}
	for i, t := range tuples {
		arn := aws.ToString(t.TargetGroupArn)
		tg := e.tgByARN(arn)
		if tg == nil {
			// "Target group 'arn' not found" (text not verified)
			return Action{}, awserr.Newf(TargetGroupNotFound, "Target group '%s' not found", arn)
		}
		if seen[arn] {
			// text not verified
			return Action{}, validation("Target group '%s' is specified more than once", arn)
		}
		seen[arn] = true
		if tg.vpcID != lb.vpcID {
			// text not verified
			return Action{}, awserr.Newf(InvalidConfigurationRequest, "Target group '%s' is not in the same VPC as the load balancer", arn)
		}
		for _, other := range e.loadBalancersOf(tg) {
			if other != lb {
				// text not verified
				return Action{}, awserr.Newf("TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: %s", arn)
			}
		}
		w := 1
		if t.Weight != nil {
			if *t.Weight < 0 || *t.Weight > 999 {
				return Action{}, rangeError("weight", *t.Weight, 0, 999)
			}
			w = *t.Weight
		}
		tuples[i].Weight = aws.Int(w)
	}
	out := Action{Type: aws.String(ActionTypeEnumForward), Order: a.Order,
		ForwardConfig: &ForwardActionConfig{TargetGroups: tuples, TargetGroupStickinessConfig: &TargetGroupStickinessConfig{Enabled: aws.Bool(false)}}}
	if a.ForwardConfig != nil && a.ForwardConfig.TargetGroupStickinessConfig != nil {
		out.ForwardConfig.TargetGroupStickinessConfig = a.ForwardConfig.TargetGroupStickinessConfig
	}
	if len(tuples) == 1 {
		out.TargetGroupArn = tuples[0].TargetGroupArn
	}
	return out, nil
}

var fixedStatus = regexp.MustCompile(`^(2|4|5)\d\d$`) // [ELB-API:FixedResponseActionConfig] StatusCode pattern

func checkFixedResponse(c *FixedResponseActionConfig) error {
	if c == nil || !fixedStatus.MatchString(aws.ToString(c.StatusCode)) {
		// text not verified
		return validation("A fixed-response action must have a status code of the form 2XX, 4XX or 5XX")
	}
	if ct := aws.ToString(c.ContentType); ct != "" && !slices.Contains([]string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}, ct) {
		return enumError("fixedResponseConfig.contentType", ct, []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"})
	}
	if len(aws.ToString(c.MessageBody)) > 1024 {
		// [ELB-API:FixedResponseActionConfig] MessageBody max 1024; text
		// not verified
		return validation("The message body of a fixed-response action can be at most 1024 characters")
	}
	return nil
}

// forwardTargets lists the target groups actions forward to.
func forwardTargets(actions []Action) []string {
	var out []string
	for _, a := range actions {
		if a.ForwardConfig != nil {
			for _, t := range a.ForwardConfig.TargetGroups {
				out = append(out, aws.ToString(t.TargetGroupArn))
			}
		}
	}
	return out
}

func (e *ELBv2) actionWords(actions []Action) string {
	var parts []string
	for _, a := range actions {
		switch aws.ToString(a.Type) {
		case ActionTypeEnumForward:
			var tgs []string
			for _, t := range a.ForwardConfig.TargetGroups {
				name := aws.ToString(t.TargetGroupArn)
				if tg := e.tgByARN(name); tg != nil {
					name = tg.name
				}
				if len(a.ForwardConfig.TargetGroups) > 1 {
					name += fmt.Sprintf(" (weight %d)", aws.ToInt(t.Weight))
				}
				tgs = append(tgs, name)
			}
			parts = append(parts, "forward to "+strings.Join(tgs, ", "))
		case ActionTypeEnumFixedResponse:
			parts = append(parts, "fixed response "+aws.ToString(a.FixedResponseConfig.StatusCode))
		case ActionTypeEnumRedirect:
			parts = append(parts, "redirect "+aws.ToString(a.RedirectConfig.StatusCode))
		}
	}
	return strings.Join(parts, ", ")
}

func (e *ELBv2) listenerByARN(arn string) *listener {
	for _, l := range e.listeners {
		if l.arn == arn {
			return l
		}
	}
	return nil
}

func (e *ELBv2) listenerShape(l *listener) Listener {
	out := Listener{ListenerArn: aws.String(l.arn), LoadBalancerArn: aws.String(l.lb.arn), Port: aws.Int(l.port),
		Protocol: aws.String(l.protocol), DefaultActions: slices.Clone(l.actions)}
	if l.protocol == ProtocolEnumHTTPS {
		out.Certificates = slices.Clone(l.certs)
		out.SslPolicy = aws.String(l.sslPolicy)
	}
	return out
}

// DescribeListeners lists the listeners of a load balancer, or the given
// ones.
func (e *ELBv2) DescribeListeners(in *DescribeListenersInput) (*DescribeListenersOutput, error) {
	if in == nil {
		in = &DescribeListenersInput{}
	}
	var lb *loadBalancer
	switch {
	case in.LoadBalancerArn != nil:
		if lb = e.lbByARN(*in.LoadBalancerArn); lb == nil {
			return nil, lbNotFound()
		}
	case len(in.ListenerArns) == 0:
		// "You must specify either listener ARNs or a load balancer ARN"
		// (text not verified)
		return nil, validation("You must specify either listener ARNs or a load balancer ARN")
	}
	for _, arn := range in.ListenerArns {
		if e.listenerByARN(arn) == nil {
			return nil, listenerNotFound()
		}
	}
	var keys []string
	byKey := map[string]*listener{}
	for _, l := range e.listeners {
		if lb != nil && l.lb != lb || len(in.ListenerArns) > 0 && !slices.Contains(in.ListenerArns, l.arn) {
			continue
		}
		k := fmt.Sprintf("%06d", l.seq)
		keys = append(keys, k)
		byKey[k] = l
	}
	page, next, err := paginate("DescribeListeners", keys, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &DescribeListenersOutput{Listeners: []Listener{}, NextMarker: next}
	for _, k := range page {
		out.Listeners = append(out.Listeners, e.listenerShape(byKey[k]))
	}
	return out, nil
}

// ModifyListener changes a listener's port, protocol or default actions.
func (e *ELBv2) ModifyListener(in *ModifyListenerInput) (*ModifyListenerOutput, error) {
	if in == nil {
		in = &ModifyListenerInput{}
	}
	l := e.listenerByARN(aws.ToString(in.ListenerArn))
	if l == nil {
		return nil, listenerNotFound()
	}
	port, proto := l.port, l.protocol
	if in.Port != nil {
		if *in.Port < 1 || *in.Port > 65535 {
			return nil, rangeError("port", *in.Port, 1, 65535)
		}
		for _, other := range e.listeners {
			if other != l && other.lb == l.lb && other.port == *in.Port {
				return nil, awserr.Newf(DuplicateListener, "A listener already exists on this port for this load balancer '%s'", l.lb.arn)
			}
		}
		port = *in.Port
	}
	if p := aws.ToString(in.Protocol); p != "" {
		if p != ProtocolEnumHTTP && p != ProtocolEnumHTTPS {
			return nil, awserr.Newf(UnsupportedProtocol, "Listener protocol '%s' must be one of 'HTTPS, HTTP'", p)
		}
		proto = p
	}
	certs := l.certs
	if len(in.Certificates) > 0 {
		certs = slices.Clone(in.Certificates)
	}
	if proto == ProtocolEnumHTTPS && len(certs) == 0 {
		return nil, validation("A certificate must be specified for HTTPS listeners")
	}
	actions := l.actions
	if len(in.DefaultActions) > 0 {
		var err error
		if actions, err = e.checkActions(l.lb, in.DefaultActions, "defaultActions"); err != nil {
			return nil, err
		}
	}
	e.accumulate()
	l.port, l.protocol, l.certs, l.actions = port, proto, certs, actions
	if proto == ProtocolEnumHTTPS && l.sslPolicy == "" {
		l.sslPolicy = defaultSslPolicy
	}
	if s := aws.ToString(in.SslPolicy); s != "" {
		l.sslPolicy = s
	}
	e.sim.Recordf("elbv2", "ListenerModified", l.arn, "load balancer %s: listener %s:%d, default action %s", l.lb.name, proto, port, e.actionWords(actions))
	e.refreshUse()
	return &ModifyListenerOutput{Listeners: []Listener{e.listenerShape(l)}}, nil
}

// DeleteListener deletes a listener and its rules.
func (e *ELBv2) DeleteListener(in *DeleteListenerInput) (*DeleteListenerOutput, error) {
	if in == nil {
		in = &DeleteListenerInput{}
	}
	l := e.listenerByARN(aws.ToString(in.ListenerArn))
	if l == nil {
		return nil, listenerNotFound()
	}
	e.accumulate()
	e.removeListener(l)
	e.refreshUse()
	return &DeleteListenerOutput{}, nil
}

func (e *ELBv2) removeListener(l *listener) {
	e.rules = slices.DeleteFunc(e.rules, func(r *rule) bool { return r.l == l })
	e.listeners = slices.DeleteFunc(e.listeners, func(x *listener) bool { return x == l })
	e.sim.Recordf("elbv2", "ListenerDeleted", l.arn, "load balancer %s: listener %s:%d deleted", l.lb.name, l.protocol, l.port)
}
