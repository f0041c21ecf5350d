/*
 * test-parts.c: tp_parts_run() (src/lib/parts.c) runs every part once,
 * the first on the calling thread, whatever the number of parts.  No
 * test vector file covers it, so there are no vector rows.
 */
#include <pthread.h>
#include <string.h>

#include "tsv.h"

#include "parts.h"

struct part {
	int runs;
	pthread_t self;
	char pad[64]; /* parts of another size than a pointer */
};

static void *
count_run(void *arg)
{
	struct part *pt = arg;

	pt->runs++;
	pt->self = pthread_self();
	return NULL;
}

/* Each of n parts ran exactly once, part 0 on this thread. */
static void
check_parts(size_t n)
{
	struct part pts[TP_PARTS_MAX + 3];
	size_t t;

	memset(pts, 0, sizeof(pts));
	tp_parts_run(pts, sizeof(pts[0]), n, count_run);
	for (t = 0; t < n; t++)
		CHECK(pts[t].runs == 1, "%zu parts: part %zu ran %d times", n,
		      t, pts[t].runs);
	for (; t < TP_PARTS_MAX + 3; t++)
		CHECK(pts[t].runs == 0, "%zu parts: part %zu ran", n, t);
	if (n > 0)
		CHECK(pthread_equal(pts[0].self, pthread_self()),
		      "%zu parts: part 0 ran on another thread", n);
}

static void
test_every_part_once(void **state)
{
	size_t n;

	(void)state;
	for (n = 0; n <= 4; n++)
		check_parts(n);
}

/* More parts than threads: the rest run on the calling thread. */
static void
test_more_parts_than_threads(void **state)
{
	(void)state;
	check_parts(TP_PARTS_MAX);
	check_parts(TP_PARTS_MAX + 3);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_every_part_once);
	tlist_unit(&l, test_more_parts_than_threads);
	return tlist_run(&l, "parts");
}
