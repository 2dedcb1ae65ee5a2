/* Idle layer workers hash for busy ones. A layer's walk inflates and hashes on
 * one thread; when a worker has no layer left to take (fewer layers than
 * threads, or the last, largest layers of an image), it offers itself here,
 * and a walk still running hands it its two SHA-256 streams: from then on the
 * walk only inflates and parses, and queues (raw bytes, tar bytes) pairs that
 * the helper hashes in order. That takes the hashing, a quarter to a third of
 * a gzip layer's work, off the thread that decides when the scan ends. */
#ifndef LADING_IMAGE_HASHPOOL_H
#define LADING_IMAGE_HASHPOOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/sha256.h"

typedef struct offload offload;

typedef struct hash_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	offload *queue; /* walks waiting for a helper (linked through offload.next) */
	int waiting;    /* helpers waiting for work (read without the lock as a hint) */
	bool closed;    /* no walk will ask any more */
} hash_pool;

void hash_pool_init(hash_pool *hp);
void hash_pool_destroy(hash_pool *hp);
/* A worker with nothing else to do: hashes for the walks that ask, one at a
 * time, until hash_pool_close(). */
void hash_pool_serve(hash_pool *hp);
/* Every walk has ended: serving workers return. */
void hash_pool_close(hash_pool *hp);

/* ---- the walk's side ------------------------------------------------------ */

enum { OFFLOAD_SLOTS = 3, OFFLOAD_QUEUE = 4 * OFFLOAD_SLOTS };

typedef struct hjob {
	const unsigned char *raw, *tar;
	size_t rn, tn;
} hjob;

struct offload {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	hjob q[OFFLOAD_QUEUE];
	size_t head, tail; /* jobs queued, jobs hashed */
	bool done;         /* the walk queues no more */
	bool finished;     /* the helper hashed everything and let go */
	lsha256 *raw_md, *tar_md;
	offload *next;
};

/* Asks for a helper: when one is waiting, returns an offload (to be ended
 * with offload_end) through which the walk's hashing now goes; else NULL.
 * Cheap when nobody waits. The hash contexts must be up to date. */
offload *offload_request(hash_pool *hp, lsha256 *raw_md, lsha256 *tar_md);
/* Queues one update (either side may be empty); the bytes must stay as they
 * are until offload_wait(o, the returned job number) has returned. */
size_t offload_push(offload *o, const unsigned char *raw, size_t rn, const unsigned char *tar, size_t tn);
/* Waits until job `job` (a number offload_push returned) has been hashed. */
void offload_wait(offload *o, size_t job);
/* No more jobs: waits for the helper to finish and frees o. The contexts are
 * then the walk's again, complete. */
void offload_end(offload *o);

#endif
