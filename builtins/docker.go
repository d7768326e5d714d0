package builtins

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	gotime "time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ecsbox/ecsbox/runtime/containers"
)

// The docker module mirrors the Docker SDK for Python (docker-py) the way
// the AWS modules mirror boto3 (design.md): docker.login(...),
// docker.images.build(...), image.tag(...), docker.images.push(...),
// docker.containers.list(). It drives the simulated Docker Engine of
// runtime/containers: builds read the Dockerfile and context from the
// script's directory tree and run nothing, and the only registry it reaches
// is the account's ECR registry.
//
//	docker.login(username, password, registry=None)   {"IdentityToken": "", "Status": "Login Succeeded"}
//	docker.images.build(path, tag=None, dockerfile=None, buildargs=None, labels=None)
//	                                                   (Image, build log) as docker-py returns them
//	docker.images.push(repository, tag=None)           the lines docker push prints
//	docker.images.pull(repository, tag=None)           Image
//	docker.images.list(name=None)  .get(name)  .remove(image, force=False)
//	docker.containers.list()  docker.networks.list()  docker.volumes.list()
//	Image: .id .short_id .tags .labels .attrs .tag(repository, tag=None) .reload()
//
// One deviation: where docker-py returns a push or pull stream with the
// error inside it, ecsbox raises the error. Errors start with docker-py's
// exception name (APIError, ImageNotFound, NotFound, BuildError).

// newDockerEngine makes the simulated engine of an interpreter, reading
// build contexts from the sandbox.
func (in *Interp) newDockerEngine() containers.Engine {
	return containers.NewSimulated(containers.SimulatedConfig{
		Sim:      in.cloud.Sim,
		ECR:      in.cloud.ECR,
		ReadFile: func(p string) ([]byte, error) { return in.readSandboxed(p, p) },
		ReadDir:  in.readSandboxedDir,
	})
}

// readSandboxedDir lists a directory below the sandbox root: names sorted,
// directories with a trailing "/".
func (in *Interp) readSandboxedDir(rel string) ([]string, error) {
	entries, err := fs.ReadDir(in.root.FS(), rel)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}

func (in *Interp) dockerModule() *starlarkstruct.Module {
	b := func(name string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin(name, fn)
	}
	collection := func(name string, members starlark.StringDict) *starlarkstruct.Module {
		return &starlarkstruct.Module{Name: name, Members: members}
	}
	return &starlarkstruct.Module{
		Name: "docker",
		Members: starlark.StringDict{
			"login": b("docker.login", in.dockerLogin),
			"images": collection("docker.images", starlark.StringDict{
				"build":  b("docker.images.build", in.dockerBuild),
				"push":   b("docker.images.push", in.dockerPush),
				"pull":   b("docker.images.pull", in.dockerPull),
				"list":   b("docker.images.list", in.dockerImages),
				"get":    b("docker.images.get", in.dockerGet),
				"remove": b("docker.images.remove", in.dockerRemove),
			}),
			"containers": collection("docker.containers", starlark.StringDict{"list": b("docker.containers.list", in.dockerContainers)}),
			"networks":   collection("docker.networks", starlark.StringDict{"list": b("docker.networks.list", in.dockerNetworks)}),
			"volumes":    collection("docker.volumes", starlark.StringDict{"list": b("docker.volumes.list", in.dockerVolumes)}),
		},
	}
}

func (in *Interp) dockerLogin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var username, password, registry, email string
	var reauth bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "username", &username, "password?", &password, "email?", &email, "registry?", &registry, "reauth?", &reauth); err != nil {
		return nil, err
	}
	res, err := in.docker.Login(username, password, registry)
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(2)
	d.SetKey(starlark.String("IdentityToken"), starlark.String(res.IdentityToken))
	d.SetKey(starlark.String("Status"), starlark.String(res.Status))
	return d, nil
}

// stringMap unpacks an optional dict of strings (buildargs, labels).
func stringMap(name string, v starlark.Value) (map[string]string, error) {
	if v == nil || v == starlark.None {
		return nil, nil
	}
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, fmt.Errorf("%s: got %s, want a dict of strings", name, v.Type())
	}
	out := map[string]string{}
	for _, item := range d.Items() {
		k, ok1 := starlark.AsString(item[0])
		val, ok2 := starlark.AsString(item[1])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: keys and values must be strings", name)
		}
		out[k] = val
	}
	return out, nil
}

func (in *Interp) dockerBuild(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, tag, dockerfile string
	var buildargs, labels starlark.Value = starlark.None, starlark.None
	var nocache, rm, pull, quiet, forcerm bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "path", &path, "tag?", &tag, "quiet?", &quiet, "nocache?", &nocache,
		"rm?", &rm, "pull?", &pull, "forcerm?", &forcerm, "dockerfile?", &dockerfile, "buildargs?", &buildargs, "labels?", &labels); err != nil {
		return nil, err
	}
	rel, _, err := in.resolve(callerFile(thread), path)
	if err != nil {
		return nil, err
	}
	bargs, err := stringMap("buildargs", buildargs)
	if err != nil {
		return nil, err
	}
	lbls, err := stringMap("labels", labels)
	if err != nil {
		return nil, err
	}
	img, log, err := in.docker.Build(containers.BuildOptions{Path: rel, Dockerfile: dockerfile, Tag: tag, BuildArgs: bargs, Labels: lbls})
	if err != nil {
		return nil, err
	}
	// docker-py returns (image, generator of decoded stream chunks).
	chunks := make([]starlark.Value, 0, len(log)+1)
	for _, line := range log {
		d := starlark.NewDict(1)
		d.SetKey(starlark.String("stream"), starlark.String(line+"\n"))
		chunks = append(chunks, d)
	}
	return starlark.Tuple{in.imageValue(img), starlark.NewList(chunks)}, nil
}

