package awsmodel

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
)

//go:embed models
var modelFS embed.FS

// Service describes one simulated AWS service: its boto3 client name (the
// Starlark module name), the folder of its model, and the base of its API
// reference pages.
type Service struct {
	// Module is the boto3 client name, which is also the Starlark module.
	Module string
	// ModelDir is the botocore folder name under models/.
	ModelDir string
	// Title is the service's name as AWS writes it.
	Title string
	// refBase is the API reference URL with %s for the operation name.
	refBase string
}

// APIReference returns the URL of the AWS API reference page of op.
func (s Service) APIReference(op string) string { return fmt.Sprintf(s.refBase, op) }

// Services lists the services whose models ecsbox embeds, by module name.
var Services = []Service{
	{"application_autoscaling", "application-autoscaling", "Application Auto Scaling", "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_%s.html"},
	{"autoscaling", "autoscaling", "Amazon EC2 Auto Scaling", "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_%s.html"},
	{"cloudwatch", "cloudwatch", "Amazon CloudWatch", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_%s.html"},
	{"ec2", "ec2", "Amazon EC2", "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_%s.html"},
	{"ecr", "ecr", "Amazon ECR", "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_%s.html"},
	{"ecs", "ecs", "Amazon ECS", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_%s.html"},
	{"elbv2", "elbv2", "Elastic Load Balancing", "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_%s.html"},
	{"iam", "iam", "AWS IAM", "https://docs.aws.amazon.com/IAM/latest/APIReference/API_%s.html"},
	{"logs", "logs", "Amazon CloudWatch Logs", "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_%s.html"},
	{"servicediscovery", "servicediscovery", "AWS Cloud Map", "https://docs.aws.amazon.com/cloud-map/latest/api/API_%s.html"},
	{"ssm", "ssm", "AWS Systems Manager", "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_%s.html"},
}

// LookupService returns the service whose module name is module.
func LookupService(module string) (Service, bool) {
	i := slices.IndexFunc(Services, func(s Service) bool { return s.Module == module })
	if i < 0 {
		return Service{}, false
	}
	return Services[i], true
}

var cache sync.Map // module name -> *loaded

type loaded struct {
	once  sync.Once
	model *Model
	err   error
}

// Load parses the model of the service with the given module name, once.
func Load(module string) (*Model, error) {
	svc, ok := LookupService(module)
	if !ok {
		return nil, fmt.Errorf("awsmodel: no model for service %q", module)
	}
	v, _ := cache.LoadOrStore(module, &loaded{})
	l := v.(*loaded)
	l.once.Do(func() { l.model, l.err = parse(svc) })
	return l.model, l.err
}

// MustLoad is Load for models that are known to be embedded.
func MustLoad(module string) *Model {
	m, err := Load(module)
	if err != nil {
		panic(err)
	}
	return m
}

func parse(svc Service) (*Model, error) {
	b, err := modelFS.ReadFile("models/" + svc.ModelDir + "/service-2.json")
	if err != nil {
		return nil, fmt.Errorf("awsmodel: %w", err)
	}
	m := new(Model)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("awsmodel: parsing %s model: %w", svc.Module, err)
	}
	m.byMethod = make(map[string]*Operation, len(m.Operations))
	for name, op := range m.Operations {
		op.Name = name
		op.Method = SnakeName(name)
		m.byMethod[op.Method] = op
	}
	return m, nil
}

// Methods lists the boto3 method names of the model's operations, sorted.
func (m *Model) Methods() []string {
	names := make([]string, 0, len(m.byMethod))
	for n := range m.byMethod {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
