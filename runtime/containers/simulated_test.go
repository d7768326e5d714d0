package containers

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// files is a build context in memory.
type files map[string]string

func (f files) read(p string) ([]byte, error) {
	if s, ok := f[path.Clean(p)]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func (f files) dir(p string) ([]string, error) {
	p = path.Clean(p)
	seen := map[string]bool{}
	for name := range f {
		rel := name
		if p != "." {
			if !strings.HasPrefix(name, p+"/") {
				continue
			}
			rel = strings.TrimPrefix(name, p+"/")
		}
		first, _, isDir := strings.Cut(rel, "/")
		if isDir {
			first += "/"
		}
		seen[first] = true
	}
	if len(seen) == 0 {
		return nil, fs.ErrNotExist
	}
	return sortedKeys(seen), nil
}

const webDockerfile = `FROM python:3.12-slim
ARG VERSION=dev
ENV APP_VERSION=$VERSION PORT=8080
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
LABEL org.opencontainers.image.version=$VERSION
EXPOSE 8080
USER app
CMD ["python", "app.py"]
`

func newTestEngine(ctx files) (*Simulated, *ecr.ECR, *sim.Sim) {
	s := sim.New(sim.Config{})
	r := ecr.New(ecr.Config{Sim: s, Identity: aws.DefaultIdentity()})
	return NewSimulated(SimulatedConfig{Sim: s, ECR: r, ReadFile: ctx.read, ReadDir: ctx.dir}), r, s
}

func webContext() files {
	return files{
		"app/Dockerfile":        webDockerfile,
		"app/app.py":            "print('hello')\n",
		"app/requirements.txt":  "flask==3.0.3\n",
		"app/static/index.html": "<h1>hi</h1>\n",
	}
}

func TestBuildIsContentAddressed(t *testing.T) {
	build := func(ctx files, args map[string]string) Image {
		e, _, _ := newTestEngine(ctx)
		img, _, err := e.Build(BuildOptions{Path: "app", Tag: "web", BuildArgs: args})
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	a := build(webContext(), nil)
	if !strings.HasPrefix(a.ID, "sha256:") || len(a.ID) != 71 || !reflect.DeepEqual(a.RepoTags, []string{"web:latest"}) {
		t.Fatalf("image = %+v", a)
	}
	if b := build(webContext(), nil); b.ID != a.ID || b.Size != a.Size {
		t.Error("the same Dockerfile and context gave another image")
	}
	changed := webContext()
	changed["app/app.py"] = "print('hello, world')\n"
	if b := build(changed, nil); b.ID == a.ID {
		t.Error("a changed context file kept the image ID")
	}
	if b := build(webContext(), map[string]string{"VERSION": "1.0"}); b.ID == a.ID {
		t.Error("a build arg kept the image ID")
	}
	cfg := a.Config
	want := ImageConfig{
		Env:          []string{defaultPath, "LANG=C.UTF-8", "APP_VERSION=dev", "PORT=8080"},
		Cmd:          []string{"python", "app.py"},
		ExposedPorts: []string{"8080/tcp"},
		WorkingDir:   "/srv",
		User:         "app",
		Labels:       map[string]string{"org.opencontainers.image.version": "dev"},
	}
	cfg.Entrypoint, cfg.Volumes = nil, nil
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("config =\n%+v\nwant\n%+v", cfg, want)
	}
	// base 4 layers + COPY + RUN + COPY
	if len(a.Layers) != 7 {
		t.Errorf("%d layers", len(a.Layers))
	}
}

func TestBuildOutputAndErrors(t *testing.T) {
	e, _, _ := newTestEngine(webContext())
	_, log, err := e.Build(BuildOptions{Path: "app", Tag: "web:v1", BuildArgs: map[string]string{"UNUSED": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if log[0] != "Step 1/11 : FROM python:3.12-slim" || !strings.HasPrefix(log[1], " ---> ") {
		t.Errorf("log starts %q", log[:2])
	}
	tail := log[len(log)-3:]
	if tail[0] != "[Warning] One or more build-args [UNUSED] were not consumed" || !strings.HasPrefix(tail[1], "Successfully built ") || tail[2] != "Successfully tagged web:v1" {
		t.Errorf("log ends %q", tail)
	}
	tests := []struct {
		ctx  files
		opts BuildOptions
		want string
	}{
		{files{}, BuildOptions{Path: "."}, `APIError: 500 Server Error for http+docker://localhost/v1.47/build: Internal Server Error ("Cannot locate specified Dockerfile: Dockerfile")`},
		{files{"Dockerfile": "FROM alpine\nCOPY missing.txt /\n"}, BuildOptions{Path: "."}, `BuildError: failed to compute cache key: failed to calculate checksum of ref: "/missing.txt": not found`},
		{files{"Dockerfile": "FROM alpine\nFOO bar\n"}, BuildOptions{Path: "."}, "BuildError: dockerfile parse error on line 2: unknown instruction: FOO"},
		{files{"Dockerfile": "FROM alpine\n"}, BuildOptions{Path: ".", Tag: "Web"}, `APIError: 400 Client Error for http+docker://localhost/v1.47/build: Bad Request ("invalid reference format: repository name must be lowercase")`},
		{files{"Dockerfile": "FROM 123456789012.dkr.ecr.us-east-1.amazonaws.com/base:v1\n"}, BuildOptions{Path: "."},
			`BuildError: failed to resolve source metadata for 123456789012.dkr.ecr.us-east-1.amazonaws.com/base:v1: Head "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/base/manifests/v1": no basic auth credentials`},
	}
	for _, tt := range tests {
		e, _, _ := newTestEngine(tt.ctx)
		_, _, err := e.Build(tt.opts)
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v\nwant %s", err, tt.want)
		}
	}
}

func TestMultiStageAndCopyGlob(t *testing.T) {
	ctx := files{
		"Dockerfile": "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY *.go ./\nRUN go build -o /app\n" +
			"FROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
		"main.go": "package main\n", "util.go": "package main\n", "README.md": "x",
	}
	e, _, _ := newTestEngine(ctx)
	img, _, err := e.Build(BuildOptions{Path: ".", Tag: "tool"})
	if err != nil {
		t.Fatal(err)
	}
	if len(img.Layers) != 1 || !reflect.DeepEqual(img.Config.Entrypoint, []string{"/app"}) || img.Config.WorkingDir != "" {
		t.Errorf("final stage = %+v", img)
	}
	files, err := e.contextFiles(".", "*.go")
	if err != nil || !reflect.DeepEqual(files, []string{"main.go", "util.go"}) {
		t.Errorf("*.go = %v, %v", files, err)
	}
}

func TestLoginPushPull(t *testing.T) {
	e, r, s := newTestEngine(webContext())
	host := r.RegistryHost()
	repo := host + "/web"
	if _, _, err := e.Build(BuildOptions{Path: "app", Tag: "web"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Tag("web", repo, "v1"); err != nil {
		t.Fatal(err)
	}
	pushErr := func(want string) {
		t.Helper()
		if _, err := e.Push(repo, "v1"); err == nil || err.Error() != want {
			t.Fatalf("push: %v\nwant %s", err, want)
		}
	}
	pushErr("APIError: no basic auth credentials")
	_, err := e.Login("AWS", "wrong", host)
	if err == nil || !strings.Contains(err.Error(), "401 Client Error") {
		t.Fatalf("login with a wrong password: %v", err)
	}
	res, err := e.Login("AWS", r.LoginPassword(), "https://"+host)
	if err != nil || res.Status != "Login Succeeded" {
		t.Fatalf("login: %+v, %v", res, err)
	}
	pushErr("APIError: name unknown: The repository with name 'web' does not exist in the registry with id '123456789012'")
	if _, err := r.CreateRepository(&ecr.CreateRepositoryRequest{RepositoryName: aws.String("web"), ImageTagMutability: aws.String("IMMUTABLE")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.Push(repo, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != "The push refers to repository ["+repo+"]" || !strings.HasSuffix(out[1], ": Pushed") || !strings.HasPrefix(out[len(out)-1], "v1: digest: sha256:") {
		t.Errorf("push output = %q", out)
	}
	// Pushing again: layers exist, the same manifest is accepted.
	out, _ = e.Push(repo, "v1")
	if !strings.HasSuffix(out[1], ": Layer already exists") {
		t.Errorf("second push = %q", out)
	}
	// A different image under the same tag: the repository is immutable.
	ctx := webContext()
	ctx["app/Dockerfile"] += "ENV X=1\n"
	e.readFileFn, e.readDirFn = ctx.read, ctx.dir
	if _, _, err := e.Build(BuildOptions{Path: "app", Tag: repo + ":v1"}); err != nil {
		t.Fatal(err)
	}
	pushErr("APIError: tag invalid: The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable.")
	if _, err := e.Push(repo, "v9"); err == nil || err.Error() != "APIError: An image does not exist locally with the tag: "+repo {
		t.Errorf("push of a missing tag: %v", err)
	}

	// Pull by a fresh engine of the same account.
	e2 := NewSimulated(SimulatedConfig{Sim: s, ECR: r})
	if _, err := e2.Pull(repo, "v1"); err == nil || !strings.Contains(err.Error(), "no basic auth credentials") {
		t.Errorf("pull without login: %v", err)
	}
	e2.Login("AWS", r.LoginPassword(), host)
	img, err := e2.Pull(repo, "v1")
	if err != nil || !reflect.DeepEqual(img.RepoTags, []string{repo + ":v1"}) || img.Size == 0 {
		t.Fatalf("pull = %+v, %v", img, err)
	}
	if _, err := e2.Pull(repo, "v2"); err == nil || err.Error() != "NotFound: manifest for "+repo+":v2 not found: manifest unknown: Requested image not found" {
		t.Errorf("pull of a missing tag: %v", err)
	}
	// Tokens expire after 12 hours.
	if err := s.Advance(context.Background(), 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	pushErr("APIError: denied: Your authorization token has expired. Reauthenticate and try again.")
}

func TestImagesGetRemove(t *testing.T) {
	e, _, _ := newTestEngine(webContext())
	img, _, _ := e.Build(BuildOptions{Path: "app", Tag: "web"})
	e.Tag("web", "web", "v1")
	if _, err := e.Pull("nginx", ""); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range e.Images() {
		names = append(names, strings.Join(i.RepoTags, ","))
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"nginx:latest", "web:latest,web:v1"}) {
		t.Errorf("images = %q", names)
	}
	if got, err := e.Image(img.ShortID()); err != nil || got.ID != img.ID {
		t.Errorf("by short ID: %v", err)
	}
	_, err := e.Image("nope")
	if err == nil || err.Error() != `ImageNotFound: 404 Client Error for http+docker://localhost/v1.47/images/nope/json: Not Found ("No such image: nope:latest")` {
		t.Errorf("missing image: %v", err)
	}
	var de *Error
	if _, err := e.RemoveImage(img.ID, false); !errors.As(err, &de) || !strings.Contains(err.Error(), "409 Client Error") {
		t.Errorf("remove a twice-tagged image by ID: %v", err)
	}
	if out, err := e.RemoveImage("web:v1", false); err != nil || !reflect.DeepEqual(out, []string{"Untagged: web:v1"}) {
		t.Errorf("untag: %q, %v", out, err)
	}
	if out, err := e.RemoveImage("web", false); err != nil || len(out) != 2 || out[1] != "Deleted: "+img.ID {
		t.Errorf("remove: %q, %v", out, err)
	}
	if len(e.Networks()) != 3 || e.Networks()[0].Name != "bridge" || len(e.Volumes()) != 0 || len(e.Containers()) != 0 {
		t.Error("networks, volumes, containers")
	}
}
