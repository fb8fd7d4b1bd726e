// Package zstd wraps github.com/klauspost/compress/zstd for Python: the Go
// side of examples/zstd/module.yaml.
package zstd

import (
	"bytes"
	"errors"
	"runtime"
	"sync"

	kzstd "github.com/klauspost/compress/zstd"
	"github.com/pyspec/pyspec/py"
)

// Encoders and decoders are costly to make and safe for concurrent
// EncodeAll/DecodeAll: one per level (and per size limit).
var (
	encoders sync.Map // int64 -> *kzstd.Encoder
	decoders sync.Map // int64 -> *kzstd.Decoder
)

func encoder(level int64) (*kzstd.Encoder, error) {
	if level < 1 || level > 22 {
		return nil, py.ValueError("level must be 1..22, not %d", level)
	}
	if e, ok := encoders.Load(level); ok {
		return e.(*kzstd.Encoder), nil
	}
	e, err := kzstd.NewWriter(nil, kzstd.WithEncoderLevel(kzstd.EncoderLevelFromZstd(int(level))), kzstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	got, _ := encoders.LoadOrStore(level, e)
	return got.(*kzstd.Encoder), nil
}

func decoder(maxSize int64) (*kzstd.Decoder, error) {
	if maxSize < 0 {
		return nil, py.ValueError("max_size must be >= 0, not %d", maxSize)
	}
	if d, ok := decoders.Load(maxSize); ok {
		return d.(*kzstd.Decoder), nil
	}
	d, err := kzstd.NewReader(nil, kzstd.WithDecoderMaxMemory(uint64(maxSize)), kzstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	got, _ := decoders.LoadOrStore(maxSize, d)
	return got.(*kzstd.Decoder), nil
}

// Compress is the zstd frame of data.
func Compress(data py.Buffer, level int64) ([]byte, error) {
	enc, err := encoder(level)
	if err != nil {
		return nil, err
	}
	return enc.EncodeAll(data.Bytes(), nil), nil
}

// CompressBytes is Compress, for a bytes result.
func CompressBytes(data py.Buffer, level int64) ([]byte, error) { return Compress(data, level) }

// Decompress is the data of a zstd frame.
func Decompress(data py.Buffer, maxSize int64) ([]byte, error) {
	dec, err := decoder(maxSize)
	if err != nil {
		return nil, err
	}
	out, err := dec.DecodeAll(data.Bytes(), nil)
	switch {
	case errors.Is(err, kzstd.ErrMagicMismatch):
		return nil, ZstdError.New("not a zstd frame: %w", err)
	case errors.Is(err, kzstd.ErrDecoderSizeExceeded) || errors.Is(err, kzstd.ErrWindowSizeExceeded):
		return nil, ZstdError.New("the frame is larger than max_size %d: %w", maxSize, err)
	case err != nil:
		return nil, ZstdError.New("%w", err)
	}
	return out, nil
}

// Compressor is a reusable encoder.
type Compressor struct {
	enc    *kzstd.Encoder
	Level  int64
	Frames int64
}

// NewCompressor makes a Compressor at level.
func NewCompressor(level int64) (*Compressor, error) {
	enc, err := encoder(level)
	if err != nil {
		return nil, err
	}
	return &Compressor{enc: enc, Level: level}, nil
}

// Compress is the zstd frame of data. Frames counts it: the object's lock
// keeps concurrent calls from losing counts.
func (c *Compressor) Compress(data py.Buffer) []byte {
	out := c.enc.EncodeAll(data.Bytes(), nil)
	c.Frames++
	return out
}

// Tally adds n to Frames in a read, yield, write sequence that loses counts
// when two calls run at once.
func (c *Compressor) Tally(n int64) int64 {
	v := c.Frames
	runtime.Gosched()
	c.Frames = v + n
	return c.Frames
}

// Writer streams data into one frame.
type Writer struct {
	buf    bytes.Buffer
	w      *kzstd.Encoder
	closed bool
}

// NewWriter makes a Writer at level.
func NewWriter(level int64) (*Writer, error) {
	if level < 1 || level > 22 {
		return nil, py.ValueError("level must be 1..22, not %d", level)
	}
	w := &Writer{}
	enc, err := kzstd.NewWriter(&w.buf, kzstd.WithEncoderLevel(kzstd.EncoderLevelFromZstd(int(level))), kzstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	w.w = enc
	return w, nil
}

// Write compresses data into the frame.
func (w *Writer) Write(data py.Buffer) (int64, error) {
	if w.closed {
		return 0, py.ValueError("write to a closed Writer")
	}
	n, err := w.w.Write(data.Bytes())
	return int64(n), err
}

// Close ends the frame and returns it.
func (w *Writer) Close() ([]byte, error) {
	if w.closed {
		return nil, py.ValueError("the Writer is closed already")
	}
	w.closed = true
	if err := w.w.Close(); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}
