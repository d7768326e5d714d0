package ecs

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// taskDefFamily is a task definition family: its revisions, indexed by
// revision-1, and the last revision number handed out. Revisions are never
// removed from the slice (DELETE_IN_PROGRESS ones stay, as AWS keeps them
// while anything references them), so numbers are never reused
// [API:TaskDefinition], [API:DeleteTaskDefinitions].
type taskDefFamily struct {
	name      string
	revisions []*taskDefRecord
}

// taskDefRecord is one registered revision and its tags.
type taskDefRecord struct {
	def  TaskDefinition
	tags []Tag
}

func (r *taskDefRecord) status() string { return deref(r.def.Status) }

// latestActive is the highest ACTIVE revision, what a bare family name means
// [API:DescribeTaskDefinitionRequest].
func (f *taskDefFamily) latestActive() *taskDefRecord {
	for i := len(f.revisions) - 1; i >= 0; i-- {
		if f.revisions[i].status() == TaskDefinitionStatusACTIVE {
			return f.revisions[i]
		}
	}
	return nil
}

func (f *taskDefFamily) hasActive() bool { return f.latestActive() != nil }

// RegisterTaskDefinition validates and normalises a task definition the way
// ECS does (taskdef_validate.go, taskdef_normalize.go), computes what it is
// compatible with and what it requires of an instance (taskdef_compat.go),
// and stores it as the next revision of its family.
func (e *ECS) RegisterTaskDefinition(in *RegisterTaskDefinitionRequest) (*RegisterTaskDefinitionResponse, error) {
	if in == nil {
		in = &RegisterTaskDefinitionRequest{}
	}
	td, err := buildTaskDefinition(in)
	if err != nil {
		return nil, err
	}
	name := *td.Family
	fam, ok := e.families[name]
	if !ok {
		fam = &taskDefFamily{name: name}
		e.families[name] = fam
	}
	rev := len(fam.revisions) + 1
	arn := e.arn("task-definition/" + name + ":" + strconv.Itoa(rev))
	td.TaskDefinitionArn = aws.String(arn)
	td.Revision = aws.Int(rev)
	td.Status = aws.String(TaskDefinitionStatusACTIVE)
	td.RegisteredAt = aws.NewTime(e.sim.Now())
	td.RegisteredBy = aws.String(e.id.CallerARN())
	rec := &taskDefRecord{def: clone(*td), tags: clone(nonNil(in.Tags))}
	fam.revisions = append(fam.revisions, rec)
	e.sim.Record("ecs", "TaskDefinitionRegistered", arn, "registered task definition "+name+":"+strconv.Itoa(rev))
	def := clone(rec.def)
	return &RegisterTaskDefinitionResponse{TaskDefinition: &def, Tags: clone(rec.tags)}, nil
}

// taskDefRef is a parsed task definition reference: "family",
// "family:revision" or a task definition ARN [API:DescribeTaskDefinitionRequest].
type taskDefRef struct {
	family   string
	revision int // 0 when the reference names only the family
}

// parseTaskDefRef parses ref. ok is false when ref is malformed or is an
// ARN of another account, region or resource type.
func (e *ECS) parseTaskDefRef(ref string) (taskDefRef, bool) {
	s := ref
	if awserr.IsARN(ref) {
		a, err := awserr.ParseARN(ref)
		if err != nil || a.Service != "ecs" || a.Region != e.id.Region || a.AccountID != e.id.AccountID {
			return taskDefRef{}, false
		}
		rest, found := strings.CutPrefix(a.Resource, "task-definition/")
		if !found {
			return taskDefRef{}, false
		}
		s = rest
	}
	family, revStr, hasRev := strings.Cut(s, ":")
	if !familyPattern.MatchString(family) {
		return taskDefRef{}, false
	}
	if !hasRev {
		return taskDefRef{family: family}, true
	}
	rev, err := strconv.Atoi(revStr)
	if err != nil || rev < 1 || strings.HasPrefix(revStr, "+") {
		return taskDefRef{}, false
	}
	return taskDefRef{family: family, revision: rev}, true
}

