package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"

	"github.com/ecsbox/ecsbox/builtins"
)

// terminal is the interactive line reader: liner's editing, a history file
// in the user's state directory, and tab completion.
type terminal struct {
	state   *liner.State
	history string
}

func newTerminal(in *builtins.Interp) *terminal {
	t := &terminal{state: liner.NewLiner(), history: historyPath()}
	t.state.SetCtrlCAborts(true)
	t.state.SetTabCompletionStyle(liner.TabPrints)
	t.state.SetWordCompleter(func(line string, pos int) (string, []string, string) {
		return complete(in, line, pos)
	})
	if t.history != "" {
		if f, err := os.Open(t.history); err == nil {
			t.state.ReadHistory(f)
			f.Close()
		}
	}
	return t
}

func (t *terminal) readLine(continuation bool) (string, error) {
	prompt := ">>> "
	if continuation {
		prompt = "... "
	}
	line, err := t.state.Prompt(prompt)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", errAborted
	}
	if err != nil {
		return "", err
	}
	// Each physical line is one history entry, so a reloaded history never
	// holds a newline inside an entry (go-stack.md 2).
	if strings.TrimSpace(line) != "" {
		t.state.AppendHistory(line)
	}
	return line, nil
}

func (t *terminal) close() {
	if t.history != "" {
		if err := os.MkdirAll(filepath.Dir(t.history), 0o700); err == nil {
			if f, err := os.Create(t.history); err == nil {
				t.state.WriteHistory(f)
				f.Close()
			}
		}
	}
	t.state.Close()
}

// historyPath is where the REPL keeps its history: $ECSBOX_HISTORY (empty
// to keep none), else $XDG_STATE_HOME/ecsbox/history, else
// ~/.local/state/ecsbox/history.
func historyPath() string {
	if p, ok := os.LookupEnv("ECSBOX_HISTORY"); ok {
		return p
	}
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" {
		return filepath.Join(dir, "ecsbox", "history")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "ecsbox", "history")
}

var _ = io.EOF
