package cmdline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Stress is what a stress command line asks for (stress 1.0.4's options).
type Stress struct {
	CPU, VM int
	// VMBytes is what each vm worker holds: --vm-bytes, 256M by default.
	VMBytes int64
	// Timeout is --timeout; 0 runs until stopped.
	Timeout time.Duration
}

// ParseStress reads stress's options: -c/--cpu N, -m/--vm N, --vm-bytes B
// (suffixes B K M G), -t/--timeout N (suffixes s m h d y); -i/--io,
// -d/--hdd and their friends are accepted and ignored. The errors are
// worded as stress words them after "stress: FAIL: [pid] ".
func ParseStress(args []string) (Stress, error) {
	s := Stress{VMBytes: 256 << 20}
	for i := 0; i < len(args); i++ {
		opt, val, inline := strings.Cut(args[i], "=")
		value := func() string {
			if inline {
				return val
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		var err error
		switch opt {
		case "-c", "--cpu":
			s.CPU, err = strconv.Atoi(value())
		case "-m", "--vm":
			s.VM, err = strconv.Atoi(value())
		case "--vm-bytes":
			s.VMBytes, err = stressBytes(value())
		case "-t", "--timeout":
			v := value()
			d, ok := Seconds(strings.TrimSuffix(v, "y"))
			if !ok {
				err = fmt.Errorf("invalid timeout %q", v)
			}
			if strings.HasSuffix(v, "y") {
				d *= 365 * 24 * 3600 // N seconds read from "Ny": N years of 365 days
			}
			s.Timeout = d
		case "-i", "--io", "-d", "--hdd", "--hdd-bytes", "--backoff", "--vm-stride", "--vm-hang":
			value()
		case "-v", "--verbose", "-q", "--quiet", "-n", "--dry-run", "--vm-keep":
		default:
			err = fmt.Errorf("unrecognized option: %s", args[i])
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// stressBytes reads --vm-bytes: a number with an optional B, K, M or G.
func stressBytes(v string) (int64, error) {
	s, unit := v, 1.0
	switch {
	case strings.HasSuffix(s, "G") || strings.HasSuffix(s, "g"):
		s, unit = s[:len(s)-1], 1<<30
	case strings.HasSuffix(s, "M") || strings.HasSuffix(s, "m"):
		s, unit = s[:len(s)-1], 1<<20
	case strings.HasSuffix(s, "K") || strings.HasSuffix(s, "k"):
		s, unit = s[:len(s)-1], 1<<10
	case strings.HasSuffix(s, "B") || strings.HasSuffix(s, "b"):
		s = s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid --vm-bytes %q", v)
	}
	return int64(f * unit), nil
}
