package builtins

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	gotime "time"

	"go.starlark.net/starlark"
)

// plotScript runs a Fargate service that scales out under load and plots
// its CPU and counts.
const plotScript = `
ecs.create_cluster(clusterName = "demo")
ecs.register_task_definition(family = "web", requiresCompatibilities = ["FARGATE"], networkMode = "awsvpc",
    cpu = "256", memory = "512", containerDefinitions = [{"name": "web", "image": "nginx"}])
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
ecs.create_service(cluster = "demo", serviceName = "web", taskDefinition = "web", desiredCount = 1, launchType = "FARGATE",
    networkConfiguration = {"awsvpcConfiguration": {"subnets": subnets}})
application_autoscaling.register_scalable_target(ServiceNamespace = "ecs", ResourceId = "service/demo/web",
    ScalableDimension = "ecs:service:DesiredCount", MinCapacity = 1, MaxCapacity = 4)
application_autoscaling.put_scaling_policy(PolicyName = "cpu50", ServiceNamespace = "ecs", ResourceId = "service/demo/web",
    ScalableDimension = "ecs:service:DesiredCount", PolicyType = "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration = {"TargetValue": 50.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
sim.advance("5m")
sim.set_load(cluster = "demo", service = "web", cpu_units = 400)
sim.advance("20m")
sim.plot([{"namespace": "AWS/ECS", "metric": "CPUUtilization", "dimensions": {"ClusterName": "demo", "ServiceName": "web"}},
          "desiredCount demo/web", {"count": "runningCount", "service": "service/demo/web", "label": "running tasks"}],
         file = FILE, title = "web under load")
`

func runPlot(t *testing.T, file, out string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.star")
	if err := os.WriteFile(path, []byte("FILE = "+`"`+file+`"`+plotScript), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	in, err := New(Config{Dir: dir, Stdout: &stdout, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	_, err = in.ExecFile(context.Background(), path)
	return stdout.String(), err
}

func TestPlotWritesValidSVGWithTheSeriesAsked(t *testing.T) {
	out := t.TempDir()
	stdout, err := runPlot(t, "plots/cpu.svg", out)
	if err != nil {
		t.Fatal(FormatError(err))
	}
	if !strings.Contains(stdout, "sim.plot: wrote plots/cpu.svg (3 series)") {
		t.Errorf("stdout = %q", stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "plots", "cpu.svg"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid SVG: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, strings.TrimSpace(string(x)))
			}
		case xml.EndElement:
			inText = false
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"web under load", "CPUUtilization Average demo/web", "desiredCount demo/web", "running tasks",
		"alarm TargetTracking-service/demo/web-AlarmHigh > 50", "alarm TargetTracking-service/demo/web-AlarmLow < 45",
		"scaling activity", "simulated time (UTC)", "00:10",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG has no text %q; it has:\n%s", want, all)
		}
	}
}

func TestPlotBytesAreTheSameForOneSeed(t *testing.T) {
	for _, file := range []string{"cpu.svg", "cpu.png"} {
		var runs [][]byte
		for range 2 {
			out := t.TempDir()
			if _, err := runPlot(t, file, out); err != nil {
				t.Fatal(FormatError(err))
			}
			data, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, data)
		}
		if !bytes.Equal(runs[0], runs[1]) {
			t.Errorf("%s differs between two runs with one seed", file)
		}
		if file == "cpu.png" && !bytes.HasPrefix(runs[0], []byte("\x89PNG")) {
			t.Errorf("cpu.png is not a PNG")
		}
	}
}

func TestPlotWithoutOutPrintsSparklines(t *testing.T) {
	stdout, err := runPlot(t, "cpu.svg", "")
	if err != nil {
		t.Fatal(FormatError(err))
	}
	for _, want := range []string{
		"web under load, 2025-01-01T00:00:00.000Z to 2025-01-01T00:25:00.000Z",
		"CPUUtilization Average demo/web  ▁", "desiredCount demo/web", "min 1 max 4 last 4",
		"(cpu.svg not written: the sandbox writes files only under --out DIR; run with --out to get it)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output has no %q:\n%s", want, stdout)
		}
	}
}

