"""Uses ufuncs as its stub allows; `mypy --strict` must accept it."""
import numpy as np

import ufuncs

f: np.ufunc = ufuncs.poly
y = ufuncs.poly(np.arange(3.0))
inputs: int = ufuncs.div_mod.nin + ufuncs.clamp_add.nout
total = ufuncs.clamp_add.reduce(np.arange(10))