func (in *Interp) dockerPush(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var repository, tag string
	var stream, decode bool
	var auth starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "repository", &repository, "tag?", &tag, "stream?", &stream, "auth_config?", &auth, "decode?", &decode); err != nil {
		return nil, err
	}
	lines, err := in.docker.Push(repository, tag)
	if err != nil {
		return nil, err
	}
	return stringList(lines), nil
}

func stringList(lines []string) *starlark.List {
	out := make([]starlark.Value, len(lines))
	for i, l := range lines {
		out[i] = starlark.String(l)
	}
	return starlark.NewList(out)
}

func (in *Interp) dockerPull(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var repository, tag string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "repository", &repository, "tag?", &tag); err != nil {
		return nil, err
	}
	img, err := in.docker.Pull(repository, tag)
	if err != nil {
		return nil, err
	}
	return in.imageValue(img), nil
}

func (in *Interp) dockerImages(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var all bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name?", &name, "all?", &all); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, img := range in.docker.Images() {
		if name != "" && !imageHasRepository(img, name) {
			continue
		}
		out = append(out, in.imageValue(img))
	}
	return starlark.NewList(out), nil
}

// imageHasRepository reports whether an image is tagged in a repository
// (docker images NAME): "web" matches web:latest and web:v1, "web:v1" only
// that tag.
func imageHasRepository(img containers.Image, name string) bool {
	for _, t := range img.RepoTags {
		if t == name || strings.HasPrefix(t, name+":") {
			return true
		}
	}
	return false
}

func (in *Interp) dockerGet(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	img, err := in.docker.Image(name)
	if err != nil {
		return nil, err
	}
	return in.imageValue(img), nil
}

func (in *Interp) dockerRemove(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var image starlark.Value
	var force, noprune bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "image", &image, "force?", &force, "noprune?", &noprune); err != nil {
		return nil, err
	}
	name, ok := starlark.AsString(image)
	if img, isImage := image.(*dockerImage); isImage {
		name, ok = img.img.ID, true
	}
	if !ok {
		return nil, fmt.Errorf("%s: for parameter image: got %s, want an image name, ID or Image", b.Name(), image.Type())
	}
	if _, err := in.docker.RemoveImage(name, force); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// model returns a docker-py model object (Container, Network, Volume) as a
// struct with id, short_id, name and attrs.
func model(id, name string, attrs map[string]starlark.Value) *starlarkstruct.Struct {
	a := starlark.NewDict(len(attrs))
	for _, k := range sortedStrings(attrs) {
		a.SetKey(starlark.String(k), attrs[k])
	}
	short := id
	if len(short) > 12 {
		short = short[:12]
	}
	return starlarkstruct.FromStringDict(starlarkstruct.Default, starlark.StringDict{
		"id": starlark.String(id), "short_id": starlark.String(short), "name": starlark.String(name), "attrs": a,
	})
}

func sortedStrings[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (in *Interp) dockerContainers(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var all bool
	var filters starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "all?", &all, "filters?", &filters); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, c := range in.docker.Containers() {
		out = append(out, model(c.ID, c.Name, map[string]starlark.Value{
			"Id": starlark.String(c.ID), "Name": starlark.String("/" + c.Name), "Image": starlark.String(c.Image), "Status": starlark.String(c.Status),
		}))
	}
	return starlark.NewList(out), nil
}

func (in *Interp) dockerNetworks(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, n := range in.docker.Networks() {
		out = append(out, model(n.ID, n.Name, map[string]starlark.Value{
			"Id": starlark.String(n.ID), "Name": starlark.String(n.Name), "Driver": starlark.String(n.Driver), "Scope": starlark.String(n.Scope),
		}))
	}
	return starlark.NewList(out), nil
}

func (in *Interp) dockerVolumes(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, v := range in.docker.Volumes() {
		out = append(out, model(v.Name, v.Name, map[string]starlark.Value{
			"Name": starlark.String(v.Name), "Driver": starlark.String(v.Driver), "Mountpoint": starlark.String(v.Mountpoint),
		}))
	}
	return starlark.NewList(out), nil
}

// dockerImage is docker-py's Image model: a snapshot of the image when it
// was returned (reload() refreshes it).
type dockerImage struct {
	in  *Interp
	img containers.Image
}

var _ starlark.HasAttrs = (*dockerImage)(nil)

func (in *Interp) imageValue(img containers.Image) *dockerImage {
	return &dockerImage{in: in, img: img}
}

