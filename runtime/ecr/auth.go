package ecr

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// TokenLifetime is how long an authorization token (and the docker login
// made with it) is valid: 12 hours [ECR-API:GetAuthorizationToken],
// [ECR-UG:registry_auth].
const TokenLifetime = 12 * time.Hour

// newPassword issues a registry password valid for TokenLifetime. A real one
// is base64 of a JSON document with an encrypted payload, a data key, a
// version, a type and the expiration in Unix seconds (users decode it to
// find "expiration", e.g. CircleCI-Public/aws-ecr-orb#265); ecsbox's has the
// same form, with seeded random hex for the encrypted parts.
func (r *ECR) newPassword() (string, time.Time) {
	expires := r.sim.Now().Add(TokenLifetime)
	doc, _ := json.Marshal(struct {
		Payload    string `json:"payload"`
		DataKey    string `json:"datakey"`
		Version    string `json:"version"`
		Type       string `json:"type"`
		Expiration int64  `json:"expiration"`
	}{r.sim.Hex(96), r.sim.Hex(64), "2", "DATA_KEY", expires.Unix()})
	password := base64.StdEncoding.EncodeToString(doc)
	r.tokens[password] = expires
	return password, expires
}

// GetAuthorizationToken returns a token for the account's registry: base64
// of "AWS:<password>", the proxy endpoint to docker login to, and when it
// expires (now + 12 hours).
func (r *ECR) GetAuthorizationToken(in *GetAuthorizationTokenRequest) (*GetAuthorizationTokenResponse, error) {
	if in == nil {
		in = &GetAuthorizationTokenRequest{}
	}
	ids := in.RegistryIds
	if len(ids) == 0 {
		ids = []string{r.id.AccountID}
	}
	if len(ids) > 10 {
		return nil, invalidParam("Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must have length less than or equal to 10'")
	}
	out := &GetAuthorizationTokenResponse{AuthorizationData: []AuthorizationData{}}
	for _, id := range ids {
		if err := r.checkRegistry(aws.String(id)); err != nil {
			return nil, err
		}
		password, expires := r.newPassword()
		out.AuthorizationData = append(out.AuthorizationData, AuthorizationData{
			AuthorizationToken: aws.String(base64.StdEncoding.EncodeToString([]byte("AWS:" + password))),
			ExpiresAt:          aws.NewTime(expires),
			ProxyEndpoint:      aws.String("https://" + r.RegistryHost()),
		})
	}
	r.sim.Recordf("ecr", "AuthorizationToken", r.RegistryHost(), "authorization token issued, valid until %s", aws.NewTime(r.sim.Now().Add(TokenLifetime)))
	return out, nil
}

// LoginPassword is the AWS CLI's `aws ecr get-login-password`: the password
// part of a new authorization token, to pipe into
// `docker login --username AWS --password-stdin <registry>`.
func (r *ECR) LoginPassword() string {
	out, _ := r.GetAuthorizationToken(&GetAuthorizationTokenRequest{})
	raw, _ := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
	return string(raw[len("AWS:"):])
}

// ValidToken reports whether password is a registry password this registry
// issued and that has not expired yet.
func (r *ECR) ValidToken(password string) bool {
	expires, ok := r.tokens[password]
	return ok && r.sim.Now().Before(expires)
}

// TokenExpired reports whether password was issued here but has expired, so
// the docker client can tell "expired" from "wrong".
func (r *ECR) TokenExpired(password string) bool {
	expires, ok := r.tokens[password]
	return ok && !r.sim.Now().Before(expires)
}
