package builtins

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
)

// writeOut writes a file the script asked for (a plot) under --out. The
// name is relative to --out and must stay inside it: an absolute path, a
// ".." that leaves it or a symbolic link out of it is refused, as os.Root
// refuses it.
func (in *Interp) writeOut(name string, data []byte) error {
	if in.cfg.OutDir == "" {
		return fmt.Errorf("cannot write %s: the sandbox writes files only under --out DIR", name)
	}
	if filepath.IsAbs(name) || path.IsAbs(filepath.ToSlash(name)) {
		return fmt.Errorf("cannot write %s: name a file relative to --out (%s)", name, in.cfg.OutDir)
	}
	if err := os.MkdirAll(in.cfg.OutDir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(in.cfg.OutDir)
	if err != nil {
		return err
	}
	defer root.Close()
	clean := path.Clean(filepath.ToSlash(name))
	if dir := path.Dir(clean); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cannot write %s: %w", name, sandboxErr(err, in.cfg.OutDir))
		}
	}
	if err := root.WriteFile(clean, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", name, sandboxErr(err, in.cfg.OutDir))
	}
	return nil
}

// sandboxErr words os.Root's refusal to leave --out.
func sandboxErr(err error, dir string) error {
	if pe, ok := err.(*os.PathError); ok && pe.Err.Error() == "path escapes from parent" {
		return fmt.Errorf("it is outside --out (%s)", dir)
	}
	return err
}
