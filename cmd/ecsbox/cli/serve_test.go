package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls out until re matches, and returns the first group.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[len(m)-1]
		}
	}
	t.Fatalf("no %s in output:\n%s", re, out)
	return ""
}

// TestServeWithREPL shares one account between the endpoint and the REPL:
// the password `aws ecr get-login-password` prints (from
// GetAuthorizationToken) logs the REPL's docker in, and a cluster the REPL
// creates is visible to the SDK.
func TestServeWithREPL(t *testing.T) {
	stdin, input := io.Pipe()
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- Run([]string{"serve", "--addr", "127.0.0.1:0", "--speed", "0", "--repl"}, stdin, &stdout, &stderr)
	}()
	url := waitFor(t, &stdout, regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)`))
	cfg := sdk.Config{Region: "us-east-1", BaseEndpoint: sdk.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("any", "thing", "")}
	ctx := context.Background()

	tok, err := ecr.NewFromConfig(cfg).GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sdk.ToString(tok.AuthorizationData[0].AuthorizationToken))
	password := strings.TrimPrefix(string(raw), "AWS:")
	io.WriteString(input, `print(docker.login(username = "AWS", password = "`+password+`", registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com")["Status"])
print(docker.login(username = "AWS", password = "wrong", registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com")["Status"])
ecs.create_cluster(clusterName = "from-repl")["cluster"]["status"]
`)
	waitFor(t, &stdout, regexp.MustCompile(`"ACTIVE"`))
	if !strings.Contains(stdout.String(), "Login Succeeded") {
		t.Errorf("the REPL's docker.login with the endpoint's token:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "401 Client Error") {
		t.Errorf("a wrong password was accepted:\n%s\n%s", stdout.String(), stderr.String())
	}
	list, err := ecs.NewFromConfig(cfg).ListClusters(ctx, &ecs.ListClustersInput{})
	if err != nil || len(list.ClusterArns) != 1 || !strings.HasSuffix(list.ClusterArns[0], "/from-repl") {
		t.Errorf("clusters seen by the SDK = %v, %v", list, err)
	}
	input.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop at the end of the REPL's input")
	}
}
