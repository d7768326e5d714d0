package builtins

import (
	"bytes"
	"fmt"
	gocolor "image/color"
	"io"
	"math"
	"path"
	"slices"
	"sort"
	"strings"
	gotime "time"

	"go.starlark.net/starlark"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
)

// sim.plot(metrics, file=None, title=None, since=None, until=None,
// period="1m") draws CloudWatch metrics and counts against simulated time,
// with the thresholds of the alarms on the plotted metrics as horizontal
// lines and scaling activities as vertical ones. With --out and a file
// (.svg or .png) it writes the plot under --out with gonum.org/v1/plot;
// otherwise it prints a text sparkline of each series.
//
// A series is a dict or a string:
//
//	{"namespace": "AWS/ECS", "metric": "CPUUtilization",
//	 "dimensions": {"ClusterName": "demo", "ServiceName": "web"},
//	 "stat": "Average", "period": "1m", "label": "web CPU"}
//	"AWS/ECS CPUUtilization ClusterName=demo ServiceName=web Average"
//	{"count": "desiredCount", "service": "demo/web"}   "desiredCount demo/web"
//	{"count": "DesiredCapacity", "group": "web-asg"}   "DesiredCapacity web-asg"
//
// The counts are desiredCount, runningCount and pendingCount of a service
// (cluster/service, or service/cluster/service as Application Auto Scaling
// names it) and DesiredCapacity and InService of an Auto Scaling group;
// counts.go samples them every minute.

// point is one value at one time.
type point struct {
	t gotime.Time
	v float64
}

// plotSeries is one line of a plot.
type plotSeries struct {
	label  string
	points []point
	// metric series: what alarms on it look like
	metric    bool
	namespace string
	name      string
	dims      []cloudwatch.Dim
	stat      string
	// resource is the scalable resource the series belongs to, for the
	// scaling markers: service/<cluster>/<service> or the group's name.
	resource string
}

// plotLine is a horizontal line: an alarm's threshold.
type plotLine struct {
	label string
	y     float64
}

// plotMarker is a vertical line: a scaling activity.
type plotMarker struct {
	t    gotime.Time
	text string
}

// plotFormats are the file types sim.plot writes, by extension.
var plotFormats = map[string]string{".svg": "svg", ".png": "png"}

// plotSize is the size of a plot file: 8 × 4 inches (768 × 384 px at the
// PNG's 96 dpi).
const (
	plotWidth  = 8 * vg.Inch
	plotHeight = 4 * vg.Inch
)

func (in *Interp) simPlot(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var specs starlark.Value
	var file, title string
	var since, until instant
	period := duration(gotime.Minute)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "metrics", &specs, "file?", &file, "title?", &title,
		"since?", &since, "until?", &until, "period?", &period); err != nil {
		return nil, err
	}
	start, end := gotime.Time(since), gotime.Time(until)
	if start.IsZero() {
		start = in.cloud.Sim.Start()
	}
	if end.IsZero() {
		end = in.cloud.Sim.Now()
	}
	if !end.After(start) {
		return nil, fmt.Errorf("%s: until (%s) must be after since (%s)", b.Name(), aws.NewTime(end), aws.NewTime(start))
	}
	if gotime.Duration(period) < gotime.Second {
		return nil, fmt.Errorf("%s: period must be at least 1s", b.Name())
	}
	format := ""
	if file != "" {
		var ok bool
		if format, ok = plotFormats[strings.ToLower(path.Ext(file))]; !ok {
			return nil, fmt.Errorf("%s: file %q: want a name ending in .svg or .png", b.Name(), file)
		}
	}
	list, ok := specs.(starlark.Iterable)
	if _, isString := specs.(starlark.String); isString || !ok {
		list = starlark.NewList([]starlark.Value{specs})
	}
	in.sampleCounts() // the counts as they are now
	var series []*plotSeries
	iter := list.Iterate()
	defer iter.Done()
	var spec starlark.Value
	for i := 0; iter.Next(&spec); i++ {
		s, err := in.plotSeries(spec, gotime.Duration(period), start, end)
		if err != nil {
			return nil, fmt.Errorf("%s: metrics[%d]: %w", b.Name(), i, err)
		}
		series = append(series, s)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("%s: name at least one metric or count to plot", b.Name())
	}
	lines := in.alarmLines(series)
	markers := in.scalingMarkers(series, start, end)
	if title == "" {
		title = series[0].label
	}

	if file == "" || in.cfg.OutDir == "" {
		text := sparklines(title, series, lines, markers, start, end, gotime.Duration(period))
		if file != "" {
			text += fmt.Sprintf("\n(%s not written: the sandbox writes files only under --out DIR; run with --out to get it)", file)
		}
		thread.Print(thread, text)
		return starlark.None, nil
	}
	data, err := drawPlot(title, series, lines, markers, start, end, format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	if err := in.writeOut(file, data); err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	thread.Print(thread, fmt.Sprintf("sim.plot: wrote %s (%d series)", path.Clean(file), len(series)))
	return starlark.None, nil
}