// findTaskDef returns the revision ref names: a bare family means its latest
// ACTIVE revision; an explicit revision is returned whatever its status.
func (e *ECS) findTaskDef(ref taskDefRef) *taskDefRecord {
	fam, ok := e.families[ref.family]
	if !ok {
		return nil
	}
	if ref.revision == 0 {
		return fam.latestActive()
	}
	if ref.revision > len(fam.revisions) {
		return nil
	}
	return fam.revisions[ref.revision-1]
}

// lookupTaskDefinition resolves a reference for reading: a family means its
// latest ACTIVE revision; family:revision and ARNs name a revision in any
// status, since INACTIVE and DELETE_IN_PROGRESS revisions stay retrievable
// [DG:task-definition-state]. It fails as DescribeTaskDefinition does.
func (e *ECS) lookupTaskDefinition(ref string) (*taskDefRecord, error) {
	r, ok := e.parseTaskDefRef(ref)
	if ok {
		if rec := e.findTaskDef(r); rec != nil {
			return rec, nil
		}
	}
	// https://github.com/getmoto/moto/pull/5910 (AWS CLI output quoted there)
	return nil, clientErr("Unable to describe task definition.")
}

// taskDefinitionForUse resolves the taskDefinition parameter of RunTask,
// StartTask, CreateService and UpdateService: a family means its latest
// ACTIVE revision, and a named revision must be ACTIVE, because INACTIVE and
// DELETE_IN_PROGRESS revisions cannot be used for new tasks or services
// [API:DeregisterTaskDefinition], [API:DeleteTaskDefinitions]. (AWS may take
// up to 10 minutes to enforce this; ecsbox enforces it at once.) The result
// is a copy the caller may keep.
func (e *ECS) taskDefinitionForUse(ref string) (*TaskDefinition, error) {
	r, ok := e.parseTaskDefRef(ref)
	var rec *taskDefRecord
	if ok {
		rec = e.findTaskDef(r)
	}
	if rec == nil {
		// https://github.com/Cloud-CV/EvalAI/issues/2419 (CreateService)
		return nil, clientErr("TaskDefinition not found.")
	}
	if rec.status() != TaskDefinitionStatusACTIVE {
		// text not verified
		return nil, clientErr("TaskDefinition is inactive")
	}
	def := clone(rec.def)
	return &def, nil
}

// DescribeTaskDefinition returns one revision, with its tags only when
// include has TAGS [API:DescribeTaskDefinitionRequest].
func (e *ECS) DescribeTaskDefinition(in *DescribeTaskDefinitionRequest) (*DescribeTaskDefinitionResponse, error) {
	if in == nil {
		in = &DescribeTaskDefinitionRequest{}
	}
	withTags := false
	for _, f := range in.Include {
		if f != TaskDefinitionFieldTAGS {
			return nil, enumError("include.member", f, []string{TaskDefinitionFieldTAGS})
		}
		withTags = true
	}
	rec, err := e.lookupTaskDefinition(deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	def := clone(rec.def)
	out := &DescribeTaskDefinitionResponse{TaskDefinition: &def}
	if withTags {
		out.Tags = clone(rec.tags)
	}
	return out, nil
}

// ListTaskDefinitions lists revision ARNs of one status (ACTIVE by
// default). familyPrefix is, despite its name, the full family name
// [API:ListTaskDefinitionsRequest]. ASC sorts by family, then by revision
// number; DESC reverses both.
func (e *ECS) ListTaskDefinitions(in *ListTaskDefinitionsRequest) (*ListTaskDefinitionsResponse, error) {
	if in == nil {
		in = &ListTaskDefinitionsRequest{}
	}
	status := TaskDefinitionStatusACTIVE
	if in.Status != nil {
		status = *in.Status
		statuses := []string{TaskDefinitionStatusACTIVE, TaskDefinitionStatusINACTIVE, TaskDefinitionStatusDELETEINPROGRESS}
		if !oneOf(status, statuses) {
			return nil, enumError("status", status, statuses)
		}
	}
	desc := false
	if in.Sort != nil {
		switch *in.Sort {
		case SortOrderASC:
		case SortOrderDESC:
			desc = true
		default:
			return nil, enumError("sort", *in.Sort, []string{SortOrderASC, SortOrderDESC})
		}
	}
	var items []tdItem
	for _, fam := range e.families {
		if in.FamilyPrefix != nil && fam.name != *in.FamilyPrefix {
			continue
		}
		for _, rec := range fam.revisions {
			if rec.status() == status {
				items = append(items, tdItem{fam.name, *rec.def.Revision})
			}
		}
	}
	less := func(a, b tdItem) bool {
		if a.family != b.family {
			return a.family < b.family
		}
		return a.rev < b.rev
	}
	sort.Slice(items, func(i, j int) bool {
		if desc {
			return less(items[j], items[i])
		}
		return less(items[i], items[j])
	})
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.family + ":" + strconv.Itoa(it.rev)
	}
	// after reports whether key a comes after key b in the listing order.
	after := func(a, b string) bool {
		ia, ib := splitKey(a), splitKey(b)
		if desc {
			return less(ia, ib)
		}
		return less(ib, ia)
	}
	page, next, err := paginate("ListTaskDefinitions", keys, in.MaxResults, in.NextToken, after)
	if err != nil {
		return nil, err
	}
	arns := make([]string, len(page))
	for i, k := range page {
		arns[i] = e.arn("task-definition/" + k)
	}
	return &ListTaskDefinitionsResponse{TaskDefinitionArns: arns, NextToken: next}, nil
}

