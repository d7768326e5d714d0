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
	// blocks are full (sampleBlock samples) but the last.
	blocks [][]sample
	n      int
}

func (l *sampleLog) len() int { return l.n }

// at returns the i-th oldest sample.
func (l *sampleLog) at(i int) *sample { return &l.blocks[i/sampleBlock][i%sampleBlock] }

func (l *sampleLog) append(x sample) {
	k := len(l.blocks)
	switch {
	case k == 0:
		l.blocks = append(l.blocks, make([]sample, 0, 16))
		k = 1
	case len(l.blocks[k-1]) == sampleBlock:
		l.blocks = append(l.blocks, make([]sample, 0, sampleBlock))
		k++
	}
	if b := l.blocks[k-1]; len(b) == cap(b) {
		l.blocks[k-1] = slices.Grow(b, min(len(b), sampleBlock-len(b)))
	}
	l.blocks[k-1] = append(l.blocks[k-1], x)
	l.n++
}

// insert puts x at index i, moving the samples from i up by one. Only late
// datapoints are inserted, so moving them one by one is fine.
func (l *sampleLog) insert(i int, x sample) {
	l.append(*l.at(l.n - 1))
	for k := l.n - 2; k > i; k-- {
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
		return l.blocks[b][i%sampleBlock : (j-1)%sampleBlock+1]
	}
	seg := make([]sample, 0, j-i)
	for k := i; k < j; k++ {
		seg = append(seg, *l.at(k))
	}
	return seg
}
