package endpoint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// Config configures a Server.
type Config struct {
	// Cloud is the account the endpoint serves.
	Cloud *runtime.Cloud
	// Lock guards Cloud: the endpoint holds it while a call runs. Share it
	// with everything else that touches the account (a REPL, the clock).
	// A lock of the endpoint's own if nil.
	Lock sync.Locker
}

// Server serves one account over the AWS wire protocols. It is an
// http.Handler.
type Server struct {
	cloud *runtime.Cloud
	lock  sync.Locker

	byModule  map[string]*service
	byTarget  map[string]*service // X-Amz-Target prefix (JSON), RPC v2 service name
	bySigning map[string]*service // SigV4 scope service name
	byVersion map[string]*service // query API version

	requests atomic.Uint64
}

// The wire protocols the endpoint speaks.
const (
	protoJSON  = "json"
	protoQuery = "query"
	protoEC2   = "ec2"
	protoCBOR  = "rpcv2-cbor"
)

// service is one AWS service as the endpoint sees it.
type service struct {
	awsmodel.Service
	model *awsmodel.Model
	impl  any
}

// maxBody bounds a request body; AWS's own limits are far lower for every
// simulated action.
const maxBody = 16 << 20

// New returns an endpoint for cfg.Cloud. It parses every embedded model.
func New(cfg Config) (*Server, error) {
	if cfg.Cloud == nil {
		return nil, errors.New("endpoint: no Cloud")
	}
	if cfg.Lock == nil {
		cfg.Lock = new(sync.Mutex)
	}
	s := &Server{
		cloud: cfg.Cloud, lock: cfg.Lock,
		byModule: map[string]*service{}, byTarget: map[string]*service{},
		bySigning: map[string]*service{}, byVersion: map[string]*service{},
	}
	for _, svc := range awsmodel.Services {
		m, err := awsmodel.Load(svc.Module)
		if err != nil {
			return nil, err
		}
		sv := &service{Service: svc, model: m, impl: cfg.Cloud.Service(svc.Module)}
		s.byModule[svc.Module] = sv
		md := m.Metadata
		if md.TargetPrefix != "" {
			s.byTarget[md.TargetPrefix] = sv
		}
		signing := md.SigningName
		if signing == "" {
			signing = md.EndpointPrefix
		}
		s.bySigning[signing] = sv
		if md.Protocol == "query" || md.Protocol == "ec2" || sv.speaks(protoQuery) {
			s.byVersion[md.APIVersion] = sv
		}
	}
	return s, nil
}

// speaks reports whether the service's model declares protocol p.
func (sv *service) speaks(p string) bool {
	md := sv.model.Metadata
	want := map[string]string{protoJSON: "json", protoQuery: "query", protoEC2: "ec2", protoCBOR: "smithy-rpc-v2-cbor"}[p]
	if md.Protocol == want {
		return true
	}
	for _, q := range md.Protocols {
		if q == want {
			return true
		}
	}
	return false
}

// call is one request on its way through the endpoint.
type call struct {
	svc       *service
	protocol  string
	op        *awsmodel.Operation
	opName    string // as the request named it, for errors before op is known
	requestID string
}

// ServeHTTP answers one AWS API call, or one of the /_ecsbox/ routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_ecsbox/") {
		s.admin(w, r)
		return
	}
	c := &call{requestID: s.requestID()}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err == nil && len(body) > maxBody {
		err = errors.New("request body too large")
	}
	if err != nil {
		c.protocol = protoJSON
		s.writeError(w, c, awserr.New("SerializationException", err.Error()))
		return
	}
	params, err := s.route(c, r, body)
	if err != nil {
		s.writeError(w, c, err)
		return
	}
	if err := s.checkRegion(c, r); err != nil {
		s.writeError(w, c, err)
		return
	}
	if err := validate(c.svc.model, c.op, params, c.protocol); err != nil {
		s.writeError(w, c, err)
		return
	}
	undoCustomisations(c, params)
	s.invoke(w, c, params)
}

// invoke runs the call on the account and writes its response, both under
// the lock: response structs may share memory with the account's state.
func (s *Server) invoke(w http.ResponseWriter, c *call, params awsmodel.Map) {
	s.lock.Lock()
	defer s.lock.Unlock()
	defer func() {
		if p := recover(); p != nil {
			s.writeError(w, c, fmt.Errorf("ecsbox: panic in %s:%s: %v", c.svc.Module, c.op.Name, p))
		}
	}()
	fn, ok := awsmodel.Implementation(c.svc.impl, c.op.Name)
	if !ok {
		s.writeError(w, c, awsmodel.NotSimulatedf(c.svc.Module+"."+c.op.Method))
		return
	}
	out, err := awsmodel.Invoke(fn, params)
	if err != nil {
		s.writeError(w, c, err)
		return
	}
	s.writeResult(w, c, out)
}

