package ecs

import (
	"fmt"

	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
	"sort"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Task lastStatus values, in lifecycle order [DG:task-lifecycle].
// ACTIVATING and DEACTIVATING appear only with Cloud Map or several target
// groups [CR#1039] (showsActivation).
const (
	taskProvisioning   = "PROVISIONING"
	taskPending        = "PENDING"
	taskActivating     = "ACTIVATING"
	taskRunning        = "RUNNING"
	taskDeactivating   = "DEACTIVATING"
	taskStopping       = "STOPPING"
	taskDeprovisioning = "DEPROVISIONING"
	taskStopped        = "STOPPED"
)

// Launch types ecsbox places tasks with [API:LaunchType].
const (
	launchEC2     = "EC2"
	launchFargate = "FARGATE"
)

// task is one task: the containers of a task definition, placed on a
// container instance (EC2) or on Fargate.
type task struct {
	seq      int // creation order, the order of listings
	arn, id  string
	cluster  *cluster
	def      *TaskDefinition
	instance *containerInstance // nil on Fargate

	launchType      string
	platformVersion string
	group           string
	startedBy       string
	az              string

	lastStatus    string
	desiredStatus string
	version       int64

	createdAt, pullStartedAt, pullStoppedAt, startedAt, connectivityAt *time.Time
	stoppingAt, executionStoppedAt, stoppedAt                          *time.Time

	stopCode      string
	stoppedReason string

	// The task's reservation, as placement counted it [DG:task_definition_parameters].
	reservedCPU, reservedMemory int
	cpu, memory                 string // the task-level strings shown by DescribeTasks

	containers []*container
	eni        *taskENI // awsvpc only
	// static are the host ports the task asked for by number; they count
	// toward the instance's 100 reserved ports, dynamic ones do not
	// [DG:task_definition_parameters].
	static []portKey

	overrides            *TaskOverride
	tags                 []Tag
	enableExecuteCommand bool

	// service and deployment are set for the tasks a service started.
	service    *service
	deployment *deployment
	// provider is the capacity provider the task runs on (nil when started
	// with a launch type); waiting marks a task in PROVISIONING until its
	// Auto Scaling group provider has room for it (reference 2.6).
	provider *capacityProvider
	waiting  bool
	// awsvpc and placeReq: how a waiting task is to be placed.
	awsvpc   *AwsVpcConfiguration
	placeReq placement.Request
	// use is what the task used at the last measurement (load.go).
	use usage
	// real is set when the task's containers are real (driver.go).
	real *realTask
	// everRunning: the task reached RUNNING (the throttle and the circuit
	// breaker count the tasks that never did).
	everRunning bool

	// targets are the task's registrations in its service's target groups
	// (loadbalancing.go); registries its Cloud Map instances
	// (service_registries.go).
	targets    []*lbTarget
	registries []string
	// draining: the task is stopping and waits for its targets to drain.
	draining bool

	// explanation says how placement chose the task's instance.
	explanation string
	// timers are the lifecycle events still to come, stopped when the task
	// is stopped early.
	timers []stoppable
}

type stoppable interface{ Stop() bool }

// taskENI is the elastic network interface of an awsvpc task.
type taskENI struct {
	attachmentID string
	id           string
	subnetID     string
	privateIP    string
	mac          string
	status       string // PRECREATED, ATTACHED, DELETED [API:Attachment]
}

// container is one container of a task.
type container struct {
	name, arn, image string
	runtimeID        string
	imageDigest      string
	essential        bool
	lastStatus       string
	exitCode         *int
	reason           string
	bindings         []NetworkBinding
	cpu              int
	memory           *int
	memReservation   *int
	command          []string
	stopTimeout      time.Duration
	healthStatus     string
	// stress are the stress runs started in the container with ECS Exec.
	stress []stressProcess
	// logTo is where the awslogs driver sends the container's output.
	logTo *awslogsTarget
	// ports are the container ports, for the workload's start-up line.
	ports []int
}

// hostPorts lists the static host ports the task binds on its instance:
// host mode binds every container port, bridge mode the non-zero hostPorts
// (a zero or absent hostPort is dynamic and reserves nothing up front).
func (t *task) hostPorts() []portKey {
	var out []portKey
	for _, c := range t.containers {
		for _, b := range c.bindings {
			if b.HostPort != nil && *b.HostPort > 0 {
				out = append(out, portKey{*b.HostPort, protocolOf(b.Protocol)})
			}
		}
	}
	return out
}

func protocolOf(p *string) string {
	if p == nil || *p == "" {
		return "tcp"
	}
	return *p
}

// active reports whether the task still holds resources: every state but
// STOPPED.
func (t *task) active() bool { return t.lastStatus != taskStopped }

// setStatus moves the task to a new lastStatus and records it.
func (e *ECS) setStatus(t *task, status string) {
	if t.lastStatus == status {
		return
	}
	t.lastStatus = status
	t.version++
	if t.instance != nil {
		t.instance.touch()
	}
	msg := fmt.Sprintf("task %s (%s) is %s", t.id, familyRevision(t.def), status)
	if status == taskStopped && t.stoppedReason != "" {
		msg += ": " + t.stoppedReason
	}
	e.sim.Record("ecs", "Task"+statusWord(status), t.arn, msg)
	if t.service == nil {
		return
	}
	switch status {
	case taskRunning:
		t.everRunning = true
		t.service.failedStarts = 0
		e.scheduleReconcile(t.service, 0)
	case taskDeactivating:
		// The task no longer counts as running: the scheduler may start its
		// replacement while its targets drain.
		e.scheduleReconcile(t.service, 0)
	case taskStopped:
		e.serviceTaskStopped(t)
	}
}

// statusWord turns PROVISIONING into Provisioning for event kinds.
func statusWord(s string) string {
	if s == "" {
		return s
	}
	out := []byte(s)
	for i := 1; i < len(out); i++ {
		if out[i] >= 'A' && out[i] <= 'Z' {
			out[i] += 'a' - 'A'
		}
	}
	return string(out)
}

func familyRevision(td *TaskDefinition) string {
	return deref(td.Family) + ":" + strconv.Itoa(aws.ToInt(td.Revision))
}

func timePtr(t *time.Time) *aws.Time {
	if t == nil {
		return nil
	}
	return aws.NewTime(*t)
}

func (e *ECS) nowPtr() *time.Time {
	now := e.sim.Now()
	return &now
}

// describe renders the task as DescribeTasks returns it.
func (e *ECS) describeTask(t *task, withTags bool) Task {
	out := Task{
		TaskArn:               aws.String(t.arn),
		ClusterArn:            aws.String(t.cluster.arn),
		TaskDefinitionArn:     cloneString(t.def.TaskDefinitionArn),
		LastStatus:            aws.String(t.lastStatus),
		DesiredStatus:         aws.String(t.desiredStatus),
		LaunchType:            aws.String(t.launchType),
		Cpu:                   aws.String(t.cpu),
		Memory:                aws.String(t.memory),
		Group:                 aws.String(t.group),
		Version:               aws.Int64(t.version),
		CreatedAt:             timePtr(t.createdAt),
		PullStartedAt:         timePtr(t.pullStartedAt),
		PullStoppedAt:         timePtr(t.pullStoppedAt),
		StartedAt:             timePtr(t.startedAt),
		ConnectivityAt:        timePtr(t.connectivityAt),
		StoppingAt:            timePtr(t.stoppingAt),
		ExecutionStoppedAt:    timePtr(t.executionStoppedAt),
		StoppedAt:             timePtr(t.stoppedAt),
		AvailabilityZone:      aws.String(t.az),
		EnableExecuteCommand:  aws.Bool(t.enableExecuteCommand),
		HealthStatus:          aws.String("UNKNOWN"),
		Attachments:           []Attachment{},
		Attributes:            []Attribute{},
		InferenceAccelerators: []InferenceAccelerator{},
		Tags:                  []Tag{},
		Overrides:             &TaskOverride{ContainerOverrides: []ContainerOverride{}, InferenceAcceleratorOverrides: []InferenceAcceleratorOverride{}},
	}
	if t.overrides != nil {
		o := clone(*t.overrides)
		o.ContainerOverrides = nonNil(o.ContainerOverrides)
		o.InferenceAcceleratorOverrides = nonNil(o.InferenceAcceleratorOverrides)
		out.Overrides = &o
	}
	if t.startedBy != "" {
		out.StartedBy = aws.String(t.startedBy)
	}
	if t.connectivityAt != nil {
		out.Connectivity = aws.String("CONNECTED")
	}
	if t.stopCode != "" {
		out.StopCode = aws.String(t.stopCode)
	}
	if t.stoppedReason != "" {
		out.StoppedReason = aws.String(t.stoppedReason)
	}
	if t.provider != nil {
		out.CapacityProviderName = aws.String(t.provider.name)
	}
	if t.instance != nil {
		out.ContainerInstanceArn = aws.String(t.instance.arn)
		out.Attributes = []Attribute{{Name: aws.String("ecs.cpu-architecture"), Value: aws.String(t.instance.architecture)}}
	}
	if t.launchType == launchFargate {
		out.PlatformVersion = aws.String(t.platformVersion)
		out.PlatformFamily = aws.String("Linux")
		out.EphemeralStorage = &EphemeralStorage{SizeInGiB: aws.Int(fargateEphemeralGiB(t.def))}
		out.FargateEphemeralStorage = &TaskEphemeralStorage{SizeInGiB: aws.Int(fargateEphemeralGiB(t.def))}
	}
	if t.eni != nil {
		out.Attachments = []Attachment{t.eni.attachment()}
	}
	for _, c := range t.containers {
		out.Containers = append(out.Containers, e.describeContainer(t, c))
	}
	if withTags {
		out.Tags = clone(nonNil(t.tags))
	}
	return out
}

// fargateEphemeralGiB is the task's ephemeral storage on Fargate: 20 GiB
// unless the task definition asks for more [API:EphemeralStorage].
func fargateEphemeralGiB(td *TaskDefinition) int {
	if td.EphemeralStorage != nil && td.EphemeralStorage.SizeInGiB != nil {
		return *td.EphemeralStorage.SizeInGiB
	}
	return 20
}

func (n *taskENI) attachment() Attachment {
	detail := func(name, value string) KeyValuePair {
		return KeyValuePair{Name: aws.String(name), Value: aws.String(value)}
	}
	return Attachment{
		Id:     aws.String(n.attachmentID),
		Type:   aws.String("ElasticNetworkInterface"),
		Status: aws.String(n.status),
		Details: []KeyValuePair{
			detail("subnetId", n.subnetID),
			detail("networkInterfaceId", n.id),
			detail("macAddress", n.mac),
			detail("privateDnsName", privateDNSName(n.privateIP)),
			detail("privateIPv4Address", n.privateIP),
		},
	}
}

// privateDNSName is the EC2 internal host name of an IP in us-east-1
// ("ip-10-0-1-5.ec2.internal").
func privateDNSName(ip string) string {
	name := []byte("ip-" + ip + ".ec2.internal")
	for i := 3; i < len(name)-len(".ec2.internal"); i++ {
		if name[i] == '.' {
			name[i] = '-'
		}
	}
	return string(name)
}

func (e *ECS) describeContainer(t *task, c *container) Container {
	out := Container{
		ContainerArn:      aws.String(c.arn),
		TaskArn:           aws.String(t.arn),
		Name:              aws.String(c.name),
		Image:             aws.String(c.image),
		LastStatus:        aws.String(c.lastStatus),
		NetworkBindings:   nonNil(clone(c.bindings)),
		NetworkInterfaces: []NetworkInterface{},
		HealthStatus:      aws.String(c.healthStatus),
		Cpu:               aws.String(strconv.Itoa(c.cpu)),
	}
	if c.runtimeID != "" {
		out.RuntimeId = aws.String(c.runtimeID)
		out.ImageDigest = aws.String(c.imageDigest)
	}
	if c.exitCode != nil {
		out.ExitCode = aws.Int(*c.exitCode)
	}
	if c.reason != "" {
		out.Reason = aws.String(c.reason)
	}
	if c.memory != nil {
		out.Memory = aws.String(strconv.Itoa(*c.memory))
	}
	if c.memReservation != nil {
		out.MemoryReservation = aws.String(strconv.Itoa(*c.memReservation))
	}
	if t.eni != nil {
		out.NetworkInterfaces = []NetworkInterface{{AttachmentId: aws.String(t.eni.attachmentID), PrivateIpv4Address: aws.String(t.eni.privateIP)}}
	}
	if t.enableExecuteCommand {
		// The ECS Exec agent runs beside each container [API:ManagedAgent].
		agent := ManagedAgent{Name: aws.String("ExecuteCommandAgent"), LastStatus: aws.String("PENDING")}
		if c.lastStatus == taskRunning {
			agent.LastStatus = aws.String("RUNNING")
			agent.LastStartedAt = timePtr(t.startedAt)
		} else if c.lastStatus == taskStopped {
			agent.LastStatus = aws.String("STOPPED")
		}
		out.ManagedAgents = []ManagedAgent{agent}
	}
	return out
}

// sortedTasks returns tasks in creation order, the order listings use (AWS
// documents none).
func sortedTasks(ts []*task) []*task {
	out := append([]*task(nil), ts...)
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}
