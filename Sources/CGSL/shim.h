#ifndef UNIFIED_LORA_CGSL_SHIM_H
#define UNIFIED_LORA_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_complex.h>
#include <gsl/gsl_complex_math.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_version.h>

/* GSL's default error handler calls abort(). The Swift layer turns it off once and maps
   every GSL_E… return code to a Swift error instead. */
static inline void unified_lora_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

static inline const char *unified_lora_gsl_version(void) { return gsl_version; }
static inline double unified_lora_gsl_complex_real(gsl_complex z) { return GSL_REAL(z); }
static inline double unified_lora_gsl_complex_imag(gsl_complex z) { return GSL_IMAG(z); }

/* GSL's solver types are global variables, which Swift 6 cannot read safely; these return them. */
static inline const gsl_root_fsolver_type *unified_lora_root_brent(void) { return gsl_root_fsolver_brent; }
static inline const gsl_root_fsolver_type *unified_lora_root_bisection(void) { return gsl_root_fsolver_bisection; }
static inline const gsl_multiroot_fsolver_type *unified_lora_multiroot_hybrids(void) { return gsl_multiroot_fsolver_hybrids; }
static inline const gsl_multiroot_fdfsolver_type *unified_lora_multiroot_hybridsj(void) { return gsl_multiroot_fdfsolver_hybridsj; }
static inline const gsl_min_fminimizer_type *unified_lora_min_brent(void) { return gsl_min_fminimizer_brent; }

#endif