// requestID returns a fresh request ID in AWS's UUID form. It counts rather
// than draws from the simulation's generator, so that serving requests
// changes nothing the account does.
func (s *Server) requestID() string {
	n := s.requests.Add(1)
	return fmt.Sprintf("ec5b0x00-0000-4000-8000-%012x", n)
}

// writeResult writes a successful response in the call's protocol.
func (s *Server) writeResult(w http.ResponseWriter, c *call, out reflect.Value) {
	var shape *awsmodel.Shape
	if c.op.Output != nil {
		shape = c.svc.model.Shape(c.op.Output.Shape)
	}
	h := w.Header()
	h.Set("X-Amzn-Requestid", c.requestID)
	switch c.protocol {
	case protoJSON:
		h.Set("Content-Type", "application/x-amz-json-"+jsonVersion(c.svc))
		var buf jsonBuffer
		buf.structure(c.svc.model, out, shape)
		w.Write(buf.Bytes())
	case protoCBOR:
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("Content-Type", "application/cbor")
		w.Write(encodeCBOR(c.svc.model, out, shape))
	default:
		h.Set("Content-Type", "text/xml")
		w.Write(encodeXML(c, out, shape))
	}
}

func jsonVersion(sv *service) string {
	if v := sv.model.Metadata.JSONVersion; v != "" {
		return v
	}
	return "1.1"
}

// checkRegion refuses a request signed for a region the account is not in.
// IAM is global: its requests are signed for us-east-1 whatever the region.
func (s *Server) checkRegion(c *call, r *http.Request) error {
	region := signedScope(r).region
	if region == "" || c.svc.Module == "iam" || region == s.cloud.Identity.Region {
		return nil
	}
	return awserr.Newf(ErrWrongRegion,
		"ecsbox serves account %s in region %s; this request was signed for %s (set AWS_REGION=%s, or start ecsbox serve with --region %s)",
		s.cloud.Identity.AccountID, s.cloud.Identity.Region, region, s.cloud.Identity.Region, region)
}

// ErrWrongRegion is the code of ecsbox's refusal of a request for another
// region than the account's.
const ErrWrongRegion = "WrongRegion"

// scope is the part of a SigV4 credential scope the endpoint uses.
type scope struct{ accessKey, region, service string }

// signedScope reads the credential scope of a SigV4-signed request, from
// the Authorization header or a presigned URL's X-Amz-Credential:
// AKID/20250101/us-east-1/ecs/aws4_request. The signature is not checked.
func signedScope(r *http.Request) scope {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if auth := r.Header.Get("Authorization"); auth != "" {
		if _, after, ok := strings.Cut(auth, "Credential="); ok {
			cred, _, _ = strings.Cut(after, ",")
		}
	}
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 {
		return scope{}
	}
	return scope{accessKey: parts[0], region: parts[2], service: parts[3]}
}

// admin serves ecsbox's own routes.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	switch r.URL.Path {
	case "/_ecsbox/health":
		s.lock.Lock()
		now := s.cloud.Sim.Now()
		s.lock.Unlock()
		reply(http.StatusOK, map[string]string{
			"status": "ok", "account": s.cloud.Identity.AccountID, "region": s.cloud.Identity.Region,
			"time": aws.NewTime(now).String(),
		})
	case "/_ecsbox/advance":
		if r.Method != http.MethodPost {
			reply(http.StatusMethodNotAllowed, map[string]string{"error": "POST /_ecsbox/advance?duration=15m"})
			return
		}
		d, err := time.ParseDuration(r.URL.Query().Get("duration"))
		if err != nil || d < 0 {
			reply(http.StatusBadRequest, map[string]string{"error": "duration: want a Go duration such as 90s or 15m"})
			return
		}
		s.lock.Lock()
		err = s.cloud.Sim.Advance(context.Background(), d)
		now := s.cloud.Sim.Now()
		s.lock.Unlock()
		if err != nil {
			reply(http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		reply(http.StatusOK, map[string]string{"time": aws.NewTime(now).String()})
	default:
		reply(http.StatusNotFound, map[string]string{"error": "unknown ecsbox route " + r.URL.Path})
	}
}
