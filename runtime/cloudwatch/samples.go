package cloudwatch

import "slices"

// sampleBlock is the size of the blocks of a long metric's samples.
const sampleBlock = 512

// sampleLog holds a metric's samples in time order. The first sampleBlock
// samples live in one slice that grows as slices do; after that, samples go
// in blocks of sampleBlock. A metric published every minute is then never
// copied to grow: one growing slice per metric copied some 100 MB in a day of
// 200 services, and a metric with a few datapoints still costs a few.
type sampleLog struct {
	// full are blocks of sampleBlock samples; tail holds the newest samples,
	// fewer than sampleBlock. tail is kept here, beside the metric, because
	// appending to it is the one thing done to most metrics every minute.
	full [][]sample
	tail []sample
}

func (l *sampleLog) len() int { return len(l.full)*sampleBlock + len(l.tail) }

// block returns the b-th block, the tail being the last.
func (l *sampleLog) block(b int) []sample {
	if b < len(l.full) {
		return l.full[b]
	}
	return l.tail
}

// at returns the i-th oldest sample.
func (l *sampleLog) at(i int) *sample { return &l.block(i / sampleBlock)[i%sampleBlock] }

func (l *sampleLog) append(x sample) {
	switch {
	case len(l.tail) == sampleBlock:
		l.full = append(l.full, l.tail)
		l.tail = make([]sample, 0, sampleBlock)
	case len(l.tail) == cap(l.tail):
		// The first block grows as slices do, up to sampleBlock.
		l.tail = slices.Grow(l.tail, min(max(len(l.tail), 16), sampleBlock-len(l.tail)))
	}
	l.tail = append(l.tail, x)
}

// insert puts x at index i, moving the samples from i up by one. Only late
// datapoints are inserted, so moving them one by one is fine.
func (l *sampleLog) insert(i int, x sample) {
	l.append(*l.at(l.len() - 1))
	for k := l.len() - 2; k > i; k-- {
		*l.at(k) = *l.at(k - 1)
	}
	*l.at(i) = x
}

// segment returns the samples [i, j) as one slice: part of a block, or a
// copy when they straddle blocks (one period in sampleBlock samples).
func (l *sampleLog) segment(i, j int) []sample {
	if i == j {
		return nil
	}
	if b := i / sampleBlock; b == (j-1)/sampleBlock {
		return l.block(b)[i%sampleBlock : (j-1)%sampleBlock+1]
	}
	seg := make([]sample, 0, j-i)
	for k := i; k < j; k++ {
		seg = append(seg, *l.at(k))
	}
	return seg
}
