package ecr

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// AWS expires images "within 24 hours" of a policy being set, and within 24
// hours of an image meeting the criteria [ECR-UG:LifecyclePolicies]. ecsbox
// evaluates a repository's policy LifecycleFirstEvaluation after it is set
// (the latest moment AWS allows, so scripts do not come to rely on anything
// sooner), then every LifecycleEvaluationInterval while the policy stays.
// StartLifecyclePolicyPreview shows what an evaluation would expire now.
const (
	LifecycleFirstEvaluation    = 24 * time.Hour
	LifecycleEvaluationInterval = 24 * time.Hour
)

type lifecycleState struct {
	text          string
	rules         []lifecycleRule
	lastEvaluated time.Time // zero until the first evaluation
	timer         *sim.Timer
}

type previewState struct {
	text    string
	results []expiry
}

// expiry is one image a lifecycle evaluation expires, and the rule that does.
type expiry struct {
	image    *image
	tags     []string
	priority int
}

// selects reports whether a rule's tag criteria select an image with these
// tags. With several prefixes or patterns, every one must match one of the
// image's tags [ECR-UG:LifecyclePolicies].
func (rule lifecycleRule) selects(tags []string) bool {
	switch rule.tagStatus {
	case "untagged":
		return len(tags) == 0
	case "any":
		return true
	}
	if len(tags) == 0 {
		return false
	}
	for _, p := range rule.prefixes {
		if !anyTag(tags, func(t string) bool { return strings.HasPrefix(t, p) }) {
			return false
		}
	}
	for _, p := range rule.patterns {
		if !anyTag(tags, func(t string) bool { return wildcardMatch(p, t) }) {
			return false
		}
	}
	return true
}

func anyTag(tags []string, f func(string) bool) bool {
	for _, t := range tags {
		if f(t) {
			return true
		}
	}
	return false
}

// evaluate applies rules (in priority order) to a repository's images at
// now, with ECR's evaluation rules [ECR-UG:LifecyclePolicies]:
//   - every rule sees every image its tag criteria select, including those a
//     higher-priority rule expires, and counts them;
//   - an image is expired by at most one rule, and never by a rule of lower
//     priority than one whose tag criteria select it;
//   - imageCountMoreThan N sorts the selected images newest first (by push
//     time) and expires all after the first N; sinceImagePushed N expires
//     the selected images pushed more than N days ago.
//
// The result is in rule order, then oldest first.
func evaluate(rp *repository, rules []lifecycleRule, now time.Time) []expiry {
	images := rp.sortedImages()
	tags := map[string][]string{}
	for _, im := range images {
		tags[im.digest] = rp.tagsOf(im.digest)
	}
	protected := map[string]bool{} // selected by a higher-priority rule
	var out []expiry
	for _, rule := range rules {
		var selected []*image
		for _, im := range images {
			if rule.selects(tags[im.digest]) {
				selected = append(selected, im)
			}
		}
		var candidates []*image
		switch rule.countType {
		case "imageCountMoreThan":
			newest := append([]*image{}, selected...)
			sort.SliceStable(newest, func(i, j int) bool { return newer(newest[i], newest[j]) })
			if len(newest) > rule.countNumber {
				candidates = newest[rule.countNumber:]
			}
			sort.SliceStable(candidates, func(i, j int) bool { return newer(candidates[j], candidates[i]) })
		case "sinceImagePushed":
			limit := time.Duration(rule.countNumber) * 24 * time.Hour
			for _, im := range selected {
				if now.Sub(im.pushedAt) > limit {
					candidates = append(candidates, im)
				}
			}
		}
		for _, im := range candidates {
			if !protected[im.digest] {
				out = append(out, expiry{image: im, tags: tags[im.digest], priority: rule.priority})
				protected[im.digest] = true
			}
		}
		for _, im := range selected {
			protected[im.digest] = true
		}
	}
	return out
}

// newer orders images by push time, newest first (later pushes first on a
// tie).
func newer(a, b *image) bool {
	if !a.pushedAt.Equal(b.pushedAt) {
		return a.pushedAt.After(b.pushedAt)
	}
	return a.seq > b.seq
}

