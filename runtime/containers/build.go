package containers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/ecr"
)

// A build runs nothing. It reads the Dockerfile and the context files that
// COPY and ADD name, and computes the image from their content: every layer
// digest is a hash of the chain of instructions (with the build args in
// scope) and of the files copied, so the same Dockerfile, context and build
// args give the same image ID, and a changed file or build arg a new one.
// Layer sizes: COPY and ADD weigh what they copy; a RUN layer weighs a
// deterministic 1-48 MiB derived from its digest (what a package install
// typically adds); metadata instructions add no layer.

// stage is one FROM ... section of a Dockerfile while it is built.
type stage struct {
	name     string
	img      Image
	vars     map[string]string // ARG and ENV values in scope, for expansion
	args     map[string]string // ARGs declared in this stage (RUN sees them)
	chain    string            // hash of everything so far
	cmdSet   bool              // CMD set in this stage (ENTRYPOINT keeps it)
	workdir  string
	external bool // based on an image outside this Dockerfile
}

func (e *Simulated) build(opts BuildOptions) (Image, []string, error) {
	dockerfile := opts.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	src, err := e.readFile(path.Join(opts.Path, dockerfile))
	if err != nil {
		// the daemon's text when the Dockerfile is missing
		return Image{}, nil, httpError("APIError", 500, "build", "Cannot locate specified Dockerfile: "+dockerfile)
	}
	instructions, err := parseDockerfile(string(src))
	if err != nil {
		return Image{}, nil, streamError("BuildError", err.Error())
	}
	var log []string
	global := map[string]string{}
	consumed := map[string]bool{}
	var stages []*stage
	var cur *stage
	for i, in := range instructions {
		log = append(log, fmt.Sprintf("Step %d/%d : %s", i+1, len(instructions), in.text))
		if in.cmd == "FROM" {
			cur, err = e.fromStage(in, global, stages)
			if err != nil {
				return Image{}, log, err
			}
			stages = append(stages, cur)
			log = append(log, " ---> "+shortHash(cur.chain))
			continue
		}
		if cur == nil {
			if in.cmd != "ARG" {
				return Image{}, log, streamError("BuildError", fmt.Sprintf("dockerfile parse error on line %d: no build stage in current context", in.line))
			}
			declareArgs(in.args, global, nil, opts.BuildArgs, consumed)
			continue
		}
		if err := e.step(cur, in, opts, stages, consumed); err != nil {
			return Image{}, log, err
		}
		log = append(log, " ---> "+shortHash(cur.chain))
	}
	if cur == nil {
		return Image{}, log, streamError("BuildError", "dockerfile parse error: no FROM instruction")
	}
	var unused []string
	for _, k := range sortedKeys(opts.BuildArgs) {
		if !consumed[k] {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		// the classic builder's warning
		log = append(log, fmt.Sprintf("[Warning] One or more build-args [%s] were not consumed", strings.Join(unused, " ")))
	}
	img := cur.img
	for _, k := range sortedKeys(opts.Labels) {
		if img.Config.Labels == nil {
			img.Config.Labels = map[string]string{}
		}
		img.Config.Labels[k] = opts.Labels[k]
	}
	img.ID = imageID(img)
	return img, log, nil
}

// fromStage starts a stage from its base: an earlier stage, scratch, an
// image in the local store, an ECR image (which must exist, after login), or
// a public image (made up offline).
func (e *Simulated) fromStage(in instruction, global map[string]string, stages []*stage) (*stage, error) {
	ws := words(expand(in.args, global))
	st := &stage{vars: map[string]string{}, args: map[string]string{}}
	for k, v := range global {
		st.vars[k] = v
	}
	if len(ws) == 3 && strings.EqualFold(ws[1], "AS") {
		st.name = strings.ToLower(ws[2])
	} else if len(ws) != 1 {
		return nil, streamError("BuildError", fmt.Sprintf("dockerfile parse error on line %d: FROM requires either one or three arguments", in.line))
	}
	ref := ws[0]
	for _, prev := range stages {
		if prev.name != "" && prev.name == strings.ToLower(ref) {
			st.img = copyImage(prev.img)
			st.chain = prev.chain
			st.workdir = prev.img.Config.WorkingDir
			return st, nil
		}
	}
	st.external = true
	switch {
	case ref == "scratch":
	case e.lookup(ref) != nil:
		st.img = copyImage(*e.lookup(ref))
	case ecr.IsECRImage(ref):
		img, err := e.pullECR(ref)
		if err != nil {
			return nil, streamError("BuildError", "failed to resolve source metadata for "+ref+": "+err.(*Error).Message)
		}
		st.img = img
	default:
		st.img = publicImage(ref)
	}
	st.img.ID, st.img.RepoTags, st.img.RepoDigests = "", nil, nil
	st.chain = digestOf("from", normalizedRef(ref), imageID(st.img))
	st.workdir = st.img.Config.WorkingDir
	return st, nil
}

// declareArgs handles ARG: each name takes its --build-arg value, else its
// default.
func declareArgs(args string, vars, declared map[string]string, buildArgs map[string]string, consumed map[string]bool) {
	for _, w := range words(args) {
		name, def, hasDef := strings.Cut(w, "=")
		v, given := buildArgs[name]
		if given {
			consumed[name] = true
		} else if hasDef {
			v = expand(def, vars)
		} else if _, ok := vars[name]; ok && declared != nil {
			continue // an ARG re-declared in a stage keeps the global value
		}
		if given || hasDef {
			vars[name] = v
			if declared != nil {
				declared[name] = v
			}
		}
	}
}

// step applies one instruction of a stage.
func (e *Simulated) step(st *stage, in instruction, opts BuildOptions, stages []*stage, consumed map[string]bool) error {
	cfg := &st.img.Config
	fail := func(format string, args ...any) error {
		return streamError("BuildError", fmt.Sprintf("dockerfile parse error on line %d: ", in.line)+fmt.Sprintf(format, args...))
	}
	extra := ""
	switch in.cmd {
	case "ARG":
		declareArgs(in.args, st.vars, st.args, opts.BuildArgs, consumed)
		// a global ARG re-declared without a value brings it into the stage
		for _, w := range words(in.args) {
			name, _, _ := strings.Cut(w, "=")
			if v, ok := st.vars[name]; ok {
				st.args[name] = v
			}
		}
	case "ENV":
		pairs, err := keyValues(in.args, true)
		if err != nil {
			return fail("ENV %s", err)
		}
		for _, p := range pairs {
			v := expand(p[1], st.vars)
			st.vars[p[0]] = v
			cfg.Env = setEnv(cfg.Env, p[0], v)
		}
	case "LABEL":
		pairs, err := keyValues(in.args, false)
		if err != nil {
			return fail("LABEL %s", err)
		}
		if cfg.Labels == nil {
			cfg.Labels = map[string]string{}
		}
		for _, p := range pairs {
			cfg.Labels[expand(p[0], st.vars)] = expand(p[1], st.vars)
		}
	case "EXPOSE":
		for _, w := range words(expand(in.args, st.vars)) {
			port, proto, _ := strings.Cut(w, "/")
			if proto == "" {
				proto = "tcp"
			}
			if _, err := strconv.Atoi(port); err != nil {
				return fail("invalid containerPort: %s", port)
			}
			p := port + "/" + strings.ToLower(proto)
			if !contains(cfg.ExposedPorts, p) {
				cfg.ExposedPorts = append(cfg.ExposedPorts, p)
			}
		}
		sort.Strings(cfg.ExposedPorts)
	case "WORKDIR":
		dir := expand(in.args, st.vars)
		if !path.IsAbs(dir) {
			dir = path.Join("/", st.workdir, dir)
		}
		st.workdir = path.Clean(dir)
		cfg.WorkingDir = st.workdir
	case "USER":
		cfg.User = expand(in.args, st.vars)
	case "CMD":
		cfg.Cmd = commandForm(in.args)
		st.cmdSet = true
	case "ENTRYPOINT":
		cfg.Entrypoint = commandForm(in.args)
		if !st.cmdSet {
			cfg.Cmd = nil // Docker resets an inherited CMD when ENTRYPOINT is set
		}
	case "VOLUME":
		for _, v := range pathList(expand(in.args, st.vars)) {
			if !contains(cfg.Volumes, v) {
				cfg.Volumes = append(cfg.Volumes, v)
			}
		}
	case "STOPSIGNAL":
		cfg.StopSignal = expand(in.args, st.vars)
	case "RUN":
		var scope []string
		for _, k := range sortedKeys(st.args) {
			scope = append(scope, k+"="+st.args[k])
		}
		digest := digestOf("run", st.chain, in.args, strings.Join(scope, "\n"))
		size := int64(1<<20) + int64(hashN(digest, 1)%(47<<20))
		st.img.Layers = append(st.img.Layers, Layer{Digest: digest, Size: size})
		st.img.Size += size
		extra = digest
	case "COPY", "ADD":
		digest, size, err := e.copyLayer(st, in, opts, stages)
		if err != nil {
			return err
		}
		st.img.Layers = append(st.img.Layers, Layer{Digest: digest, Size: size})
		st.img.Size += size
		extra = digest
	}
	st.img.Steps = append(st.img.Steps, in.text)
	st.chain = digestOf(st.chain, in.text, extra)
	return nil
}

// copyLayer computes the layer of a COPY or ADD from the files it copies.
func (e *Simulated) copyLayer(st *stage, in instruction, opts BuildOptions, stages []*stage) (string, int64, error) {
	paths := pathList(expand(in.args, st.vars))
	if len(paths) < 2 {
		return "", 0, streamError("BuildError", fmt.Sprintf("dockerfile parse error on line %d: %s requires at least two arguments, but only one was provided. Destination could not be determined", in.line, in.cmd))
	}
	srcs, dest := paths[:len(paths)-1], paths[len(paths)-1]
	if from := in.flags["from"]; from != "" {
		for i, prev := range stages {
			if prev.name == strings.ToLower(from) || strconv.Itoa(i) == from {
				d := digestOf("copy-from", prev.chain, strings.Join(srcs, "\x00"), dest)
				return d, int64(64<<10) + int64(hashN(d, 2)%(16<<20)), nil
			}
		}
		d := digestOf("copy-from-image", normalizedRef(from), strings.Join(srcs, "\x00"), dest)
		return d, int64(64<<10) + int64(hashN(d, 2)%(16<<20)), nil
	}
	h := sha256.New()
	var size int64
	for _, src := range srcs {
		if in.cmd == "ADD" && (strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "git@")) {
			return "", 0, streamError("BuildError", "ecsbox builds offline: ADD of a URL ("+src+") is not simulated; COPY the file from the build context")
		}
		files, err := e.contextFiles(opts.Path, src)
		if err != nil {
			return "", 0, err
		}
		for _, f := range files {
			data, _ := e.readFile(path.Join(opts.Path, f))
			sum := sha256.Sum256(data)
			fmt.Fprintf(h, "%s\x00%s\x00", f, hex.EncodeToString(sum[:]))
			size += int64(len(data))
		}
	}
	fmt.Fprintf(h, "->%s\x00chown=%s\x00chmod=%s", dest, in.flags["chown"], in.flags["chmod"])
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), size, nil
}

