package builtins

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	gotime "time"

	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ecs"
)

// sim.explain(x) prints why the simulation decided as it did about x, in
// one format for every kind of resource: a first line naming the resource
// and its state, indented details, then the decisions, oldest first, each
// with its simulated time.
//
// What x may be:
//   - a task: its ARN or ID, or a dict with taskArn (run_task's "tasks");
//   - a service: its ARN, "service/<cluster>/<service>" (the scalable
//     target's resource ID), its name, or a dict with serviceArn;
//   - an Auto Scaling group: its name or ARN, or a dict with
//     AutoScalingGroupName;
//   - a CloudWatch alarm: its name or ARN, or a dict with AlarmName;
//   - None: the last placement that left tasks unplaced.
//
// A bare name is looked up as all of these; one that names two resources
// of different kinds is refused with the references that tell them apart.

// explainTarget is a resource sim.explain can explain.
type explainTarget struct {
	kind string // task, service, group, alarm
	ref  string // the task ARN or ID, the service ARN, the group or alarm name
}

// simExplain implements sim.explain(x=None).
func (in *Interp) simExplain(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "x?", &x); err != nil {
		return nil, err
	}
	var text string
	if x == starlark.None {
		var ok bool
		if text, ok = in.cloud.ECS.Explain(""); !ok {
			text = "(no placement has failed yet)"
		}
	} else {
		t, err := in.explainTarget(x)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Name(), err)
		}
		if text, err = in.explainText(t); err != nil {
			return nil, fmt.Errorf("%s: %w", b.Name(), err)
		}
	}
	thread.Print(thread, strings.TrimRight(text, "\n"))
	return starlark.None, nil
}

// explainTarget decides what x names.
func (in *Interp) explainTarget(x starlark.Value) (explainTarget, error) {
	switch v := x.(type) {
	case *starlark.Dict:
		for _, k := range []struct{ key, kind string }{
			{"taskArn", "task"}, {"serviceArn", "service"},
			{"AutoScalingGroupName", "group"}, {"AlarmName", "alarm"}, {"capacityProviderArn", "provider"},
		} {
			if val, found, _ := v.Get(starlark.String(k.key)); found {
				if s, ok := val.(starlark.String); ok {
					return in.explainTarget(s)
				}
			}
		}
		return explainTarget{}, fmt.Errorf("got a dict without taskArn, serviceArn, AutoScalingGroupName or AlarmName; pass a task, a service, an Auto Scaling group or an alarm as the API returns them, or its name or ARN")
	case starlark.String:
		return in.resolveName(string(v))
	}
	return explainTarget{}, fmt.Errorf("got %s, want a task, service, Auto Scaling group or alarm (a name, an ARN or a dict the API returned)", x.Type())
}

// resolveName decides what a string names: ARNs and resource IDs by their
// form, bare names by looking each kind up.
func (in *Interp) resolveName(s string) (explainTarget, error) {
	switch {
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":task/"):
		return explainTarget{"task", s}, nil
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":service/"),
		strings.HasPrefix(s, "service/") && strings.Count(s, "/") == 2:
		return explainTarget{"service", s}, nil
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":autoScalingGroupName/"):
		return explainTarget{"group", s[strings.Index(s, ":autoScalingGroupName/")+len(":autoScalingGroupName/"):]}, nil
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":alarm:"):
		return explainTarget{"alarm", s[strings.Index(s, ":alarm:")+len(":alarm:"):]}, nil
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":capacity-provider/"):
		return explainTarget{"provider", s[strings.LastIndex(s, "/")+1:]}, nil
	case s == "":
		return explainTarget{}, fmt.Errorf("got an empty name")
	}
	var found []explainTarget
	var refs []string
	if _, ok := in.cloud.ECS.Explain(s); ok {
		found = append(found, explainTarget{"task", s})
		refs = append(refs, "the task "+s)
	}
	for _, svc := range in.allServices() {
		if aws.ToString(svc.ServiceName) == s {
			found = append(found, explainTarget{"service", aws.ToString(svc.ServiceArn)})
			refs = append(refs, "the service "+aws.ToString(svc.ServiceArn))
		}
	}
	if g, ok := in.cloud.AutoScaling.Group(s); ok {
		found = append(found, explainTarget{"group", s})
		refs = append(refs, "the Auto Scaling group "+g.ARN)
	}
	if a, ok := in.cloud.CloudWatch.Alarm(s); ok {
		found = append(found, explainTarget{"alarm", s})
		refs = append(refs, "the alarm "+a.ARN)
	}
	if _, ok := in.cloud.ECS.ExplainProvider(s); ok {
		found = append(found, explainTarget{"provider", s})
		refs = append(refs, "the capacity provider "+s)
	}
	switch len(found) {
	case 0:
		return explainTarget{}, fmt.Errorf("no task, service, Auto Scaling group or alarm is named %q", s)
	case 1:
		return found[0], nil
	}
	return explainTarget{}, fmt.Errorf("%q names %d resources: %s; pass the ARN of the one to explain", s, len(found), strings.Join(refs, ", "))
}

