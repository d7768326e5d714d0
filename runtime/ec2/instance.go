package ec2

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// DefaultInstanceType is the type RunInstances launches when the request
// names none: "Default: m1.small" in the RunInstances API reference of the
// EC2 API versions up to 2016-11-15 (the current text no longer states a
// default). ecsbox keeps it; m1.small runs x86_64 AMIs only, so an arm64
// AMI without an instance type is refused as a mismatch, as in AWS.
const DefaultInstanceType = "m1.small"

// InstanceInfo describes an instance for other services (the ECS agent,
// Auto Scaling). It is a copy; changing it changes nothing.
type InstanceInfo struct {
	ID        string
	Type      string
	ImageID   string
	AZ        string
	SubnetID  string
	VPCID     string
	PrivateIP string
	// State is the EC2 state name: pending, running, shutting-down,
	// terminated, stopping or stopped.
	State      string
	LaunchTime time.Time
	// IamInstanceProfile is the instance profile ARN or name, as given at
	// launch; ecsbox does not check it against IAM.
	IamInstanceProfile string
	// UserData is the user data as the instance reads it (decoded).
	UserData       string
	Architecture   string
	Tags           map[string]string
	SecurityGroups []string
	// NetworkInterfaceID is the primary network interface, which counts
	// against the type's MaxENIs (reference section 6.2).
	NetworkInterfaceID string
	ReservationID      string
}

// LaunchSpec is what LaunchInstance needs: the members of RunInstances that
// Auto Scaling passes from a launch template.
type LaunchSpec struct {
	ImageID      string
	InstanceType string // "" means DefaultInstanceType
	SubnetID     string // "" means the default subnet of the first zone
	// SecurityGroups are group IDs and SecurityGroupNames group names in
	// the subnet's VPC; none of either means the VPC's default group.
	SecurityGroups     []string
	SecurityGroupNames []string
	KeyName            string
	IamInstanceProfile string
	// UserData is the decoded text. A launch template carries it base64
	// encoded; the caller decodes it.
	UserData string
	Tags     map[string]string
}

type instance struct {
	seq           int
	id            string
	reservationID string
	launchIndex   int
	typ           InstanceTypeSpec
	image         ImageInfo
	subnet        *subnet
	eni           *eni
	groups        []string
	profile       string
	userData      string
	keyName       string
	tags          map[string]string
	launchTime    time.Time

	state            string
	stateReason      *StateReason
	transitionReason string
	timer            *sim.Timer // the pending state change, if any
}

// State names and codes [EC2-API:InstanceState]: "The valid values for
// instance-state-code will all be in the range of the low byte and they
// are: 0 (pending), 16 (running), 32 (shutting-down), 48 (terminated), 64
// (stopping), and 80 (stopped)."
const (
	StatePending      = "pending"
	StateRunning      = "running"
	StateShuttingDown = "shutting-down"
	StateTerminated   = "terminated"
	StateStopping     = "stopping"
	StateStopped      = "stopped"
)

var stateCodes = map[string]int{
	StatePending: 0, StateRunning: 16, StateShuttingDown: 32,
	StateTerminated: 48, StateStopping: 64, StateStopped: 80,
}

func apiState(name string) *InstanceState {
	return &InstanceState{Code: aws.Int(stateCodes[name]), Name: aws.String(name)}
}

