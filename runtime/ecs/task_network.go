package ecs

import (
	"encoding/json"
	"sort"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// awsvpc limits [API:AwsVpcConfiguration]: up to 16 subnets and 5 security
// groups, all in one VPC.
const (
	maxSubnets        = 16
	maxSecurityGroups = 5
)

// checkNetworkConfiguration applies the network-mode rules of RunTask and
// StartTask: awsvpc needs an awsvpcConfiguration with subnets that exist;
// other modes refuse one [API:NetworkConfiguration], reference 5.3. It
// returns the awsvpc configuration, or nil for other modes.
func (e *ECS) checkNetworkConfiguration(td *TaskDefinition, launchType string, nc *NetworkConfiguration) (*AwsVpcConfiguration, error) {
	mode := networkModeOf(td)
	if mode != NetworkModeAwsvpc {
		if nc != nil && nc.AwsvpcConfiguration != nil {
			// reference 5.3 (https://github.com/muya/amazon-ecs-run-task/issues/7)
			return nil, invalidParam("Network Configuration is not valid for the given networkMode of this task definition.")
		}
		return nil, nil
	}
	if nc == nil || nc.AwsvpcConfiguration == nil {
		// reference 5.3 (https://github.com/PasseiDireto/gh-runner-task-action/issues/8)
		return nil, invalidParam("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	}
	cfg := nc.AwsvpcConfiguration
	if len(cfg.Subnets) == 0 {
		// text not verified
		return nil, invalidParam("subnets can not be empty.")
	}
	if len(cfg.Subnets) > maxSubnets {
		// text not verified
		return nil, invalidParam("awsvpcConfiguration can have at most %d subnets.", maxSubnets)
	}
	if len(cfg.SecurityGroups) > maxSecurityGroups {
		// text not verified
		return nil, invalidParam("awsvpcConfiguration can have at most %d security groups.", maxSecurityGroups)
	}
	vpc := ""
	for _, id := range cfg.Subnets {
		sn, ok := e.ec2.Subnet(id)
		if !ok {
			// The wording ECS passes on from EC2 (observed in user reports,
			// e.g. https://github.com/aws/copilot-cli/issues/1493); not verified.
			return nil, invalidParam("Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)", id, id)
		}
		if vpc != "" && sn.VPCID != vpc {
			// text not verified
			return nil, invalidParam("Subnets must all be in the same VPC.")
		}
		vpc = sn.VPCID
	}
	switch ip := deref(cfg.AssignPublicIp); ip {
	case "", AssignPublicIpDISABLED:
	case AssignPublicIpENABLED:
		if launchType == launchEC2 {
			// On EC2, task ENIs never get a public IP [DG:task-networking-awsvpc];
			// text not verified
			return nil, invalidParam("Assign public IP is not supported for this launch type.")
		}
	default:
		return nil, enumError("networkConfiguration.awsvpcConfiguration.assignPublicIp", ip, []string{AssignPublicIpENABLED, AssignPublicIpDISABLED})
	}
	return cfg, nil
}

// subnetAZs lists the distinct AZs of the subnets, sorted.
func (e *ECS) subnetAZs(subnets []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range subnets {
		if sn, ok := e.ec2.Subnet(id); ok && !seen[sn.AZ] {
			seen[sn.AZ] = true
			out = append(out, sn.AZ)
		}
	}
	sort.Strings(out)
	return out
}

// attachENI creates the task's ENI in the first of its subnets that lies in
// az (the instance's AZ for EC2, the chosen AZ on Fargate), taking an IP
// address from the subnet [DG:task-networking-awsvpc], reference 6.3.
func (e *ECS) attachENI(t *task, cfg *AwsVpcConfiguration, az string) error {
	for _, id := range cfg.Subnets {
		sn, ok := e.ec2.Subnet(id)
		if !ok || sn.AZ != az {
			continue
		}
		attachment := e.sim.UUID()
		eni, err := e.ec2.CreateENI(id, "arn:aws:ecs:"+e.id.Region+":"+e.id.AccountID+":attachment/"+attachment, cfg.SecurityGroups, "interface")
		if err != nil {
			return err
		}
		t.eni = &taskENI{attachmentID: attachment, id: eni.ID, subnetID: id, privateIP: eni.PrivateIP, mac: eni.MAC, status: "PRECREATED"}
		t.az = az
		return nil
	}
	return invalidParam("no subnet of the task is in %s", az)
}

// releaseENI deletes the task's ENI when it has stopped, returning its IP
// address to the subnet.
func (e *ECS) releaseENI(t *task) {
	if t.eni == nil || t.eni.status == "DELETED" {
		return
	}
	_ = e.ec2.DetachENI(t.eni.id)
	_ = e.ec2.DeleteENI(t.eni.id)
	t.eni.status = "DELETED"
}

// runFargate starts count Fargate tasks. Fargate spreads a group's tasks
// over the AZs of the given subnets [DG:task-placement]: each task goes to
// the AZ with the fewest active tasks of its group, ties broken by subnet
// order. Fargate capacity is unlimited until the capacity-provider work
// makes it settable.
func (e *ECS) runFargate(spec *taskSpec, cfg *AwsVpcConfiguration, count int) (*RunTaskResponse, error) {
	tasks, failures := e.startFargate(spec, cfg, count)
	return e.runTaskResponse(tasks, failures), nil
}

func (e *ECS) startFargate(spec *taskSpec, cfg *AwsVpcConfiguration, count int) ([]*task, []Failure) {
	var tasks []*task
	var failures []Failure
	azs := e.subnetAZsInOrder(cfg.Subnets)
	for i := 0; i < count; i++ {
		az := e.leastUsedAZ(spec.cluster, spec.group, azs)
		t := e.newTask(spec, nil)
		if err := e.attachENI(t, cfg, az); err != nil {
			failures = append(failures, Failure{Arn: aws.String(t.arn), Reason: aws.String(err.Error())})
			continue
		}
		t.explanation = "Fargate: placed in " + az + ", the AZ of its subnets with the fewest tasks of group " + spec.group
		e.addTask(t)
		e.launch(t)
		tasks = append(tasks, t)
	}
	return tasks, failures
}

// subnetAZsInOrder lists the subnets' AZs in the order the subnets are given.
func (e *ECS) subnetAZsInOrder(subnets []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range subnets {
		if sn, ok := e.ec2.Subnet(id); ok && !seen[sn.AZ] {
			seen[sn.AZ] = true
			out = append(out, sn.AZ)
		}
	}
	return out
}

func (e *ECS) leastUsedAZ(c *cluster, group string, azs []string) string {
	count := map[string]int{}
	for _, t := range c.tasks {
		if t.active() && t.group == group {
			count[t.az]++
		}
	}
	best := azs[0]
	for _, az := range azs[1:] {
		if count[az] < count[best] {
			best = az
		}
	}
	return best
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