func (in *Interp) explainText(t explainTarget) (string, error) {
	switch t.kind {
	case "task":
		text, ok := in.cloud.ECS.Explain(t.ref)
		if !ok {
			return "", fmt.Errorf("no task %s to explain", t.ref)
		}
		return text, nil
	case "service":
		return in.explainService(t.ref)
	case "group":
		if _, ok := in.cloud.AutoScaling.Group(t.ref); !ok {
			return "", fmt.Errorf("no Auto Scaling group named %q", t.ref)
		}
		return strings.Join(squeezeRepeats(strings.Split(in.cloud.AutoScaling.Explain(t.ref), "\n")), "\n"), nil
	case "alarm":
		return in.explainAlarm(t.ref)
	case "provider":
		text, ok := in.cloud.ECS.ExplainProvider(t.ref)
		if !ok {
			return "", fmt.Errorf("no Auto Scaling group capacity provider named %q", t.ref)
		}
		return text, nil
	}
	return "", fmt.Errorf("cannot explain a %s", t.kind)
}

// maxExplainedEvents is how many of a service's newest events sim.explain
// shows.
const maxExplainedEvents = 10

// explainService: the service's counts and deployments, the scaling
// decisions of Application Auto Scaling (policy, alarm, datapoints,
// formula), and its newest service events.
func (in *Interp) explainService(ref string) (string, error) {
	cluster, name := "default", ref
	if strings.HasPrefix(ref, "arn:") {
		// arn:aws:ecs:region:account:service/cluster/name (the old form
		// service/name has no cluster)
		res := ref[strings.Index(ref, ":service/")+len(":service/"):]
		if c, n, ok := strings.Cut(res, "/"); ok {
			cluster, name = c, n
		} else {
			name = res
		}
	} else if strings.HasPrefix(ref, "service/") {
		cluster, name, _ = strings.Cut(strings.TrimPrefix(ref, "service/"), "/")
	}
	out, err := in.cloud.ECS.DescribeServices(&ecs.DescribeServicesRequest{Cluster: aws.String(cluster), Services: []string{name}})
	if err != nil {
		return "", err
	}
	if len(out.Services) == 0 {
		return "", fmt.Errorf("no service %s in cluster %s", name, cluster)
	}
	svc := out.Services[0]
	clusterName := aws.ToString(svc.ClusterArn)
	clusterName = clusterName[strings.LastIndexByte(clusterName, '/')+1:]
	resourceID := "service/" + clusterName + "/" + aws.ToString(svc.ServiceName)
	var b strings.Builder
	fmt.Fprintf(&b, "service %s/%s: %s, desired %d, running %d, pending %d\n", clusterName, aws.ToString(svc.ServiceName),
		aws.ToString(svc.Status), aws.ToInt(svc.DesiredCount), aws.ToInt(svc.RunningCount), aws.ToInt(svc.PendingCount))
	for _, d := range svc.Deployments {
		fmt.Fprintf(&b, "  deployment %s (%s, %s): desired %d, running %d, pending %d, failed tasks %d\n",
			aws.ToString(d.Id), aws.ToString(d.Status), aws.ToString(d.RolloutState),
			aws.ToInt(d.DesiredCount), aws.ToInt(d.RunningCount), aws.ToInt(d.PendingCount), aws.ToInt(d.FailedTasks))
	}
	b.WriteString("service auto scaling:\n")
	for _, line := range squeezeRepeats(strings.Split(strings.TrimRight(in.cloud.AppScaling.Explain(resourceID), "\n"), "\n")) {
		b.WriteString("  " + line + "\n")
	}
	events := svc.Events
	fmt.Fprintf(&b, "service events (newest %d, oldest first):\n", min(len(events), maxExplainedEvents))
	if len(events) == 0 {
		b.WriteString("  none\n")
	}
	// describe_services lists events newest first.
	for i := min(len(events), maxExplainedEvents) - 1; i >= 0; i-- {
		e := events[i]
		at := ""
		if e.CreatedAt != nil {
			at = e.CreatedAt.String()
		}
		fmt.Fprintf(&b, "  %s  %s\n", at, aws.ToString(e.Message))
	}
	return b.String(), nil
}

