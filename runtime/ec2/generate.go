package ec2

//go:generate go run ../awsmodel/awsgen -service ec2 -package ec2 -ops RunInstances,DescribeInstances,TerminateInstances,StopInstances,StartInstances,DescribeInstanceAttribute,DescribeSubnets,DescribeVpcs,DescribeSecurityGroups,DescribeAvailabilityZones,DescribeInstanceTypes,DescribeImages,DescribeNetworkInterfaces -o types_gen.go
