// Package containers is the container engine side of ecsbox: the machine a
// user builds and pushes images from and, later, the engine real containers
// run on. Engine is what the docker module needs from it; Simulated is the
// engine of the simulation (simulated.go), which builds images from a
// Dockerfile without running anything, keeps them in a local store, and
// logs in, pushes and pulls against the simulated ECR registry.
//
// Files: engine.go (the interface, the values it deals in, errors),
// dockerfile.go (parsing Dockerfiles and build args), build.go (turning a
// Dockerfile and its context into an image, content-addressed), base.go
// (public base images, simulated offline), simulated.go (the engine:
// login, tag, push, pull, the image store, containers, networks, volumes).
//
// Errors carry the docker SDK for Python's exception name and the Docker
// daemon's words (Error), so scripts see what docker-py users see.
package containers

import (
	"fmt"
	"time"
)

// Engine is a Docker Engine as the docker module drives it. Names follow the
// Docker SDK for Python (docker.from_env().images.build, .push, ...).
type Engine interface {
	// Login logs in to a registry; the ECR registry wants the username
	// "AWS" and a password from ecr.get_login_password().
	Login(username, password, registry string) (LoginResult, error)
	// Build builds an image from a Dockerfile and its context; it returns
	// the image and the build output, one line per entry.
	Build(opts BuildOptions) (Image, []string, error)
	// Tag names an image repository:tag ("latest" if tag is empty).
	Tag(image, repository, tag string) error
	// Push pushes repository's tag (all its local tags if tag is empty) and
	// returns the lines docker push prints.
	Push(repository, tag string) ([]string, error)
	// Pull pulls repository:tag ("latest" if tag is empty).
	Pull(repository, tag string) (Image, error)
	// Images lists the local images, newest first.
	Images() []Image
	// Image finds a local image by ID (or a prefix of it), name:tag or
	// name@digest.
	Image(name string) (Image, error)
	// RemoveImage untags an image named by tag (removing it with its last
	// tag), or removes an image named by ID.
	RemoveImage(name string, force bool) ([]string, error)
	// Containers lists the running containers; Networks and Volumes what
	// the engine has.
	Containers() []Container
	Networks() []Network
	Volumes() []Volume
}

// LoginResult is what a successful login returns (docker-py's dict).
type LoginResult struct {
	IdentityToken string
	Status        string
}

// BuildOptions are docker-py's images.build arguments that ecsbox uses.
type BuildOptions struct {
	// Path is the build context directory, as the engine's ReadFile names
	// paths ("." for the top).
	Path string
	// Dockerfile is the Dockerfile's path inside the context; "Dockerfile"
	// if empty.
	Dockerfile string
	// Tag names the image (repository[:tag]); none if empty.
	Tag string
	// BuildArgs are the --build-arg values.
	BuildArgs map[string]string
	// Labels are added to the image's labels.
	Labels map[string]string
}

// Image is an image in the engine's store, as docker image inspect shows it.
type Image struct {
	ID          string // sha256:<hex> of the image config
	RepoTags    []string
	RepoDigests []string // repository@sha256:<manifest digest>, once pushed or pulled
	Created     time.Time
	Size        int64
	Config      ImageConfig
	Layers      []Layer
	// Steps are the Dockerfile instructions the image was built from, one
	// line each (the image's history), base image's first.
	Steps []string
}

// ShortID is the ID as docker images shows it: 12 hex digits.
func (im Image) ShortID() string {
	if len(im.ID) > 19 {
		return im.ID[7:19]
	}
	return im.ID
}

// ImageConfig is the runtime configuration an image carries.
type ImageConfig struct {
	Env          []string
	Cmd          []string
	Entrypoint   []string
	ExposedPorts []string // "80/tcp"
	WorkingDir   string
	User         string
	Labels       map[string]string
	Volumes      []string
	StopSignal   string
}

// Layer is one filesystem layer: its digest and (compressed) size.
type Layer struct {
	Digest string
	Size   int64
}

// Container is a container the engine runs.
type Container struct {
	ID     string
	Name   string
	Image  string
	Status string
	Labels map[string]string
}

// Network is a Docker network.
type Network struct {
	ID, Name, Driver, Scope string
}

// Volume is a Docker volume.
type Volume struct {
	Name, Driver, Mountpoint string
}

// Error is an engine error as the Docker SDK for Python raises it: Kind is
// the exception's class name (APIError, ImageNotFound, NotFound, BuildError)
// and Message its text, e.g.
//
//	ImageNotFound: 404 Client Error for http+docker://localhost/v1.47/images/web/json: Not Found ("No such image: web:latest")
type Error struct {
	Kind    string
	Message string
}

func (e *Error) Error() string { return e.Kind + ": " + e.Message }

// apiVersion is the Engine API version in docker-py's error URLs: Docker
// Engine 27's.
const apiVersion = "v1.47"

// httpError builds docker-py's APIError text for an HTTP error of the
// Engine API: "<code> Client Error for <url>: <reason> ("<explanation>")"
// (docker/errors.py, APIError.__str__).
func httpError(kind string, code int, path, explanation string) *Error {
	class, reason := "Client", map[int]string{400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}[code]
	if code >= 500 {
		class = "Server"
	}
	return &Error{Kind: kind, Message: fmt.Sprintf("%d %s Error for http+docker://localhost/%s/%s: %s (\"%s\")", code, class, apiVersion, path, reason, explanation)}
}

// streamError is an error the daemon reports inside a push, pull or build
// stream. docker-py returns the stream and leaves it to the caller; ecsbox
// raises it, with the daemon's text.
func streamError(kind, text string) *Error { return &Error{Kind: kind, Message: text} }