// String is docker-py's repr: <Image: 'web:latest', 'web:v1'>.
func (x *dockerImage) String() string {
	return fmt.Sprintf("<Image: '%s'>", strings.Join(x.img.RepoTags, "', '"))
}
func (x *dockerImage) Type() string          { return "Image" }
func (x *dockerImage) Freeze()               {}
func (x *dockerImage) Truth() starlark.Bool  { return true }
func (x *dockerImage) Hash() (uint32, error) { return starlark.String(x.img.ID).Hash() }

var imageAttrs = []string{"attrs", "id", "labels", "reload", "short_id", "tag", "tags"}

func (x *dockerImage) AttrNames() []string { return imageAttrs }

func (x *dockerImage) Attr(name string) (starlark.Value, error) {
	switch name {
	case "id":
		return starlark.String(x.img.ID), nil
	case "short_id":
		// docker-py: the ID's first 17 characters, "sha256:" and 10 hex digits
		if len(x.img.ID) > 17 {
			return starlark.String(x.img.ID[:17]), nil
		}
		return starlark.String(x.img.ID), nil
	case "tags":
		return stringList(x.img.RepoTags), nil
	case "labels":
		return stringDict(x.img.Config.Labels), nil
	case "attrs":
		return x.inspect(), nil
	case "tag":
		return starlark.NewBuiltin("Image.tag", x.tag), nil
	case "reload":
		return starlark.NewBuiltin("Image.reload", x.reload), nil
	}
	return nil, nil
}

func stringDict(m map[string]string) *starlark.Dict {
	d := starlark.NewDict(len(m))
	for _, k := range sortedStrings(m) {
		d.SetKey(starlark.String(k), starlark.String(m[k]))
	}
	return d
}

func strs(list []string) starlark.Value {
	if list == nil {
		return starlark.None
	}
	return stringList(list)
}

// inspect is the image as docker image inspect shows it.
func (x *dockerImage) inspect() *starlark.Dict {
	img := x.img
	ports := starlark.NewDict(len(img.Config.ExposedPorts))
	for _, p := range img.Config.ExposedPorts {
		ports.SetKey(starlark.String(p), starlark.NewDict(0))
	}
	cfg := starlark.NewDict(9)
	cfg.SetKey(starlark.String("Env"), strs(img.Config.Env))
	cfg.SetKey(starlark.String("Cmd"), strs(img.Config.Cmd))
	cfg.SetKey(starlark.String("Entrypoint"), strs(img.Config.Entrypoint))
	cfg.SetKey(starlark.String("ExposedPorts"), ports)
	cfg.SetKey(starlark.String("WorkingDir"), starlark.String(img.Config.WorkingDir))
	cfg.SetKey(starlark.String("User"), starlark.String(img.Config.User))
	cfg.SetKey(starlark.String("Labels"), stringDict(img.Config.Labels))
	if img.Config.StopSignal != "" {
		cfg.SetKey(starlark.String("StopSignal"), starlark.String(img.Config.StopSignal))
	}
	var layers []string
	for _, l := range img.Layers {
		layers = append(layers, l.Digest)
	}
	rootfs := starlark.NewDict(2)
	rootfs.SetKey(starlark.String("Type"), starlark.String("layers"))
	rootfs.SetKey(starlark.String("Layers"), stringList(layers))
	d := starlark.NewDict(10)
	d.SetKey(starlark.String("Id"), starlark.String(img.ID))
	d.SetKey(starlark.String("RepoTags"), stringList(img.RepoTags))
	d.SetKey(starlark.String("RepoDigests"), stringList(img.RepoDigests))
	d.SetKey(starlark.String("Created"), starlark.String(img.Created.UTC().Format(gotime.RFC3339)))
	d.SetKey(starlark.String("Size"), starlark.MakeInt64(img.Size))
	d.SetKey(starlark.String("Architecture"), starlark.String("amd64"))
	d.SetKey(starlark.String("Os"), starlark.String("linux"))
	d.SetKey(starlark.String("Config"), cfg)
	d.SetKey(starlark.String("RootFS"), rootfs)
	d.SetKey(starlark.String("History"), stringList(img.Steps))
	return d
}

// tag implements Image.tag(repository, tag=None): True, as docker-py.
func (x *dockerImage) tag(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var repository, tag string
	var force bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "repository", &repository, "tag?", &tag, "force?", &force); err != nil {
		return nil, err
	}
	if err := x.in.docker.Tag(x.img.ID, repository, tag); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

// reload implements Image.reload(): the snapshot refreshed from the engine.
func (x *dockerImage) reload(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	img, err := x.in.docker.Image(x.img.ID)
	if err != nil {
		return nil, err
	}
	x.img = img
	return starlark.None, nil
}

// ecrLoginPassword implements ecr.get_login_password(), the AWS CLI's
// customisation: the password of a new authorization token.
func (in *Interp) ecrLoginPassword(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	if in.cloud.ECR == nil {
		return nil, errors.New("ecr.get_login_password: ecsbox has no ECR registry in this account")
	}
	return starlark.String(in.cloud.ECR.LoginPassword()), nil
}
