package ec2

import (
	"slices"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestInstanceTypeCatalogue(t *testing.T) {
	e, _ := newTestEC2()
	tests := []struct {
		name                        string
		vcpu, mem, enis, ips, regis int
		arch                        string
	}{
		// reference section 9.1
		{"t2.micro", 1, 1024, 2, 2, 998, "x86_64"},
		{"t3.micro", 2, 1024, 2, 2, 998, "x86_64"},
		{"t3.xlarge", 4, 16384, 4, 15, 15974, "x86_64"},
		{"m5.large", 2, 8192, 3, 10, 7987, "x86_64"},
		{"m5.4xlarge", 16, 65536, 8, 30, 63897, "x86_64"},
		{"c5.large", 2, 4096, 3, 10, 3993, "x86_64"},
		{"r5.large", 2, 16384, 3, 10, 15974, "x86_64"},
		// documented registered memory [DG:memory-management], [DG:cloudwatch-metrics]
		{"m4.large", 2, 8192, 2, 10, 7985, "x86_64"},
		{"c4.large", 2, 3840, 3, 10, 3768, "x86_64"},
		{"m1.small", 1, 1740, 2, 4, 1696, "x86_64"},
		{"t4g.small", 2, 2048, 3, 4, 1996, "arm64"},
		{"t4g.medium", 2, 4096, 3, 6, 3993, "arm64"},
		{"m6g.large", 2, 8192, 3, 10, 7987, "arm64"},
		{"c6g.large", 2, 4096, 3, 10, 3993, "arm64"},
	}
	for _, tt := range tests {
		got, ok := e.InstanceType(tt.name)
		if !ok {
			t.Errorf("%s missing", tt.name)
			continue
		}
		if got.VCPU != tt.vcpu || got.MemoryMiB != tt.mem || got.MaxENIs != tt.enis || got.IPv4PerENI != tt.ips ||
			got.RegisteredMemoryMiB != tt.regis || got.Architecture != tt.arch {
			t.Errorf("%s = %+v", tt.name, got)
		}
		if got.RegisteredMemoryMiB >= got.MemoryMiB {
			t.Errorf("%s registers %d MiB, not below nominal %d", tt.name, got.RegisteredMemoryMiB, got.MemoryMiB)
		}
	}
	if _, ok := e.InstanceType("t3.nano"); ok {
		t.Error("t3.nano is not in the catalogue")
	}
}

func TestInstanceTypeIsACopy(t *testing.T) {
	e, _ := newTestEC2()
	a, _ := e.InstanceType("t2.micro")
	a.SupportedArchitectures[0] = "changed"
	b, _ := e.InstanceType("t2.micro")
	if !slices.Equal(b.SupportedArchitectures, []string{"i386", "x86_64"}) {
		t.Fatalf("catalogue changed through a copy: %v", b.SupportedArchitectures)
	}
}

func TestDescribeInstanceTypes(t *testing.T) {
	e, _ := newTestEC2()
	out, err := e.DescribeInstanceTypes(&DescribeInstanceTypesRequest{InstanceTypes: []string{"c5.large"}})
	if err != nil {
		t.Fatal(err)
	}
	it := out.InstanceTypes[0]
	if aws.ToInt(it.VCpuInfo.DefaultVCpus) != 2 || aws.ToInt64(it.MemoryInfo.SizeInMiB) != 4096 ||
		aws.ToInt(it.NetworkInfo.MaximumNetworkInterfaces) != 3 || aws.ToInt(it.NetworkInfo.Ipv4AddressesPerInterface) != 10 {
		t.Fatalf("c5.large = %+v", it)
	}

	out, err = e.DescribeInstanceTypes(&DescribeInstanceTypesRequest{Filters: []Filter{
		{Name: aws.String("processor-info.supported-architecture"), Values: []string{"arm64"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range out.InstanceTypes {
		names = append(names, aws.ToString(it.InstanceType))
	}
	if want := []string{"c6g.large", "m6g.large", "t4g.medium", "t4g.small"}; !slices.Equal(names, want) {
		t.Fatalf("arm64 types = %v, want %v", names, want)
	}

	_, err = e.DescribeInstanceTypes(&DescribeInstanceTypesRequest{InstanceTypes: []string{"t3.nano", "x1.huge"}})
	wantAWSError(t, err, InvalidInstanceType, "The following supplied instance types do not exist: [t3.nano, x1.huge]")

	// pagination: 5 per page walks the whole catalogue once
	var seen []string
	var token *string
	for {
		page, err := e.DescribeInstanceTypes(&DescribeInstanceTypesRequest{MaxResults: aws.Int(5), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.InstanceTypes {
			seen = append(seen, aws.ToString(it.InstanceType))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if len(seen) != len(instanceTypes) || !slices.IsSorted(seen) {
		t.Fatalf("paged through %v", seen)
	}
	_, err = e.DescribeInstanceTypes(&DescribeInstanceTypesRequest{MaxResults: aws.Int(1)})
	wantAWSError(t, err, InvalidParameterValue, "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.")
}
