/* Reading ahead on a second thread, for a long walk.
 *
 * A full replay spends about five sixths of its time in the backend (SQLite
 * stepping through each entry and its readings) and assembling entries,
 * a sixth in the engine.
 * When the caller of a walk says it makes no other call on the journal
 * until it closes the cursor (journal_query.read_ahead), and the walk has
 * handed out RA_AFTER entries (so a short walk, what every command and
 * screen does, never starts a thread), a second thread goes on stepping
 * the backend and assembling entries into batches, which the caller's
 * thread takes in turn while the next batch is read. Only that thread
 * touches the backend from then on; the batches pass between the two under
 * a mutex, so each side sees the other's writes. If the thread cannot be
 * started the walk simply goes on in the caller's thread. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "sitrep/util.h"

#define RA_AFTER 4096   /* entries handed out before the second thread starts */
#define RA_BATCH 512    /* entries a batch holds */
#define RA_NBATCH 3     /* batches: one being read, one being filled, one spare */

/* Where an entry's strings (actor, role, kind, payload: journal_text_put)
 * and readings sit in its batch while the batch fills (the buffers move as
 * they grow); pointers once it is full. */
struct ra_where {
	size_t text[4], rd;
};

struct ra_batch {
	struct journal_entry e[RA_BATCH];
	struct ra_where at[RA_BATCH];
	size_t n;
	struct strbuf text;                 /* every string of the batch */
	struct journal_rdbuf rds;           /* every reading of the batch, names in text */
	int full;                           /* filled: the caller's turn */
	int last;                           /* the walk ended (rc 0) or failed after these */
	int rc;
	struct sitrep_error err;            /* the failure, moved to the caller */
};

struct journal_ahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;                           /* the caller closed the cursor */
	struct ra_batch b[RA_NBATCH];
	size_t take;                        /* the batch the caller reads */
	size_t at;                          /* its next entry */
	int waited;                         /* the caller holds batch `take` (it was full) */
};

/* The reader's sink (journal_cursor_gather): straight from the backend's
 * row into the batch. */
static void put_entry(void *ctx, const struct journal_entry *e)
{
	struct ra_batch *b = ctx;
	struct ra_where *w = &b->at[b->n];
	journal_text_put(&b->text, e, w->text);
	w->rd = b->rds.n;
	b->e[b->n] = *e;
	b->e[b->n].nreadings = 0;
	b->n++;
}

static void put_reading(void *ctx, const char *metric, double value)
{
	struct ra_batch *b = ctx;
	journal_rdbuf_add(&b->rds, &b->text, metric, value);
	b->e[b->n - 1].nreadings++;
}

/* Offsets to pointers, once the buffers have stopped moving. */
static void settle(struct ra_batch *b)
{
	journal_rdbuf_fix(&b->rds, &b->text);
	for (size_t i = 0; i < b->n; i++) {
		struct journal_entry *e = &b->e[i];
		const struct ra_where *w = &b->at[i];
		e->actor = b->text.buf + w->text[0];
		e->role = b->text.buf + w->text[1];
		e->kind = b->text.buf + w->text[2];
		if (e->payload)
			e->payload = b->text.buf + w->text[3];
		e->readings = e->nreadings ? b->rds.rd + w->rd : NULL;
	}
}

static int stopping(struct journal_ahead *ra)
{
	int stop;
	pthread_mutex_lock(&ra->mu);
	stop = ra->stop;
	pthread_mutex_unlock(&ra->mu);
	return stop;
}

