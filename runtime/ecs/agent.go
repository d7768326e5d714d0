package ecs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// The ECS container agent on EC2 instances. An instance that runs an
// ECS-optimized AMI starts the agent once it is running; the agent reads
// /etc/ecs/ecs.config, which user data usually writes
// ("echo ECS_CLUSTER=MyCluster >> /etc/ecs/ecs.config"
// [DG:bootstrap_container_instance]), and registers the instance with its
// cluster using the instance role's credentials. A plain AMI has no agent
// and never joins a cluster (reference 9.3).

// agentStartDelay is how long after the instance is running the agent
// registers: AWS does not document it; users see instances join one to
// three minutes after launch (reference 15.2), boot time included.
const agentStartDelay = 30 * time.Second

// agentRetryInterval: an agent that cannot register (no cluster, no
// permission) keeps retrying, so fixing the role or creating the cluster
// lets the instance join, as in AWS.
const agentRetryInterval = time.Minute

// agentConfig is what the agent reads from ecs.config.
type agentConfig struct {
	cluster        string
	reservedMemory int
	attributes     map[string]string
}

var (
	ecsClusterVar     = regexp.MustCompile(`ECS_CLUSTER=["']?([A-Za-z0-9_-]+)`)
	ecsReservedMemVar = regexp.MustCompile(`ECS_RESERVED_MEMORY=["']?([0-9]+)`)
	ecsAttributesVar  = regexp.MustCompile(`ECS_INSTANCE_ATTRIBUTES=['"]?(\{[^}]*\})`)
)

// parseAgentConfig reads the agent settings out of user data: the shell
// lines that set ECS_CLUSTER, ECS_RESERVED_MEMORY and ECS_INSTANCE_ATTRIBUTES
// (a JSON object) [AGENT:README.md]. ECS_CLUSTER defaults to "default".
func parseAgentConfig(userData string) (agentConfig, error) {
	cfg := agentConfig{cluster: defaultClusterName, attributes: map[string]string{}}
	if m := ecsClusterVar.FindStringSubmatch(userData); m != nil {
		cfg.cluster = m[1]
	}
	if m := ecsReservedMemVar.FindStringSubmatch(userData); m != nil {
		cfg.reservedMemory, _ = strconv.Atoi(m[1])
	}
	if m := ecsAttributesVar.FindStringSubmatch(userData); m != nil {
		var attrs map[string]string
		if err := json.Unmarshal([]byte(m[1]), &attrs); err != nil {
			return cfg, fmt.Errorf("ECS_INSTANCE_ATTRIBUTES is not a JSON object of strings: %v", err)
		}
		cfg.attributes = attrs
	}
	return cfg, nil
}

// watchInstances subscribes the agent to EC2 instance state changes.
func (e *ECS) watchInstances() {
	e.ec2.OnStateChange(func(inst ec2.InstanceInfo, from, to string) {
		e.trackInstanceRun(inst.ID, inst.Type, to)
		switch to {
		case "running":
			img, ok := e.ec2.Image(inst.ImageID)
			if !ok || !img.ECSOptimized {
				return // no agent on a plain AMI
			}
			id := inst.ID
			e.sim.After(e.modelDelay(agentStartDelay), "ecs agent starts", func() { e.agentRegister(id, "") })
		case "shutting-down", "stopping":
			e.hostGone(inst.ID, to)
		}
	})
}

// agentRegister is one registration attempt of the agent on instance id;
// lastProblem is the previous attempt's, so a repeated failure is recorded
// once.
func (e *ECS) agentRegister(id, lastProblem string) {
	inst, ok := e.ec2.Instance(id)
	if !ok || inst.State != "running" {
		return
	}
	if e.instanceByEC2[id] != nil {
		return
	}
	problem := e.tryRegister(inst)
	if problem == "" {
		return
	}
	if problem != lastProblem {
		e.sim.Recordf("ecs", "AgentRegistrationFailed", id, "the ECS agent on %s cannot register: %s (it retries every minute)", id, problem)
	}
	e.sim.After(agentRetryInterval, "ecs agent retries", func() { e.agentRegister(id, problem) })
}

