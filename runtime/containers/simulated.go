package containers

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/ecr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// SimulatedConfig configures the simulated engine.
type SimulatedConfig struct {
	Sim *sim.Sim
	// ECR is the account's registry, the only one the engine can reach
	// (there is no network).
	ECR *ecr.ECR
	// ReadFile reads a build context file (the sandbox's reader).
	ReadFile func(path string) ([]byte, error)
	// ReadDir lists a context directory: entry names, sorted, directories
	// with a trailing "/". Optional; without it COPY of a directory fails.
	ReadDir func(path string) ([]string, error)
}

// Simulated is the engine of the simulation: an image store, logins, and
// pushes and pulls against the simulated ECR. It runs no containers: its
// container list holds what is registered with RegisterContainer (nothing
// yet; ECS tasks may be registered here later), its networks are the three
// every Docker Engine starts with (bridge, host, none), and it has no
// volumes.
type Simulated struct {
	sim          *sim.Sim
	ecr          *ecr.ECR
	readFileFn   func(string) ([]byte, error)
	readDirFn    func(string) ([]string, error)
	images       map[string]*Image // by ID
	tags         map[string]string // repository:tag -> image ID
	logins       map[string]string // registry host -> password
	pushedLayers map[string]bool   // host/repository + layer digest
	containers   []Container
}

var _ Engine = (*Simulated)(nil)

// NewSimulated returns an engine with no images.
func NewSimulated(cfg SimulatedConfig) *Simulated {
	return &Simulated{sim: cfg.Sim, ecr: cfg.ECR, readFileFn: cfg.ReadFile, readDirFn: cfg.ReadDir,
		images: map[string]*Image{}, tags: map[string]string{}, logins: map[string]string{}, pushedLayers: map[string]bool{}}
}

func (e *Simulated) readFile(p string) ([]byte, error) {
	if e.readFileFn == nil {
		return nil, errors.New("no build context reader")
	}
	return e.readFileFn(p)
}

func (e *Simulated) readDir(p string) ([]string, error) {
	if e.readDirFn == nil {
		return nil, errors.New("no build context directory reader")
	}
	return e.readDirFn(p)
}

// registryHost returns the host of a registry argument ("https://host/",
// "host"), and "" for Docker Hub.
func registryHost(registry string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(registry, "https://"), "http://")
	h = strings.TrimSuffix(h, "/")
	if h == "" || strings.HasPrefix(h, "index.docker.io") || h == "docker.io" {
		return ""
	}
	return strings.SplitN(h, "/", 2)[0]
}

// Login logs in to the account's ECR registry with the username AWS and a
// password from ecr.get_login_password (valid 12 hours).
func (e *Simulated) Login(username, password, registry string) (LoginResult, error) {
	host := registryHost(registry)
	if e.ecr == nil || host != e.ecr.RegistryHost() {
		if host == "" {
			host = "https://index.docker.io/v1/"
		}
		return LoginResult{}, httpError("APIError", 500, "auth", "Get \"https://"+strings.TrimPrefix(host, "https://")+"/v2/\": ecsbox has no network: the only registry it can reach is the account's ECR registry")
	}
	if username != "AWS" || !e.ecr.ValidToken(password) {
		// The daemon's text when ECR refuses the credentials; not verified.
		return LoginResult{}, httpError("APIError", 401, "auth", "login attempt to https://"+host+"/v2/ failed with status: 400 Bad Request")
	}
	e.logins[host] = password
	e.sim.Recordf("docker", "Login", host, "docker logged in to %s (token valid until %s)", host, e.sim.Now().Add(ecr.TokenLifetime).Format("2006-01-02T15:04:05Z"))
	return LoginResult{IdentityToken: "", Status: "Login Succeeded"}, nil
}

