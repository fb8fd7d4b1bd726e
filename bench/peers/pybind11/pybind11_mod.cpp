// pybind11_mod: the benchmark API written with pybind11.
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace {

struct Counter {
    explicit Counter(int64_t start) : value(start) {}
    int64_t inc(int64_t by) { return value += by; }
    int64_t value;
};

struct Buf {
    explicit Buf(int64_t n) {
        if (n < 0) throw py::value_error("Buf() length must be >= 0");
        data.resize(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; i++) data[static_cast<size_t>(i)] = i;
    }
    std::vector<int64_t> data;
};

// request(arg, ndim, what) requests arg's buffer (PyBUF_STRIDES | PyBUF_FORMAT)
// and checks its shape and element type.
py::buffer_info request(py::buffer arg, py::ssize_t ndim, const char* what) {
    py::buffer_info info = arg.request();
    if (info.ndim != ndim || info.itemsize != 8) throw py::type_error(what);
    return info;
}

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

PYBIND11_MODULE(pybind11_mod, m) {
    m.doc() = "The benchmark API written with pybind11.";

    m.def("noop", []() {});
    m.def("add", [](int64_t a, int64_t b) { return a + b; }, py::arg("a"), py::arg("b"));
    m.def("kw", [](int64_t a, int64_t b, int64_t c) { return a + b + c; },
          py::arg("a"), py::arg("b") = 2, py::arg("c") = 3);
    m.def("strlen", [](std::string_view s) { return static_cast<int64_t>(s.size()); }, py::arg("s"));
    m.def("half", [](double x) { return x / 2.0; }, py::arg("x"));

    m.def("sum", [](py::buffer buf) {
        py::buffer_info info = request(buf, 1, "sum() expects a 1-D int64 buffer");
        if (info.strides[0] != 8) throw py::type_error("sum() expects a C-contiguous buffer");
        const int64_t* p = static_cast<const int64_t*>(info.ptr);
        int64_t s = 0;
        for (py::ssize_t i = 0; i < info.shape[0]; i++) s += p[i];
        return s;
    }, py::arg("buf"));

    m.def("total2d", [](py::buffer mat) {
        py::buffer_info info = request(mat, 2, "total2d() expects a 2-D float64 buffer");
        if (info.format != py::format_descriptor<double>::format())
            throw py::type_error("total2d() expects a 2-D float64 buffer");
        const char* base = static_cast<const char*>(info.ptr);
        py::ssize_t s0 = info.strides[0], s1 = info.strides[1];
        double t = 0;
        for (py::ssize_t i = 0; i < info.shape[0]; i++) {
            const char* row = base + i * s0;
            for (py::ssize_t j = 0; j < info.shape[1]; j++) t += *reinterpret_cast<const double*>(row + j * s1);
        }
        return t;
    }, py::arg("m"));

    m.def("spin", [](int64_t n) {
        uint64_t x = 88172645463325252ULL;
        for (int64_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        return static_cast<int64_t>(x >> 1);
    }, py::arg("n"), py::call_guard<py::gil_scoped_release>());

    // count(n): py::make_iterator over a counting iterator.
    m.def("count", [](int64_t n) {
        return py::make_iterator(CountIt{0}, CountIt{std::max<int64_t>(n, 0)});
    }, py::arg("n"));

    py::class_<Counter>(m, "Counter")
        .def(py::init<int64_t>(), py::arg("start"))
        .def_readwrite("value", &Counter::value)
        .def("inc", &Counter::inc, py::arg("by"));

    py::class_<Buf>(m, "Buf", py::buffer_protocol())
        .def(py::init<int64_t>(), py::arg("n"))
        .def_buffer([](Buf& b) {
            return py::buffer_info(b.data.data(), sizeof(int64_t), py::format_descriptor<int64_t>::format(), 1,
                                   {static_cast<py::ssize_t>(b.data.size())}, {sizeof(int64_t)}, /*readonly=*/true);
        });
}
