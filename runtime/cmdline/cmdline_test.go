package cmdline

import (
	"fmt"
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