// auth checks the engine's credentials for an ECR host, with the texts the
// registry answers a client without them (aws/aws-cli#3042) or with an
// expired token (CircleCI-Public/aws-ecr-orb#277).
func (e *Simulated) auth(host string) error {
	password, ok := e.logins[host]
	switch {
	case !ok:
		return errors.New("no basic auth credentials")
	case !e.ecr.ValidToken(password):
		return errors.New("denied: Your authorization token has expired. Reauthenticate and try again.")
	}
	return nil
}

// Build builds an image and tags it if asked.
func (e *Simulated) Build(opts BuildOptions) (Image, []string, error) {
	var tag string
	if opts.Tag != "" {
		var err error
		if tag, err = checkReference(opts.Tag); err != nil {
			return Image{}, nil, httpError("APIError", 400, "build", err.Error())
		}
	}
	img, log, err := e.build(opts)
	if err != nil {
		return Image{}, log, err
	}
	stored := e.images[img.ID]
	if stored == nil {
		img.Created = e.sim.Now()
		stored = &img
		e.images[img.ID] = stored
	}
	log = append(log, "Successfully built "+stored.ShortID())
	if tag != "" {
		e.setTag(tag, stored.ID)
		log = append(log, "Successfully tagged "+tag)
	}
	e.sim.Recordf("docker", "ImageBuilt", stored.ShortID(), "image %s built (%d layers, %s)%s", stored.ShortID(), len(stored.Layers), humanSize(stored.Size), tagNote(tag))
	return e.snapshot(stored), log, nil
}

func tagNote(tag string) string {
	if tag == "" {
		return ""
	}
	return " as " + tag
}

// referencePattern is the reference grammar docker accepts for a name to
// tag: an optional host[:port], lowercase path components, an optional tag.
var referencePattern = regexp.MustCompile(`^(([a-zA-Z0-9.-]+(:[0-9]+)?)/)?[a-z0-9]+([._-][a-z0-9]+|__)*(/[a-z0-9]+([._-][a-z0-9]+|__)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$`)

// checkReference validates a name to tag an image with and returns it with
// its tag made explicit.
func checkReference(ref string) (string, error) {
	if !referencePattern.MatchString(ref) {
		if strings.ToLower(ref) != ref && referencePattern.MatchString(strings.ToLower(ref)) {
			return "", errors.New("invalid reference format: repository name must be lowercase")
		}
		return "", errors.New("invalid reference format")
	}
	return normalizedRef(ref), nil
}

// setTag points a repository:tag at an image, moving it from another.
func (e *Simulated) setTag(tag, id string) {
	e.tags[tag] = id
}

