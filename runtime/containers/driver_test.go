package containers

import (
	"archive/tar"
	"io"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
)

func TestCheckHostAccessNamesEachRefusal(t *testing.T) {
	ok := &TaskSpec{Containers: []ContainerSpec{{Name: "web", CapDrop: []string{"NET_RAW"}}}, Volumes: []VolumeSpec{{Name: "scratch"}}}
	if err := checkHostAccess(ok); err != nil {
		t.Errorf("a plain task was refused: %v", err)
	}
	bad := &TaskSpec{
		Volumes: []VolumeSpec{{Name: "docker-sock", HostPath: "/var/run/docker.sock"}},
		Containers: []ContainerSpec{{Name: "web", Privileged: true, PidMode: "host", IpcMode: "host",
			CapAdd: []string{"SYS_ADMIN", "NET_ADMIN"}, Devices: []string{"/dev/fuse"}}},
	}
	err := checkHostAccess(bad)
	if err == nil {
		t.Fatal("host access was not refused")
	}
	for _, want := range []string{"/var/run/docker.sock", "privileged", "pidMode host", "ipcMode host", "NET_ADMIN, SYS_ADMIN", "/dev/fuse", "--allow-host"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not mention %q: %v", want, err)
		}
	}
}

func TestStartOrderPutsDependenciesFirst(t *testing.T) {
	cs := []ContainerSpec{
		{Name: "app", DependsOn: []Dependency{{Container: "init", Condition: "SUCCESS"}, {Container: "proxy", Condition: "START"}}},
		{Name: "proxy"},
		{Name: "init"},
		{Name: "loop", DependsOn: []Dependency{{Container: "loop"}}},
	}
	var got []string
	for _, c := range startOrder(cs) {
		got = append(got, c.Name)
	}
	if strings.Join(got, " ") != "init proxy app loop" {
		t.Errorf("start order %v, want [init proxy app loop]", got)
	}
}

func TestCPUSharesAsTheAgentMapsThem(t *testing.T) {
	for units, want := range map[int]int64{0: 2, 1: 2, 128: 128, 1024: 1024, 300000: 262144} {
		if got := cpuShares(units); got != want {
			t.Errorf("cpuShares(%d) = %d, want %d", units, got, want)
		}
	}
}

func TestCPUPercentAndMemoryAsDockerStatsShowThem(t *testing.T) {
	var s container.StatsResponse
	s.PreCPUStats.CPUUsage.TotalUsage = 1_000_000_000
	s.PreCPUStats.SystemUsage = 100_000_000_000
	s.CPUStats.CPUUsage.TotalUsage = 1_500_000_000 // 0.5 s of CPU
	s.CPUStats.SystemUsage = 102_000_000_000       // 2 s of host CPU time over 2 CPUs = 1 s
	s.CPUStats.OnlineCPUs = 2
	if got := CPUPercent(&s); got != 50 {
		t.Errorf("CPUPercent = %v, want 50 (half a CPU)", got)
	}
	s.MemoryStats.Usage = 300 << 20
	s.MemoryStats.Stats = map[string]uint64{"inactive_file": 100 << 20}
	if got := MemoryMiB(&s); got != 200 {
		t.Errorf("MemoryMiB = %v, want 200 (usage without the inactive page cache)", got)
	}
	s.PreCPUStats = container.CPUStats{}
	s.CPUStats.SystemUsage = 0
	if got := CPUPercent(&s); got != 0 {
		t.Errorf("CPUPercent without a previous sample = %v, want 0", got)
	}
}

func TestLineWriterSplitsLines(t *testing.T) {
	var lines []string
	w := newLineWriter(func(l string) { lines = append(lines, l) })
	io.WriteString(w, "one\r\ntw")
	io.WriteString(w, "o\nthree")
	w.Flush()
	if strings.Join(lines, "|") != "one|two|three" {
		t.Errorf("lines %q", lines)
	}
}

func TestRootfsHasTheBinaryItsLinksAndTmp(t *testing.T) {
	r, err := rootfsTar([]rootFile{{name: "ecsbox", data: []byte("ELF"), mode: 0o755}, {name: "lib64/ld.so", data: []byte("ld"), mode: 0o755}})
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(r)
	got := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h.Linkname
	}
	for _, name := range []string{"ecsbox", "lib64/", "lib64/ld.so", "tmp/", "bin/sh", "usr/bin/stress"} {
		if _, ok := got[name]; !ok {
			t.Errorf("the root file system has no %s (%v)", name, got)
		}
	}
	if got["bin/sh"] != "/ecsbox" {
		t.Errorf("bin/sh links to %q", got["bin/sh"])
	}
}