// lifecyclePolicyNotFound is the refusal when a repository has no policy.
func (r *ECR) lifecyclePolicyNotFound(rp *repository) error {
	// moto's text (moto/ecr/exceptions.py); not verified against AWS
	return awserr.Newf(LifecyclePolicyNotFoundException, "Lifecycle policy does not exist for the repository with name '%s' in the registry with id '%s'", rp.name, r.id.AccountID)
}

// PutLifecyclePolicy validates and sets a repository's lifecycle policy,
// which ecsbox first applies LifecycleFirstEvaluation later.
func (r *ECR) PutLifecyclePolicy(in *PutLifecyclePolicyRequest) (*PutLifecyclePolicyResponse, error) {
	if in == nil {
		in = &PutLifecyclePolicyRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	text := aws.ToString(in.LifecyclePolicyText)
	rules, err := parseLifecyclePolicy(text)
	if err != nil {
		return nil, err
	}
	if rp.lifecycle != nil && rp.lifecycle.timer != nil {
		rp.lifecycle.timer.Stop()
	}
	st := &lifecycleState{text: text, rules: rules}
	rp.lifecycle = st
	r.scheduleLifecycle(rp, st, LifecycleFirstEvaluation)
	r.sim.Recordf("ecr", "LifecyclePolicySet", rp.name, "lifecycle policy set on %s with %d rule(s); first evaluation at %s",
		rp.name, len(rules), aws.NewTime(r.sim.Now().Add(LifecycleFirstEvaluation)))
	return &PutLifecyclePolicyResponse{RegistryId: aws.String(r.id.AccountID), RepositoryName: aws.String(rp.name), LifecyclePolicyText: aws.String(text)}, nil
}

// scheduleLifecycle arranges the next evaluation of st, after d.
func (r *ECR) scheduleLifecycle(rp *repository, st *lifecycleState, d time.Duration) {
	st.timer = r.sim.AfterFunc(d, "ecr lifecycle "+rp.name, func() {
		if rp.lifecycle != st || r.repos[rp.name] != rp {
			return
		}
		r.applyLifecycle(rp, st)
		r.scheduleLifecycle(rp, st, LifecycleEvaluationInterval)
	})
}

// applyLifecycle runs one evaluation and expires what it selects.
func (r *ECR) applyLifecycle(rp *repository, st *lifecycleState) {
	now := r.sim.Now()
	st.lastEvaluated = now
	for _, e := range evaluate(rp, st.rules, now) {
		what := "untagged"
		if len(e.tags) > 0 {
			what = "tags " + strings.Join(e.tags, ",")
		}
		r.removeImage(rp, e.image, fmt.Sprintf("expired by lifecycle rule %d (%s, pushed %s)", e.priority, what, aws.NewTime(e.image.pushedAt)))
	}
}

// GetLifecyclePolicy returns a repository's lifecycle policy and when it was
// last evaluated.
func (r *ECR) GetLifecyclePolicy(in *GetLifecyclePolicyRequest) (*GetLifecyclePolicyResponse, error) {
	if in == nil {
		in = &GetLifecyclePolicyRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if rp.lifecycle == nil {
		return nil, r.lifecyclePolicyNotFound(rp)
	}
	out := &GetLifecyclePolicyResponse{RegistryId: aws.String(r.id.AccountID), RepositoryName: aws.String(rp.name), LifecyclePolicyText: aws.String(rp.lifecycle.text)}
	if !rp.lifecycle.lastEvaluated.IsZero() {
		out.LastEvaluatedAt = aws.NewTime(rp.lifecycle.lastEvaluated)
	}
	return out, nil
}

// DeleteLifecyclePolicy removes a repository's lifecycle policy; nothing
// expires from then on.
func (r *ECR) DeleteLifecyclePolicy(in *DeleteLifecyclePolicyRequest) (*DeleteLifecyclePolicyResponse, error) {
	if in == nil {
		in = &DeleteLifecyclePolicyRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	st := rp.lifecycle
	if st == nil {
		return nil, r.lifecyclePolicyNotFound(rp)
	}
	if st.timer != nil {
		st.timer.Stop()
	}
	rp.lifecycle = nil
	r.sim.Recordf("ecr", "LifecyclePolicyDeleted", rp.name, "lifecycle policy of %s deleted", rp.name)
	out := &DeleteLifecyclePolicyResponse{RegistryId: aws.String(r.id.AccountID), RepositoryName: aws.String(rp.name), LifecyclePolicyText: aws.String(st.text)}
	if !st.lastEvaluated.IsZero() {
		out.LastEvaluatedAt = aws.NewTime(st.lastEvaluated)
	}
	return out, nil
}

// StartLifecyclePolicyPreview evaluates a policy (the one given, or the
// repository's) against the images as they are now. The preview is
// computed at once: GetLifecyclePolicyPreview reports it COMPLETE.
func (r *ECR) StartLifecyclePolicyPreview(in *StartLifecyclePolicyPreviewRequest) (*StartLifecyclePolicyPreviewResponse, error) {
	if in == nil {
		in = &StartLifecyclePolicyPreviewRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	var text string
	var rules []lifecycleRule
	switch {
	case in.LifecyclePolicyText != nil:
		text = *in.LifecyclePolicyText
		if rules, err = parseLifecyclePolicy(text); err != nil {
			return nil, err
		}
	case rp.lifecycle != nil:
		text, rules = rp.lifecycle.text, rp.lifecycle.rules
	default:
		return nil, r.lifecyclePolicyNotFound(rp)
	}
	rp.preview = &previewState{text: text, results: evaluate(rp, rules, r.sim.Now())}
	return &StartLifecyclePolicyPreviewResponse{
		RegistryId:          aws.String(r.id.AccountID),
		RepositoryName:      aws.String(rp.name),
		LifecyclePolicyText: aws.String(text),
		Status:              aws.String(LifecyclePolicyPreviewStatusINPROGRESS),
	}, nil
}

// GetLifecyclePolicyPreview returns the last preview's results: the images
// that would expire, with the rule that expires each.
func (r *ECR) GetLifecyclePolicyPreview(in *GetLifecyclePolicyPreviewRequest) (*GetLifecyclePolicyPreviewResponse, error) {
	if in == nil {
		in = &GetLifecyclePolicyPreviewRequest{}
	}
	rp, err := r.repo(in.RegistryId, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if rp.preview == nil {
		// text not verified
		return nil, awserr.Newf(LifecyclePolicyPreviewNotFoundException, "There is no preview results for the repository with name '%s' in the registry with id '%s'", rp.name, r.id.AccountID)
	}
	var status *string
	if in.Filter != nil {
		status = in.Filter.TagStatus
	}
	keep, err := tagStatusFilter(status)
	if err != nil {
		return nil, err
	}
	byKey := map[string]expiry{}
	var keys []string
	for i, e := range rp.preview.results {
		if !keep(len(e.tags)) || !previewWanted(e, in.ImageIds) {
			continue
		}
		k := fmt.Sprintf("%06d", i)
		byKey[k] = e
		keys = append(keys, k)
	}
	page, next, err := paginate("GetLifecyclePolicyPreview", keys, in.MaxResults, previewMaxPageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &GetLifecyclePolicyPreviewResponse{
		RegistryId:          aws.String(r.id.AccountID),
		RepositoryName:      aws.String(rp.name),
		LifecyclePolicyText: aws.String(rp.preview.text),
		Status:              aws.String(LifecyclePolicyPreviewStatusCOMPLETE),
		PreviewResults:      []LifecyclePolicyPreviewResult{},
		Summary:             &LifecyclePolicyPreviewSummary{ExpiringImageTotalCount: aws.Int(len(keys))},
		NextToken:           next,
	}
	for _, k := range page {
		e := byKey[k]
		res := LifecyclePolicyPreviewResult{
			ImageDigest:         aws.String(e.image.digest),
			ImagePushedAt:       aws.NewTime(e.image.pushedAt),
			Action:              &LifecyclePolicyRuleAction{Type: aws.String(ImageActionTypeEXPIRE)},
			AppliedRulePriority: aws.Int(e.priority),
		}
		if len(e.tags) > 0 {
			res.ImageTags = e.tags
		}
		out.PreviewResults = append(out.PreviewResults, res)
	}
	return out, nil
}

// previewWanted reports whether a preview result is among the requested
// image IDs (all are, when none is requested).
func previewWanted(e expiry, ids []ImageIdentifier) bool {
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if id.ImageDigest != nil && *id.ImageDigest == e.image.digest {
			return true
		}
		if id.ImageTag != nil && oneOf(*id.ImageTag, e.tags) {
			return true
		}
	}
	return false
}