// RunInstances launches MinCount to MaxCount instances of one AMI and type
// into one subnet, as one reservation. Each starts pending and is running
// after the boot time.
func (e *EC2) RunInstances(in *RunInstancesRequest) (*Reservation, error) {
	if in == nil {
		in = &RunInstancesRequest{}
	}
	minCount, maxCount, err := launchCounts(in.MinCount, in.MaxCount)
	if err != nil {
		return nil, err
	}
	spec := LaunchSpec{
		ImageID:            aws.ToString(in.ImageId),
		InstanceType:       aws.ToString(in.InstanceType),
		SubnetID:           aws.ToString(in.SubnetId),
		SecurityGroups:     in.SecurityGroupIds,
		IamInstanceProfile: profileOf(in.IamInstanceProfile),
		UserData:           aws.ToString(in.UserData),
		Tags:               instanceTags(in.TagSpecifications),
	}
	var az string
	if in.Placement != nil {
		az = aws.ToString(in.Placement.AvailabilityZone)
	}
	plan, err := e.plan(spec, az, in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	count := min(maxCount, plan.subnet.free)
	if count < minCount {
		// verified: osbuild/osbuild-composer#1575
		return nil, awserr.Newf(InsufficientFreeAddressesInSubnet,
			"There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", plan.subnet.id)
	}
	res := &Reservation{
		ReservationId: aws.String(e.sim.EC2ID("r")),
		OwnerId:       aws.String(e.id.AccountID),
		Groups:        []GroupIdentifier{},
		Instances:     []Instance{},
	}
	for i := range count {
		inst := e.launch(plan, aws.ToString(res.ReservationId), i, aws.ToString(in.KeyName))
		res.Instances = append(res.Instances, e.apiShape(inst))
	}
	return res, nil
}

// launchCounts checks MinCount and MaxCount. Both must be at least 1
// ("Maximum instance count must be greater than zero", InvalidParameterValue,
// jenkinsci/ec2-plugin#252; the MinCount text is the same pattern, not
// verified) and MinCount must not exceed MaxCount (text not verified).
func launchCounts(minCount, maxCount *int) (int, int, error) {
	if minCount == nil {
		// "The request must contain the parameter MinCount" (MissingParameter)
		return 0, 0, awserr.New(MissingParameter, "The request must contain the parameter MinCount")
	}
	if maxCount == nil {
		return 0, 0, awserr.New(MissingParameter, "The request must contain the parameter MaxCount")
	}
	switch {
	case *maxCount < 1:
		return 0, 0, invalidValue("Maximum instance count must be greater than zero")
	case *minCount < 1:
		return 0, 0, invalidValue("Minimum instance count must be greater than zero")
	case *minCount > *maxCount:
		return 0, 0, invalidValue("Minimum instance count must be less than or equal to maximum instance count")
	}
	return *minCount, *maxCount, nil
}

func profileOf(p *IamInstanceProfileSpecification) string {
	if p == nil {
		return ""
	}
	if arn := aws.ToString(p.Arn); arn != "" {
		return arn
	}
	return aws.ToString(p.Name)
}

// instanceTags collects the tags of the TagSpecifications for resource type
// "instance"; tags for other resource types (volumes, ...) are ignored.
func instanceTags(specs []TagSpecification) map[string]string {
	tags := map[string]string{}
	for _, s := range specs {
		if aws.ToString(s.ResourceType) != "instance" {
			continue
		}
		for _, t := range s.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return tags
}

// LaunchInstance launches one instance, by the same path as RunInstances
// with MinCount = MaxCount = 1, in a reservation of its own.
func (e *EC2) LaunchInstance(spec LaunchSpec) (InstanceInfo, error) {
	plan, err := e.plan(spec, "", spec.SecurityGroupNames)
	if err != nil {
		return InstanceInfo{}, err
	}
	if plan.subnet.free == 0 {
		return InstanceInfo{}, awserr.Newf(InsufficientFreeAddressesInSubnet,
			"There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", plan.subnet.id)
	}
	return e.launch(plan, e.sim.EC2ID("r"), 0, spec.KeyName).info(), nil
}

// launchPlan is a checked LaunchSpec.
type launchPlan struct {
	spec   LaunchSpec
	image  ImageInfo
	typ    InstanceTypeSpec
	subnet *subnet
	groups []string
}

// plan checks a launch: the AMI, the type, their architectures, the subnet
// (or the zone's default subnet) and the security groups.
func (e *EC2) plan(spec LaunchSpec, az string, groupNames []string) (launchPlan, error) {
	p := launchPlan{spec: spec}
	if spec.ImageID == "" {
		// text not verified (the MissingParameter pattern above)
		return p, awserr.New(MissingParameter, "The request must contain the parameter ImageId")
	}
	if err := checkImageID(spec.ImageID); err != nil {
		return p, err
	}
	img, ok := e.Image(spec.ImageID)
	if !ok {
		return p, imageNotFound([]string{spec.ImageID})
	}
	p.image = img
	typeName := spec.InstanceType
	if typeName == "" {
		typeName = DefaultInstanceType
	}
	t, ok := e.InstanceType(typeName)
	if !ok {
		// "Invalid value 't3.nano' for InstanceType." (getmoto/moto#1695,
		// quoting AWS)
		return p, invalidValue("Invalid value '%s' for InstanceType.", typeName)
	}
	p.typ = t
	if !slices.Contains(t.SupportedArchitectures, img.Architecture) {
		// verified: hashicorp/terraform users, aws-parallelcluster wiki
		return p, invalidValue("The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. "+
			"Specify an instance type and an AMI that have matching architectures, and try again. "+
			"You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
			strings.Join(t.SupportedArchitectures, ","), img.Architecture)
	}
	switch {
	case spec.SubnetID != "":
		p.subnet = e.subnet(spec.SubnetID)
		if p.subnet == nil {
			// text not verified
			return p, notFoundIDs(InvalidSubnetIDNotFound, "subnet ID", []string{spec.SubnetID})
		}
		if az != "" && az != p.subnet.az {
			// text not verified
			return p, invalidValue("The specified subnet '%s' is not in Availability Zone '%s'.", p.subnet.id, az)
		}
	case az != "":
		for _, s := range e.subnets {
			if s.defaultForAZ && s.az == az {
				p.subnet = s
			}
		}
		if p.subnet == nil {
			// text not verified
			return p, invalidValue("Invalid availability zone: [%s]", az)
		}
	default:
		// "If you don't specify a subnet ID, we choose a default subnet from
		// your default VPC for you" [EC2-API:RunInstances]. Which one AWS
		// picks is not documented; ecsbox always picks the first zone's, so
		// that a run is predictable.
		p.subnet = e.subnets[0]
	}
	groups, err := e.resolveGroups(p.subnet.vpcID, spec.SecurityGroups, groupNames)
	if err != nil {
		return p, err
	}
	p.groups = groups
	return p, nil
}

// launch creates one instance of a checked plan; the subnet has a free
// address.
func (e *EC2) launch(p launchPlan, reservationID string, index int, keyName string) *instance {
	e.instanceSeq++
	inst := &instance{
		seq:           e.instanceSeq,
		id:            e.sim.EC2ID("i"),
		reservationID: reservationID,
		launchIndex:   index,
		typ:           p.typ,
		image:         p.image,
		subnet:        p.subnet,
		groups:        p.groups,
		profile:       p.spec.IamInstanceProfile,
		userData:      p.spec.UserData,
		keyName:       keyName,
		tags:          maps.Clone(p.spec.Tags),
		launchTime:    e.sim.Now(),
		state:         StatePending,
		// RunInstances reports a new instance's reason as pending.
		stateReason: &StateReason{Code: aws.String("pending"), Message: aws.String("pending")},
	}
	if inst.tags == nil {
		inst.tags = map[string]string{}
	}
	n := e.newENI(p.subnet, "", p.groups, "")
	n.instanceID, n.attachmentID, n.attachTime = inst.id, e.sim.EC2ID("eni-attach"), inst.launchTime
	inst.eni = n
	e.instances = append(e.instances, inst)
	e.sim.Recordf("ec2", "InstanceLaunched", inst.id, "instance %s (%s, %s) launched in %s with %s: pending",
		inst.id, inst.typ.Name, inst.image.Name, inst.subnet.az, n.ip)
	e.notify(inst, "", StatePending)
	e.scheduleBoot(inst)
	return inst
}

func (e *EC2) find(id string) *instance {
	for _, inst := range e.instances {
		if inst.id == id {
			return inst
		}
	}
	return nil
}

// Instance returns the instance with the given ID, while DescribeInstances
// shows it (terminated instances for an hour).
func (e *EC2) Instance(id string) (InstanceInfo, bool) {
	if inst := e.find(id); inst != nil {
		return inst.info(), true
	}
	return InstanceInfo{}, false
}

// Instances returns every instance DescribeInstances shows, in launch
// order.
func (e *EC2) Instances() []InstanceInfo {
	out := make([]InstanceInfo, 0, len(e.instances))
	for _, inst := range e.instances {
		out = append(out, inst.info())
	}
	return out
}

func (inst *instance) info() InstanceInfo {
	return InstanceInfo{
		ID: inst.id, Type: inst.typ.Name, ImageID: inst.image.ID, AZ: inst.subnet.az,
		SubnetID: inst.subnet.id, VPCID: inst.subnet.vpcID, PrivateIP: inst.eni.ip, State: inst.state,
		LaunchTime: inst.launchTime, IamInstanceProfile: inst.profile, UserData: inst.userData,
		Architecture: inst.image.Architecture, Tags: maps.Clone(inst.tags),
		SecurityGroups: slices.Clone(inst.groups), NetworkInterfaceID: inst.eni.id, ReservationID: inst.reservationID,
	}
}

// checkInstanceIDs refuses malformed and unknown instance IDs, as the
// instance operations do before they change anything.
func (e *EC2) checkInstanceIDs(ids []string) ([]*instance, error) {
	var missing []string
	var found []*instance
	for _, id := range ids {
		if !validID("i", id) {
			return nil, malformedID(InvalidInstanceIDMalformed, id)
		}
	}
	for _, id := range ids {
		if inst := e.find(id); inst != nil {
			found = append(found, inst)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, notFoundIDs(InvalidInstanceIDNotFound, "instance ID", missing)
	}
	return found, nil
}

// DescribeInstances lists instances grouped by reservation, in launch
// order. MaxResults (5 to 1000) counts instances and cannot be combined
// with InstanceIds [EC2-API:DescribeInstances].
func (e *EC2) DescribeInstances(in *DescribeInstancesRequest) (*DescribeInstancesResult, error) {
	if in == nil {
		in = &DescribeInstancesRequest{}
	}
	if len(in.InstanceIds) > 0 && in.MaxResults != nil {
		// verified: amazonica (Clojure) logs of AWS responses
		return nil, awserr.New(InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	if _, err := e.checkInstanceIDs(in.InstanceIds); err != nil {
		return nil, err
	}
	var keys []string
	byKey := map[string]*instance{}
	for _, inst := range e.instances {
		if len(in.InstanceIds) > 0 && !slices.Contains(in.InstanceIds, inst.id) {
			continue
		}
		ok, err := matchFilters(in.Filters, e.instanceFilter(inst))
		if err != nil {
			return nil, err
		}
		if ok {
			k := fmt.Sprintf("%09d", inst.seq)
			keys = append(keys, k)
			byKey[k] = inst
		}
	}
	page, next, err := paginate("DescribeInstances", keys, in.MaxResults, in.NextToken, 5, 1000, len(keys)+1)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstancesResult{Reservations: []Reservation{}, NextToken: next}
	index := map[string]int{}
	for _, k := range page {
		inst := byKey[k]
		i, ok := index[inst.reservationID]
		if !ok {
			i = len(out.Reservations)
			index[inst.reservationID] = i
			out.Reservations = append(out.Reservations, Reservation{
				ReservationId: aws.String(inst.reservationID),
				OwnerId:       aws.String(e.id.AccountID),
				Groups:        []GroupIdentifier{},
				Instances:     []Instance{},
			})
		}
		out.Reservations[i].Instances = append(out.Reservations[i].Instances, e.apiShape(inst))
	}
	return out, nil
}

func (e *EC2) instanceFilter(inst *instance) filterFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "instance-id":
			return []string{inst.id}, true
		case "instance-state-name":
			return []string{inst.state}, true
		case "instance-state-code":
			return []string{itoa(stateCodes[inst.state])}, true
		case "instance-type":
			return []string{inst.typ.Name}, true
		case "image-id":
			return []string{inst.image.ID}, true
		case "subnet-id":
			return []string{inst.subnet.id}, true
		case "vpc-id":
			return []string{inst.subnet.vpcID}, true
		case "availability-zone":
			return []string{inst.subnet.az}, true
		case "private-ip-address":
			return []string{inst.eni.ip}, true
		case "private-dns-name":
			return []string{e.privateDNSName(inst.eni.ip)}, true
		case "reservation-id":
			return []string{inst.reservationID}, true
		case "architecture":
			return []string{inst.image.Architecture}, true
		case "iam-instance-profile.arn":
			return []string{e.profileARN(inst.profile)}, true
		case "instance.group-id", "group-id":
			return inst.groups, true
		case "network-interface.network-interface-id":
			return []string{inst.eni.id}, true
		case "key-name":
			return []string{inst.keyName}, true
		case "launch-index", "ami-launch-index":
			return []string{itoa(inst.launchIndex)}, true
		case "owner-id":
			return []string{e.id.AccountID}, true
		}
		return tagFilter(inst.tags, name)
	}
}

// profileARN turns an instance profile name into its ARN; an ARN stays as
// it is.
func (e *EC2) profileARN(p string) string {
	if p == "" || awserr.IsARN(p) {
		return p
	}
	return awserr.MakeARN("iam", "", e.id.AccountID, "instance-profile/"+p)
}
