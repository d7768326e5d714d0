package containers

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// The workload image, ecsbox/workload:latest: the ecsbox binary in a FROM
// scratch image, made at start without any registry by importing a root
// file system (ImageImport: no Dockerfile, no builder). Its entrypoint is
// `ecsbox workload`, whose commands are what the simulated workload model
// reads from a task's command (runtime/ecs/workload.go): an HTTP server by
// default, `sleep N`, `exit N`, `stress ...`. The binary also answers to the
// names sh, sleep, stress, true, false and kill (links in /bin and
// /usr/bin), so task definitions written for real images ("sh", "-c",
// "sleep 3600") and ECS Exec's `stress --cpu 1` run as they read.
//
// A dynamically linked ecsbox (the default build where cgo is on) takes
// its ELF interpreter and shared libraries with it. The image is kept
// between runs and remade when the binary changes (label
// ecsbox.workload.digest).

// WorkloadImage is the reference of the workload image.
const WorkloadImage = "ecsbox/workload:latest"

// WorkloadBinaryEnv names the environment variable that points at the
// binary to put in the workload image, when the running one will not do
// (a test binary).
const WorkloadBinaryEnv = "ECSBOX_WORKLOAD_BINARY"

const labelWorkloadDigest = "ecsbox.workload.digest"

// workloadLinks are the names the binary answers to inside the image.
var workloadLinks = []string{"bin/sh", "bin/bash", "bin/sleep", "bin/true", "bin/false", "bin/kill", "usr/bin/stress"}

// ensureWorkloadImage makes sure the engine has the workload image for the
// binary, and returns its reference.
func ensureWorkloadImage(ctx context.Context, cli *client.Client, binary string) (string, error) {
	if binary == "" {
		binary = os.Getenv(WorkloadBinaryEnv)
	}
	if binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("docker: finding the ecsbox binary for the workload image: %w", err)
		}
		binary = exe
	}
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return "", fmt.Errorf("docker: %w", err)
	}
	files, err := workloadFiles(binary, v.Arch)
	if err != nil {
		return "", err
	}
	digest := filesDigest(files)
	if img, err := cli.ImageInspect(ctx, WorkloadImage); err == nil && img.Config != nil && img.Config.Labels[labelWorkloadDigest] == digest {
		return WorkloadImage, nil
	} else if err != nil && !cerrdefs.IsNotFound(err) {
		return "", fmt.Errorf("docker: %w", err)
	}
	rootfs, err := rootfsTar(files)
	if err != nil {
		return "", err
	}
	res, err := cli.ImageImport(ctx, client.ImageImportSource{Source: rootfs, SourceName: "-"}, WorkloadImage, client.ImageImportOptions{
		Changes: []string{
			`ENTRYPOINT ["/ecsbox", "workload"]`,
			`ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
			`EXPOSE 80/tcp`,
			`LABEL ` + labelWorkloadDigest + `=` + digest,
		},
		Message: "ecsbox workload image",
	})
	if err != nil {
		return "", fmt.Errorf("docker: importing the workload image: %w", err)
	}
	defer res.Close()
	if _, err := io.Copy(io.Discard, res); err != nil {
		return "", fmt.Errorf("docker: importing the workload image: %w", err)
	}
	return WorkloadImage, nil
}

// rootFile is a file of the workload image's root file system.
type rootFile struct {
	name string // without a leading slash
	data []byte
	mode int64
}

// workloadFiles reads the binary and, when it is dynamically linked, its
// interpreter and libraries, checking it runs on the daemon's architecture.
func workloadFiles(binary, daemonArch string) ([]rootFile, error) {
	data, err := os.ReadFile(binary)
	if err != nil {
		return nil, fmt.Errorf("docker: reading the ecsbox binary for the workload image: %w", err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("docker: %s is not a Linux binary, so it cannot run in the workload image (build ecsbox for linux, or set %s)", binary, WorkloadBinaryEnv)
	}
	defer f.Close()
	if arch := elfArch(f.Machine); arch != daemonArch {
		return nil, fmt.Errorf("docker: %s is built for %s, the Docker Engine runs %s: build ecsbox with GOOS=linux GOARCH=%s CGO_ENABLED=0 and set %s to it", binary, arch, daemonArch, daemonArch, WorkloadBinaryEnv)
	}
	files := []rootFile{{name: "ecsbox", data: data, mode: 0o755}}
	var interp string
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				return nil, fmt.Errorf("docker: reading %s: %w", binary, err)
			}
			interp = strings.TrimRight(string(b), "\x00")
		}
	}
	if interp == "" {
		return files, nil // static: the usual case with CGO_ENABLED=0
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return nil, fmt.Errorf("docker: reading %s: %w", binary, err)
	}
	need := []string{interp}
	for _, lib := range libs {
		p, ok := findLibrary(lib)
		if !ok {
			return nil, fmt.Errorf("docker: %s needs %s, which is not in the usual library directories: build ecsbox with CGO_ENABLED=0 and set %s to it", binary, lib, WorkloadBinaryEnv)
		}
		need = append(need, p)
	}
	for _, p := range need {
		b, err := os.ReadFile(p) // follows symbolic links
		if err != nil {
			return nil, fmt.Errorf("docker: reading %s for the workload image: %w", p, err)
		}
		files = append(files, rootFile{name: strings.TrimPrefix(p, "/"), data: b, mode: 0o755})
	}
	return files, nil
}

// libraryDirs are where the dynamic linker looks by default, on the
// distributions ecsbox is built on.
var libraryDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

func findLibrary(name string) (string, bool) {
	for _, dir := range libraryDirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

func elfArch(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_PPC64:
		return "ppc64le"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_RISCV:
		return "riscv64"
	}
	return m.String()
}

// filesDigest identifies the image's content.
func filesDigest(files []rootFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s %d %d\n", f.name, f.mode, len(f.data))
		h.Write(f.data)
	}
	for _, l := range workloadLinks {
		fmt.Fprintf(h, "link %s\n", l)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// rootfsTar is the image's root file system: the files, their directories,
// the links to /ecsbox, and an empty /tmp.
func rootfsTar(files []rootFile) (io.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	epoch := time.Unix(0, 0)
	dirs := map[string]bool{"tmp": true}
	for _, f := range files {
		for d := path.Dir(f.name); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for _, l := range workloadLinks {
		dirs[path.Dir(l)] = true
	}
	var names []string
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	write := func(h *tar.Header, data []byte) error {
		h.ModTime, h.Uid, h.Gid, h.Format = epoch, 0, 0, tar.FormatPAX
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	var err error
	for _, d := range names {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		err = errors.Join(err, write(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: mode}, nil))
	}
	for _, f := range files {
		err = errors.Join(err, write(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data))}, f.data))
	}
	for _, l := range workloadLinks {
		err = errors.Join(err, write(&tar.Header{Typeflag: tar.TypeSymlink, Name: l, Linkname: "/ecsbox", Mode: 0o777}, nil))
	}
	if err = errors.Join(err, tw.Close()); err != nil {
		return nil, fmt.Errorf("docker: writing the workload image: %w", err)
	}
	return &buf, nil
}