// splitKey splits a "family:revision" page key.
func splitKey(k string) tdItem {
	f, r, _ := strings.Cut(k, ":")
	n, _ := strconv.Atoi(r)
	return tdItem{f, n}
}

// tdItem is a revision in a ListTaskDefinitions listing.
type tdItem struct {
	family string
	rev    int
}

// ListTaskDefinitionFamilies lists family names starting with familyPrefix,
// sorted. Without status (or with ALL) every family is listed; ACTIVE lists
// families with an ACTIVE revision; INACTIVE those without one
// [API:ListTaskDefinitionFamiliesRequest]. Families whose revisions are all
// DELETE_IN_PROGRESS are still listed, as AWS still returns their name
// [API:DeleteTaskDefinitions].
func (e *ECS) ListTaskDefinitionFamilies(in *ListTaskDefinitionFamiliesRequest) (*ListTaskDefinitionFamiliesResponse, error) {
	if in == nil {
		in = &ListTaskDefinitionFamiliesRequest{}
	}
	status := TaskDefinitionFamilyStatusALL
	if in.Status != nil {
		status = *in.Status
		statuses := []string{TaskDefinitionFamilyStatusACTIVE, TaskDefinitionFamilyStatusINACTIVE, TaskDefinitionFamilyStatusALL}
		if !oneOf(status, statuses) {
			return nil, enumError("status", status, statuses)
		}
	}
	names := []string{}
	for _, fam := range e.families {
		if !strings.HasPrefix(fam.name, deref(in.FamilyPrefix)) {
			continue
		}
		active := fam.hasActive()
		if (status == TaskDefinitionFamilyStatusACTIVE && !active) || (status == TaskDefinitionFamilyStatusINACTIVE && active) {
			continue
		}
		names = append(names, fam.name)
	}
	sort.Strings(names)
	page, next, err := paginate("ListTaskDefinitionFamilies", names, in.MaxResults, in.NextToken, ascending)
	if err != nil {
		return nil, err
	}
	return &ListTaskDefinitionFamiliesResponse{Families: page, NextToken: next}, nil
}