// contextFiles lists the context files a COPY source names (relative to the
// context, sorted): the file itself, every file under a directory, or the
// files a pattern matches in its directory.
func (e *Simulated) contextFiles(context, src string) ([]string, error) {
	clean := path.Clean(strings.TrimPrefix(path.Join("/", src), "/"))
	if clean == "" {
		clean = "."
	}
	notFound := streamError("BuildError", fmt.Sprintf("failed to compute cache key: failed to calculate checksum of ref: \"/%s\": not found", strings.TrimPrefix(clean, "./")))
	if strings.ContainsAny(clean, "*?[") {
		dir, pattern := path.Split(clean)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		entries, err := e.readDir(path.Join(context, dir))
		if err != nil {
			return nil, notFound
		}
		var out []string
		for _, ent := range entries {
			if ok, _ := path.Match(pattern, strings.TrimSuffix(ent, "/")); ok {
				sub, err := e.contextFiles(context, path.Join(dir, strings.TrimSuffix(ent, "/")))
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
		}
		if len(out) == 0 {
			return nil, notFound
		}
		return out, nil
	}
	if _, err := e.readFile(path.Join(context, clean)); err == nil {
		return []string{clean}, nil
	}
	entries, err := e.readDir(path.Join(context, clean))
	if err != nil {
		return nil, notFound
	}
	var out []string
	for _, ent := range entries {
		name := strings.TrimSuffix(ent, "/")
		if clean == "." && (name == ".git" || name == ".dockerignore") {
			continue
		}
		sub, err := e.contextFiles(context, path.Join(clean, name))
		if err != nil {
			return nil, err
		}
		out = append(out, sub...)
	}
	return out, nil
}

// imageID is the image's ID: the sha256 of its configuration, which holds
// the runtime config, the layers and the history (not the build time, so
// rebuilding the same thing gives the same ID).
func imageID(img Image) string {
	type rootfs struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	}
	var diff []string
	for _, l := range img.Layers {
		diff = append(diff, l.Digest)
	}
	cfg, _ := json.Marshal(struct {
		Architecture string      `json:"architecture"`
		OS           string      `json:"os"`
		Config       ImageConfig `json:"config"`
		RootFS       rootfs      `json:"rootfs"`
		History      []string    `json:"history"`
	}{"amd64", "linux", img.Config, rootfs{"layers", diff}, img.Steps})
	return ecr.Digest(cfg)
}

func setEnv(env []string, key, value string) []string {
	for i, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			out := append([]string{}, env...)
			out[i] = key + "=" + value
			return out
		}
	}
	return append(append([]string{}, env...), key+"="+value)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shortHash is 12 hex digits of a digest, as docker shows IDs.
func shortHash(digest string) string {
	s := strings.TrimPrefix(digest, "sha256:")
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func copyImage(img Image) Image {
	out := img
	out.Config = cloneConfig(img.Config)
	out.Layers = append([]Layer(nil), img.Layers...)
	out.Steps = append([]string(nil), img.Steps...)
	out.RepoTags = append([]string(nil), img.RepoTags...)
	out.RepoDigests = append([]string(nil), img.RepoDigests...)
	return out
}
