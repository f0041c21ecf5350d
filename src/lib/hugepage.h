/*
 * hugepage.h: asking for huge pages for big arrays.
 */
#ifndef TP_HUGEPAGE_H
#define TP_HUGEPAGE_H

#include <stddef.h>

/* Arrays from this size on are worth the advice (see tp_huge_advise). */
#define TP_HUGE_MIN ((size_t)4 << 20)

/*
 * Asks the kernel to back the `n` bytes at `p` (the whole pages inside
 * them) with huge pages, when `n` is at least TP_HUGE_MIN: an array of
 * tens of MiB written once is then faulted in every 2 MiB instead of
 * every 4 KiB, and the faults cost more than the writing.  Only a hint
 * (Linux's MADV_HUGEPAGE): where it does nothing, nothing changes.  Call
 * it before the memory is first written.
 */
void tp_huge_advise(void *p, size_t n);

#endif
