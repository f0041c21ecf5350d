/*
 * odb.h: reads objects straight from a git repository's object folder
 * (loose objects and version-2 pack indexes with their packs, SHA-1 only),
 * without libgit2, so that the common case costs no libgit2 start-up.
 * What this reader does not handle it refuses at open time (TP_EGIT), and
 * the caller falls back to libgit2.
 *
 * Cost: memory stays small whatever the repository's size.  Packs are not
 * mapped: an entry is read with pread(); an index lookup reads the fanout
 * table (kept from open), then a window of ids around an interpolated
 * guess (one or two reads of a few KB).  Recently decoded delta bases are
 * kept in a cache of at most TP_ODB_CACHE_MAX bytes.  Each pack keeps two
 * file descriptors open until tp_odb_free().
 *
 * Not checked: an object's SHA-1 against its content, pack entry CRCs and
 * the checksums of whole files (reading them would cost as much as the
 * files).  Not handled: alternates (objects/info/alternates; the caller
 * must also look at GIT_ALTERNATE_OBJECT_DIRECTORIES), SHA-256
 * repositories (their files fail the size checks, but the caller should
 * check extensions.objectFormat first), index version 1.
 *
 * One handle is not safe to use from two threads at once.
 */
#ifndef TP_ODB_H
#define TP_ODB_H

#include "tagpolicy.h"

/* The object types, numbered as in a pack. */
enum tp_odb_type {
	TP_ODB_COMMIT = 1,
	TP_ODB_TREE = 2,
	TP_ODB_BLOB = 3,
	TP_ODB_TAG = 4
};

/* Most bytes the delta-base cache holds. */
#define TP_ODB_CACHE_MAX ((size_t)4 << 20)

/* Deepest delta chain read; deeper (or looping) chains are TP_EGIT. */
#define TP_ODB_MAX_DELTA_DEPTH 10000

struct tp_odb;

/*
 * Opens the object folder `objdir` (".../objects", a trailing '/' or not):
 * its loose objects and every pack (objects/pack/pack-*.idx, version 2,
 * with its .pack).  TP_EGIT with a message when the folder cannot be read
 * or holds something this reader does not handle (an
 * objects/info/alternates file, an index of version 1, an index or pack
 * whose header, size or trailer is inconsistent): the caller then uses
 * libgit2 instead.
 *
 * An index whose .pack does not exist is skipped, as git does (a pack
 * being deleted).  TP_ENOMEM when memory runs out.
 */
int tp_odb_open(struct tp_odb **out, const char *objdir, struct tp_error *err);

/* Closes every file and frees `o`; NULL is fine. */
void tp_odb_free(struct tp_odb *o);

/*
 * Reads object `id` (20 raw bytes): sets *type, *data (malloc'd, owned by
 * the caller, with a NUL after the last byte), *size.  TP_ENOTFOUND when
 * no loose object or pack holds it (after looking once more for packs
 * written since tp_odb_open, as git does); TP_EGIT when it is there but
 * cannot be read (corrupt zlib, size mismatch, a delta chain deeper than a
 * limit or looping, a delta whose base is missing, an unknown type).
 *
 * Packs are searched before loose objects, the pack of the previous hit
 * first, then the newest.  On failure *data is NULL.
 */
int tp_odb_read(struct tp_odb *o, const unsigned char id[20],
		enum tp_odb_type *type, unsigned char **data, size_t *size,
		struct tp_error *err);

/* 40 hex digits (either case) to 20 bytes; TP_EINVAL when not. */
int tp_odb_id_from_hex(unsigned char id[20], const char *hex, size_t len);

/* 20 bytes to 40 lower-case hex digits and a NUL. */
void tp_odb_id_to_hex(char hex[41], const unsigned char id[20]);

#endif
