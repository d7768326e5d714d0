package ecs

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/ecr"
)

// Image pulls at task start. A private ECR image is pulled with the task
// execution role's credentials (on EC2 without one, the instance role's):
// it needs ecr:GetAuthorizationToken, ecr:BatchGetImage and
// ecr:GetDownloadUrlForLayer (AmazonECSTaskExecutionRolePolicy grants
// them, reference 10.1). A missing repository or tag stops the task with
// CannotPullContainerError (reference 4.2). Public images (nginx, ...)
// always pull.

// ecrPullActions are what pulling an ECR image needs.
var ecrPullActions = []string{"ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

// Pull time of an ECR image: a fixed part plus its size at 50 MiB/s
// (ecsbox's choice: AWS documents no pull speed, reference 15.2).
const (
	ecrPullBase  = 2 * time.Second
	ecrPullSpeed = 50 << 20 // bytes per second
)

// pullImages checks the task's image pulls and returns how long they
// take, or why the task cannot start.
func (e *ECS) pullImages(t *task) (time.Duration, string) {
	pull := imagePullTime
	if t.instance != nil && t.allImagesPulled() {
		pull = cachedPullTime
	}
	if e.ecr == nil {
		return pull, ""
	}
	var total time.Duration
	ecrImages := 0
	for _, c := range t.containers {
		if !ecr.IsECRImage(c.image) {
			continue
		}
		ecrImages++
		principal := e.sessionARN(e.executionRole(t), t.id)
		if principal == "" && t.instance != nil {
			principal = e.logPrincipal(t) // the instance role
		}
		for _, action := range ecrPullActions {
			resource := "*"
			if action != "ecr:GetAuthorizationToken" {
				resource = e.repositoryARN(c.image)
			}
			if denied := e.denied(principal, action, resource); denied != "" {
				if t.launchType == launchFargate {
					// reference 10.2 (https://github.com/aws/aws-app-mesh-examples/issues/413); the AccessDenied part as IAM words it
					return 0, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: " + denied
				}
				// text not verified: the EC2 agent's form of the same refusal
				return 0, "CannotPullContainerError: Error response from daemon: pull access denied for " + c.image + ": " + denied
			}
		}
		info, err := e.ecr.ResolveImage(c.image)
		if err != nil {
			return 0, err.Error()
		}
		c.imageDigest = info.Digest
		total += ecrPullBase + time.Duration(float64(info.SizeBytes)/ecrPullSpeed*float64(time.Second))
	}
	switch {
	case ecrImages == 0 || (t.instance != nil && t.allImagesPulled()):
	case ecrImages == len(t.containers):
		pull = total // pulls of ECR images take the time their size needs
	default:
		pull = max(pull, total)
	}
	return pull, ""
}

// repositoryARN is the ARN of the ECR repository an image lives in.
func (e *ECS) repositoryARN(image string) string {
	ref := ecr.ParseImageRef(image)
	return "arn:aws:ecr:" + e.id.Region + ":" + e.id.AccountID + ":repository/" + ref.Repository
}
