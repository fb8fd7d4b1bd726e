// pydust_mod: the benchmark API (bench/README.md) written with Pydust
// (ziggy-pydust), after the shapes of its examples: functions take an args
// struct, classes are py.class structs, buffers go through py.PyBuffer.
const std = @import("std");
const py = @import("pydust");

const root = @This();

pub fn noop() void {}

pub fn add(args: struct { a: i64, b: i64 }) i64 {
    return args.a + args.b;
}

// kw(a, b=2, c=3), each argument positional or keyword. Pydust's args
// struct makes fields without a default positional-only and fields with a
// default keyword-only, so this signature takes *args/**kwargs and binds
// them itself.
pub fn kw(args: struct { args: py.Args(), kwargs: py.Kwargs() }) !i64 {
    const names = [_][]const u8{ "a", "b", "c" };
    var values = [_]?i64{ null, 2, 3 };
    if (args.args.len > names.len) {
        return py.TypeError(root).raise("kw() takes at most 3 positional arguments");
    }
    for (args.args, 0..) |arg, i| {
        values[i] = try py.as(root, i64, arg);
    }
    var it = args.kwargs.iterator();
    while (it.next()) |entry| {
        const name = entry.key_ptr.*;
        const i = for (names, 0..) |n, idx| {
            if (std.mem.eql(u8, n, name)) break idx;
        } else return py.TypeError(root).raiseFmt("kw() got an unexpected keyword argument '{s}'", .{name});
        if (i < args.args.len) {
            return py.TypeError(root).raiseFmt("kw() got multiple values for argument '{s}'", .{name});
        }
        values[i] = try py.as(root, i64, entry.value_ptr.*);
    }
    const a = values[0] orelse return py.TypeError(root).raise("kw() missing required argument 'a'");
    return a + values[1].? + values[2].?;
}

pub fn strlen(args: struct { s: []const u8 }) usize {
    return args.s.len;
}

pub fn half(args: struct { x: f64 }) f64 {
    return args.x / 2.0;
}

// Sum of a C-contiguous int64 buffer, as in Pydust's buffer example (which
// also checks the element type here).
pub fn sum(args: struct { buf: py.PyObject }) !i64 {
    const view = try args.buf.getBuffer(root, py.PyBuffer.Flags.ND | py.PyBuffer.Flags.FORMAT);
    defer view.release();
    if (view.itemsize != @sizeOf(i64) or !isInt64(view.format)) {
        return py.TypeError(root).raise("sum() expects an int64 buffer");
    }

    // Wrapping adds: an int64 sum wraps around like numpy's (a plain + would
    // panic on overflow in a ReleaseSafe build).
    var total: i64 = 0;
    for (view.asSlice(i64)) |value| total +%= value;
    return total;
}

fn isInt64(format: ?[*:0]const u8) bool {
    var f = std.mem.span(format orelse return false);
    if (f.len == 2 and (f[0] == '<' or f[0] == '=' or f[0] == '@')) f = f[1..];
    return std.mem.eql(u8, f, "q") or std.mem.eql(u8, f, "l");
}

// Sum of a 2-D float64 buffer of any strides.
pub fn total2d(args: struct { m: py.PyObject }) !f64 {
    const view = try args.m.getBuffer(root, py.PyBuffer.Flags.FULL_RO);
    defer view.release();
    const format = if (view.format) |f| std.mem.span(f) else "B";
    if (view.ndim != 2 or !std.mem.eql(u8, format, "d")) {
        return py.TypeError(root).raise("total2d() expects a 2-D float64 buffer");
    }

    const shape = view.shape.?;
    const strides = view.strides.?;
    const base = @intFromPtr(view.buf);
    var total: f64 = 0;
    var i: isize = 0;
    while (i < shape[0]) : (i += 1) {
        var j: isize = 0;
        while (j < shape[1]) : (j += 1) {
            // Strides may be negative: two's-complement address arithmetic.
            const offset: usize = @bitCast(i * strides[0] + j * strides[1]);
            const p: *const f64 = @ptrFromInt(base +% offset);
            total += p.*;
        }
    }
    return total;
}

// n rounds of xorshift64 with the GIL released, as in Pydust's gil example.
pub fn spin(args: struct { n: i64 }) i64 {
    const nogil = py.nogil();
    defer nogil.acquire();

    var x: u64 = 88172645463325252;
    var i: i64 = 0;
    while (i < args.n) : (i += 1) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return @intCast(x >> 1);
}

// count(n): an iterator over 0..n-1, a py.class with __next__ as in Pydust's
// iterators example. That example's RangeIterator has no __iter__ (only the
// iterable Range does); an iterator needs one to be used in a for loop, so
// __iter__ returns self with a new reference (Pydust steals the returned one).
// In 0.26 py.class returns a definition: the class's struct is its .definition.
pub fn count(args: struct { n: i64 }) !*CountIter.definition {
    return try py.init(root, CountIter.definition, .{ .i = 0, .n = args.n });
}

pub const CountIter = py.class(struct {
    const Self = @This();

    i: i64,
    n: i64,

    pub fn __iter__(self: *Self) *Self {
        py.incref(root, self);
        return self;
    }

    pub fn __next__(self: *Self) ?i64 {
        if (self.i >= self.n) return null;
        defer self.i += 1;
        return self.i;
    }
});

pub const Counter = py.class(struct {
    const Self = @This();

    // A read/write attribute is a property: Pydust's py.attribute members
    // are read-only.
    pub const Value = py.property(struct {
        const Prop = @This();
        v: i64,

        pub fn get(prop: *const Prop) i64 {
            return prop.v;
        }

        pub fn set(prop: *Prop, value: i64) !void {
            prop.v = value;
        }
    });

    value: Value.definition,

    pub fn __init__(self: *Self, args: struct { start: i64 }) void {
        self.value = .{ .v = args.start };
    }

    pub fn inc(self: *Self, args: struct { by: i64 }) i64 {
        self.value.v += args.by;
        return self.value.v;
    }
});

// Buf(n): n int64 values 0..n-1 exported read-only through the buffer
// protocol, in the shape of Pydust's ConstantBuffer example.
pub const Buf = py.class(struct {
    const Self = @This();

    values: []i64,
    shape: [1]isize,

    pub fn __init__(self: *Self, args: struct { n: i64 }) !void {
        if (args.n < 0) {
            return py.ValueError(root).raise("Buf() length must be >= 0");
        }
        const values = try py.allocator.alloc(i64, @intCast(args.n));
        for (values, 0..) |*v, i| v.* = @intCast(i);
        self.* = .{ .values = values, .shape = .{args.n} };
    }

    pub fn __del__(self: *Self) void {
        py.allocator.free(self.values);
    }

    pub fn __buffer__(self: *const Self, view: *py.PyBuffer, flags: c_int) !void {
        if (flags & py.PyBuffer.Flags.WRITABLE != 0) {
            return py.BufferError(root).raise("Buf is read-only");
        }
        view.initFromSlice(root, i64, self.values, &self.shape, self);
    }
});

comptime {
    py.rootmodule(root);
}
