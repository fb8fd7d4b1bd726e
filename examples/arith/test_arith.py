"""Tests of the arith example: every operator Python has, in-place and
reflected forms, conversions to int/float/index, rich comparisons, a
submodule, and Go panics in methods, getters, setters and slots."""

import sys

import pytest

import arith as A


def test_submodule_imports_both_ways():
    import arith.bits
    from arith.bits import WIDTH, popcount

    assert arith.bits is A.bits and sys.modules["arith.bits"] is A.bits
    assert A.bits.__name__ == "arith.bits" and A.bits.__doc__ == "Helpers on bit patterns."
    assert popcount(0xFF) == 8 and A.bits.popcount(x=7) == 3 and WIDTH == 64
    with pytest.raises(OverflowError):
        popcount(-1)


def test_bitwise_operators():
    b, c = A.Bits(0b1100), A.Bits(0b1010)
    assert b & c == A.Bits(0b1000)
    assert b | c == A.Bits(0b1110)
    assert b ^ c == A.Bits(0b0110)
    assert 0b0110 & b == A.Bits(0b0100)  # reflected
    assert ~A.Bits(0) == A.Bits(2**64 - 1)
    assert b << 2 == A.Bits(0b110000) and b >> 2 == A.Bits(0b11)
    with pytest.raises(ValueError, match="negative shift count"):
        b << -1
    with pytest.raises(TypeError, match="unsupported operand"):
        b | 1  # no __ror__ declared, and __or__ wants Bits


def test_in_place_operators_keep_identity():
    b = A.Bits(0b1100)
    x = b
    x &= A.Bits(0b1010)
    x |= A.Bits(1)
    x ^= A.Bits(3)
    x <<= 1
    x >>= 2
    assert x is b and b == A.Bits(0b101)


def test_int_and_index():
    b = A.Bits(12)
    assert int(b) == 12 and bin(b) == "0b1100"
    assert list(range(20))[b] == 12
    assert hash(b) == hash(A.Bits(12))
    assert repr(b) == "Bits(0b1100)"


def test_hash_uses_the_value_as_python_does():
    class H:
        def __init__(self, v):
            self.v = v

        def __hash__(self):
            return self.v

    # The value itself where it fits a Py_hash_t; past that, the int's
    # hash; never -1.
    for v in [0, 12, 2**61, 2**62 + 5, 2**63 + 7, 2**64 - 1]:
        assert hash(A.Bits(v)) == hash(H(v)), v
    assert hash(A.Frac(-1)) == hash(H(-1000003 ^ 1))
    assert hash(A.Bits(2**64 - 1)) != -1


def test_arithmetic_operators():
    f, g = A.Frac(1, 2), A.Frac(1, 3)
    assert f + g == A.Frac(5, 6)
    assert 1 + f == A.Frac(3, 2)
    assert f - g == A.Frac(1, 6)
    assert f * g == A.Frac(1, 6)
    assert f / g == A.Frac(3, 2)
    assert f // g == 1
    assert f % g == A.Frac(1, 6)
    assert divmod(A.Frac(7, 2), A.Frac(1)) == (3, A.Frac(1, 2))
    assert f**2 == A.Frac(1, 4) and f**-1 == A.Frac(2)
    assert +f == f and +f is not f and -f == A.Frac(-1, 2) and abs(-f) == f
    assert float(f) == 0.5 and int(A.Frac(7, 2)) == 3
    assert not A.Frac(0) and f
    assert str(f) == "1/2" and repr(f) == "Frac(1, 2)"
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'arith.Frac' and 'float'"):
        f + 1.5
    with pytest.raises(TypeError, match="unsupported operand"):
        pow(f, 2, 3)
    with pytest.raises(ZeroDivisionError):
        f / A.Frac(0)
    with pytest.raises(ZeroDivisionError):
        A.Frac(1, 0)


def test_rich_comparisons():
    f, g = A.Frac(1, 2), A.Frac(1, 3)
    assert f == A.Frac(2, 4) and f != g
    assert g < f and g <= f and f > g and f >= g and f <= A.Frac(1, 2)
    assert (f == 1) is False and (f != 1) is True
    with pytest.raises(TypeError, match="'<' not supported"):
        f < 1
    assert hash(f) == hash(A.Frac(2, 4))
    assert sorted([A.Frac(1), g, f]) == [g, f, A.Frac(1)]


def test_readonly_attributes_and_properties():
    f = A.Frac(2, 4)
    assert (f.num, f.den, f.value) == (1, 2, 0.5)
    with pytest.raises(AttributeError, match="not writable"):
        f.num = 3
    with pytest.raises(AttributeError):
        f.value = 1.0


@pytest.mark.parametrize(
    "call,where",
    [
        (lambda f: f.boom(), r"arith.Frac.Boom: runtime error: index out of range"),
        (lambda f: f.broken, r"arith.Frac.Broken: runtime error: integer divide by zero"),
        (lambda f: setattr(f, "broken", 1), r"arith.Frac.SetBroken: runtime error: invalid memory address"),
        (lambda f: f % A.Frac(0), r"arith.Frac.Mod: runtime error: integer divide by zero"),
    ],
    ids=["method", "getter", "setter", "slot"],
)
def test_go_panics_become_exceptions(call, where):
    f = A.Frac(1, 2)
    with pytest.raises(RuntimeError, match="Go panic in " + where):
        call(f)
    assert f + f == A.Frac(1)  # the interpreter and the object live on


def test_frac_arithmetic_is_checked_not_wrapped():
    # Issue 22: Frac(3, 1) ** 50 wrapped to 6048575297968530377/1, and
    # Frac ** 2**40 looped 2**40 times holding the GIL.
    with pytest.raises(OverflowError):
        A.Frac(3, 1) ** 50
    with pytest.raises(OverflowError):
        A.Frac(2, 1) ** 2**40
    assert A.Frac(1, 1) ** 2**40 == A.Frac(1) and A.Frac(-1, 1) ** (2**40 + 1) == A.Frac(-1)
    assert A.Frac(3, 1) ** 39 == A.Frac(3**39)
    big = A.Frac(2**62, 1)
    with pytest.raises(OverflowError):
        big + big
    with pytest.raises(OverflowError):
        big * A.Frac(3)
    with pytest.raises(OverflowError):
        A.Frac(1, 2**62) + A.Frac(1, 2**62 - 1)


def test_richcompare_is_exact_beyond_int64_products():
    a, b = A.Frac(2**62, 3), A.Frac(2**62 + 1, 3)
    assert a < b and a <= b and b > a and b >= a and a != b and not a == b
    assert sorted([b, a, A.Frac(-1, 2)]) == [A.Frac(-1, 2), a, b]
    assert A.Frac(1, 2) == A.Frac(2, 4)
    assert (A.Frac(1, 2) == "x") is False and (A.Frac(1, 2) != "x") is True
    with pytest.raises(TypeError):
        A.Frac(1, 2) < "x"
