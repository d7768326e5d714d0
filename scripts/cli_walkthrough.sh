#!/bin/sh
# The course notes' steps with the AWS CLI, against `ecsbox serve`:
#
#   ecsbox serve &                      # in another terminal: 127.0.0.1:4566
#   sh scripts/cli_walkthrough.sh
#
# The CLI needs credentials and a region; ecsbox accepts any credentials.
# ECSBOX_ENDPOINT names the endpoint (default http://127.0.0.1:4566) and AWS
# the CLI (default: aws on PATH; Debian's is /usr/bin/aws). The simulated
# clock follows the wall clock (ecsbox serve --speed); the script also
# jumps it with POST /_ecsbox/advance where the notes say "wait a few
# minutes".
set -eu
ENDPOINT=${ECSBOX_ENDPOINT:-http://127.0.0.1:4566}
AWS=${AWS:-aws}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-ecsbox} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-ecsbox}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
aws() { "$AWS" --endpoint-url "$ENDPOINT" "$@"; }
advance() { curl -fsS -X POST "$ENDPOINT/_ecsbox/advance?duration=$1" >/dev/null; }
step() { printf '\n== %s\n' "$*"; }

step "1. The task execution role (the console makes ecsTaskExecutionRole)"
aws iam create-role --role-name ecsTaskExecutionRole --query Role.Arn --output text \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsTaskExecutionRole \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
aws iam list-attached-role-policies --role-name ecsTaskExecutionRole --query 'AttachedPolicies[].PolicyName' --output text

step "2. A repository, and the docker login password"
aws ecr create-repository --repository-name wisdom-img --query repository.repositoryUri --output text
password=$(aws ecr get-login-password)
echo "password: ${#password} characters (docker login --username AWS --password-stdin)"

step "3. The cluster, with Fargate and Fargate Spot"
aws ecs create-cluster --cluster-name ecs-cluster --capacity-providers FARGATE FARGATE_SPOT \
  --default-capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=4 \
  --query 'cluster.[clusterName,status]' --output text

step "4. The log group and the task definition, from JSON (--cli-input-json)"
# The notes' task definition sets awslogs-create-group, but the managed
# AmazonECSTaskExecutionRolePolicy does not allow logs:CreateLogGroup, so
# its tasks fail to start (ResourceInitializationError); create the group
# here and leave the option out.
aws logs create-log-group --log-group-name /ecs/ecs-td
account=$(aws sts get-caller-identity --query Account --output text 2>/dev/null || echo 123456789012)
cat > ecs-td.json <<JSON
{
  "family": "ecs-td",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "executionRoleArn": "arn:aws:iam::${account}:role/ecsTaskExecutionRole",
  "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
  "containerDefinitions": [{
    "name": "siomple-api",
    "image": "pauloclouddev/wisdom-img",
    "essential": true,
    "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "siomple-api-80-tcp", "appProtocol": "http"}],
    "logConfiguration": {"logDriver": "awslogs", "options": {
      "awslogs-group": "/ecs/ecs-td",
      "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}
  }]
}
JSON
aws ecs register-task-definition --cli-input-json file://ecs-td.json \
  --query 'taskDefinition.[taskDefinitionArn,cpu,memory]' --output text
echo "an invalid Fargate size is refused by ECS:"
aws ecs register-task-definition --family bad --requires-compatibilities FARGATE --network-mode awsvpc \
  --cpu 512 --memory 512 --container-definitions '[{"name":"app","image":"nginx"}]' 2>&1 || true

step "5. The service: 3 tasks, base 1 on Fargate, the rest 1:4 with Fargate Spot"
subnets=$(aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text | tr '\t' ',')
aws ecs create-service --cluster ecs-cluster --service-name ecs-svc --task-definition ecs-td --desired-count 3 \
  --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=4 \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],assignPublicIp=ENABLED}" \
  --query 'service.[serviceName,status,desiredCount]' --output text
