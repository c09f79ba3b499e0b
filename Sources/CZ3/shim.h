#ifndef POLICYPROVER_CZ3_SHIM_H
#define POLICYPROVER_CZ3_SHIM_H
// Umbrella header for the Z3 C API (Debian libz3-dev, Z3 4.8.12).
#include <z3.h>
#endif
