package ec2

import (
	"slices"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// InstanceTypeSpec describes one instance type of the catalogue: what
// DescribeInstanceTypes shows and what the ECS agent registers. (The name
// InstanceTypeInfo belongs to the generated API shape.)
type InstanceTypeSpec struct {
	Name      string
	VCPU      int
	MemoryMiB int
	// RegisteredMemoryMiB is the memory the ECS agent registers on an
	// instance of this type: MemTotal as the OS sees it, below nominal
	// (reference section 9.2). See registeredMemory for the rule.
	RegisteredMemoryMiB int
	MaxENIs             int
	IPv4PerENI          int
	// Architecture is "x86_64" or "arm64".
	Architecture string
	// SupportedArchitectures is what DescribeInstanceTypes lists; older
	// Xen types also run i386 AMIs.
	SupportedArchitectures []string
	ThreadsPerCore         int
	Burstable              bool
	CurrentGeneration      bool
	Hypervisor             string
}

// instanceTypes is the catalogue, one line per type; add a line to add a
// type. Columns: name, vCPU, memory MiB, max ENIs, IPv4 per ENI, arch,
// threads per core, burstable, current generation, registered memory (0 =
// the registeredMemory rule).
//
// Sources: vCPU and memory [EC2-UG:general-purpose-instances],
// [EC2-UG:compute-optimized-instances], [EC2-UG:memory-optimized-instances];
// ENIs and IPv4 per ENI [EC2-UG:using-eni] (reference section 9.1). The
// Graviton (arm64) rows come from the same guides; their ENI numbers agree
// with aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt (t4g.small 11,
// t4g.medium 17, m6g.large and c6g.large 29 pods = ENIs×(IPs−1)+2).
// m1.small is RunInstances' historical default type (1 vCPU, 1.7 GiB =
// 1740 MiB as DescribeInstanceTypes reports it, 2 ENIs × 4 IPs). m4.large
// and c4.large carry the registered memory AWS documents for them
// [DG:memory-management], [DG:cloudwatch-metrics].
var instanceTypes = []InstanceTypeSpec{
	row("m1.small", 1, 1740, 2, 4, "x86_64", 1, false, false, 0),
	row("t2.micro", 1, 1024, 2, 2, "x86_64", 1, true, true, 0),
	row("t2.small", 1, 2048, 3, 4, "x86_64", 1, true, true, 0),
	row("t2.medium", 2, 4096, 3, 6, "x86_64", 1, true, true, 0),
	row("t2.large", 2, 8192, 3, 12, "x86_64", 1, true, true, 0),
	row("t2.xlarge", 4, 16384, 3, 15, "x86_64", 1, true, true, 0),
	row("t3.micro", 2, 1024, 2, 2, "x86_64", 2, true, true, 0),
	row("t3.small", 2, 2048, 3, 4, "x86_64", 2, true, true, 0),
	row("t3.medium", 2, 4096, 3, 6, "x86_64", 2, true, true, 0),
	row("t3.large", 2, 8192, 3, 12, "x86_64", 2, true, true, 0),
	row("t3.xlarge", 4, 16384, 4, 15, "x86_64", 2, true, true, 0),
	row("m4.large", 2, 8192, 2, 10, "x86_64", 2, false, false, 7985),
	row("m5.large", 2, 8192, 3, 10, "x86_64", 2, false, true, 0),
	row("m5.xlarge", 4, 16384, 4, 15, "x86_64", 2, false, true, 0),
	row("m5.2xlarge", 8, 32768, 4, 15, "x86_64", 2, false, true, 0),
	row("m5.4xlarge", 16, 65536, 8, 30, "x86_64", 2, false, true, 0),
	row("c4.large", 2, 3840, 3, 10, "x86_64", 2, false, false, 3768),
	row("c5.large", 2, 4096, 3, 10, "x86_64", 2, false, true, 0),
	row("c5.xlarge", 4, 8192, 4, 15, "x86_64", 2, false, true, 0),
	row("c5.2xlarge", 8, 16384, 4, 15, "x86_64", 2, false, true, 0),
	row("r5.large", 2, 16384, 3, 10, "x86_64", 2, false, true, 0),
	row("t4g.small", 2, 2048, 3, 4, "arm64", 1, true, true, 0),
	row("t4g.medium", 2, 4096, 3, 6, "arm64", 1, true, true, 0),
	row("m6g.large", 2, 8192, 3, 10, "arm64", 1, false, true, 0),
	row("c6g.large", 2, 4096, 3, 10, "arm64", 1, false, true, 0),
}

func row(name string, vcpu, mem, enis, ips int, arch string, threads int, burst, current bool, registered int) InstanceTypeSpec {
	t := InstanceTypeSpec{
		Name: name, VCPU: vcpu, MemoryMiB: mem, MaxENIs: enis, IPv4PerENI: ips,
		Architecture: arch, SupportedArchitectures: []string{arch},
		ThreadsPerCore: threads, Burstable: burst, CurrentGeneration: current,
		Hypervisor: "nitro", RegisteredMemoryMiB: registered,
	}
	// Xen generations (m1, t2, m4, c4) also run 32-bit AMIs; EC2 names both
	// architectures in its mismatch message ("The architecture 'i386,x86_64'
	// of the specified instance type ...").
	if fam := strings.SplitN(name, ".", 2)[0]; fam == "m1" || fam == "t2" || fam == "m4" || fam == "c4" {
		t.Hypervisor = "xen"
		if arch == "x86_64" {
			t.SupportedArchitectures = []string{"i386", "x86_64"}
		}
	}
	if t.RegisteredMemoryMiB == 0 {
		t.RegisteredMemoryMiB = registeredMemory(mem)
	}
	return t
}

// registeredMemory is ecsbox's rule for the memory the ECS agent registers
// when AWS documents no value for the type: 97.5 % of nominal, rounded
// down. The agent registers MemTotal, which is below nominal by the kernel's
// and firmware's reservations; 97.5 % is the ratio of AWS's m4.large example
// (8192 MiB nominal, 7985 registered; c4.large is 98.1 %), so that, as in
// AWS, a task that asks for the nominal memory never fits (reference
// section 9.2, [DG:memory-management]).
func registeredMemory(nominalMiB int) int {
	return nominalMiB * 975 / 1000
}

func catalogue() map[string]InstanceTypeSpec {
	m := make(map[string]InstanceTypeSpec, len(instanceTypes))
	for _, t := range instanceTypes {
		t.SupportedArchitectures = slices.Clone(t.SupportedArchitectures)
		m[t.Name] = t
	}
	return m
}

// InstanceType returns the catalogue entry of the named type.
func (e *EC2) InstanceType(name string) (InstanceTypeSpec, bool) {
	t, ok := e.types[name]
	if ok {
		t.SupportedArchitectures = slices.Clone(t.SupportedArchitectures)
	}
	return t, ok
}

// InstanceTypes returns the catalogue sorted by name.
func (e *EC2) InstanceTypes() []InstanceTypeSpec {
	out := make([]InstanceTypeSpec, 0, len(e.types))
	for _, name := range sortedKeys(e.types) {
		t, _ := e.InstanceType(name)
		out = append(out, t)
	}
	return out
}

// DescribeInstanceTypes lists the catalogue. MaxResults is 5 to 100
// [EC2-API:DescribeInstanceTypes].
func (e *EC2) DescribeInstanceTypes(in *DescribeInstanceTypesRequest) (*DescribeInstanceTypesResult, error) {
	if in == nil {
		in = &DescribeInstanceTypesRequest{}
	}
	var unknown []string
	for _, name := range in.InstanceTypes {
		if _, ok := e.types[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		// text not verified
		return nil, awserr.Newf(InvalidInstanceType, "The following supplied instance types do not exist: [%s]", strings.Join(unknown, ", "))
	}
	var names []string
	for _, t := range e.InstanceTypes() {
		if len(in.InstanceTypes) > 0 && !slices.Contains(in.InstanceTypes, t.Name) {
			continue
		}
		ok, err := matchFilters(in.Filters, instanceTypeFilter(t))
		if err != nil {
			return nil, err
		}
		if ok {
			names = append(names, t.Name)
		}
	}
	page, next, err := paginate("DescribeInstanceTypes", names, in.MaxResults, in.NextToken, 5, 100, 100)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceTypesResult{InstanceTypes: []InstanceTypeInfo{}, NextToken: next}
	for _, name := range page {
		out.InstanceTypes = append(out.InstanceTypes, e.types[name].apiShape())
	}
	return out, nil
}

func instanceTypeFilter(t InstanceTypeSpec) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "instance-type":
			return []string{t.Name}, true
		case "processor-info.supported-architecture":
			return t.SupportedArchitectures, true
		case "vcpu-info.default-vcpus":
			return []string{itoa(t.VCPU)}, true
		case "memory-info.size-in-mib":
			return []string{itoa(t.MemoryMiB)}, true
		case "network-info.maximum-network-interfaces":
			return []string{itoa(t.MaxENIs)}, true
		case "network-info.ipv4-addresses-per-interface":
			return []string{itoa(t.IPv4PerENI)}, true
		case "current-generation":
			return []string{boolString(t.CurrentGeneration)}, true
		case "burstable-performance-supported":
			return []string{boolString(t.Burstable)}, true
		case "hypervisor":
			return []string{t.Hypervisor}, true
		}
		return nil, false
	}
}

