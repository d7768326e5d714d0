package ec2

import (
	"encoding/base64"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// apiShape shows an instance as DescribeInstances and RunInstances do.
func (e *EC2) apiShape(inst *instance) Instance {
	threads := max(inst.typ.ThreadsPerCore, 1)
	dns := e.privateDNSName(inst.eni.ip)
	out := Instance{
		Architecture:        aws.String(inst.image.Architecture),
		BlockDeviceMappings: []InstanceBlockDeviceMapping{},
		ClientToken:         aws.String(""),
		EbsOptimized:        aws.Bool(false),
		EnaSupport:          aws.Bool(true),
		Hypervisor:          aws.String("xen"),
		NetworkInterfaces: []InstanceNetworkInterface{{
			Attachment: &InstanceNetworkInterfaceAttachment{
				AttachTime: aws.NewTime(inst.eni.attachTime), AttachmentId: aws.String(inst.eni.attachmentID),
				DeleteOnTermination: aws.Bool(true), DeviceIndex: aws.Int(0), NetworkCardIndex: aws.Int(0),
				Status: aws.String(attachmentStatus(inst.state)),
			},
			Description:        aws.String(""),
			Groups:             e.groupIdentifiers(inst.groups),
			Ipv6Addresses:      []InstanceIpv6Address{},
			MacAddress:         aws.String(inst.eni.mac),
			NetworkInterfaceId: aws.String(inst.eni.id),
			OwnerId:            aws.String(e.id.AccountID),
			PrivateDnsName:     aws.String(dns),
			PrivateIpAddress:   aws.String(inst.eni.ip),
			PrivateIpAddresses: []InstancePrivateIpAddress{{
				Primary: aws.Bool(true), PrivateDnsName: aws.String(dns), PrivateIpAddress: aws.String(inst.eni.ip),
			}},
			SourceDestCheck: aws.Bool(true),
			Status:          aws.String("in-use"),
			SubnetId:        aws.String(inst.subnet.id),
			VpcId:           aws.String(inst.subnet.vpcID),
			InterfaceType:   aws.String("interface"),
		}},
		RootDeviceName:           aws.String("/dev/xvda"),
		RootDeviceType:           aws.String("ebs"),
		SecurityGroups:           e.groupIdentifiers(inst.groups),
		SourceDestCheck:          aws.Bool(true),
		StateReason:              inst.stateReason,
		Tags:                     apiTags(inst.tags),
		VirtualizationType:       aws.String("hvm"),
		CpuOptions:               &CpuOptions{CoreCount: aws.Int(max(inst.typ.VCPU/threads, 1)), ThreadsPerCore: aws.Int(threads)},
		PlatformDetails:          aws.String("Linux/UNIX"),
		UsageOperation:           aws.String("RunInstances"),
		UsageOperationUpdateTime: aws.NewTime(inst.launchTime),
		InstanceId:               aws.String(inst.id),
		ImageId:                  aws.String(inst.image.ID),
		State:                    apiState(inst.state),
		PrivateDnsName:           aws.String(dns),
		PublicDnsName:            aws.String(""),
		StateTransitionReason:    aws.String(inst.transitionReason),
		AmiLaunchIndex:           aws.Int(inst.launchIndex),
		ProductCodes:             []ProductCode{},
		InstanceType:             aws.String(inst.typ.Name),
		LaunchTime:               aws.NewTime(inst.launchTime),
		Placement:                &Placement{AvailabilityZone: aws.String(inst.subnet.az), GroupName: aws.String(""), Tenancy: aws.String("default")},
		Monitoring:               &Monitoring{State: aws.String("disabled")},
		SubnetId:                 aws.String(inst.subnet.id),
		VpcId:                    aws.String(inst.subnet.vpcID),
		PrivateIpAddress:         aws.String(inst.eni.ip),
	}
	// Interfaces attached after launch (awsvpc task ENIs) follow the primary.
	for _, n := range e.attachedTo(inst.id) {
		ndns := e.privateDNSName(n.ip)
		out.NetworkInterfaces = append(out.NetworkInterfaces, InstanceNetworkInterface{
			Attachment: &InstanceNetworkInterfaceAttachment{
				AttachTime: aws.NewTime(n.attachTime), AttachmentId: aws.String(n.attachmentID),
				DeleteOnTermination: aws.Bool(false), DeviceIndex: aws.Int(n.deviceIndex), NetworkCardIndex: aws.Int(0),
				Status: aws.String("attached"),
			},
			Description:        aws.String(n.desc),
			Groups:             e.groupIdentifiers(n.groups),
			Ipv6Addresses:      []InstanceIpv6Address{},
			MacAddress:         aws.String(n.mac),
			NetworkInterfaceId: aws.String(n.id),
			OwnerId:            aws.String(e.id.AccountID),
			PrivateDnsName:     aws.String(ndns),
			PrivateIpAddress:   aws.String(n.ip),
			PrivateIpAddresses: []InstancePrivateIpAddress{{Primary: aws.Bool(true), PrivateDnsName: aws.String(ndns), PrivateIpAddress: aws.String(n.ip)}},
			SourceDestCheck:    aws.Bool(true),
			Status:             aws.String("in-use"),
			SubnetId:           aws.String(n.subnetID),
			VpcId:              aws.String(n.vpcID),
			InterfaceType:      aws.String(n.apiType()),
		})
	}
	if inst.keyName != "" {
		out.KeyName = aws.String(inst.keyName)
	}
	if inst.profile != "" {
		out.IamInstanceProfile = &IamInstanceProfile{Arn: aws.String(e.profileARN(inst.profile))}
	}
	if inst.state == StateTerminated {
		// A terminated instance has no network interface left.
		out.NetworkInterfaces = []InstanceNetworkInterface{}
		out.PrivateDnsName = aws.String("")
		out.PrivateIpAddress = nil
		out.SubnetId, out.VpcId = nil, nil
		out.SecurityGroups = []GroupIdentifier{}
	}
	return out
}

func attachmentStatus(state string) string {
	switch state {
	case StateShuttingDown:
		return "detaching"
	case StateTerminated:
		return "detached"
	}
	return "attached"
}

// DescribeInstanceAttribute returns one attribute of an instance. UserData
// comes back base64-encoded, as EC2 returns it; RunInstances took it as
// text (boto3 encodes it for the caller).
func (e *EC2) DescribeInstanceAttribute(in *DescribeInstanceAttributeRequest) (*InstanceAttribute, error) {
	if in == nil {
		in = &DescribeInstanceAttributeRequest{}
	}
	id := aws.ToString(in.InstanceId)
	insts, err := e.checkInstanceIDs([]string{id})
	if err != nil {
		return nil, err
	}
	inst := insts[0]
	out := &InstanceAttribute{InstanceId: aws.String(inst.id)}
	switch attr := aws.ToString(in.Attribute); attr {
	case InstanceAttributeNameUserData:
		out.UserData = &AttributeValue{}
		if inst.userData != "" {
			out.UserData.Value = aws.String(base64.StdEncoding.EncodeToString([]byte(inst.userData)))
		}
	case InstanceAttributeNameInstanceType:
		out.InstanceType = &AttributeValue{Value: aws.String(inst.typ.Name)}
	case InstanceAttributeNameGroupSet:
		out.Groups = e.groupIdentifiers(inst.groups)
	case InstanceAttributeNameDisableApiTermination:
		out.DisableApiTermination = &AttributeBooleanValue{Value: aws.Bool(false)}
	case InstanceAttributeNameDisableApiStop:
		out.DisableApiStop = &AttributeBooleanValue{Value: aws.Bool(false)}
	case InstanceAttributeNameInstanceInitiatedShutdownBehavior:
		out.InstanceInitiatedShutdownBehavior = &AttributeValue{Value: aws.String("stop")}
	case InstanceAttributeNameRootDeviceName:
		out.RootDeviceName = &AttributeValue{Value: aws.String("/dev/xvda")}
	case InstanceAttributeNameSourceDestCheck:
		out.SourceDestCheck = &AttributeBooleanValue{Value: aws.Bool(true)}
	case InstanceAttributeNameEbsOptimized:
		out.EbsOptimized = &AttributeBooleanValue{Value: aws.Bool(false)}
	case InstanceAttributeNameEnaSupport:
		out.EnaSupport = &AttributeBooleanValue{Value: aws.Bool(true)}
	case InstanceAttributeNameProductCodes:
		out.ProductCodes = []ProductCode{}
	case InstanceAttributeNameBlockDeviceMapping:
		out.BlockDeviceMappings = []InstanceBlockDeviceMapping{}
	case InstanceAttributeNameKernel:
		out.KernelId = &AttributeValue{}
	case InstanceAttributeNameRamdisk:
		out.RamdiskId = &AttributeValue{}
	case InstanceAttributeNameSriovNetSupport:
		out.SriovNetSupport = &AttributeValue{Value: aws.String("simple")}
	default:
		// text not verified
		return nil, invalidValue("Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	return out, nil
}
