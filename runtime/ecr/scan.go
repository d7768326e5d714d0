package ecr

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Basic scanning. A scan takes ScanDuration of simulated time (AWS does not
// document how long; a minute is typical of what users see), then reports
// findings that are derived from the image digest, so the same image always
// has the same findings. They come from a small catalogue of real, well-known
// CVEs with the severities ecsbox assigns them; they are illustrative, not a
// vulnerability assessment of anything.
const (
	ScanDuration = time.Minute
	// scanQuotaWindow: one basic scan per image per 24 hours, scan on push
	// included [ECR-API:StartImageScan].
	scanQuotaWindow = 24 * time.Hour
)

type scanState struct {
	started   time.Time
	completed time.Time // zero while IN_PROGRESS
	timer     *sim.Timer
	findings  []ImageScanFinding
}

type cve struct{ id, pkg, version, severity, description string }

// cveCatalogue is the pool simulated findings are drawn from.
var cveCatalogue = []cve{
	{"CVE-2023-4911", "glibc", "2.36-9", FindingSeverityHIGH, "A buffer overflow was discovered in the GNU C Library's dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable."},
	{"CVE-2024-6387", "openssh", "1:9.2p1-2", FindingSeverityHIGH, "A signal handler race condition was found in OpenSSH's server (sshd)."},
	{"CVE-2023-44487", "nghttp2", "1.52.0-1", FindingSeverityHIGH, "The HTTP/2 protocol allows a denial of service because request cancellation can reset many streams quickly."},
	{"CVE-2022-37434", "zlib", "1:1.2.11.dfsg-2", FindingSeverityCRITICAL, "zlib through 1.2.12 has a heap-based buffer over-read or buffer overflow in inflate via a large gzip header extra field."},
	{"CVE-2023-38545", "curl", "7.88.1-10", FindingSeverityHIGH, "A heap based buffer overflow in the SOCKS5 proxy handshake of curl."},
	{"CVE-2023-5363", "openssl", "3.0.9-1", FindingSeverityHIGH, "A bug in the processing of key and initialisation vector (IV) lengths can lead to truncation or overruns."},
	{"CVE-2023-50495", "ncurses", "6.4-4", FindingSeverityMEDIUM, "A segmentation fault via the component _nc_wrap_entry()."},
	{"CVE-2023-4641", "shadow", "1:4.13+dfsg1-1", FindingSeverityMEDIUM, "shadow-utils may leave a password in memory when asking for a new password twice."},
	{"CVE-2023-29383", "shadow", "1:4.13+dfsg1-1", FindingSeverityLOW, "Control characters can be injected into fields given to the SUID program chfn."},
	{"CVE-2022-3219", "gnupg2", "2.2.40-1.1", FindingSeverityLOW, "GnuPG can be made to spin on a small input by a public key with thousands of signatures."},
	{"CVE-2022-27943", "gcc-12", "12.2.0-14", FindingSeverityLOW, "libiberty/rust-demangle.c allows stack consumption in demangle_const."},
	{"CVE-2011-3374", "apt", "2.6.1", FindingSeverityINFORMATIONAL, "apt does not correctly validate gpg keys with the master keyring, leading to a potential man-in-the-middle attack."},
}

// findingsFor derives 2 to 5 findings from a digest.
func findingsFor(digest string) []ImageScanFinding {
	h := sha256.Sum256([]byte("ecsbox-scan\x00" + digest))
	n := 2 + int(h[0]%4)
	used := map[int]bool{}
	var out []ImageScanFinding
	for i := 1; len(out) < n && i < len(h); i++ {
		k := int(h[i]) % len(cveCatalogue)
		if used[k] {
			continue
		}
		used[k] = true
		c := cveCatalogue[k]
		out = append(out, ImageScanFinding{
			Name:        aws.String(c.id),
			Description: aws.String(c.description),
			Uri:         aws.String("https://security-tracker.debian.org/tracker/" + c.id),
			Severity:    aws.String(c.severity),
			Attributes: []Attribute{
				{Key: aws.String("package_version"), Value: aws.String(c.version)},
				{Key: aws.String("package_name"), Value: aws.String(c.pkg)},
			},
		})
	}
	return out
}

// startScan starts a scan of im, which completes after ScanDuration.
func (r *ECR) startScan(rp *repository, im *image) {
	s := &scanState{started: r.sim.Now()}
	im.scan = s
	r.sim.Recordf("ecr", "ScanStarted", rp.name, "basic scan of image %s started", short(im.digest))
	s.timer = r.sim.AfterFunc(ScanDuration, "ecr scan "+short(im.digest), func() {
		s.completed = r.sim.Now()
		s.findings = findingsFor(im.digest)
		r.sim.Recordf("ecr", "ScanCompleted", rp.name, "basic scan of image %s complete: %s", short(im.digest), severitySummary(s.findings))
	})
}

func severityCounts(findings []ImageScanFinding) map[string]int {
	counts := map[string]int{}
	for _, f := range findings {
		counts[aws.ToString(f.Severity)]++
	}
	return counts
}

func severitySummary(findings []ImageScanFinding) string {
	counts := severityCounts(findings)
	out := ""
	for _, sev := range []string{FindingSeverityCRITICAL, FindingSeverityHIGH, FindingSeverityMEDIUM, FindingSeverityLOW, FindingSeverityINFORMATIONAL} {
		if counts[sev] > 0 {
			if out != "" {
				out += ", "
			}
			out += fmt.Sprintf("%d %s", counts[sev], sev)
		}
	}
	return out
}

func (r *ECR) scanStatus(s *scanState) *ImageScanStatus {
	if s.completed.IsZero() {
		return &ImageScanStatus{Status: aws.String(ScanStatusINPROGRESS)}
	}
	// AWS's description of a completed basic scan, as users quote it; not verified
	return &ImageScanStatus{Status: aws.String(ScanStatusCOMPLETE), Description: aws.String("The scan was completed successfully.")}
}

func (r *ECR) scanSummary(s *scanState) *ImageScanFindingsSummary {
	if s.completed.IsZero() {
		return nil
	}
	return &ImageScanFindingsSummary{
		ImageScanCompletedAt:         aws.NewTime(s.completed),
		VulnerabilitySourceUpdatedAt: aws.NewTime(vulnerabilitySourceUpdated(s.completed)),
		FindingSeverityCounts:        severityCounts(s.findings),
	}
}

// vulnerabilitySourceUpdated is when the simulated CVE database was last
// refreshed: the midnight before the scan.
func vulnerabilitySourceUpdated(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// scanImage resolves the image of a scan request.
func (r *ECR) scanImage(registryID, repoName *string, id *ImageIdentifier) (*repository, *image, ImageIdentifier, error) {
	rp, err := r.repo(registryID, repoName)
	if err != nil {
		return nil, nil, ImageIdentifier{}, err
	}
	var iid ImageIdentifier
	if id != nil {
		iid = *id
	}
	im, _, _ := rp.find(iid)
	if im == nil {
		// moto's text (moto/ecr/exceptions.py); not verified against AWS
		return nil, nil, iid, awserr.Newf(ImageNotFoundException, "The image with imageId %s does not exist within the repository with name '%s' in the registry with id '%s'", imageIDString(iid), rp.name, r.id.AccountID)
	}
	return rp, im, iid, nil
}

// StartImageScan starts a basic scan of an image, at most once per image per
// 24 hours.
func (r *ECR) StartImageScan(in *StartImageScanRequest) (*StartImageScanResponse, error) {
	if in == nil {
		in = &StartImageScanRequest{}
	}
	rp, im, iid, err := r.scanImage(in.RegistryId, in.RepositoryName, in.ImageId)
	if err != nil {
		return nil, err
	}
	if im.scan != nil && r.sim.Now().Sub(im.scan.started) < scanQuotaWindow {
		// moto's text (moto/ecr/exceptions.py); not verified against AWS
		return nil, awserr.New(LimitExceededException, "The scan quota per image has been exceeded. Wait and try again.")
	}
	r.startScan(rp, im)
	return &StartImageScanResponse{
		RegistryId:      aws.String(r.id.AccountID),
		RepositoryName:  aws.String(rp.name),
		ImageId:         &ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: iid.ImageTag},
		ImageScanStatus: r.scanStatus(im.scan),
	}, nil
}

// DescribeImageScanFindings returns the state of an image's last scan and,
// once complete, its findings a page at a time.
func (r *ECR) DescribeImageScanFindings(in *DescribeImageScanFindingsRequest) (*DescribeImageScanFindingsResponse, error) {
	if in == nil {
		in = &DescribeImageScanFindingsRequest{}
	}
	rp, im, iid, err := r.scanImage(in.RegistryId, in.RepositoryName, in.ImageId)
	if err != nil {
		return nil, err
	}
	if im.scan == nil {
		// text not verified
		return nil, awserr.Newf(ScanNotFoundException, "Image scan does not exist for the image with '%s' in the repository with name '%s' in the registry with id '%s'", imageIDString(iid), rp.name, r.id.AccountID)
	}
	out := &DescribeImageScanFindingsResponse{
		RegistryId:      aws.String(r.id.AccountID),
		RepositoryName:  aws.String(rp.name),
		ImageId:         &ImageIdentifier{ImageDigest: aws.String(im.digest), ImageTag: iid.ImageTag},
		ImageScanStatus: r.scanStatus(im.scan),
	}
	if im.scan.completed.IsZero() {
		return out, nil
	}
	keys := make([]string, len(im.scan.findings))
	for i := range keys {
		keys[i] = fmt.Sprintf("%06d", i)
	}
	page, next, err := paginate("DescribeImageScanFindings", keys, in.MaxResults, maxPageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	sum := r.scanSummary(im.scan)
	out.ImageScanFindings = &ImageScanFindings{
		ImageScanCompletedAt:         sum.ImageScanCompletedAt,
		VulnerabilitySourceUpdatedAt: sum.VulnerabilitySourceUpdatedAt,
		FindingSeverityCounts:        sum.FindingSeverityCounts,
		Findings:                     []ImageScanFinding{},
	}
	for _, k := range page {
		var i int
		fmt.Sscanf(k, "%d", &i)
		out.ImageScanFindings.Findings = append(out.ImageScanFindings.Findings, im.scan.findings[i])
	}
	out.NextToken = next
	return out, nil
}
