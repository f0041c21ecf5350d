/*
 * test-buf.c: the string buffer and the error record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"
#include "tagpolicy.h"

static void
test_init_is_empty_string(void **state)
{
	struct tp_buf b = TP_BUF_INIT;

	(void)state;
	assert_non_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	tp_buf_release(&b);
	assert_string_equal(b.ptr, "");
}

static void
test_put_and_printf(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	int i;

	(void)state;
	assert_int_equal(tp_buf_puts(&b, "v"), 0);
	assert_int_equal(tp_buf_printf(&b, "%d.%d.%d", 1, 22, 333), 0);
	assert_int_equal(tp_buf_putc(&b, '-'), 0);
	assert_int_equal(tp_buf_put(&b, "rc.1xyz", 4), 0);
	assert_string_equal(b.ptr, "v1.22.333-rc.1");
	assert_int_equal(b.len, strlen("v1.22.333-rc.1"));
	/* grow past several doublings through printf */
	for (i = 0; i < 1000; i++)
		assert_int_equal(tp_buf_printf(&b, "%04d", i), 0);
	assert_int_equal(b.len, 14 + 4000);
	assert_memory_equal(b.ptr + b.len - 4, "0999", 4);
	assert_int_equal(b.ptr[b.len], '\0');
	tp_buf_release(&b);
}

/* Writes `n` bytes of a known pattern into a temporary file; its fd. */
static int
pattern_file(size_t n)
{
	char path[] = "/tmp/tp-buf-XXXXXX";
	unsigned char chunk[4096];
	size_t i, j, k;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	for (i = 0; i < n; i += k) {
		k = n - i < sizeof(chunk) ? n - i : sizeof(chunk);
		for (j = 0; j < k; j++)
			chunk[j] = (unsigned char)('a' + (i + j) % 26);
		assert_int_equal(write(fd, chunk, k), (ssize_t)k);
	}
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void
test_read_fd(void **state)
{
	static const size_t sizes[] = { 0, 1, 8191, 8192, 8193, 200000 };
	struct tp_buf b = TP_BUF_INIT;
	size_t i, k, hint;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* no hint, an exact one, and one that is too small */
		for (hint = 0; hint < 3; hint++) {
			fd = pattern_file(sizes[i]);
			tp_buf_clear(&b);
			tp_buf_puts(&b, "<");
			assert_int_equal(tp_buf_read_fd(&b, fd, hint == 1 ?
							sizes[i] : hint * 7),
					 0);
			close(fd);
			assert_int_equal(b.len, sizes[i] + 1);
			assert_int_equal(b.ptr[0], '<');
			for (k = 0; k < sizes[i]; k++)
				if (b.ptr[k + 1] != (char)('a' + k % 26))
					fail_msg("size %zu: byte %zu differs",
						 sizes[i], k);
			assert_int_equal(b.ptr[b.len], '\0');
		}
	}
	tp_buf_release(&b);
}

static void
test_read_fd_limit_and_errors(void **state)
{
	struct tp_buf b;
	int fd;

	(void)state;
	/* past `max`: TP_ENOMEM */
	tp_buf_init(&b, 1000);
	fd = pattern_file(5000);
	assert_int_equal(tp_buf_read_fd(&b, fd, 0), TP_ENOMEM);
	close(fd);
	assert_true(b.len <= 1000);
	tp_buf_release(&b);
	/* a folder cannot be read: TP_EIO, errno kept */
	tp_buf_init(&b, 0);
	fd = open("/", O_RDONLY);
	assert_true(fd >= 0);
	errno = 0;
	assert_int_equal(tp_buf_read_fd(&b, fd, 0), TP_EIO);
	assert_int_equal(errno, EISDIR);
	assert_string_equal(b.ptr, "");
	close(fd);
	tp_buf_release(&b);
}