// explainAlarm: the alarm's rule, its state and reason (which lists the
// datapoints that decided it), and its state changes from the history,
// each with the reason that carries its datapoints.
func (in *Interp) explainAlarm(name string) (string, error) {
	a, ok := in.cloud.CloudWatch.Alarm(name)
	if !ok {
		return "", fmt.Errorf("no alarm named %q", name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "alarm %s: %s since %s\n", a.Name, a.State, aws.NewTime(a.StateUpdated).String())
	fmt.Fprintf(&b, "  rule: %s\n", alarmRule(a))
	fmt.Fprintf(&b, "  reason: %s\n", a.Reason)
	if dps := reasonDatapoints(a.ReasonData); dps != "" {
		fmt.Fprintf(&b, "  evaluated datapoints: %s\n", dps)
	}
	actions := "disabled"
	if a.ActionsEnabled {
		actions = "ALARM → " + orNone(a.AlarmActions) + "; OK → " + orNone(a.OKActions)
	}
	fmt.Fprintf(&b, "  actions: %s\n", actions)
	b.WriteString("state changes:\n")
	n := 0
	for _, h := range in.cloud.CloudWatch.AlarmHistory(name) {
		if aws.ToString(h.HistoryItemType) != cloudwatch.HistoryItemTypeStateUpdate {
			continue
		}
		n++
		at := ""
		if h.Timestamp != nil {
			at = h.Timestamp.String()
		}
		fmt.Fprintf(&b, "%s  %s: %s\n", at, aws.ToString(h.HistorySummary), historyReason(aws.ToString(h.HistoryData)))
	}
	if n == 0 {
		b.WriteString("  none yet\n")
	}
	return b.String(), nil
}

func alarmRule(a cloudwatch.AlarmInfo) string {
	if a.MetricName == "" {
		return fmt.Sprintf("metric math %s %g", a.ComparisonOperator, a.Threshold)
	}
	dims := make([]string, 0, len(a.Dims))
	for _, d := range a.Dims {
		dims = append(dims, d.Name+"="+d.Value)
	}
	sort.Strings(dims)
	datapoints := a.DatapointsToAlarm
	if datapoints == 0 {
		datapoints = a.EvaluationPeriods
	}
	return fmt.Sprintf("%s %s {%s} %s %s %g for %d of %d periods of %s (missing data: %s)",
		a.Namespace, a.MetricName, strings.Join(dims, ", "), a.Statistic, a.ComparisonOperator, a.Threshold,
		datapoints, a.EvaluationPeriods, a.Period, a.TreatMissingData)
}

// reasonDatapoints lists the evaluated datapoints of StateReasonData
// ({"evaluatedDatapoints": [{"timestamp", "value"}, ...]}), newest first as
// CloudWatch lists them.
func reasonDatapoints(data string) string {
	var rd struct {
		Evaluated []struct {
			Timestamp string   `json:"timestamp"`
			Value     *float64 `json:"value"`
		} `json:"evaluatedDatapoints"`
	}
	if data == "" || json.Unmarshal([]byte(data), &rd) != nil {
		return ""
	}
	var parts []string
	for _, d := range rd.Evaluated {
		v := "missing"
		if d.Value != nil {
			v = fmt.Sprintf("%g", *d.Value)
		}
		t := d.Timestamp
		if parsed, err := gotime.Parse(gotime.RFC3339Nano, t); err == nil {
			t = parsed.UTC().Format("15:04:05")
		} else if parsed, err := gotime.Parse("2006-01-02T15:04:05.000-0700", t); err == nil {
			t = parsed.UTC().Format("15:04:05")
		}
		parts = append(parts, v+" at "+t)
	}
	return strings.Join(parts, ", ")
}

// historyReason is the new state's reason in a state update's HistoryData.
func historyReason(data string) string {
	var hd struct {
		NewState struct {
			StateReason string `json:"stateReason"`
		} `json:"newState"`
	}
	if json.Unmarshal([]byte(data), &hd) != nil {
		return ""
	}
	return hd.NewState.StateReason
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// allServices returns every service of every cluster, clusters in
// ListClusters order.
func (in *Interp) allServices() []ecs.Service {
	var out []ecs.Service
	var token *string
	for {
		lc, err := in.cloud.ECS.ListClusters(&ecs.ListClustersRequest{NextToken: token})
		if err != nil {
			return out
		}
		for _, c := range lc.ClusterArns {
			out = append(out, in.clusterServices(c)...)
		}
		if token = lc.NextToken; token == nil {
			return out
		}
	}
}

func (in *Interp) clusterServices(cluster string) []ecs.Service {
	var out []ecs.Service
	var token *string
	for {
		ls, err := in.cloud.ECS.ListServices(&ecs.ListServicesRequest{Cluster: aws.String(cluster), NextToken: token, MaxResults: aws.Int(100)})
		if err != nil {
			return out
		}
		for i := 0; i < len(ls.ServiceArns); i += 10 { // DescribeServices takes 10 at a time
			ds, err := in.cloud.ECS.DescribeServices(&ecs.DescribeServicesRequest{Cluster: aws.String(cluster), Services: ls.ServiceArns[i:min(i+10, len(ls.ServiceArns))]})
			if err == nil {
				out = append(out, ds.Services...)
			}
		}
		if token = ls.NextToken; token == nil {
			return out
		}
	}
}

// allGroups returns the Auto Scaling groups, by name.
func (in *Interp) allGroups() []autoscaling.GroupInfo {
	var out []autoscaling.GroupInfo
	var token *string
	for {
		r, err := in.cloud.AutoScaling.DescribeAutoScalingGroups(&autoscaling.AutoScalingGroupNamesType{NextToken: token})
		if err != nil {
			return out
		}
		for _, g := range r.AutoScalingGroups {
			if info, ok := in.cloud.AutoScaling.Group(aws.ToString(g.AutoScalingGroupName)); ok {
				out = append(out, info)
			}
		}
		if token = r.NextToken; token == nil {
			return out
		}
	}
}

// squeezeRepeats folds runs of decisions that differ only in their time
// ("2025-01-01T00:27:05.000Z  cpu50: ... no change") into the first and a
// line saying how many more followed and until when: an alarm that stays
// in ALARM invokes its policy every minute.
func squeezeRepeats(lines []string) []string {
	const stampLen = len("2025-01-01T00:00:00.000Z")
	text := func(l string) (string, bool) {
		if len(l) > stampLen+2 && l[stampLen:stampLen+2] == "  " {
			if _, err := gotime.Parse(aws.TimeLayout, l[:stampLen]); err == nil {
				return l[stampLen+2:], true
			}
		}
		return "", false
	}
	var out []string
	for i := 0; i < len(lines); {
		t, ok := text(lines[i])
		j := i + 1
		for ok && j < len(lines) {
			if u, ok2 := text(lines[j]); !ok2 || u != t {
				break
			}
			j++
		}
		out = append(out, lines[i])
		if n := j - i - 1; n > 0 {
			out = append(out, fmt.Sprintf("%s  (the same %d more times, the last at %s)", strings.Repeat(" ", stampLen), n, lines[j-1][:stampLen]))
		}
		i = j
	}
	return out
}
