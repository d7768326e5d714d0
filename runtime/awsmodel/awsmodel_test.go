package awsmodel

import (
	"strings"
	"testing"
)

func TestSnakeNameMatchesBoto3(t *testing.T) {
	cases := map[string]string{
		"RegisterTaskDefinition":        "register_task_definition",
		"PutClusterCapacityProviders":   "put_cluster_capacity_providers",
		"DescribeDBInstances":           "describe_db_instances",
		"ListTagsForResource":           "list_tags_for_resource",
		"GetLoginPassword":              "get_login_password",
		"AssignIpv6Addresses":           "assign_ipv6_addresses",
		"DescribeVpcs":                  "describe_vpcs",
		"CreateLaunchTemplateVersion":   "create_launch_template_version",
		"ListTaskDefinitionFamilies":    "list_task_definition_families",
		"DescribeScalingActivities":     "describe_scaling_activities",
		"GetMetricData":                 "get_metric_data",
		"DeleteTaskDefinitions":         "delete_task_definitions",
		"SimulatePrincipalPolicy":       "simulate_principal_policy",
		"DescribeInstanceTypeOfferings": "describe_instance_type_offerings",
	}
	for in, want := range cases {
		if got := SnakeName(in); got != want {
			t.Errorf("SnakeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEveryServiceLoads(t *testing.T) {
	for _, svc := range Services {
		m, err := Load(svc.Module)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Methods()) == 0 {
			t.Errorf("%s: no operations", svc.Module)
		}
		for _, name := range m.Methods() {
			op, _ := m.Method(name)
			if m.InputShape(op) == nil {
				t.Errorf("%s.%s: input shape %v missing", svc.Module, name, op.Input)
			}
		}
	}
	if _, err := Load("nosuch"); err == nil {
		t.Error("Load of an unknown service succeeded")
	}
}

// TestValidateWordsErrorsAsBotocore checks each kind of report against the
// text botocore's ParamValidator produces (botocore/validate.py).
func TestValidateWordsErrorsAsBotocore(t *testing.T) {
	m := MustLoad("ecs")
	op, _ := m.Method("register_task_definition")
	container := func(kv ...any) Map {
		var c Map
		for i := 0; i < len(kv); i += 2 {
			c = append(c, Entry{kv[i].(string), kv[i+1]})
		}
		return c
	}
	cases := []struct {
		name   string
		params Map
		want   []string
	}{
		{"valid", Map{{"family", "web"}, {"containerDefinitions", []any{container("name", "a", "memory", int64(128))}}}, nil},
		{"missing required", Map{{"family", "web"}}, []string{`Missing required parameter in input: "containerDefinitions"`}},
		{"unknown top-level", Map{{"family", "web"}, {"containerDefinitions", []any{}}, {"revision", int64(2)}},
			[]string{`Unknown parameter in input: "revision", must be one of: family, taskRoleArn, executionRoleArn, networkMode, containerDefinitions, `}},
		{"unknown nested", Map{{"family", "web"}, {"containerDefinitions", []any{container("nam", "a")}}},
			[]string{`Unknown parameter in containerDefinitions[0]: "nam", must be one of: name, image, `}},
		{"string for int", Map{{"family", "web"}, {"containerDefinitions", []any{container("memory", "512")}}},
			[]string{`Invalid type for parameter containerDefinitions[0].memory, value: 512, type: <class 'str'>, valid types: <class 'int'>`}},
		{"int for string", Map{{"family", int64(7)}, {"containerDefinitions", []any{}}},
			[]string{`Invalid type for parameter family, value: 7, type: <class 'int'>, valid types: <class 'str'>`}},
		{"dict for list", Map{{"family", "web"}, {"containerDefinitions", Map{{"name", "a"}}}},
			[]string{`Invalid type for parameter containerDefinitions, value: {'name': 'a'}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>`}},
		{"list for dict", Map{{"family", "web"}, {"containerDefinitions", []any{[]any{"a", true, nil, 1.5}}}},
			[]string{`Invalid type for parameter containerDefinitions[0], value: ['a', True, None, 1.5], type: <class 'list'>, valid types: <class 'dict'>`}},
		{"string for bool", Map{{"family", "web"}, {"containerDefinitions", []any{container("essential", "true")}}},
			[]string{`Invalid type for parameter containerDefinitions[0].essential, value: true, type: <class 'str'>, valid types: <class 'bool'>`}},
		{"None", Map{{"family", nil}, {"containerDefinitions", []any{}}},
			[]string{`Invalid type for parameter family, value: None, type: <class 'NoneType'>, valid types: <class 'str'>`}},
		{"map value", Map{{"family", "web"}, {"containerDefinitions", []any{container("dockerLabels", Map{{"a", int64(1)}})}}},
			[]string{`Invalid type for parameter containerDefinitions[0].dockerLabels.a, value: 1, type: <class 'int'>, valid types: <class 'str'>`}},
		{"foreign value", Map{{"family", Foreign{"function", "<function f>"}}, {"containerDefinitions", []any{}}},
			[]string{`Invalid type for parameter family, value: <function f>, type: <class 'function'>, valid types: <class 'str'>`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := m.Validate(op, c.params)
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "ParamValidationError: Parameter validation failed:\n") {
				t.Fatalf("error does not start as botocore's: %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, "\n"+w) {
					t.Errorf("error %q\nlacks line %q", msg, w)
				}
			}
		})
	}
}

func TestValidateMinimums(t *testing.T) {
	m := MustLoad("application_autoscaling")
	op, _ := m.Method("register_scalable_target")
	err := m.Validate(op, Map{{"ServiceNamespace", "ecs"}, {"ResourceId", ""}, {"ScalableDimension", "ecs:service:DesiredCount"}})
	want := "Invalid length for parameter ResourceId, value: , valid min length: 1"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want a line %q", err, want)
	}
	ecs := MustLoad("ecs")
	list, _ := ecs.Method("list_clusters")
	if err := ecs.Validate(list, Map{{"maxResults", int64(-1)}}); err != nil {
		t.Fatalf("ListClusters maxResults has no model minimum, got %v", err)
	}
}

func TestReportsEveryErrorInParameterOrder(t *testing.T) {
	m := MustLoad("ecs")
	op, _ := m.Method("create_cluster")
	err := m.Validate(op, Map{{"clusterName", int64(1)}, {"bogus", "x"}, {"tags", "t"}})
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		"ParamValidationError: Parameter validation failed:",
		`Unknown parameter in input: "bogus", must be one of: clusterName, tags, settings, configuration, capacityProviders, defaultCapacityProviderStrategy, serviceConnectDefaults`,
		"Invalid type for parameter clusterName, value: 1, type: <class 'int'>, valid types: <class 'str'>",
		"Invalid type for parameter tags, value: t, type: <class 'str'>, valid types: <class 'list'>, <class 'tuple'>",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", err, strings.Join(want, "\n"))
	}
}

func TestDocText(t *testing.T) {
	got := DocText(`<p>Runs a <code>task</code> &amp; more.</p> <ul><li><p>first</p></li><li>second</li></ul>`, 80)
	want := "Runs a task & more.\n\n- first\n\n- second"
	if got != want {
		t.Errorf("DocText = %q, want %q", got, want)
	}
	if got := FirstSentence(`<p>Creates a cluster. More text.</p>`); got != "Creates a cluster." {
		t.Errorf("FirstSentence = %q", got)
	}
}
