package cmdline

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		`stress --cpu 1 --timeout 60`: `[stress --cpu 1 --timeout 60]`,
		`sh -c 'sleep 5; exit 3'`:     `[sh -c sleep 5; exit 3]`,
		`echo "a  b" c`:               `[echo a  b c]`,
		"  \t ":                       `[]`,
		`x""`:                         `[x]`,
	} {
		if got := fmt.Sprint(Words(in)); got != want {
			t.Errorf("Words(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSeconds(t *testing.T) {
	for in, want := range map[string]time.Duration{"5": 5 * time.Second, "1.5m": 90 * time.Second, "2h": 2 * time.Hour, "1d": 24 * time.Hour, "0.5s": 500 * time.Millisecond} {
		if got, ok := Seconds(in); !ok || got != want {
			t.Errorf("Seconds(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "5y"} {
		if _, ok := Seconds(bad); ok {
			t.Errorf("Seconds(%q) accepted", bad)
		}
	}
}

func TestParseStress(t *testing.T) {
	for _, c := range []struct {
		args string
		want Stress
		err  string
	}{
		{"--cpu 1 --timeout 60", Stress{CPU: 1, VMBytes: 256 << 20, Timeout: time.Minute}, ""},
		{"-c 2 -t 5m", Stress{CPU: 2, VMBytes: 256 << 20, Timeout: 5 * time.Minute}, ""},
		{"--vm 2 --vm-bytes 128M --timeout=30s", Stress{VM: 2, VMBytes: 128 << 20, Timeout: 30 * time.Second}, ""},
		{"--vm 1 --vm-bytes 1.5G", Stress{VM: 1, VMBytes: 3 << 29}, ""},
		{"-t 1y", Stress{VMBytes: 256 << 20, Timeout: 365 * 24 * time.Hour}, ""},
		{"--cpu 1 --io 2 -v", Stress{CPU: 1, VMBytes: 256 << 20}, ""},
		{"--cpu one", Stress{}, "strconv.Atoi"},
		{"--frobnicate", Stress{}, "unrecognized option: --frobnicate"},
		{"--vm-bytes lots", Stress{}, `invalid --vm-bytes "lots"`},
		{"--timeout soon", Stress{}, `invalid timeout "soon"`},
	} {
		got, err := ParseStress(Words(c.args))
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseStress(%q) error %v, want %q", c.args, err, c.err)
			}
		case err != nil || got != c.want:
			t.Errorf("ParseStress(%q) = %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
}