// plotSeries reads one spec and fetches its data.
func (in *Interp) plotSeries(spec starlark.Value, period gotime.Duration, start, end gotime.Time) (*plotSeries, error) {
	fields := map[string]starlark.Value{}
	switch v := spec.(type) {
	case starlark.String:
		var err error
		if fields, err = parseSeriesString(string(v)); err != nil {
			return nil, err
		}
	case *starlark.Dict:
		for _, item := range v.Items() {
			k, ok := starlark.AsString(item[0])
			if !ok {
				return nil, fmt.Errorf("got a %s key, want string keys", item[0].Type())
			}
			fields[k] = item[1]
		}
	default:
		return nil, fmt.Errorf("got %s, want a dict or a string such as \"AWS/ECS CPUUtilization ClusterName=demo ServiceName=web\"", spec.Type())
	}
	str := func(key string) (string, error) {
		v, ok := fields[key]
		if !ok {
			return "", nil
		}
		s, ok := starlark.AsString(v)
		if !ok {
			return "", fmt.Errorf("%s: got %s, want a string", key, v.Type())
		}
		return s, nil
	}
	allowed := []string{"namespace", "metric", "dimensions", "stat", "period", "label", "count", "service", "group"}
	for k := range fields {
		if !slices.Contains(allowed, k) {
			msg := fmt.Sprintf("unknown key %q, want some of: %s", k, strings.Join(allowed, ", "))
			if s := closest(k, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s", msg)
		}
	}
	label, err := str("label")
	if err != nil {
		return nil, err
	}
	if count, err := str("count"); err != nil {
		return nil, err
	} else if count != "" {
		service, err := str("service")
		if err != nil {
			return nil, err
		}
		group, err := str("group")
		if err != nil {
			return nil, err
		}
		return in.countSeries(count, service, group, label, start, end)
	}
	ns, err := str("namespace")
	if err != nil {
		return nil, err
	}
	name, err := str("metric")
	if err != nil {
		return nil, err
	}
	if ns == "" || name == "" {
		return nil, fmt.Errorf("a metric needs namespace and metric (or count, for a count)")
	}
	stat, err := str("stat")
	if err != nil {
		return nil, err
	}
	if stat == "" {
		stat = "Average"
	}
	if p, ok := fields["period"]; ok {
		var d duration
		if err := d.Unpack(p); err != nil {
			return nil, fmt.Errorf("period: %w", err)
		}
		period = gotime.Duration(d)
	}
	var dims []cloudwatch.Dim
	if d, ok := fields["dimensions"]; ok {
		dict, ok := d.(*starlark.Dict)
		if !ok {
			return nil, fmt.Errorf("dimensions: got %s, want a dict such as {\"ClusterName\": \"demo\"}", d.Type())
		}
		for _, item := range dict.Items() {
			k, ok1 := starlark.AsString(item[0])
			v, ok2 := starlark.AsString(item[1])
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("dimensions: want string names and values")
			}
			dims = append(dims, cloudwatch.Dim{Name: k, Value: v})
		}
	}
	sort.Slice(dims, func(i, j int) bool { return dims[i].Name < dims[j].Name })
	s := &plotSeries{metric: true, namespace: ns, name: name, dims: dims, stat: stat, label: label}
	if s.label == "" {
		var parts []string
		for _, d := range dims {
			parts = append(parts, d.Value)
		}
		s.label = name + " " + stat
		if len(parts) > 0 {
			s.label += " " + strings.Join(parts, "/")
		}
	}
	cluster, service := "", ""
	for _, d := range dims {
		switch d.Name {
		case "ClusterName":
			cluster = d.Value
		case "ServiceName":
			service = d.Value
		case "AutoScalingGroupName":
			s.resource = d.Value
		}
	}
	if cluster != "" && service != "" {
		s.resource = "service/" + cluster + "/" + service
	}
	// Periods start on multiples of the period, as GetMetricStatistics
	// aligns them, so a since between two minutes does not shift the
	// datapoints.
	aligned := start.Truncate(period)
	for _, p := range in.cloud.CloudWatch.Series(ns, name, dims, stat, period, aligned, end) {
		if p.Time.Before(start) {
			continue
		}
		s.points = append(s.points, point{p.Time, p.Value})
	}
	return s, nil
}

