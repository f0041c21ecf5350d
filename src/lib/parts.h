/*
 * parts.h: work cut in parts, run on as many threads.
 */
#ifndef TP_PARTS_H
#define TP_PARTS_H

#include "tagpolicy.h"

/* The most threads tp_parts_run() runs at once. */
#define TP_PARTS_MAX 8

/*
 * Calls fn(part) for each of the `n` parts, part t being the `size`-byte
 * object at (char *)parts + t * size: part 0 on the calling thread, the
 * others on threads of their own (up to TP_PARTS_MAX threads in all), or
 * on the calling thread after part 0 when a thread cannot start (or
 * there are more).  Returns when every part is done.  What fn returns is
 * not used: a part records its outcome in itself.
 */
void tp_parts_run(void *parts, size_t size, size_t n, void *(*fn)(void *));

#endif /* TP_PARTS_H */
