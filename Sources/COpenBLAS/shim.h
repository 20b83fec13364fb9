#ifndef UNIFIED_LORA_COPENBLAS_SHIM_H
#define UNIFIED_LORA_COPENBLAS_SHIM_H

/* OpenBLAS's CBLAS (Debian libopenblas-dev; pkg-config "openblas" adds the include directory). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <cblas.h>

/* Single-precision C = alpha·op(A)·op(B) + beta·C, row-major; transA/transB are 0 or 1. */
static inline void unified_lora_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                                      const float *a, int lda, const float *b, int ldb, float beta,
                                      float *c, int ldc) {
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* OpenBLAS's thread count: the trainer runs single-threaded BLAS for bit-reproducible results and
   uses the cores by training several runs at once. */
static inline void unified_lora_blas_set_threads(int n) { openblas_set_num_threads(n); }
static inline const char *unified_lora_blas_config(void) { return openblas_get_config(); }

/* The shared object that provides the cblas_sgemm this binary actually calls (GSL's libgslcblas
   exports the same symbol; whichever the dynamic linker binds first wins). NULL when unknown. */
static inline const char *unified_lora_sgemm_provider(void) {
  Dl_info info;
  if (dladdr((void *)&cblas_sgemm, &info) == 0 || info.dli_fname == NULL) return NULL;
  return info.dli_fname;
}

#endif
