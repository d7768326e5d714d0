package ecr

import (
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestRepositoryNames(t *testing.T) {
	const pattern = "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''"
	tests := []struct {
		name string
		want string // "" when accepted
	}{
		{"web", ""},
		{"ab", ""},
		{"project-a/nginx-web-app", ""},
		{"a.b_c__d--e/f", ""},
		{"my_app/v2/api", ""},
		{"Web", pattern},
		{"-web", pattern},
		{"web-", pattern},
		{"web//api", pattern},
		{"web/", pattern},
		{"a___b", pattern},
		{"web app", pattern},
		{strings.Repeat("a", 256), ""},
		{strings.Repeat("a", 257), "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length less than or equal to 256'"},
	}
	for _, tt := range tests {
		t.Run(tt.name[:min(len(tt.name), 20)], func(t *testing.T) {
			err := validRepoName(tt.name)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAWSError(t, err, InvalidParameterException, tt.want)
		})
	}
}

func TestCreateRepositoryDefaultsAndURI(t *testing.T) {
	r, _ := newTestECR()
	out, err := r.CreateRepository(&CreateRepositoryRequest{RepositoryName: aws.String("project-a/web")})
	if err != nil {
		t.Fatal(err)
	}
	rp := out.Repository
	checks := map[string]string{
		"arn":        "arn:aws:ecr:us-east-1:123456789012:repository/project-a/web",
		"uri":        "123456789012.dkr.ecr.us-east-1.amazonaws.com/project-a/web",
		"mutability": "MUTABLE",
		"encryption": "AES256",
		"created":    "2025-01-01T00:00:00.000Z",
	}
	got := map[string]string{
		"arn":        *rp.RepositoryArn,
		"uri":        *rp.RepositoryUri,
		"mutability": *rp.ImageTagMutability,
		"encryption": *rp.EncryptionConfiguration.EncryptionType,
		"created":    rp.CreatedAt.String(),
	}
	for k, want := range checks {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if *rp.ImageScanningConfiguration.ScanOnPush {
		t.Error("scanOnPush defaults to true")
	}
	_, err = r.CreateRepository(&CreateRepositoryRequest{RepositoryName: aws.String("project-a/web")})
	wantAWSError(t, err, RepositoryAlreadyExistsException, "The repository with name 'project-a/web' already exists in the registry with id '123456789012'")
}

func TestCreateRepositoryRefusals(t *testing.T) {
	tests := []struct {
		name string
		in   CreateRepositoryRequest
		code string
	}{
		{"bad mutability", CreateRepositoryRequest{ImageTagMutability: aws.String("immutable")}, InvalidParameterException},
		{"exclusion without filters", CreateRepositoryRequest{ImageTagMutability: aws.String("IMMUTABLE_WITH_EXCLUSION")}, InvalidParameterException},
		{"filters without exclusion", CreateRepositoryRequest{ImageTagMutability: aws.String("IMMUTABLE"),
			ImageTagMutabilityExclusionFilters: []ImageTagMutabilityExclusionFilter{{FilterType: aws.String("WILDCARD"), Filter: aws.String("dev-*")}}}, InvalidParameterException},
		{"bad filter", CreateRepositoryRequest{ImageTagMutability: aws.String("IMMUTABLE_WITH_EXCLUSION"),
			ImageTagMutabilityExclusionFilters: []ImageTagMutabilityExclusionFilter{{FilterType: aws.String("WILDCARD"), Filter: aws.String("dev/*")}}}, InvalidParameterException},
		{"bad encryption", CreateRepositoryRequest{EncryptionConfiguration: &EncryptionConfiguration{EncryptionType: aws.String("AES")}}, InvalidParameterException},
		{"AES256 with a key", CreateRepositoryRequest{EncryptionConfiguration: &EncryptionConfiguration{EncryptionType: aws.String("AES256"), KmsKey: aws.String("k")}}, InvalidParameterException},
		{"another account", CreateRepositoryRequest{RegistryId: aws.String("111122223333")}, "NotSimulated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newTestECR()
			in := tt.in
			in.RepositoryName = aws.String("web")
			_, err := r.CreateRepository(&in)
			wantAWSError(t, err, tt.code, "")
		})
	}
}

func TestDescribeAndDeleteRepositories(t *testing.T) {
	r, _ := newTestECR()
	for _, n := range []string{"web", "api", "worker"} {
		mustCreate(t, r, n, "")
	}
	page1, err := r.DescribeRepositories(&DescribeRepositoriesRequest{MaxResults: aws.Int(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page1.Repositories) != 2 || *page1.Repositories[0].RepositoryName != "api" || page1.NextToken == nil {
		t.Fatalf("page 1 = %+v", page1)
	}
	page2, _ := r.DescribeRepositories(&DescribeRepositoriesRequest{MaxResults: aws.Int(2), NextToken: page1.NextToken})
	if len(page2.Repositories) != 1 || *page2.Repositories[0].RepositoryName != "worker" || page2.NextToken != nil {
		t.Fatalf("page 2 = %+v", page2)
	}
	_, err = r.DescribeRepositories(&DescribeRepositoriesRequest{RepositoryNames: []string{"web", "nope"}})
	wantAWSError(t, err, RepositoryNotFoundException, "The repository with name 'nope' does not exist in the registry with id '123456789012'")
	_, err = r.DescribeRepositories(&DescribeRepositoriesRequest{MaxResults: aws.Int(1001)})
	wantAWSError(t, err, InvalidParameterException, "")

	put(t, r, "web", 1, "v1")
	_, err = r.DeleteRepository(&DeleteRepositoryRequest{RepositoryName: aws.String("web")})
	wantAWSError(t, err, RepositoryNotEmptyException, "The repository with name 'web' in registry with id '123456789012' cannot be deleted because it still contains images")
	if _, err := r.DeleteRepository(&DeleteRepositoryRequest{RepositoryName: aws.String("web"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeleteRepository(&DeleteRepositoryRequest{RepositoryName: aws.String("api")}); err != nil {
		t.Fatal(err)
	}
	out, _ := r.DescribeRepositories(&DescribeRepositoriesRequest{})
	if len(out.Repositories) != 1 {
		t.Errorf("left %d repositories, want 1", len(out.Repositories))
	}
}

func TestRepositoryPolicy(t *testing.T) {
	r, _ := newTestECR()
	mustCreate(t, r, "web", "")
	_, err := r.GetRepositoryPolicy(&GetRepositoryPolicyRequest{RepositoryName: aws.String("web")})
	wantAWSError(t, err, RepositoryPolicyNotFoundException, "Repository policy does not exist for the repository with name 'web' in the registry with id '123456789012'")
	_, err = r.SetRepositoryPolicy(&SetRepositoryPolicyRequest{RepositoryName: aws.String("web"), PolicyText: aws.String("{}")})
	wantAWSError(t, err, InvalidParameterException, "")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}`
	if _, err := r.SetRepositoryPolicy(&SetRepositoryPolicyRequest{RepositoryName: aws.String("web"), PolicyText: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	out, err := r.GetRepositoryPolicy(&GetRepositoryPolicyRequest{RepositoryName: aws.String("web")})
	if err != nil || *out.PolicyText != policy {
		t.Fatalf("GetRepositoryPolicy = %v, %v", out, err)
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"prod", "prod", true},
		{"prod", "prod1", false},
		{"prod*", "prod1", true},
		{"*prod", "preprod", true},
		{"*test*1*2*", "mytest-1-2-x", true},
		{"*test*1*2*", "mytest-2-1", false},
		{"v*.*", "v1.2", true},
		{"v*.*", "v12", false},
		{"*", "", true},
		{"a*a", "a", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
}
