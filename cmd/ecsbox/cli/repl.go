package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"

	"github.com/peterh/liner"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime/containers"
)

// lineReader yields the REPL's input one physical line at a time. The
// terminal one prompts and edits with liner; the plain one reads a pipe.
type lineReader interface {
	// readLine returns one line without its newline; continuation says the
	// statement is incomplete (the prompt becomes "... ").
	readLine(continuation bool) (string, error)
}

// errAborted is a Ctrl-C at the prompt: the partial statement is dropped.
var errAborted = errors.New("aborted")

type plainReader struct{ r *bufio.Reader }

func (p plainReader) readLine(bool) (string, error) {
	line, err := p.r.ReadString('\n')
	if err == io.EOF && line != "" {
		return line, nil
	}
	if err != nil {
		return "", err
	}
	return line[:len(line)-1], nil
}

// repl runs the read-eval-print loop: on a terminal with prompts, line
// editing, history and completion; otherwise it reads statements from stdin
// without prompts and evaluates them in the same way. It returns 0 at the
// end of input, or 1 if input was piped and a statement failed.
func repl(opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	var docker *containers.Docker
	if opts.docker {
		if docker, err = startDocker(context.Background(), opts, stderr); err != nil {
			fmt.Fprintf(stderr, "ecsbox: %v\n", err)
			return 1
		}
		defer closeDocker(docker, stderr)
	}
	in, err := builtins.New(builtins.Config{Cloud: opts.cloud(), Dir: wd, MaxSteps: opts.maxSteps, Stdout: stdout, Docker: docker})
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	defer in.Close()
	return replLoop(in, opts, nil, stdin, stdout, stderr)
}

// replLoop reads and runs statements on in until the end of input. With a
// lock (ecsbox serve --repl), each statement runs holding it, so that the
// endpoint and the clock never touch the account at the same time.
func replLoop(in *builtins.Interp, opts options, lock sync.Locker, stdin io.Reader, stdout, stderr io.Writer) int {
	var reader lineReader
	interactive := stdin == os.Stdin && isTerminal(os.Stdin) && isTerminal(os.Stdout)
	if interactive {
		term := newTerminal(in)
		defer term.close()
		reader = term
		fmt.Fprintf(stdout, "ecsbox %s: account %s, region %s, simulated time %s (seed %d)\n",
			Version, opts.account, opts.region, in.Cloud().Sim.Now().Format("2006-01-02T15:04:05Z"), opts.seed)
		fmt.Fprintln(stdout, `help(ecs) lists the ECS actions, help(sim) the clock; Ctrl-C cancels, Ctrl-D exits.`)
	} else {
		reader = plainReader{bufio.NewReader(stdin)}
	}

	failed := false
	statements := &pushbackReader{lineReader: reader}
	for {
		f, err := readStatement(statements)
		if err == io.EOF {
			break
		}
		if err == errAborted {
			continue
		}
		if err != nil {
			fmt.Fprintln(stderr, builtins.FormatError(err))
			failed = true
			continue
		}
		if f == nil {
			continue
		}
		if lock != nil {
			lock.Lock()
		}
		v, err := evalInterruptible(in, f)
		if lock != nil {
			lock.Unlock()
		}
		if err != nil {
			fmt.Fprintln(stderr, builtins.FormatError(err))
			failed = true
			continue
		}
		if v != nil && v != starlark.None {
			fmt.Fprintln(stdout, v.String())
		}
	}
	if interactive {
		fmt.Fprintln(stdout)
		return 0
	}
	if failed {
		return 1
	}
	return 0
}

// readStatement parses one statement, reading more lines while it is
// incomplete. It returns a nil file for an empty line, io.EOF at the end of
// input, errAborted after Ctrl-C.
func readStatement(r *pushbackReader) (*syntax.File, error) {
	var readErr error
	var lines []string
	blank := true
	readline := func() ([]byte, error) {
		line, err := r.readLine(len(lines) > 0)
		if err != nil {
			readErr = err
			return nil, err
		}
		lines = append(lines, line)
		if line != "" {
			blank = false
		}
		return []byte(line + "\n"), nil
	}
	f, err := builtins.ParseChunk("<stdin>", readline)
	// The parser turns a readline error into a syntax error that carries only
	// its message, so the reader's own error is kept aside (go-stack.md 1.6).
	if readErr != nil {
		if readErr == io.EOF && !blank {
			return nil, fmt.Errorf("<stdin>: unexpected end of input in an incomplete statement")
		}
		return nil, readErr
	}
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) == 0 {
		return nil, nil
	}
	// A compound statement ends at the first line that is not indented,
	// which the parser has read by then and would drop: that line starts
	// the next statement ("for ...:\n  pass\nprint(2)" runs print(2)).
	_, end := f.Stmts[len(f.Stmts)-1].Span()
	if int(end.Line) < len(lines) {
		r.unread(lines[end.Line:])
	}
	return f, nil
}

// pushbackReader is a lineReader that can be handed back lines it gave.
type pushbackReader struct {
	lineReader
	pending []string
}

func (p *pushbackReader) readLine(continuation bool) (string, error) {
	if len(p.pending) > 0 {
		line := p.pending[0]
		p.pending = p.pending[1:]
		return line, nil
	}
	return p.lineReader.readLine(continuation)
}

// unread gives lines back, to be read again before any new input.
func (p *pushbackReader) unread(lines []string) {
	p.pending = append(append([]string(nil), lines...), p.pending...)
}

// evalInterruptible runs one statement; Ctrl-C cancels it (a long
// sim.advance too) and returns to the prompt.
func evalInterruptible(in *builtins.Interp, f *syntax.File) (starlark.Value, error) {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-interrupts:
			cancel(errors.New("interrupted"))
		case <-done:
		}
	}()
	return in.ExecChunk(ctx, f)
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

var _ = liner.ErrPromptAborted