static void *reader(void *arg)
{
	struct journal_cursor *c = arg;
	struct journal_ahead *ra = c->ahead;
	size_t k = 0;
	for (;;) {
		struct ra_batch *b = &ra->b[k];
		int stop;
		pthread_mutex_lock(&ra->mu);
		while (b->full && !ra->stop)
			pthread_cond_wait(&ra->cv, &ra->mu);
		stop = ra->stop;
		pthread_mutex_unlock(&ra->mu);
		if (stop)
			break;
		b->n = b->rds.n = 0;
		sb_reset(&b->text);
		while (b->n < RA_BATCH) {
			static const struct journal_sink to_batch = { put_entry, put_reading };
			size_t n = b->n, nrd = b->rds.n, len = b->text.len;
			int got, rc;
			/* a caller closing the walk early waits for a few rows, not a batch */
			if (n % 64 == 63 && stopping(ra))
				return NULL;
			rc = journal_cursor_gather(c, &to_batch, b, &got, &b->err);
			if (rc != JOURNAL_OK || !got) {
				/* an entry the failure cut short is not handed out, as a
				 * walk without a second thread does not hand it out */
				b->n = n;
				b->rds.n = nrd;
				b->text.len = len;
				if (b->text.alloc)
					b->text.buf[len] = '\0';
				b->last = 1;
				b->rc = rc;
				break;
			}
		}
		settle(b);
		pthread_mutex_lock(&ra->mu);
		b->full = 1;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		if (b->last)
			break;
		k = (k + 1) % RA_NBATCH;
	}
	return NULL;
}

static void release(struct journal_ahead *ra)
{
	for (size_t i = 0; i < RA_NBATCH; i++) {
		sb_release(&ra->b[i].text);
		journal_rdbuf_release(&ra->b[i].rds);
		err_release(&ra->b[i].err);
	}
	pthread_cond_destroy(&ra->cv);
	pthread_mutex_destroy(&ra->mu);
	free(ra);
}

void journal_ahead_maybe_start(struct journal_cursor *c)
{
	struct journal_ahead *ra;
	if (!c->read_ahead || !c->j->threads || c->ahead || c->handed < RA_AFTER || c->ended ||
	    c->failed)
		return;
	c->read_ahead = 0; /* one try */
	ra = calloc(1, sizeof *ra);
	if (!ra)
		return;
	for (size_t i = 0; i < RA_NBATCH; i++)
		sb_init(&ra->b[i].text);
	if (pthread_mutex_init(&ra->mu, NULL) != 0) {
		for (size_t i = 0; i < RA_NBATCH; i++)
			sb_release(&ra->b[i].text);
		free(ra);
		return;
	}
	if (pthread_cond_init(&ra->cv, NULL) != 0) {
		pthread_mutex_destroy(&ra->mu);
		for (size_t i = 0; i < RA_NBATCH; i++)
			sb_release(&ra->b[i].text);
		free(ra);
		return;
	}
	c->ahead = ra;
	/* signals stay the caller's thread's business: the reader blocks them */
	sigset_t all, old;
	int started;
	sigfillset(&all);
	/* a fault in the reader is reported as anywhere else */
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0) {
		c->ahead = NULL;
		release(ra);
		return;
	}
	started = pthread_create(&ra->thread, NULL, reader, c) == 0;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL); /* restoring what was set cannot fail */
	if (!started) {
		c->ahead = NULL;
		release(ra);
	}
}

int journal_ahead_next(struct journal_cursor *c, const struct journal_entry **e,
		       struct sitrep_error *err)
{
	struct journal_ahead *ra = c->ahead;
	for (;;) {
		struct ra_batch *b = &ra->b[ra->take];
		if (!ra->waited) {
			pthread_mutex_lock(&ra->mu);
			while (!b->full)
				pthread_cond_wait(&ra->cv, &ra->mu);
			pthread_mutex_unlock(&ra->mu);
			ra->waited = 1;
			ra->at = 0;
		}
		if (ra->at < b->n) {
			*e = &b->e[ra->at++];
			return JOURNAL_OK;
		}
		if (b->last) {
			/* the reader has stopped: the walk is the caller's again,
			 * ended or failed (later calls say so as any walk does) */
			int rc = b->rc;
			if (rc && err) {
				err_release(err);
				*err = b->err;
				memset(&b->err, 0, sizeof b->err);
			}
			journal_ahead_stop(c);
			if (rc)
				c->failed = rc;
			else
				c->ended = 1;
			return rc;
		}
		/* this batch is read: the reader may fill it again */
		pthread_mutex_lock(&ra->mu);
		b->full = 0;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		ra->take = (ra->take + 1) % RA_NBATCH;
		ra->waited = 0;
	}
}

void journal_ahead_stop(struct journal_cursor *c)
{
	struct journal_ahead *ra = c->ahead;
	if (!ra)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = 1;
	pthread_cond_broadcast(&ra->cv);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	c->ahead = NULL;
	release(ra);
}
