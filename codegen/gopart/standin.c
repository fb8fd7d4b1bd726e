// Stands in for the host table api.c sets at import (see standin.go).
#include "pyspec_go.h"

const pyspec_host* pyspec_host_ptr;
