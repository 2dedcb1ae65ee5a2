/* The hashing helpers of hashpool.h. One mutex and condition per pool (the
 * helpers waiting, the walks waiting for one) and per offload (a bounded
 * queue between one walk and its one helper); jobs are hashed in the order
 * they were queued, which is all SHA-256 needs. */
#include "image/hashpool.h"

#include <stdlib.h>

void hash_pool_init(hash_pool *hp)
{
	pthread_mutex_init(&hp->mu, NULL);
	pthread_cond_init(&hp->cv, NULL);
	hp->queue = NULL;
	hp->waiting = 0;
	hp->closed = false;
}

void hash_pool_destroy(hash_pool *hp)
{
	pthread_cond_destroy(&hp->cv);
	pthread_mutex_destroy(&hp->mu);
}

/* Hashes o's jobs until the walk says it is done, then lets go of o (the
 * walk frees it once `finished` is seen). */
static void consume(offload *o)
{
	pthread_mutex_lock(&o->mu);
	for (;;) {
		while (o->tail == o->head && !o->done)
			pthread_cond_wait(&o->cv, &o->mu);
		if (o->tail == o->head)
			break;
		hjob j = o->q[o->tail % OFFLOAD_QUEUE];
		pthread_mutex_unlock(&o->mu);
		lsha256_update2(o->raw_md, j.raw, j.rn, o->tar_md, j.tar, j.tn);
		pthread_mutex_lock(&o->mu);
		o->tail++;
		pthread_cond_broadcast(&o->cv);
	}
	o->finished = true;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
}

void hash_pool_serve(hash_pool *hp)
{
	pthread_mutex_lock(&hp->mu);
	for (;;) {
		__atomic_add_fetch(&hp->waiting, 1, __ATOMIC_RELAXED);
		while (!hp->queue && !hp->closed)
			pthread_cond_wait(&hp->cv, &hp->mu);
		__atomic_sub_fetch(&hp->waiting, 1, __ATOMIC_RELAXED);
		offload *o = hp->queue;
		if (!o)
			break; /* closed */
		hp->queue = o->next;
		pthread_mutex_unlock(&hp->mu);
		consume(o);
		pthread_mutex_lock(&hp->mu);
	}
	pthread_mutex_unlock(&hp->mu);
}

void hash_pool_close(hash_pool *hp)
{
	pthread_mutex_lock(&hp->mu);
	hp->closed = true;
	pthread_cond_broadcast(&hp->cv);
	pthread_mutex_unlock(&hp->mu);
}

offload *offload_request(hash_pool *hp, lsha256 *raw_md, lsha256 *tar_md)
{
	if (!hp || __atomic_load_n(&hp->waiting, __ATOMIC_RELAXED) <= 0)
		return NULL;
	offload *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL; /* hash inline, as without a helper */
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	o->raw_md = raw_md;
	o->tar_md = tar_md;
	pthread_mutex_lock(&hp->mu);
	/* one helper per walk: enough of them must be waiting for every queued one */
	int queued = 0;
	for (offload *q = hp->queue; q; q = q->next)
		queued++;
	bool ok = !hp->closed && hp->waiting > queued;
	if (ok) {
		offload **tail = &hp->queue;
		while (*tail)
			tail = &(*tail)->next;
		*tail = o;
		pthread_cond_broadcast(&hp->cv);
	}
	pthread_mutex_unlock(&hp->mu);
	if (!ok) {
		pthread_cond_destroy(&o->cv);
		pthread_mutex_destroy(&o->mu);
		free(o);
		return NULL;
	}
	return o;
}

size_t offload_push(offload *o, const unsigned char *raw, size_t rn, const unsigned char *tar, size_t tn)
{
	pthread_mutex_lock(&o->mu);
	while (o->head - o->tail >= OFFLOAD_QUEUE)
		pthread_cond_wait(&o->cv, &o->mu);
	o->q[o->head % OFFLOAD_QUEUE] = (hjob){raw, tar, rn, tn};
	size_t job = o->head++;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
	return job;
}

void offload_wait(offload *o, size_t job)
{
	pthread_mutex_lock(&o->mu);
	while (o->tail <= job)
		pthread_cond_wait(&o->cv, &o->mu);
	pthread_mutex_unlock(&o->mu);
}

void offload_end(offload *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->mu);
	o->done = true;
	pthread_cond_broadcast(&o->cv);
	while (!o->finished)
		pthread_cond_wait(&o->cv, &o->mu);
	pthread_mutex_unlock(&o->mu);
	pthread_cond_destroy(&o->cv);
	pthread_mutex_destroy(&o->mu);
	free(o);
}