// DeregisterTaskDefinition marks a revision INACTIVE and stamps
// deregisteredAt. The reference must name a revision: "You must specify a
// revision" [API:DeregisterTaskDefinitionRequest]. Deregistering an INACTIVE
// revision again returns it unchanged.
func (e *ECS) DeregisterTaskDefinition(in *DeregisterTaskDefinitionRequest) (*DeregisterTaskDefinitionResponse, error) {
	if in == nil {
		in = &DeregisterTaskDefinitionRequest{}
	}
	ref := deref(in.TaskDefinition)
	r, ok := e.parseTaskDefRef(ref)
	if ok && r.revision == 0 {
		// text not verified; the rule is [API:DeregisterTaskDefinitionRequest]
		return nil, clientErr("Invalid revision number. Specify the task definition as family:revision or as its full ARN.")
	}
	var rec *taskDefRecord
	if ok {
		rec = e.findTaskDef(r)
	}
	if rec == nil {
		// text not verified
		return nil, clientErr("Unable to deregister task definition.")
	}
	switch rec.status() {
	case TaskDefinitionStatusACTIVE:
		rec.def.Status = aws.String(TaskDefinitionStatusINACTIVE)
		rec.def.DeregisteredAt = aws.NewTime(e.sim.Now())
		e.sim.Record("ecs", "TaskDefinitionDeregistered", *rec.def.TaskDefinitionArn,
			"deregistered task definition "+r.family+":"+strconv.Itoa(*rec.def.Revision))
	case TaskDefinitionStatusDELETEINPROGRESS:
		// text not verified
		return nil, clientErr("The task definition could not be deregistered because it is being deleted.")
	}
	def := clone(rec.def)
	return &DeregisterTaskDefinitionResponse{TaskDefinition: &def}, nil
}

// maxDeleteTaskDefinitions: "You can specify up to 10 task definitions"
// [API:DeleteTaskDefinitionsRequest].
const maxDeleteTaskDefinitions = 10

// DeleteTaskDefinitions moves INACTIVE revisions to DELETE_IN_PROGRESS and
// stamps deleteRequestedAt [API:DeleteTaskDefinitions]. Each reference that
// cannot be deleted (unknown, no revision, still ACTIVE) becomes an entry in
// failures rather than failing the call, as the response shape provides.
// ecsbox keeps DELETE_IN_PROGRESS revisions: AWS removes them only when no
// task or service uses them, which later code may decide.
func (e *ECS) DeleteTaskDefinitions(in *DeleteTaskDefinitionsRequest) (*DeleteTaskDefinitionsResponse, error) {
	if in == nil {
		in = &DeleteTaskDefinitionsRequest{}
	}
	if len(in.TaskDefinitions) > maxDeleteTaskDefinitions {
		// text not verified
		return nil, invalidParam("taskDefinitions can have at most %d items.", maxDeleteTaskDefinitions)
	}
	out := &DeleteTaskDefinitionsResponse{TaskDefinitions: []TaskDefinition{}, Failures: []Failure{}}
	for _, ref := range in.TaskDefinitions {
		r, ok := e.parseTaskDefRef(ref)
		var rec *taskDefRecord
		if ok && r.revision > 0 {
			rec = e.findTaskDef(r)
		}
		arn := ref
		if rec != nil {
			arn = *rec.def.TaskDefinitionArn
		} else if ok && !awserr.IsARN(ref) {
			arn = e.arn("task-definition/" + ref)
		}
		switch {
		case ok && r.revision == 0:
			// text not verified
			out.Failures = append(out.Failures, Failure{Arn: aws.String(arn), Reason: aws.String("The specified task definition does not have a revision. Specify family:revision or the full ARN.")})
		case rec == nil:
			// text not verified
			out.Failures = append(out.Failures, Failure{Arn: aws.String(arn), Reason: aws.String("The specified task definition does not exist.")})
		case rec.status() == TaskDefinitionStatusACTIVE:
			// text not verified
			out.Failures = append(out.Failures, Failure{Arn: aws.String(arn), Reason: aws.String("The specified task definition is still in ACTIVE status. Please deregister the target and try again.")})
		default:
			if rec.status() == TaskDefinitionStatusINACTIVE {
				rec.def.Status = aws.String(TaskDefinitionStatusDELETEINPROGRESS)
				rec.def.DeleteRequestedAt = aws.NewTime(e.sim.Now())
				e.sim.Record("ecs", "TaskDefinitionDeleted", arn, "deleted task definition "+r.family+":"+strconv.Itoa(r.revision))
			}
			out.TaskDefinitions = append(out.TaskDefinitions, clone(rec.def))
		}
	}
	return out, nil
}
