/*
 * gitlib.h: libgit2, loaded the first time it is needed.
 *
 * Most runs never need libgit2: history.c reads the common repository
 * from its files (repo.h).  Linking libgit2 would still cost every run
 * its start-up: the dynamic loader binding libgit2 and the twenty
 * libraries it pulls in (TLS, SSH, Kerberos: about 1.5 ms, more than a
 * pre-push hook's own work).  So when configure finds the library's
 * soname, the binary is not linked with it: gitlib.c defines each libgit2
 * function history.c calls, as a stub that calls the real one, and
 * tp_gitlib_load() dlopen()s the library and fills the table the stubs
 * use.  Built with --disable-libgit2-dlopen (or where configure cannot
 * tell the soname), libgit2 is linked as usual and tp_gitlib_load() does
 * nothing.
 *
 * Contract: call tp_gitlib_load() (history.c does, before
 * git_libgit2_init()) before any other libgit2 function; calling one
 * before it succeeded is a bug.  Loading is done once per process and
 * never undone.
 */
#ifndef TP_GITLIB_H
#define TP_GITLIB_H

#include "tagpolicy.h"

/*
 * Loads libgit2 if it is not loaded yet.  TP_EGIT when it cannot be
 * loaded (the library is not installed, or lacks a function), with the
 * loader's message and a hint.
 */
int tp_gitlib_load(struct tp_error *err);

#endif /* TP_GITLIB_H */