static void
test_truncate_clear(void **state)
{
	struct tp_buf b = TP_BUF_INIT;

	(void)state;
	tp_buf_puts(&b, "abcdef");
	tp_buf_truncate(&b, 3);
	assert_string_equal(b.ptr, "abc");
	tp_buf_truncate(&b, 10);
	assert_string_equal(b.ptr, "abc");
	tp_buf_clear(&b);
	assert_string_equal(b.ptr, "");
	assert_true(b.alloc > 0);
	tp_buf_release(&b);
}

static void
test_limit(void **state)
{
	struct tp_buf b;

	(void)state;
	tp_buf_init(&b, 8);
	assert_int_equal(tp_buf_puts(&b, "12345678"), 0);
	assert_int_equal(tp_buf_putc(&b, '9'), TP_ENOMEM);
	assert_string_equal(b.ptr, "12345678");
	assert_int_equal(tp_buf_printf(&b, "%s", "x"), TP_ENOMEM);
	assert_string_equal(b.ptr, "12345678");
	tp_buf_release(&b);
	assert_int_equal(b.max, 8);
	assert_int_equal(tp_buf_printf(&b, "%s", "123456789"), TP_ENOMEM);
	assert_string_equal(b.ptr, "");
}

static void
test_reserve_commit(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	char *p;
	int i;

	(void)state;
	/* an empty buffer gets memory; what is committed is appended */
	p = tp_buf_reserve(&b, 5);
	assert_non_null(p);
	assert_ptr_equal(p, b.ptr);
	assert_true(b.alloc >= 6);
	memcpy(p, "v1.2.", 5);
	tp_buf_commit(&b, 4);
	assert_string_equal(b.ptr, "v1.2");
	assert_int_equal(b.len, 4);
	/* giving up (0) restores the NUL the writing overwrote */
	p = tp_buf_reserve(&b, 3);
	assert_ptr_equal(p, b.ptr + 4);
	memcpy(p, "xyz", 3);
	tp_buf_commit(&b, 0);
	assert_string_equal(b.ptr, "v1.2");
	/* room for n + 1 bytes however often it grows */
	for (i = 0; i < 100; i++) {
		p = tp_buf_reserve(&b, 100);
		assert_non_null(p);
		assert_true(b.alloc - b.len >= 101);
		memset(p, 'a' + i % 26, 100);
		tp_buf_commit(&b, 100);
	}
	assert_int_equal(b.len, 4 + 100 * 100);
	assert_int_equal(b.ptr[b.len], '\0');
	assert_int_equal(b.ptr[b.len - 1], 'a' + 99 % 26);
	tp_buf_release(&b);
	/* committing without memory writes nothing (the shared string) */
	tp_buf_commit(&b, 0);
	assert_int_equal(b.alloc, 0);
	assert_string_equal(b.ptr, "");
}

static void
test_reserve_limit(void **state)
{
	struct tp_buf b;
	char *p;

	(void)state;
	tp_buf_init(&b, 8);
	assert_int_equal(tp_buf_puts(&b, "12345"), 0);
	/* past `max` even when the memory is there: a commit would pass it */
	assert_null(tp_buf_reserve(&b, 4));
	assert_string_equal(b.ptr, "12345");
	assert_null(tp_buf_reserve(&b, (size_t)-1));
	p = tp_buf_reserve(&b, 3);
	assert_non_null(p);
	memcpy(p, "678", 3);
	tp_buf_commit(&b, 3);
	assert_string_equal(b.ptr, "12345678");
	assert_null(tp_buf_reserve(&b, 1));
	assert_non_null(tp_buf_reserve(&b, 0));
	tp_buf_commit(&b, 0);
	assert_string_equal(b.ptr, "12345678");
	tp_buf_release(&b);
}

/*
 * tp_room_put() copies exactly s[0..n) for every length (its word copies
 * overlap), touches nothing around it, chains, and gives NULL from the
 * first piece that does not fit on.
 */