// parseSeriesString reads the string form of a series:
// "desiredCount demo/web", "DesiredCapacity web-asg", or
// "NAMESPACE METRIC [Name=Value ...] [STAT]".
func parseSeriesString(s string) (map[string]starlark.Value, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, fmt.Errorf("got an empty string, want a metric such as \"AWS/ECS CPUUtilization ClusterName=demo\" or a count such as \"desiredCount demo/web\"")
	}
	out := map[string]starlark.Value{}
	if slices.Contains(serviceCounts, f[0]) || slices.Contains(groupCounts, f[0]) {
		if len(f) != 2 {
			return nil, fmt.Errorf("%q: write a count as \"%s <resource>\"", s, f[0])
		}
		out["count"] = starlark.String(f[0])
		if slices.Contains(serviceCounts, f[0]) {
			out["service"] = starlark.String(f[1])
		} else {
			out["group"] = starlark.String(f[1])
		}
		return out, nil
	}
	counts := append(slices.Clone(serviceCounts), groupCounts...)
	if c := closest(f[0], counts); c != "" && len(f) == 2 {
		return nil, fmt.Errorf("%q: unknown count %q (did you mean %q?)", s, f[0], c)
	}
	if len(f) < 2 || strings.Contains(f[1], "=") {
		msg := fmt.Sprintf("%q: write a metric as \"NAMESPACE METRIC [Name=Value ...] [STAT]\", e.g. \"AWS/ECS CPUUtilization ClusterName=demo ServiceName=web Average\"", s)
		if c := closest(f[0], counts); c != "" {
			msg += fmt.Sprintf(", or a count (did you mean %q?)", c)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	out["namespace"], out["metric"] = starlark.String(f[0]), starlark.String(f[1])
	dims := starlark.NewDict(len(f))
	for _, tok := range f[2:] {
		if k, v, ok := strings.Cut(tok, "="); ok {
			dims.SetKey(starlark.String(k), starlark.String(v))
			continue
		}
		if _, dup := out["stat"]; dup {
			return nil, fmt.Errorf("%q: %q is neither a Name=Value dimension nor the one statistic", s, tok)
		}
		out["stat"] = starlark.String(tok)
	}
	out["dimensions"] = dims
	return out, nil
}

// countSeries reads a count's recorded steps.
func (in *Interp) countSeries(count, service, group, label string, start, end gotime.Time) (*plotSeries, error) {
	var key, resource string
	switch {
	case slices.Contains(serviceCounts, count):
		if service == "" {
			return nil, fmt.Errorf("%s is a service's count: name the service, \"service\": \"<cluster>/<service>\"", count)
		}
		resource = service
		if !strings.HasPrefix(resource, "service/") {
			resource = "service/" + resource
		}
		if strings.Count(resource, "/") != 2 {
			return nil, fmt.Errorf("service %q: write it as <cluster>/<service>", service)
		}
		key = count + " " + resource
		if label == "" {
			label = count + " " + strings.TrimPrefix(resource, "service/")
		}
	case slices.Contains(groupCounts, count):
		if group == "" {
			return nil, fmt.Errorf("%s is an Auto Scaling group's count: name the group, \"group\": \"<name>\"", count)
		}
		resource, key = group, count+" "+group
		if label == "" {
			label = count + " " + group
		}
	default:
		msg := fmt.Sprintf("unknown count %q, want one of: %s", count, strings.Join(append(slices.Clone(serviceCounts), groupCounts...), ", "))
		if s := closest(count, append(slices.Clone(serviceCounts), groupCounts...)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	pts, ok := in.counts.steps(key, start, end)
	if !ok {
		what := "no service " + strings.TrimPrefix(resource, "service/")
		if group != "" {
			what = "no Auto Scaling group " + group
		}
		return nil, fmt.Errorf("%s: %s has been seen in this run", count, what)
	}
	return &plotSeries{label: label, points: pts, resource: resource}, nil
}

// alarmLines are the thresholds of the alarms on the plotted metrics.
func (in *Interp) alarmLines(series []*plotSeries) []plotLine {
	var out []plotLine
	seen := map[string]bool{}
	for _, s := range series {
		if !s.metric {
			continue
		}
		r, err := in.cloud.CloudWatch.DescribeAlarmsForMetric(&cloudwatch.DescribeAlarmsForMetricInput{
			Namespace: aws.String(s.namespace), MetricName: aws.String(s.name), Dimensions: dimensionsOf(s.dims),
		})
		if err != nil {
			continue
		}
		for _, a := range r.MetricAlarms {
			name := aws.ToString(a.AlarmName)
			if seen[name] {
				continue
			}
			seen[name] = true
			op := map[string]string{
				"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">",
				"LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
			}[aws.ToString(a.ComparisonOperator)]
			out = append(out, plotLine{label: fmt.Sprintf("alarm %s %s %g", shortAlarmName(name), op, aws.ToFloat64(a.Threshold)), y: aws.ToFloat64(a.Threshold)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out
}

// shortAlarmName drops the UUID that ends the name of the alarms target
// tracking creates ("TargetTracking-service/demo/web-AlarmHigh-<uuid>"),
// which would fill a legend and tells a reader nothing.
func shortAlarmName(name string) string {
	if strings.HasPrefix(name, "TargetTracking-") && len(name) > 37 && name[len(name)-37] == '-' {
		return name[:len(name)-37]
	}
	return name
}

func dimensionsOf(dims []cloudwatch.Dim) []cloudwatch.Dimension {
	out := make([]cloudwatch.Dimension, 0, len(dims))
	for _, d := range dims {
		out = append(out, cloudwatch.Dimension{Name: aws.String(d.Name), Value: aws.String(d.Value)})
	}
	return out
}

// scalingMarkers are the scaling activities in the window: Application
// Auto Scaling's on the plotted services and EC2 Auto Scaling's capacity
// changes of the plotted groups (all of them when the plot names none).
func (in *Interp) scalingMarkers(series []*plotSeries, start, end gotime.Time) []plotMarker {
	resources := map[string]bool{}
	for _, s := range series {
		if s.resource != "" {
			resources[s.resource] = true
		}
	}
	var out []plotMarker
	for _, e := range in.cloud.Sim.Timeline() {
		if e.Time.Before(start) || e.Time.After(end) {
			continue
		}
		scaling := (e.Service == "application-autoscaling" && e.Kind == "ScalingActivity") ||
			(e.Service == "autoscaling" && e.Kind == "DesiredCapacityChanged")
		if scaling && (len(resources) == 0 || resources[e.Resource]) {
			out = append(out, plotMarker{e.Time, e.Message})
		}
	}
	return out
}

// drawPlot renders the plot as SVG or PNG bytes: metrics (with the alarm
// thresholds) in one panel, counts in another below it, so that a
// percentage and a task count each get a readable scale; scaling
// activities are marked in both.
func drawPlot(title string, series []*plotSeries, lines []plotLine, markers []plotMarker, start, end gotime.Time, format string) ([]byte, error) {
	var metrics, counts []*plotSeries
	for _, s := range series {
		if s.metric {
			metrics = append(metrics, s)
		} else {
			counts = append(counts, s)
		}
	}
	var panels []*plot.Plot
	color := 0
	for _, group := range [][]*plotSeries{metrics, counts} {
		if len(group) == 0 {
			continue
		}
		var ls []plotLine
		if len(group) > 0 && group[0].metric {
			ls = lines
		}
		p, err := drawPanel(group, ls, markers, start, end, &color)
		if err != nil {
			return nil, err
		}
		panels = append(panels, p)
	}
	panels[0].Title.Text = title
	panels[len(panels)-1].X.Label.Text = "simulated time (UTC)"
	height := plotHeight
	if len(panels) > 1 {
		height = plotHeight * 3 / 2
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "svg":
		c = vgsvg.New(plotWidth, height)
	default:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(plotWidth, height), vgimg.UseDPI(96))}
	}
	rows := make([][]*plot.Plot, len(panels))
	for i, p := range panels {
		rows[i] = []*plot.Plot{p}
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(12), PadY: vg.Points(8)}
	canvases := plot.Align(rows, tiles, dc)
	for i, p := range panels {
		p.Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawPanel draws series, horizontal lines and markers on one set of axes.
// color is the next color of plotutil's palette, shared across panels.
func drawPanel(series []*plotSeries, lines []plotLine, markers []plotMarker, start, end gotime.Time, color *int) (*plot.Plot, error) {
	p := plot.New()
	p.X.Tick.Marker = timeTicks{}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	x := func(t gotime.Time) float64 { return float64(t.UnixMilli()) / 1000 }
	p.X.Min, p.X.Max = x(start), x(end)
	lo, hi := 0.0, 1.0
	for _, s := range series {
		for _, pt := range s.points {
			lo, hi = math.Min(lo, pt.v), math.Max(hi, pt.v)
		}
	}
	for _, l := range lines {
		lo, hi = math.Min(lo, l.y), math.Max(hi, l.y)
	}
	// Room above the data for the legend, one row per entry.
	entries := len(series) + len(lines)
	if len(markers) > 0 {
		entries++
	}
	hi = lo + (hi-lo)*1.05/(1-math.Min(0.6, 0.075*float64(entries)))
	p.Y.Min, p.Y.Max = lo, hi
	if !series[0].metric {
		p.Y.Tick.Marker = countTicks{}
	}
	for _, s := range series {
		if len(s.points) == 0 {
			p.Legend.Add(s.label + " (no data)")
			continue
		}
		xys := make(plotter.XYs, len(s.points))
		for j, pt := range s.points {
			xys[j] = plotter.XY{X: x(pt.t), Y: pt.v}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color = plotutil.Color(*color)
		*color++
		l.LineStyle.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	for _, a := range lines {
		l, err := plotter.NewLine(plotter.XYs{{X: x(start), Y: a.y}, {X: x(end), Y: a.y}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color = plotutil.Color(*color)
		*color++
		l.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(a.label, l)
	}
	for i, m := range markers {
		l, err := plotter.NewLine(plotter.XYs{{X: x(m.t), Y: lo}, {X: x(m.t), Y: hi}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color = gocolor.Gray{Y: 110}
		l.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(l)
		if i == 0 {
			p.Legend.Add("scaling activity", l)
		}
	}
	return p, nil
}

// countTicks labels a count axis with whole numbers.
type countTicks struct{}

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := max(1, math.Ceil((hi-lo)/6))
	var ticks []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return ticks
}

// timeTicks labels the time axis at a round step (1, 2, 5, 10, 15, 30
// minutes, 1, 2, 3, 6, 12 hours, days) that gives about five to ten
// labels, as HH:MM (with the date past two days).
type timeTicks struct{}

var tickSteps = []gotime.Duration{
	gotime.Minute, 2 * gotime.Minute, 5 * gotime.Minute, 10 * gotime.Minute, 15 * gotime.Minute, 30 * gotime.Minute,
	gotime.Hour, 2 * gotime.Hour, 3 * gotime.Hour, 6 * gotime.Hour, 12 * gotime.Hour, 24 * gotime.Hour,
}

func (timeTicks) Ticks(lo, hi float64) []plot.Tick {
	from := gotime.UnixMilli(int64(lo * 1000)).UTC()
	to := gotime.UnixMilli(int64(hi * 1000)).UTC()
	span := to.Sub(from)
	step := tickSteps[len(tickSteps)-1]
	for _, d := range tickSteps {
		if span/d <= 8 {
			step = d
			break
		}
	}
	for span/step > 10 {
		step *= 2
	}
	layout := "15:04"
	if span > 48*gotime.Hour {
		layout = "Jan 2 15:04"
	}
	var ticks []plot.Tick
	for t := from.Truncate(step); !t.After(to); t = t.Add(step) {
		if t.Before(from) {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: float64(t.UnixMilli()) / 1000, Label: t.Format(layout)})
	}
	return ticks
}

// sparkBlocks are the eight heights of a sparkline.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkWidth is the most columns a sparkline takes.
const sparkWidth = 60

// sparklines renders the plot as text: per series a line of blocks over the
// window (each column the mean of its values; a space where there is no
// data), its minimum, maximum and last value; the alarm thresholds; and a
// row marking the columns with scaling activities.
func sparklines(title string, series []*plotSeries, lines []plotLine, markers []plotMarker, start, end gotime.Time, period gotime.Duration) string {
	// One column per period when the window is short, so that a window of
	// 40 one-minute datapoints has no empty columns between them.
	width := min(sparkWidth, max(1, int((end.Sub(start)+period-1)/period)))
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s to %s\n", title, aws.NewTime(start), aws.NewTime(end))
	labelWidth := 0
	for _, s := range series {
		labelWidth = max(labelWidth, len([]rune(s.label)))
	}
	span := end.Sub(start)
	col := func(t gotime.Time) int {
		c := int(float64(t.Sub(start)) / float64(span) * float64(width))
		return min(max(c, 0), width-1)
	}
	for _, s := range series {
		fmt.Fprintf(&b, "  %-*s  ", labelWidth, s.label)
		if len(s.points) == 0 {
			b.WriteString("(no data)\n")
			continue
		}
		sums := make([]float64, width)
		ns := make([]int, width)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, pt := range s.points {
			c := col(pt.t)
			// A count's step ends where the next one begins: fill the
			// columns in between with the value in force.
			if !s.metric && i+1 < len(s.points) {
				for k := c; k < col(s.points[i+1].t); k++ {
					sums[k] += pt.v
					ns[k]++
				}
			}
			sums[c] += pt.v
			ns[c]++
			lo, hi = math.Min(lo, pt.v), math.Max(hi, pt.v)
		}
		for c := range width {
			if ns[c] == 0 {
				b.WriteRune(' ')
				continue
			}
			level := 0
			if hi > lo {
				level = int((sums[c]/float64(ns[c]) - lo) / (hi - lo) * float64(len(sparkBlocks)-1))
			}
			b.WriteRune(sparkBlocks[level])
		}
		fmt.Fprintf(&b, "  min %s max %s last %s\n", fmtValue(lo), fmtValue(hi), fmtValue(s.points[len(s.points)-1].v))
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "  %s\n", l.label)
	}
	if len(markers) > 0 {
		row := []rune(strings.Repeat(" ", width))
		for _, m := range markers {
			row[col(m.t)] = '|'
		}
		fmt.Fprintf(&b, "  %-*s  %s  %d scaling activities\n", labelWidth, "", string(row), len(markers))
	}
	return strings.TrimRight(b.String(), "\n")
}

// fmtValue writes a value with at most one decimal.
func fmtValue(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
