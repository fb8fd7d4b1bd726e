//! pyo3_mod: the benchmark API (bench/README.md) written with PyO3.

use pyo3::prelude::*;

/// Counter(start): `value` is a plain field exposed read/write by PyO3.
#[pyclass]
struct Counter {
    #[pyo3(get, set)]
    value: i64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new(start: i64) -> Self {
        Counter { value: start }
    }

    fn inc(&mut self, by: i64) -> i64 {
        self.value += by;
        self.value
    }
}

/// Buf(n): n int64 values 0..n-1, exported read-only through the buffer
/// protocol. Frozen: nothing mutates it, so views can point into it for as
/// long as they hold a reference (view.obj).
#[pyclass(frozen)]
struct Buf {
    data: Vec<i64>,
    shape: [isize; 1],
    strides: [isize; 1],
}

#[pymethods]
impl Buf {
    #[new]
    fn new(n: i64) -> PyResult<Self> {
        if n < 0 {
            return Err(pyo3::exceptions::PyValueError::new_err("Buf() length must be >= 0"));
        }
        Ok(Buf {
            data: (0..n).collect(),
            shape: [n as isize],
            strides: [std::mem::size_of::<i64>() as isize],
        })
    }

    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut pyo3::ffi::Py_buffer,
        flags: std::os::raw::c_int,
    ) -> PyResult<()> {
        use pyo3::ffi;
        if view.is_null() {
            return Err(pyo3::exceptions::PyBufferError::new_err("view is null"));
        }
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE {
            return Err(pyo3::exceptions::PyBufferError::new_err("Buf is read-only"));
        }
        let this = slf.get();
        let itemsize = std::mem::size_of::<i64>() as isize;
        unsafe {
            (*view).buf = this.data.as_ptr() as *mut std::os::raw::c_void;
            (*view).len = this.shape[0] * itemsize;
            (*view).readonly = 1;
            (*view).itemsize = itemsize;
            (*view).format = if flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT {
                c"q".as_ptr() as *mut std::os::raw::c_char
            } else {
                std::ptr::null_mut()
            };
            (*view).ndim = 1;
            (*view).shape = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND {
                this.shape.as_ptr() as *mut isize
            } else {
                std::ptr::null_mut()
            };
            (*view).strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES {
                this.strides.as_ptr() as *mut isize
            } else {
                std::ptr::null_mut()
            };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = std::ptr::null_mut();
            // The view keeps the Buf alive; PyBuffer_Release drops this reference.
            (*view).obj = slf.into_any().into_ptr();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, _view: *mut pyo3::ffi::Py_buffer) {
        // Nothing to free: the view borrowed self's data and static format.
    }
}

/// count(n)'s iterator over 0..n-1: a #[pyclass] with `__iter__` and
/// `__next__`, as PyO3's guide writes an iterator.
#[pyclass]
struct CountIter {
    i: i64,
    n: i64,
}

#[pymethods]
impl CountIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> Option<i64> {
        if slf.i >= slf.n {
            return None;
        }
        let v = slf.i;
        slf.i += 1;
        Some(v)
    }
}

#[pymodule]
mod pyo3_mod {
    use pyo3::buffer::PyBuffer;
    use pyo3::exceptions::PyTypeError;
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::{Buf, CountIter, Counter};

    #[pyfunction]
    fn noop() {}

    #[pyfunction]
    fn add(a: i64, b: i64) -> i64 {
        a + b
    }

    #[pyfunction]
    #[pyo3(signature = (a, b = 2, c = 3))]
    fn kw(a: i64, b: i64, c: i64) -> i64 {
        a + b + c
    }

    #[pyfunction]
    fn strlen(s: &str) -> usize {
        s.len()
    }

    #[pyfunction]
    fn half(x: f64) -> f64 {
        x / 2.0
    }

    /// Sum of a C-contiguous int64 buffer.
    #[pyfunction]
    fn sum(buf: PyBuffer<i64>) -> PyResult<i64> {
        let ptr = buf
            .as_slice_ptr()
            .ok_or_else(|| PyTypeError::new_err("sum() expects a C-contiguous buffer"))?;
        // SAFETY: the buffer stays acquired (and so valid) while `buf` lives,
        // and nothing runs Python code that could write to it meanwhile.
        let values: &[i64] = unsafe { ptr.as_ref() };
        Ok(values.iter().sum())
    }

    /// Sum of a 2-D float64 buffer of any strides.
    #[pyfunction]
    fn total2d(m: PyBuffer<f64>) -> PyResult<f64> {
        if m.dimensions() != 2 {
            return Err(PyTypeError::new_err("total2d() expects a 2-D float64 buffer"));
        }
        let (rows, cols) = (m.shape()[0], m.shape()[1]);
        let (s0, s1) = (m.strides()[0], m.strides()[1]);
        let base = m.buf_ptr() as *const u8;
        let mut t = 0.0;
        for i in 0..rows {
            // SAFETY: every (i, j) below the shape is inside the exported buffer.
            let row = unsafe { base.offset(i as isize * s0) };
            for j in 0..cols {
                t += unsafe { *(row.offset(j as isize * s1) as *const f64) };
            }
        }
        Ok(t)
    }

    /// An iterator over the int64 values 0..n-1.
    #[pyfunction]
    fn count(n: i64) -> super::CountIter {
        super::CountIter { i: 0, n }
    }

    /// n rounds of xorshift64, with the GIL released (Python::detach).
    #[pyfunction]
    fn spin(py: Python<'_>, n: i64) -> i64 {
        py.detach(|| {
            let mut x: u64 = 88172645463325252;
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            (x >> 1) as i64
        })
    }
}