static void
test_room_put(void **state)
{
	const char src[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char room[64], *p, *end;
	size_t n, i;

	(void)state;
	for (n = 0; n <= 36; n++) {
		memset(room, '#', sizeof(room));
		p = tp_room_put(room + 8, room + 8 + n, src, n);
		assert_ptr_equal(p, room + 8 + n);
		assert_memory_equal(room + 8, src, n);
		for (i = 0; i < sizeof(room); i++)
			if (i < 8 || i >= 8 + n)
				assert_int_equal(room[i], '#');
		/* one byte short: nothing fits, nothing is written */
		if (n > 0) {
			memset(room, '#', sizeof(room));
			assert_null(tp_room_put(room, room + n - 1, src, n));
			for (i = 0; i < sizeof(room); i++)
				assert_int_equal(room[i], '#');
		}
	}
	end = room + 10;
	p = TP_ROOM_LIT(room, end, "abc");
	p = tp_room_put(p, end, "defg", 4);
	assert_ptr_equal(p, room + 7);
	assert_memory_equal(room, "abcdefg", 7);
	p = TP_ROOM_LIT(p, end, "hijk");
	assert_null(p);
	assert_null(TP_ROOM_LIT(p, end, ""));
}

static void
test_detach(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	size_t len = 99;
	char *s;

	(void)state;
	s = tp_buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	tp_buf_puts(&b, "hello");
	s = tp_buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.alloc, 0);
	free(s);
}

static void
test_error_first_wins(void **state)
{
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_error_set(&err, TP_EPOLICY, "bad key '%s'", "x"),
			 TP_EPOLICY);
	assert_int_equal(tp_error_set(&err, TP_EIO, "later"), TP_EIO);
	assert_int_equal(err.code, TP_EPOLICY);
	assert_string_equal(err.msg, "bad key 'x'");
	assert_int_equal(tp_error_set(NULL, TP_EIO, "ignored"), TP_EIO);
}

static void
test_error_location_and_hint(void **state)
{
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	tp_error_set_at(&err, TP_EPOLICY, ".tagpolicy.yml", 3, 5, "%s",
			"unknown key 'rulez'");
	tp_error_hint(&err, "did you mean '%s'?", "rules");
	tp_error_hint(&err, "second hint is ignored");
	assert_string_equal(err.file, ".tagpolicy.yml");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 5);
	assert_string_equal(err.hint, "did you mean 'rules'?");
}

static void
test_status_exit(void **state)
{
	(void)state;
	assert_int_equal(tp_status_exit(TP_OK), 0);
	assert_int_equal(tp_status_exit(TP_ENOTFOUND), 1);
	assert_int_equal(tp_status_exit(TP_EEXISTS), 1);
	assert_int_equal(tp_status_exit(TP_EINVAL), 2);
	assert_int_equal(tp_status_exit(TP_EPOLICY), 2);
	assert_int_equal(tp_status_exit(TP_EREGEX), 2);
	assert_int_equal(tp_status_exit(TP_EIO), 3);
	assert_int_equal(tp_status_exit(TP_EGIT), 3);
	assert_int_equal(tp_status_exit(TP_ESHALLOW), 3);
	assert_int_equal(tp_status_exit(TP_ENOMEM), 3);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_init_is_empty_string);
	tlist_unit(&l, test_put_and_printf);
	tlist_unit(&l, test_truncate_clear);
	tlist_unit(&l, test_read_fd);
	tlist_unit(&l, test_read_fd_limit_and_errors);
	tlist_unit(&l, test_limit);
	tlist_unit(&l, test_reserve_commit);
	tlist_unit(&l, test_reserve_limit);
	tlist_unit(&l, test_room_put);
	tlist_unit(&l, test_detach);
	tlist_unit(&l, test_error_first_wins);
	tlist_unit(&l, test_error_location_and_hint);
	tlist_unit(&l, test_status_exit);
	return tlist_run(&l, "buf");
}