advance 3m
aws ecs wait services-stable --cluster ecs-cluster --services ecs-svc
aws ecs describe-services --cluster ecs-cluster --services ecs-svc \
  --query 'services[0].[runningCount,deployments[0].rolloutState,events[0].message]' --output text
tasks=$(aws ecs list-tasks --cluster ecs-cluster --service-name ecs-svc --query taskArns --output text)
aws ecs describe-tasks --cluster ecs-cluster --tasks $tasks --query 'tasks[].[capacityProviderName,lastStatus]' --output text | sort | uniq -c

step "6. Service auto scaling: target tracking on CPU"
aws application-autoscaling register-scalable-target --service-namespace ecs \
  --resource-id service/ecs-cluster/ecs-svc --scalable-dimension ecs:service:DesiredCount \
  --min-capacity 1 --max-capacity 6 --output text
aws application-autoscaling put-scaling-policy --service-namespace ecs \
  --resource-id service/ecs-cluster/ecs-svc --scalable-dimension ecs:service:DesiredCount \
  --policy-name cpu-50 --policy-type TargetTrackingScaling \
  --target-tracking-scaling-policy-configuration '{"TargetValue":50.0,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}' \
  --query 'Alarms[].AlarmName' --output text | tr '\t' '\n' | sed 's/-[0-9a-f-]*$/-.../'
echo "an idle service for 30 minutes:"
advance 30m
aws application-autoscaling describe-scaling-activities --service-namespace ecs \
  --query 'ScalingActivities[].[StatusCode,Description]' --output text
aws cloudwatch get-metric-statistics --namespace AWS/ECS --metric-name CPUUtilization \
  --dimensions Name=ClusterName,Value=ecs-cluster Name=ServiceName,Value=ecs-svc \
  --start-time 2025-01-01T00:20:00Z --end-time 2025-01-01T00:25:00Z --period 60 --statistics Maximum \
  --query 'length(Datapoints)' --output text

step "7. EC2 capacity: an empty cluster, then RESOURCE:MEMORY"
aws ecs create-cluster --cluster-name ec2-cluster --query cluster.clusterName --output text
aws ecs register-task-definition --family big --container-definitions '[{"name":"app","image":"nginx","memory":4096}]' \
  --query taskDefinition.taskDefinitionArn --output text
aws ecs run-task --cluster ec2-cluster --task-definition big 2>&1 || true
echo "one t3.medium container instance (the ecsInstanceRole profile, the ECS-optimized AMI):"
aws iam create-role --role-name ecsInstanceRole --query Role.RoleName --output text \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
aws iam create-instance-profile --instance-profile-name ecsInstanceRole --query InstanceProfile.Arn --output text
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
ami=$(aws ssm get-parameters --names /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id \
  --query 'Parameters[0].Value' --output text)
aws ec2 run-instances --image-id "$ami" --instance-type t3.medium --count 1 \
  --iam-instance-profile Name=ecsInstanceRole \
  --user-data "#!/bin/bash
echo ECS_CLUSTER=ec2-cluster >> /etc/ecs/ecs.config" --query 'Instances[0].State.Name' --output text
advance 3m
aws ecs describe-container-instances --cluster ec2-cluster \
  --container-instances $(aws ecs list-container-instances --cluster ec2-cluster --query containerInstanceArns --output text) \
  --query 'containerInstances[0].registeredResources[?name==`MEMORY`].integerValue' --output text
echo "4096 MiB does not fit in the 3993 MiB a t3.medium registers:"
aws ecs run-task --cluster ec2-cluster --task-definition big --query 'failures[].[reason]' --output text
aws ecs describe-tasks --cluster ec2-cluster --tasks 0123456789abcdef0123456789abcdef --query 'failures[].[reason]' --output text
aws autoscaling describe-auto-scaling-groups --query 'length(AutoScalingGroups)' --output text