func TestPlotRefusesToWriteOutsideOut(t *testing.T) {
	for _, file := range []string{"../x.svg", "/tmp/x.svg", "a/../../x.svg"} {
		_, err := runPlot(t, file, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "cannot write") {
			t.Errorf("plot to %s: got %v, want a refusal", file, err)
		}
	}
	_, err := runPlot(t, "cpu.jpg", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "want a name ending in .svg or .png") {
		t.Errorf("cpu.jpg: got %v", err)
	}
}

func TestPlotSpecErrors(t *testing.T) {
	for src, want := range map[string]string{
		`sim.plot(["desiredCont demo/web"])`:                       `did you mean "desiredCount"?`,
		`sim.plot([{"metric": "CPUUtilization"}])`:                 "a metric needs namespace and metric",
		`sim.plot([{"namespace": "N", "metrc": "M"}])`:             `unknown key "metrc"`,
		`sim.plot(["runningCount demo/nope"])`:                     "no service demo/nope has been seen in this run",
		`sim.plot(["DesiredCapacity asg"])`:                        "no Auto Scaling group asg has been seen",
		`sim.plot(["AWS/ECS CPUUtilization A=b Average Maximum"])`: `"Maximum" is neither a Name=Value dimension nor the one statistic`,
		`sim.plot([])`: "name at least one metric or count",
	} {
		_, err := run(t, `sim.advance("1m")`+"\n"+src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func TestSummaryCountsChecksAndThresholds(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	in, err := New(Config{Dir: dir, Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if in.UsedChecks() {
		t.Error("UsedChecks before any check")
	}
	_, err = in.ExecSource(context.Background(), filepath.Join(dir, "main.star"), []byte(`
threshold.define("ok", "bad", "unused")
check("a", True)
check("b", False)
check("b", True)
threshold("ok", True)
threshold("bad", False)
threshold("bad", True)
sim.advance("90m")
`))
	if err != nil {
		t.Fatal(FormatError(err))
	}
	s := in.Summary()
	want := `
checks ............ 2 passed, 1 failed
  ✓ a
  ✗ b ........ 1 of 2 passed
thresholds ........ 1 passed, 2 failed
  ✓ ok
  ✗ bad ...... false 1 of 2 times
  ✗ unused ... never evaluated
simulated time .... 1h30m0s (2025-01-01T00:00:00.000Z to 2025-01-01T01:30:00.000Z)
tasks ............. 0 started, 0 stopped
scaling actions ... 0 Application Auto Scaling, 0 EC2 Auto Scaling
`
	if got := s.Text(); got != want {
		t.Errorf("Text() =\n%s\nwant\n%s", got, want)
	}
	if !in.UsedChecks() || s.ThresholdsPassed {
		t.Errorf("UsedChecks %t, ThresholdsPassed %t", in.UsedChecks(), s.ThresholdsPassed)
	}
	if got := strings.Join(s.FailedThresholds(), ", "); got != `"bad" (false 1 of 2 times), "unused" (never evaluated)` {
		t.Errorf("FailedThresholds() = %s", got)
	}
}

// A since between two minutes keeps the datapoints at their minutes, as
// GetMetricStatistics aligns periods, instead of shifting them.
func TestPlotSeriesAlignsPeriods(t *testing.T) {
	in, err := New(Config{Dir: t.TempDir(), Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	start := in.cloud.Sim.Start()
	for m := 0; m < 5; m++ {
		in.cloud.CloudWatch.Publish("Test", "M", nil, float64(m), "Count", start.Add(gotime.Duration(m)*gotime.Minute))
	}
	if err := in.cloud.Sim.Advance(context.Background(), 5*gotime.Minute); err != nil {
		t.Fatal(err)
	}
	s, err := in.plotSeries(starlark.String("Test M Average"), gotime.Minute, start.Add(90*gotime.Second), start.Add(5*gotime.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.points) == 0 || !s.points[0].t.Equal(start.Add(2*gotime.Minute)) || s.points[0].v != 2 {
		t.Errorf("points %v: want the first at minute 2 with value 2", s.points)
	}
}
