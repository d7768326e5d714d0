package builtins

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"go.starlark.net/starlark"
)

// The sandbox: load() and read_file() resolve paths relative to the file
// that names them, and reach only files inside the sandbox root (the
// script's directory tree, or the REPL's working directory). os.Root does
// the reading, so a symbolic link cannot lead out either. Scripts have no
// other access to files or the network.

// resolve turns path, as written in the file `from` (a display name such as
// "scripts/web.star" or "<stdin>"), into a path relative to the sandbox root
// and the name errors should show for it.
func (in *Interp) resolve(from, p string) (rel, display string, err error) {
	if p == "" {
		return "", "", errors.New("empty path")
	}
	if path.IsAbs(p) || strings.HasPrefix(p, `\`) || (len(p) > 1 && p[1] == ':') {
		return "", "", fmt.Errorf("%q: absolute paths are not allowed; name files relative to the script", p)
	}
	base := in.relDir(from)
	rel = path.Clean(path.Join(base, p))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", "", fmt.Errorf("%q escapes the sandbox: scripts may only read files in their own directory tree", p)
	}
	return rel, path.Join(in.displayRoot(), rel), nil
}

// relDir returns the directory of the file named from, relative to the root.
func (in *Interp) relDir(from string) string {
	if from == "" || strings.HasPrefix(from, "<") {
		return "."
	}
	dir := path.Dir(from)
	root := in.displayRoot()
	if root == "." {
		return dir
	}
	if dir == root {
		return "."
	}
	return strings.TrimPrefix(dir, root+"/")
}

// displayRoot is the sandbox root as file names show it.
func (in *Interp) displayRoot() string { return path.Clean(strings.ReplaceAll(in.cfg.Dir, `\`, "/")) }

// readSandboxed reads a file below the root.
func (in *Interp) readSandboxed(rel, asked string) ([]byte, error) {
	data, err := in.root.ReadFile(rel)
	if err == nil {
		return data, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%q: no such file in the script's directory tree", asked)
	}
	if strings.Contains(err.Error(), "escapes from parent") || strings.Contains(err.Error(), "path escapes") {
		return nil, fmt.Errorf("%q escapes the sandbox: scripts may only read files in their own directory tree", asked)
	}
	return nil, fmt.Errorf("%q: %w", asked, errors.Unwrap(err))
}

// callerFile is the file of the Starlark code calling the current builtin.
func callerFile(thread *starlark.Thread) string {
	if thread.CallStackDepth() < 2 {
		return ""
	}
	return thread.CallFrame(1).Pos.Filename()
}

// readFile implements read_file(path): the file's contents as a string.
func (in *Interp) readFile(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &p); err != nil {
		return nil, err
	}
	rel, _, err := in.resolve(callerFile(thread), p)
	if err != nil {
		return nil, err
	}
	data, err := in.readSandboxed(rel, p)
	if err != nil {
		return nil, err
	}
	return starlark.String(data), nil
}

// loadEntry is a module that load() has read: its globals once done, nil
// while it is still running (which is how a cycle shows).
type loadEntry struct {
	globals starlark.StringDict
	err     error
}

// load implements load("path", ...): the module's globals, each module
// executed once per interpreter.
func (in *Interp) load(thread *starlark.Thread, module string) (starlark.StringDict, error) {
	from := ""
	if thread.CallStackDepth() > 0 {
		from = thread.CallFrame(0).Pos.Filename()
	}
	rel, display, err := in.resolve(from, module)
	if err != nil {
		return nil, err
	}
	if e, ok := in.loads[rel]; ok {
		if e == nil {
			return nil, fmt.Errorf("cycle in load graph: %s loads itself, directly or through other files", display)
		}
		return e.globals, e.err
	}
	src, err := in.readSandboxed(rel, module)
	if err != nil {
		return nil, err
	}
	in.loads[rel] = nil
	child := in.newThread(display)
	stop := in.watch(in.ctx, child)
	globals, err := starlark.ExecFileOptions(FileOptions, child, display, src, in.predeclared)
	stop()
	in.loads[rel] = &loadEntry{globals: globals, err: err}
	return globals, err
}
