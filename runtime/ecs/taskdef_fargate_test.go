package ecs

import (
	"fmt"
	"strconv"
	"testing"
)

// The Fargate task size table as the reference states it (section 5.2,
// [DG:task-cpu-memory-error]), written out independently of fargateSizes.
var fargateTable = []struct {
	cpu     int
	valid   []int
	invalid []int
}{
	{256, []int{512, 1024, 2048}, []int{256, 1536, 3072, 4096}},
	{512, []int{1024, 2048, 3072, 4096}, []int{512, 1536, 5120, 8192}},
	{1024, []int{2048, 3072, 4096, 5120, 6144, 7168, 8192}, []int{1024, 2560, 9216}},
	{2048, []int{4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384}, []int{3072, 4608, 17408}},
	{4096, []int{8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384, 17408, 18432, 19456, 20480, 21504, 22528, 23552, 24576, 25600, 26624, 27648, 28672, 29696, 30720}, []int{7168, 8704, 31744}},
	{8192, []int{16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440}, []int{12288, 17408, 65536}},
	{16384, []int{32768, 40960, 49152, 57344, 65536, 73728, 81920, 90112, 98304, 106496, 114688, 122880}, []int{24576, 36864, 131072}},
}

func TestFargateTable(t *testing.T) {
	for _, row := range fargateTable {
		for _, mem := range row.valid {
			t.Run(fmt.Sprintf("%d/%d ok", row.cpu, mem), func(t *testing.T) {
				e := newTestECS()
				td := mustRegister(t, e, fargateRequest("f", strconv.Itoa(row.cpu), strconv.Itoa(mem)))
				if *td.Cpu != strconv.Itoa(row.cpu) || *td.Memory != strconv.Itoa(mem) {
					t.Errorf("cpu/memory = %s/%s", *td.Cpu, *td.Memory)
				}
				if !oneOf(CompatibilityFARGATE, td.Compatibilities) {
					t.Errorf("compatibilities = %v, want FARGATE", td.Compatibilities)
				}
			})
		}
		for _, mem := range row.invalid {
			t.Run(fmt.Sprintf("%d/%d refused", row.cpu, mem), func(t *testing.T) {
				_, err := newTestECS().RegisterTaskDefinition(fargateRequest("f", strconv.Itoa(row.cpu), strconv.Itoa(mem)))
				wantAWSError(t, err, "ClientException",
					fmt.Sprintf("No Fargate configuration exists for given values: %d CPU, %d memory. See the Amazon ECS documentation for the valid values.", row.cpu, mem))
			})
		}
	}
}

func TestFargateCPUNotInTable(t *testing.T) {
	_, err := newTestECS().RegisterTaskDefinition(fargateRequest("f", "384", "1024"))
	wantAWSError(t, err, "ClientException", "No Fargate configuration exists for given values: 384 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.")
}

func TestFargateWindowsNeedsOneVCPU(t *testing.T) {
	in := fargateRequest("w", "512", "1024")
	in.RuntimePlatform = &RuntimePlatform{OperatingSystemFamily: strPtr(OSFamilyWINDOWSSERVER2022CORE)}
	_, err := newTestECS().RegisterTaskDefinition(in)
	wantAWSError(t, err, "ClientException", "No Fargate configuration exists for given values: 512 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.")
	in = fargateRequest("w", "1 vCPU", "2 GB")
	in.RuntimePlatform = &RuntimePlatform{OperatingSystemFamily: strPtr(OSFamilyWINDOWSSERVER2022CORE)}
	mustRegister(t, newTestECS(), in)
}

func strPtr(s string) *string { return &s }
