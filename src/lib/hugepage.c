/*
 * hugepage.c: asking for huge pages for big arrays.
 */
/* MADV_HUGEPAGE (Linux) */
#define _DEFAULT_SOURCE

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hugepage.h"

void
tp_huge_advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096;
	uintptr_t b = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(page - 1);

	if (n >= TP_HUGE_MIN && e > b)
		(void)madvise((void *)b, e - b, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}
