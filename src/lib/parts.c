/*
 * parts.c: run the parts of a job on threads, the first on the caller's.
 */
#include <pthread.h>

#include "parts.h"

void
tp_parts_run(void *parts, size_t size, size_t n, void *(*fn)(void *))
{
	pthread_t tid[TP_PARTS_MAX];
	int started[TP_PARTS_MAX] = { 0 };
	char *p = parts;
	size_t t;

	for (t = 1; t < n && t < TP_PARTS_MAX; t++)
		started[t] = pthread_create(&tid[t], NULL, fn, p + t * size) ==
			     0;
	if (n > 0)
		fn(p);
	for (t = 1; t < n; t++) {
		if (t < TP_PARTS_MAX && started[t])
			pthread_join(tid[t], NULL);
		else
			fn(p + t * size);
	}
}
