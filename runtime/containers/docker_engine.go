package containers

import (
	"context"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// DockerEngine is the docker module's engine in docker mode. Builds, tags,
// logins, pushes and pulls keep the simulated engine's behaviour (the
// registry is the simulated ECR, and base images are made up offline, as
// there is no registry to pull them from), and every image name they
// produce is also tagged on the real engine, so that ECS tasks that use it
// run: as the image the user has locally under that name if there is one,
// else as ecsbox/workload. Containers, networks and volumes are the real
// engine's (this run's containers).
type DockerEngine struct {
	*Simulated
	d *Docker
}

var _ Engine = (*DockerEngine)(nil)

// NewDockerEngine returns the docker module's engine over sim and the
// driver's engine.
func NewDockerEngine(sim *Simulated, d *Docker) *DockerEngine {
	return &DockerEngine{Simulated: sim, d: d}
}

func (e *DockerEngine) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(e.d.ctx, 30*time.Second)
}

// mirror makes ref exist on the real engine: as source's image when the
// engine has source, else as the workload image. A name the engine already
// has (an image the user built) is left alone.
func (e *DockerEngine) mirror(ref, source string) {
	ctx, cancel := e.ctx()
	defer cancel()
	ref = normalizedRef(ref)
	if _, err := e.d.cli.ImageInspect(ctx, ref); err == nil && source == "" {
		return
	}
	from := e.d.workload
	if source != "" {
		if _, err := e.d.cli.ImageInspect(ctx, source); err == nil {
			from = source
		}
	}
	if _, err := e.d.cli.ImageTag(ctx, client.ImageTagOptions{Source: from, Target: ref}); err == nil {
		e.d.mu.Lock()
		e.d.tagged = append(e.d.tagged, ref)
		e.d.mu.Unlock()
	}
	e.d.ForgetImage(ref)
}

// Build builds as the simulated engine does, and tags the result on the
// real engine (as ecsbox/workload: nothing is built for real).
func (e *DockerEngine) Build(opts BuildOptions) (Image, []string, error) {
	img, log, err := e.Simulated.Build(opts)
	if err == nil && opts.Tag != "" {
		e.mirror(opts.Tag, "")
		log = append(log, "ecsbox: docker mode: "+normalizedRef(opts.Tag)+" is tagged on the Docker Engine as "+e.d.workload+" (its tasks run the workload)")
	}
	return img, log, err
}

// Tag tags as the simulated engine does, and on the real engine.
func (e *DockerEngine) Tag(image, repository, tag string) error {
	if err := e.Simulated.Tag(image, repository, tag); err != nil {
		return err
	}
	ref := repository
	if tag != "" {
		ref += ":" + tag
	}
	e.mirror(ref, image)
	return nil
}

// Pull pulls as the simulated engine does, and makes the name exist on the
// real engine.
func (e *DockerEngine) Pull(repository, tag string) (Image, error) {
	img, err := e.Simulated.Pull(repository, tag)
	if err == nil {
		ref := repository
		if tag != "" {
			ref += ":" + tag
		}
		e.mirror(ref, "")
	}
	return img, err
}

// Containers lists this run's containers on the real engine, by name.
func (e *DockerEngine) Containers() []Container {
	ctx, cancel := e.ctx()
	defer cancel()
	res, err := e.d.cli.ContainerList(ctx, client.ContainerListOptions{Filters: make(client.Filters).Add("label", LabelRun+"="+e.d.runID)})
	if err != nil {
		return nil
	}
	var out []Container
	for _, c := range res.Items {
		name := c.ID
		if len(c.Names) > 0 {
			name = strings.TrimPrefix(c.Names[0], "/")
		}
		out = append(out, Container{ID: c.ID, Name: name, Image: c.Image, Status: string(c.State), Labels: c.Labels})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Networks lists the real engine's networks, by name.
func (e *DockerEngine) Networks() []Network {
	ctx, cancel := e.ctx()
	defer cancel()
	res, err := e.d.cli.NetworkList(ctx, client.NetworkListOptions{})
	if err != nil {
		return nil
	}
	var out []Network
	for _, n := range res.Items {
		out = append(out, Network{ID: n.ID, Name: n.Name, Driver: n.Driver, Scope: n.Scope})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Volumes lists the real engine's volumes, by name.
func (e *DockerEngine) Volumes() []Volume {
	ctx, cancel := e.ctx()
	defer cancel()
	res, err := e.d.cli.VolumeList(ctx, client.VolumeListOptions{})
	if err != nil {
		return nil
	}
	var out []Volume
	for _, v := range res.Items {
		out = append(out, Volume{Name: v.Name, Driver: v.Driver, Mountpoint: v.Mountpoint})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// untagMirrors removes the names the docker module tagged on the real
// engine (the images stay under their other names).
func (d *Docker) untagMirrors(ctx context.Context) {
	d.mu.Lock()
	tags := d.tagged
	d.tagged = nil
	d.mu.Unlock()
	for _, ref := range tags {
		if ref == d.workload {
			continue
		}
		if _, err := d.cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			continue
		}
	}
}