// tryRegister registers the instance, or says why it cannot.
func (e *ECS) tryRegister(inst ec2.InstanceInfo) string {
	cfg, err := parseAgentConfig(inst.UserData)
	if err != nil {
		return err.Error()
	}
	if inst.IamInstanceProfile == "" {
		// "your Amazon ECS agent cannot connect to your cluster" without the
		// instance role [DG:launch_container_instance]
		return "the instance has no IAM instance profile, so the agent has no credentials"
	}
	role, ok := e.iam.InstanceProfileRole(inst.IamInstanceProfile)
	if !ok {
		return fmt.Sprintf("instance profile %s has no role", inst.IamInstanceProfile)
	}
	if !e.iam.TrustsService(role, "ec2.amazonaws.com") {
		return fmt.Sprintf("role %s does not trust ec2.amazonaws.com, so the instance cannot assume it", role)
	}
	c, ok := e.clusters[cfg.cluster]
	if !ok || c.status != clusterActive {
		if cfg.cluster != defaultClusterName {
			return fmt.Sprintf("ClusterNotFoundException: Cluster not found. (cluster %s)", cfg.cluster)
		}
		// The agent creates the default cluster if it may [DG:security-iam-awsmanpol].
		arn := e.arn("cluster/" + defaultClusterName)
		if d := e.iam.Evaluate(role, "ecs:CreateCluster", arn); !d.Allowed {
			return e.iam.AccessDeniedMessage(e.sessionARN(role, inst.ID), "ecs:CreateCluster", arn)
		}
		name := defaultClusterName
		if _, err := e.CreateCluster(&CreateClusterRequest{ClusterName: &name}); err != nil {
			return err.Error()
		}
		c = e.clusters[cfg.cluster]
	}
	if d := e.iam.Evaluate(role, "ecs:RegisterContainerInstance", c.arn); !d.Allowed {
		return e.iam.AccessDeniedMessage(e.sessionARN(role, inst.ID), "ecs:RegisterContainerInstance", c.arn)
	}
	e.registerContainerInstance(inst, c, cfg)
	return ""
}

// registerContainerInstance adds the instance to the cluster with what the
// agent reports: CPU = vCPUs × 1024, memory = what the OS sees minus
// ECS_RESERVED_MEMORY [AGENT:ecs-agent/api/ecs/client/ecs_client.go],
// reference 9.2, the reserved ports, and the built-in attributes.
func (e *ECS) registerContainerInstance(inst ec2.InstanceInfo, c *cluster, cfg agentConfig) *containerInstance {
	it, _ := e.ec2.InstanceType(inst.Type)
	img, _ := e.ec2.Image(inst.ImageID)
	id := e.sim.TaskID()
	ci := &containerInstance{
		arn:              e.arn("container-instance/" + c.name + "/" + id),
		id:               id,
		cluster:          c,
		ec2ID:            inst.ID,
		status:           instanceActive,
		agentConnected:   true,
		agentVersion:     img.ECSAgentVersion,
		dockerVersion:    "DockerVersion: " + strings.TrimPrefix(img.ECSRuntimeVersion, "Docker version "),
		registeredAt:     e.sim.Now(),
		version:          1,
		instanceType:     inst.Type,
		az:               inst.AZ,
		subnetID:         inst.SubnetID,
		vpcID:            inst.VPCID,
		amiID:            inst.ImageID,
		architecture:     it.Architecture,
		registeredCPU:    it.VCPU * 1024,
		registeredMemory: it.RegisteredMemoryMiB - cfg.reservedMemory,
		maxENIs:          it.MaxENIs,
		attributes:       map[string]string{},
		builtin:          map[string]bool{},
		pulled:           map[string]bool{},
	}
	for name, value := range builtinAttributes(ci) {
		ci.attributes[name] = value
		ci.builtin[name] = true
	}
	for name, value := range cfg.attributes {
		ci.attributes[name] = value
	}
	c.instances = append(c.instances, ci)
	e.instanceByEC2[inst.ID] = ci
	e.sim.Recordf("ecs", "ContainerInstanceRegistered", ci.arn, "%s (%s, %s) registered in cluster %s as container instance %s: %d CPU units, %d MiB",
		inst.ID, inst.Type, inst.AZ, c.name, id, ci.registeredCPU, ci.registeredMemory)
	e.reconcileCluster(c)
	e.retryWaiting(c)
	return ci
}

