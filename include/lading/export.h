/* LADING_EXTERN marks the library's public functions: the only symbols it
 * exports. Every other symbol is hidden in the shared library and made local
 * in the static one (`make check-symbols` proves it, in CI). */
#ifndef LADING_EXPORT_H
#define LADING_EXPORT_H

#if defined(__GNUC__)
#define LADING_EXTERN __attribute__((visibility("default")))
#else
#define LADING_EXTERN
#endif

#endif
