package iam

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// SimulatePrincipalPolicy evaluates each action of ActionNames on each
// resource of ResourceArns (default "*") for a role, with its identity-based
// policies plus any PolicyInputList, as the IAM policy simulator does
// [IAM-API:SimulatePrincipalPolicy]. Each (action, resource) pair gives one
// EvaluationResult with EvalDecision allowed, explicitDeny or implicitDeny,
// the statements that decided (MatchedStatements: source policy, type and
// the 1-based line and column of the statement's braces), and the context
// keys that conditions needed and ContextEntries did not give
// (MissingContextValues).
//
// ecsbox simulates roles only (PolicySourceArn of a user or group is "not
// found", as the account has none), and refuses the members it does not
// simulate (ResourcePolicy, PermissionsBoundaryPolicyInputList,
// PolicyExclusionList) rather than answering without them.
func (i *IAM) SimulatePrincipalPolicy(in *SimulatePrincipalPolicyRequest) (*SimulatePolicyResponse, error) {
	if in == nil {
		in = &SimulatePrincipalPolicyRequest{}
	}
	switch {
	case in.ResourcePolicy != nil:
		return nil, notSimulated("ResourcePolicy")
	case len(in.PermissionsBoundaryPolicyInputList) > 0:
		return nil, notSimulated("PermissionsBoundaryPolicyInputList")
	case len(in.PolicyExclusionList) > 0:
		return nil, notSimulated("PolicyExclusionList")
	}
	source := aws.ToString(in.PolicySourceArn)
	r, err := i.simulationRole(source)
	if err != nil {
		return nil, err
	}
	sources := i.identitySources(r)
	for n, text := range in.PolicyInputList {
		doc, err := parseDocument(text, identityPolicy)
		if err != nil {
			return nil, invalidInput("%s", strings.TrimPrefix(err.Error(), MalformedPolicyDocument+": ")) // code not verified
		}
		sources = append(sources, &policySource{id: "PolicyInputList." + itoa(n+1), typ: PolicySourceTypeNone, doc: doc})
	}
	extra := map[string][]string{}
	for _, e := range in.ContextEntries {
		k := aws.ToString(e.ContextKeyName)
		extra[k] = append(extra[k], e.ContextKeyValues...)
	}
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var results []EvaluationResult
	for _, action := range in.ActionNames {
		for _, res := range resources {
			ctx := i.requestContext(r, defaultSession, res, extra)
			ev := evaluate(sources, action, res, ctx)
			results = append(results, ev.result(action, res))
		}
	}
	keys := make([]string, len(results))
	for k := range results {
		keys[k] = itoa(k)
	}
	start, end, next, err := page("SimulatePrincipalPolicy", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &SimulatePolicyResponse{
		EvaluationResults: append([]EvaluationResult{}, results[start:end]...),
		IsTruncated:       aws.Bool(next != nil),
		Marker:            next,
	}, nil
}

// simulationRole resolves PolicySourceArn.
func (i *IAM) simulationRole(source string) (*role, error) {
	parts := strings.SplitN(source, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return nil, invalidInput("Invalid ARN: %s", source) // text not verified
	}
	kind, _, _ := strings.Cut(parts[5], "/")
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	switch kind {
	case "role":
		if r := i.role(source); r != nil {
			return r, nil
		}
		return nil, noSuchRole(name)
	case "user", "group":
		// the account has no users or groups; wording modelled on the role's
		return nil, noSuchEntity("The %s with name %s cannot be found.", kind, name)
	}
	return nil, invalidInput("Invalid ARN: %s", source) // text not verified
}

func (ev evaluation) result(action, resource string) EvaluationResult {
	out := EvaluationResult{
		EvalActionName:       aws.String(action),
		EvalResourceName:     aws.String(resource),
		EvalDecision:         aws.String(ev.decision),
		MatchedStatements:    []Statement{},
		MissingContextValues: append([]string{}, ev.missing...),
	}
	for _, m := range ev.matched {
		out.MatchedStatements = append(out.MatchedStatements, Statement{
			SourcePolicyId:   aws.String(m.src.id),
			SourcePolicyType: aws.String(m.src.typ),
			StartPosition:    &Position{Line: aws.Int(m.stmt.start.line), Column: aws.Int(m.stmt.start.col)},
			EndPosition:      &Position{Line: aws.Int(m.stmt.end.line), Column: aws.Int(m.stmt.end.col)},
		})
	}
	return out
}

// AssumedRoleARN returns the ARN of a session of a role, as AWS names the
// caller in AccessDenied messages and GetCallerIdentity:
// arn:aws:sts::<account>:assumed-role/<role name>/<session> (the role's path
// is not part of it) [IAM-UG:reference_identifiers]. A string that is not a
// role ARN is returned unchanged.
func AssumedRoleARN(roleArn, session string) string {
	parts := strings.SplitN(roleArn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return roleArn
	}
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	return "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + name + "/" + session
}

// AccessDeniedMessage is AWS's text for a request that no identity-based
// policy allows:
//
//	User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0abc is not
//	authorized to perform: ecs:RegisterContainerInstance on resource: <arn>
//	because no identity-based policy allows the ecs:RegisterContainerInstance action
//
// (the wording AWS has used since 2021; e.g. the ECS Developer Guide's task
// protection AccessDeniedException example). principalArn is an
// assumed-role ARN (see AssumedRoleARN), or a role ARN, which is shown as
// its session "ecsbox". Services that know the session (the instance ID, the
// task ID) should pass the assumed-role ARN.
func AccessDeniedMessage(principalArn, action, resource string) string {
	return "User: " + AssumedRoleARN(principalArn, defaultSession) + " is not authorized to perform: " + action +
		" on resource: " + resource + " because no identity-based policy allows the " + action + " action"
}

// AccessDeniedMessage is the package function's text for this account's
// decision: when an explicit Deny refused the request, AWS says so instead
// ("... on resource: <arn> with an explicit deny in an identity-based
// policy", user transcripts of AccessDenied errors).
func (i *IAM) AccessDeniedMessage(principalArn, action, resource string) string {
	if i.Evaluate(principalArn, action, resource).Decision == decisionExplicitDeny {
		return "User: " + AssumedRoleARN(principalArn, defaultSession) + " is not authorized to perform: " + action +
			" on resource: " + resource + " with an explicit deny in an identity-based policy"
	}
	return AccessDeniedMessage(principalArn, action, resource)
}