// hostGone handles an instance that is stopping or terminating: its agent
// disconnects, its tasks stop, and a terminated instance is deregistered
// automatically [DG:deregister_container_instance].
func (e *ECS) hostGone(ec2ID, state string) {
	ci := e.instanceByEC2[ec2ID]
	if ci == nil {
		return
	}
	delete(e.instanceByEC2, ec2ID)
	ci.agentConnected = false
	verb := "terminated"
	if state == "stopping" {
		verb = "stopped"
	}
	for _, t := range append([]*task(nil), ci.tasks...) {
		// text not verified: "Host EC2 (instance i-...) terminated." is what
		// users report for tasks on a terminated instance
		e.stopTask(t, "", fmt.Sprintf("Host EC2 (instance %s) %s.", ec2ID, verb))
	}
	e.deregister(ci, "deregistered: the EC2 instance is "+state)
}

// builtinAttributes are the attributes the agent reports for an instance:
// the always-present ones of [DG:task-placement-constraints] and the
// capabilities of the agent on the ECS-optimized AMI, whose ecs-init
// enables the awslogs, fluentd and syslog drivers and task IAM roles
// [AGENT:ecs-init/docker/docker.go], reference 9.3.
func builtinAttributes(ci *containerInstance) map[string]string {
	attrs := map[string]string{
		"ecs.ami-id":                                              ci.amiID,
		"ecs.availability-zone":                                   ci.az,
		"ecs.instance-type":                                       ci.instanceType,
		"ecs.os-type":                                             "linux",
		"ecs.os-family":                                           "LINUX",
		"ecs.cpu-architecture":                                    ci.architecture,
		"ecs.vpc-id":                                              ci.vpcID,
		"ecs.subnet-id":                                           ci.subnetID,
		"ecs.capability.task-eni":                                 "",
		"ecs.capability.execution-role-awslogs":                   "",
		"ecs.capability.execution-role-ecr-pull":                  "",
		"ecs.capability.container-health-check":                   "",
		"ecs.capability.container-ordering":                       "",
		"ecs.capability.task-cpu-mem-limit":                       "",
		"ecs.capability.secrets.asm.environment-variables":        "",
		"ecs.capability.secrets.ssm.environment-variables":        "",
		"ecs.capability.efsAuth":                                  "",
		"ecs.capability.efs":                                      "",
		"ecs.capability.pid-ipc-namespace-sharing":                "",
		"ecs.capability.ecr-endpoint":                             "",
		"com.amazonaws.ecs.capability.ecr-auth":                   "",
		"com.amazonaws.ecs.capability.task-iam-role":              "",
		"com.amazonaws.ecs.capability.task-iam-role-network-host": "",
		"com.amazonaws.ecs.capability.privileged-container":       "",
	}
	for _, driver := range []string{"json-file", "syslog", "awslogs", "fluentd", "none"} {
		attrs["com.amazonaws.ecs.capability.logging-driver."+driver] = ""
	}
	// Docker Remote API versions 1.17 to 1.44 (Docker 25).
	for v := 17; v <= 44; v++ {
		attrs["com.amazonaws.ecs.capability.docker-remote-api.1."+strconv.Itoa(v)] = ""
	}
	return attrs
}