func (t InstanceTypeSpec) apiShape() InstanceTypeInfo {
	threads := max(t.ThreadsPerCore, 1)
	virt := []string{"hvm"}
	if t.Name == "m1.small" {
		virt = []string{"hvm", "paravirtual"}
	}
	return InstanceTypeInfo{
		InstanceType:                  aws.String(t.Name),
		CurrentGeneration:             aws.Bool(t.CurrentGeneration),
		FreeTierEligible:              aws.Bool(t.Name == "t2.micro" || t.Name == "t3.micro"),
		SupportedUsageClasses:         []string{"on-demand", "spot"},
		SupportedRootDeviceTypes:      []string{"ebs"},
		SupportedVirtualizationTypes:  virt,
		BareMetal:                     aws.Bool(false),
		Hypervisor:                    aws.String(t.Hypervisor),
		ProcessorInfo:                 &ProcessorInfo{SupportedArchitectures: slices.Clone(t.SupportedArchitectures)},
		VCpuInfo:                      &VCpuInfo{DefaultVCpus: aws.Int(t.VCPU), DefaultCores: aws.Int(max(t.VCPU/threads, 1)), DefaultThreadsPerCore: aws.Int(threads)},
		MemoryInfo:                    &MemoryInfo{SizeInMiB: aws.Int64(int64(t.MemoryMiB))},
		InstanceStorageSupported:      aws.Bool(false),
		NetworkInfo:                   &NetworkInfo{MaximumNetworkInterfaces: aws.Int(t.MaxENIs), Ipv4AddressesPerInterface: aws.Int(t.IPv4PerENI)},
		BurstablePerformanceSupported: aws.Bool(t.Burstable),
		SupportedInRegion:             aws.Bool(true),
	}
}