// tagsOf lists an image's repository:tag names, sorted.
func (e *Simulated) tagsOf(id string) []string {
	var out []string
	for t, i := range e.tags {
		if i == id {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// snapshot returns a copy of a stored image with its current tags.
func (e *Simulated) snapshot(img *Image) Image {
	out := copyImage(*img)
	out.RepoTags = e.tagsOf(img.ID)
	return out
}

// lookup finds an image by ID (whole or a prefix of at least 4 hex digits),
// by name[:tag] or by name@digest; nil if there is none.
func (e *Simulated) lookup(name string) *Image {
	if img, ok := e.images[name]; ok {
		return img
	}
	if hexID := strings.TrimPrefix(name, "sha256:"); len(hexID) >= 4 && regexp.MustCompile(`^[0-9a-f]+$`).MatchString(hexID) {
		var found *Image
		for _, id := range sortedKeys(e.images) {
			if strings.HasPrefix(strings.TrimPrefix(id, "sha256:"), hexID) {
				if found != nil {
					return nil // ambiguous
				}
				found = e.images[id]
			}
		}
		if found != nil {
			return found
		}
	}
	if strings.Contains(name, "@") {
		for _, id := range sortedKeys(e.images) {
			if contains(e.images[id].RepoDigests, name) {
				return e.images[id]
			}
		}
		return nil
	}
	if id, ok := e.tags[normalizedRef(name)]; ok {
		return e.images[id]
	}
	return nil
}

func noSuchImage(path, name string) error {
	return httpError("ImageNotFound", 404, path, "No such image: "+name)
}

// Image finds a local image.
func (e *Simulated) Image(name string) (Image, error) {
	img := e.lookup(name)
	if img == nil {
		return Image{}, noSuchImage("images/"+name+"/json", displayName(name))
	}
	return e.snapshot(img), nil
}

// displayName is a name as the daemon quotes it in "No such image": with
// the tag made explicit, IDs as given.
func displayName(name string) string {
	if strings.HasPrefix(name, "sha256:") || strings.Contains(name, "@") {
		return name
	}
	return normalizedRef(name)
}

// Tag names an image repository:tag.
func (e *Simulated) Tag(image, repository, tag string) error {
	img := e.lookup(image)
	if img == nil {
		return noSuchImage("images/"+image+"/tag", displayName(image))
	}
	ref := repository
	if tag != "" {
		ref += ":" + tag
	}
	full, err := checkReference(ref)
	if err != nil {
		return httpError("APIError", 400, "images/"+image+"/tag", err.Error())
	}
	e.setTag(full, img.ID)
	e.sim.Recordf("docker", "ImageTagged", img.ShortID(), "image %s tagged %s", img.ShortID(), full)
	return nil
}

// Images lists the local images, newest first (by ID on a tie).
func (e *Simulated) Images() []Image {
	var out []Image
	for _, id := range sortedKeys(e.images) {
		out = append(out, e.snapshot(e.images[id]))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

// RemoveImage removes a tag (and the image with its last tag) or, by ID, an
// image and its tags (force needed when it has more than one). It returns
// docker's report: "Untagged: ..." and "Deleted: ..." lines.
func (e *Simulated) RemoveImage(name string, force bool) ([]string, error) {
	img := e.lookup(name)
	if img == nil {
		return nil, noSuchImage("images/"+name, displayName(name))
	}
	var out []string
	tags := e.tagsOf(img.ID)
	byTag := contains(tags, normalizedRef(name)) && !strings.HasPrefix(name, "sha256:")
	switch {
	case byTag:
		delete(e.tags, normalizedRef(name))
		out = append(out, "Untagged: "+normalizedRef(name))
		if len(tags) > 1 {
			return out, nil
		}
	case len(tags) > 1 && !force:
		return nil, httpError("APIError", 409, "images/"+name,
			fmt.Sprintf("conflict: unable to delete %s (must be forced) - image is referenced in multiple repositories", img.ShortID()))
	default:
		for _, t := range tags {
			delete(e.tags, t)
			out = append(out, "Untagged: "+t)
		}
	}
	delete(e.images, img.ID)
	out = append(out, "Deleted: "+img.ID)
	e.sim.Recordf("docker", "ImageRemoved", img.ShortID(), "image %s removed", img.ShortID())
	return out, nil
}

// manifest renders an image's Docker schema-2 manifest, as docker push
// uploads it: the config and the layers with their digests and sizes.
func manifest(img Image) []byte {
	type descriptor struct {
		MediaType string `json:"mediaType"`
		Size      int64  `json:"size"`
		Digest    string `json:"digest"`
	}
	m := struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Config        descriptor   `json:"config"`
		Layers        []descriptor `json:"layers"`
	}{2, ecr.MediaTypeDockerManifest, descriptor{ecr.MediaTypeDockerConfig, 1 << 10, img.ID}, []descriptor{}}
	for _, l := range img.Layers {
		m.Layers = append(m.Layers, descriptor{"application/vnd.docker.image.rootfs.diff.tar.gzip", l.Size, l.Digest})
	}
	b, _ := json.MarshalIndent(m, "", "   ")
	return b
}

// Push pushes a repository's tag (every local tag of it if tag is empty) to
// the ECR registry and returns what docker push prints:
//
//	The push refers to repository [123456789012.dkr.ecr.us-east-1.amazonaws.com/web]
//	5f70bf18a086: Pushed
//	v1: digest: sha256:... size: 1234
func (e *Simulated) Push(repository, tag string) ([]string, error) {
	p := ecr.ParseImageRef(repository)
	if tag == "" && strings.Contains(strings.TrimPrefix(repository, p.Host), ":") {
		tag = p.Tag
	}
	name := p.Repository
	if p.Host != "" {
		name = p.Host + "/" + p.Repository
	}
	var tags []string
	if tag != "" {
		if _, ok := e.tags[name+":"+tag]; ok {
			tags = []string{tag}
		}
	} else {
		for _, t := range sortedKeys(e.tags) {
			if strings.HasPrefix(t, name+":") {
				tags = append(tags, strings.TrimPrefix(t, name+":"))
			}
		}
	}
	if len(tags) == 0 {
		// the daemon's text
		return nil, streamError("APIError", "An image does not exist locally with the tag: "+name)
	}
	if e.ecr == nil || p.Host != e.ecr.RegistryHost() {
		// what docker push says when the registry refuses (Docker Hub without a login)
		return nil, streamError("APIError", "denied: requested access to the resource is denied (ecsbox has no network: push to the account's ECR registry)")
	}
	if err := e.auth(p.Host); err != nil {
		return nil, streamError("APIError", err.Error())
	}
	out := []string{"The push refers to repository [" + name + "]"}
	for _, t := range tags {
		img := e.images[e.tags[name+":"+t]]
		m := manifest(*img)
		for i := len(img.Layers) - 1; i >= 0; i-- {
			l := img.Layers[i]
			key := name + "\x00" + l.Digest
			if e.pushedLayers[key] {
				out = append(out, shortHash(l.Digest)+": Layer already exists")
			} else {
				out = append(out, shortHash(l.Digest)+": Pushed")
			}
		}
		digest, err := e.ecr.Push(p.Repository, t, m, img.Size)
		if err != nil {
			return nil, streamError("APIError", err.Error())
		}
		for _, l := range img.Layers {
			e.pushedLayers[name+"\x00"+l.Digest] = true
		}
		if rd := name + "@" + digest; !contains(img.RepoDigests, rd) {
			img.RepoDigests = append(img.RepoDigests, rd)
			sort.Strings(img.RepoDigests)
		}
		out = append(out, fmt.Sprintf("%s: digest: %s size: %d", t, digest, len(m)))
		e.sim.Recordf("docker", "ImagePushed", img.ShortID(), "image %s pushed as %s:%s (%s)", img.ShortID(), name, t, shortHash(digest))
	}
	return out, nil
}

// pullECR resolves an ECR image for a pull or a FROM, with the credentials
// the engine holds.
func (e *Simulated) pullECR(ref string) (Image, error) {
	p := ecr.ParseImageRef(ref)
	if e.ecr == nil || p.Host != e.ecr.RegistryHost() {
		return Image{}, streamError("APIError", "Head \"https://"+p.Host+"/v2/"+p.Repository+"/manifests/"+p.Tag+"\": ecsbox has no network: the only registry it can reach is the account's ECR registry")
	}
	if err := e.auth(p.Host); err != nil {
		// the daemon's wording around the registry's answer; not verified
		return Image{}, streamError("APIError", "Head \"https://"+p.Host+"/v2/"+p.Repository+"/manifests/"+p.Tag+"\": "+err.Error())
	}
	info, err := e.ecr.ResolveImage(ref)
	var pe *ecr.PullError
	if errors.As(err, &pe) {
		if pe.RepositoryMissing {
			// the daemon's wording around ECR's name unknown; not verified
			return Image{}, streamError("NotFound", fmt.Sprintf("repository %s/%s not found: name unknown: The repository with name '%s' does not exist in the registry with id '%s'",
				p.Host, p.Repository, p.Repository, e.ecr.RegistryID()))
		}
		// the daemon's text for a missing ECR tag; not verified
		return Image{}, streamError("NotFound", fmt.Sprintf("manifest for %s not found: manifest unknown: Requested image not found", normalizedRef(ref)))
	}
	repoDigest := p.Host + "/" + p.Repository + "@" + info.Digest
	for _, id := range sortedKeys(e.images) {
		if contains(e.images[id].RepoDigests, repoDigest) {
			return copyImage(*e.images[id]), nil
		}
	}
	// An image pushed by another client: only its manifest is known.
	var m struct {
		Config struct{ Digest string } `json:"config"`
		Layers []struct {
			Size   int64
			Digest string
		} `json:"layers"`
	}
	_ = json.Unmarshal([]byte(info.Manifest), &m)
	img := Image{ID: m.Config.Digest, RepoDigests: []string{repoDigest}, Steps: []string{"(pulled from " + normalizedRef(ref) + ")"}}
	if img.ID == "" {
		img.ID = info.Digest
	}
	for _, l := range m.Layers {
		img.Layers = append(img.Layers, Layer{Digest: l.Digest, Size: l.Size})
	}
	img.Size = info.SizeBytes
	return img, nil
}

// Pull pulls an image into the store: from the ECR registry (login needed),
// or, for a public image, made up offline (base.go).
func (e *Simulated) Pull(repository, tag string) (Image, error) {
	ref := repository
	if tag != "" {
		ref += ":" + tag
	}
	full, err := checkReference(ref)
	if err != nil {
		return Image{}, httpError("APIError", 400, "images/create", err.Error())
	}
	var img Image
	if ecr.IsECRImage(full) {
		if img, err = e.pullECR(full); err != nil {
			return Image{}, err
		}
	} else {
		img = publicImage(full)
		img.ID = imageID(img)
	}
	stored := e.images[img.ID]
	if stored == nil {
		img.Created = e.sim.Now()
		img.RepoTags = nil
		stored = &img
		e.images[img.ID] = stored
	}
	for _, d := range img.RepoDigests {
		if !contains(stored.RepoDigests, d) {
			stored.RepoDigests = append(stored.RepoDigests, d)
		}
	}
	e.setTag(full, stored.ID)
	e.sim.Recordf("docker", "ImagePulled", stored.ShortID(), "image %s pulled as %s", stored.ShortID(), full)
	return e.snapshot(stored), nil
}

// Containers lists the registered containers, by name.
func (e *Simulated) Containers() []Container {
	out := append([]Container(nil), e.containers...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RegisterContainer adds a container to the list (for containers of
// simulated ECS tasks); UnregisterContainer removes it by ID.
func (e *Simulated) RegisterContainer(c Container) { e.containers = append(e.containers, c) }

// UnregisterContainer removes a registered container.
func (e *Simulated) UnregisterContainer(id string) {
	for i, c := range e.containers {
		if c.ID == id {
			e.containers = append(e.containers[:i], e.containers[i+1:]...)
			return
		}
	}
}

// Networks lists the networks a new Docker Engine has: bridge, host and
// none, with IDs derived from their names.
func (e *Simulated) Networks() []Network {
	var out []Network
	for _, n := range [][2]string{{"bridge", "bridge"}, {"host", "host"}, {"none", "null"}} {
		out = append(out, Network{ID: strings.TrimPrefix(digestOf("network", n[0]), "sha256:"), Name: n[0], Driver: n[1], Scope: "local"})
	}
	return out
}

// Volumes lists the volumes: none.
func (e *Simulated) Volumes() []Volume { return nil }

// humanSize formats a size as docker images does (decimal units).
func humanSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.3gGB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.3gMB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.3gkB", float64(n)/1e3)
	}
	return fmt.Sprintf("%dB", n)
}
