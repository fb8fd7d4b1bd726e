// nanobind_mod: the benchmark API (bench/README.md) written with nanobind.
#include <nanobind/nanobind.h>
#include <nanobind/make_iterator.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/string_view.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string_view>

namespace nb = nanobind;
using namespace nb::literals;

namespace {

struct Counter {
    explicit Counter(int64_t start) : value(start) {}
    int64_t inc(int64_t by) { return value += by; }
    int64_t value;
};

// Buf holds n int64 values 0..n-1 and exports them read-only through the
// buffer protocol. nanobind has no def_buffer: the type gets the
// Py_bf_getbuffer / Py_bf_releasebuffer slots through nb::type_slots.
struct Buf {
    explicit Buf(int64_t n) {
        if (n < 0) throw nb::value_error("Buf() length must be >= 0");
        data.reset(new int64_t[n > 0 ? n : 1]);
        for (int64_t i = 0; i < n; i++) data[i] = i;
        shape[0] = n;
    }
    std::unique_ptr<int64_t[]> data;
    Py_ssize_t shape[1];
    Py_ssize_t strides[1] = {sizeof(int64_t)};
};

int buf_getbuffer(PyObject* self, Py_buffer* view, int flags) {
    if (flags & PyBUF_WRITABLE) {
        PyErr_SetString(PyExc_BufferError, "Buf is read-only");
        view->obj = nullptr;
        return -1;
    }
    Buf* b = nb::inst_ptr<Buf>(self);
    view->buf = b->data.get();
    view->obj = Py_NewRef(self);
    view->len = b->shape[0] * static_cast<Py_ssize_t>(sizeof(int64_t));
    view->readonly = 1;
    view->itemsize = sizeof(int64_t);
    view->format = (flags & PyBUF_FORMAT) ? const_cast<char*>("q") : nullptr;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? b->shape : nullptr;
    view->strides = ((flags & PyBUF_STRIDES) == PyBUF_STRIDES) ? b->strides : nullptr;
    view->suboffsets = nullptr;
    view->internal = nullptr;
    return 0;
}

void buf_releasebuffer(PyObject*, Py_buffer*) {
    // Nothing to free: the view borrowed the Buf's data and a static format.
}

PyType_Slot buf_slots[] = {
    {Py_bf_getbuffer, reinterpret_cast<void*>(buf_getbuffer)},
    {Py_bf_releasebuffer, reinterpret_cast<void*>(buf_releasebuffer)},
    {0, nullptr},
};

// A counting iterator: *it is the count itself, so count(n) iterates
// [CountIt{0}, CountIt{n}) without any storage.
struct CountIt {
    int64_t i;
    int64_t operator*() const { return i; }
    CountIt& operator++() { ++i; return *this; }
    bool operator==(const CountIt& o) const { return i == o.i; }
    bool operator!=(const CountIt& o) const { return i != o.i; }
};

}  // namespace

NB_MODULE(nanobind_mod, m) {
    m.doc() = "The benchmark API written with nanobind.";

    m.def("noop", []() {});
    m.def("add", [](int64_t a, int64_t b) { return a + b; }, "a"_a, "b"_a);
    m.def("kw", [](int64_t a, int64_t b, int64_t c) { return a + b + c; }, "a"_a, "b"_a = 2, "c"_a = 3);
    m.def("strlen", [](std::string_view s) { return static_cast<int64_t>(s.size()); }, "s"_a);
    m.def("half", [](double x) { return x / 2.0; }, "x"_a);

    // A C-contiguous 1-D int64 array from any buffer/DLPack exporter.
    using Vec = nb::ndarray<const int64_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
    m.def("sum", [](Vec buf) {
        const int64_t* p = buf.data();
        int64_t s = 0;
        for (size_t i = 0, n = buf.shape(0); i < n; i++) s += p[i];
        return s;
    }, "buf"_a);

    // A 2-D float64 array of any strides; view() indexes through them.
    using Mat = nb::ndarray<const double, nb::ndim<2>, nb::device::cpu>;
    m.def("total2d", [](Mat mat) {
        auto v = mat.view();
        double t = 0;
        for (size_t i = 0; i < v.shape(0); i++)
            for (size_t j = 0; j < v.shape(1); j++) t += v(i, j);
        return t;
    }, "m"_a);

    m.def("spin", [](int64_t n) {
        uint64_t x = 88172645463325252ULL;
        for (int64_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        return static_cast<int64_t>(x >> 1);
    }, "n"_a, nb::call_guard<nb::gil_scoped_release>());

    // count(n): nb::make_iterator over a counting iterator; the module is the
    // scope its iterator type is registered in (on the first call).
    nb::handle scope = m;
    m.def("count", [scope](int64_t n) {
        return nb::make_iterator(scope, "CountIterator", CountIt{0}, CountIt{std::max<int64_t>(n, 0)});
    }, "n"_a);

    nb::class_<Counter>(m, "Counter")
        .def(nb::init<int64_t>(), "start"_a)
        .def_rw("value", &Counter::value)
        .def("inc", &Counter::inc, "by"_a);

    nb::class_<Buf>(m, "Buf", nb::type_slots(buf_slots))
        .def(nb::init<int64_t>(), "n"_a);
}
