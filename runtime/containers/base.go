package containers

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/ecr"
)

// Public images (Docker Hub, public.ecr.aws, ...) are not downloaded: the
// sandbox has no network. The engine makes them up, deterministically from
// the reference, with the layer count, approximate compressed size and
// default configuration of the real image family, so that FROM nginx and
// docker.images.pull("python", "3.12") work offline and size like the real
// thing. The sizes are rounded figures of the official images' amd64
// variants (Docker Hub, 2025), not measurements.
type baseFamily struct {
	prefix string // repository name, or repository name and tag prefix ("python:3.12-slim")
	layers int
	mib    int64
	config ImageConfig
}

const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// baseFamilies are matched in order; the first whose prefix the reference
// (without registry host) starts with wins.
var baseFamilies = []baseFamily{
	{"scratch", 0, 0, ImageConfig{}},
	{"busybox", 1, 2, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"sh"}}},
	{"alpine", 1, 4, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"/bin/sh"}}},
	{"nginx:1.27-alpine", 8, 20, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"nginx", "-g", "daemon off;"}, Entrypoint: []string{"/docker-entrypoint.sh"}, ExposedPorts: []string{"80/tcp"}, StopSignal: "SIGQUIT"}},
	{"nginx", 7, 70, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"nginx", "-g", "daemon off;"}, Entrypoint: []string{"/docker-entrypoint.sh"}, ExposedPorts: []string{"80/tcp"}, StopSignal: "SIGQUIT"}},
	{"python:3.12-slim", 4, 45, ImageConfig{Env: []string{defaultPath, "LANG=C.UTF-8"}, Cmd: []string{"python3"}}},
	{"python:3.12-alpine", 4, 18, ImageConfig{Env: []string{defaultPath, "LANG=C.UTF-8"}, Cmd: []string{"python3"}}},
	{"python", 7, 380, ImageConfig{Env: []string{defaultPath, "LANG=C.UTF-8"}, Cmd: []string{"python3"}}},
	{"node:22-alpine", 4, 55, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"node"}, Entrypoint: []string{"docker-entrypoint.sh"}}},
	{"node", 8, 390, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"node"}, Entrypoint: []string{"docker-entrypoint.sh"}}},
	{"golang", 7, 280, ImageConfig{Env: []string{defaultPath, "GOPATH=/go"}, Cmd: []string{"bash"}, WorkingDir: "/go"}},
	{"ubuntu", 1, 29, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"/bin/bash"}}},
	{"debian", 1, 48, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"bash"}}},
	{"amazonlinux", 1, 60, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"/bin/bash"}}},
	{"httpd", 6, 58, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"httpd-foreground"}, ExposedPorts: []string{"80/tcp"}, StopSignal: "SIGWINCH"}},
	{"redis", 8, 45, ImageConfig{Env: []string{defaultPath}, Cmd: []string{"redis-server"}, ExposedPorts: []string{"6379/tcp"}}},
}

// publicImage makes up the image a public reference names.
func publicImage(ref string) Image {
	p := ecr.ParseImageRef(ref)
	name := strings.TrimPrefix(p.Repository, "library/")
	// public.ecr.aws/nginx/nginx and docker.io/library/nginx are nginx.
	if i := strings.LastIndex(name, "/"); i >= 0 && p.Host != "" {
		name = name[i+1:]
	}
	full := name + ":" + p.Tag
	fam := baseFamily{prefix: name, layers: 3, mib: 20 + int64(hashN(full, 0)%100), config: ImageConfig{Env: []string{defaultPath}}}
	for _, f := range baseFamilies {
		if full == f.prefix || strings.HasPrefix(full, f.prefix) && (strings.Contains(f.prefix, ":") || full[len(f.prefix)] == ':') {
			fam = f
			break
		}
	}
	img := Image{Config: cloneConfig(fam.config)}
	total := fam.mib << 20
	for i := 0; i < fam.layers; i++ {
		// the first layer (the OS) carries most of the weight
		size := total / int64(fam.layers*2)
		if i == 0 {
			size = total - size*int64(fam.layers-1)
		}
		img.Layers = append(img.Layers, Layer{Digest: digestOf("public-layer", ref, fmt.Sprint(i)), Size: size})
		img.Size += size
	}
	img.Steps = []string{fmt.Sprintf("(%s: %d layers, public image simulated offline)", normalizedRef(ref), fam.layers)}
	return img
}

// normalizedRef is a reference with its tag made explicit.
func normalizedRef(ref string) string { return ecr.ParseImageRef(ref).String() }

func cloneConfig(c ImageConfig) ImageConfig {
	out := c
	out.Env = append([]string(nil), c.Env...)
	out.Cmd = append([]string(nil), c.Cmd...)
	out.Entrypoint = append([]string(nil), c.Entrypoint...)
	out.ExposedPorts = append([]string(nil), c.ExposedPorts...)
	out.Volumes = append([]string(nil), c.Volumes...)
	if c.Labels != nil {
		out.Labels = map[string]string{}
		for k, v := range c.Labels {
			out.Labels[k] = v
		}
	}
	return out
}

// digestOf is "sha256:" and the hash of parts (separated, so that
// ("ab","c") and ("a","bc") differ).
func digestOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// hashN derives a number from s (and a salt) for simulated sizes.
func hashN(s string, salt uint64) uint64 {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", salt, s)))
	return binary.BigEndian.Uint64(sum[:8])
}
