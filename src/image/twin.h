/* Two layer walks on one thread, taking turns so that their hashing pairs up.
 *
 * A gzip layer's walk hashes two SHA-256 streams: the blob and the tar it
 * inflates to. lsha256_update2 compresses blocks of two messages together at
 * about 1.6 times the speed of one (sha256.h), but within one walk only as
 * many tar bytes as there are blob bytes have a partner: the tar stream is
 * 2–3 times longer, and most of it was hashed alone. Two walks on the same
 * thread can pair tar with tar and blob with blob.
 *
 * Each walk runs on its own stack (ucontext). When a walk has a (blob bytes,
 * tar bytes) update to hash and the other walk has one waiting, it hashes both
 * pairs and goes on; when the other has none, it leaves its own waiting and
 * switches to the other, which picks it up with its next update. The walks
 * therefore alternate one inflated chunk at a time, and a switch happens only
 * there: nothing else about a walk changes, and when one walk ends the other
 * hashes alone. A walk that hands its hashing to an idle worker (hashpool.h)
 * simply stops calling twin_hash. */
#ifndef LADING_IMAGE_TWIN_H
#define LADING_IMAGE_TWIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <ucontext.h>

#include "util/sha256.h"

typedef struct twin twin;

typedef struct twin_slot {
	ucontext_t uc;
	unsigned char *stack; /* mmap'd, with a guard page below */
	size_t stack_size;
	twin *owner;
	int idx;
	bool fresh;   /* started, not yet run */
	bool alive;   /* started, fn not yet returned */
	bool ended;   /* fn returned; twin_run reports it once */
	bool pending; /* an update below waits to be hashed */
	lsha256 *raw_md, *tar_md;
	const unsigned char *raw, *tar;
	size_t rn, tn;
	void (*fn)(void *);
	void *arg;
	void *asan_fake;  /* AddressSanitizer's fake stack while switched out */
	void *tsan_fiber; /* ThreadSanitizer's fiber for this slot */
} twin_slot;

struct twin {
	ucontext_t sched; /* the thread's own context: twin_run's */
	twin_slot slot[2];
	const void *sched_bottom; /* the thread stack, for AddressSanitizer */
	size_t sched_size;
	void *tsan_sched; /* the thread's ThreadSanitizer fiber */
	unsigned long long paired, alone; /* twin_hash calls hashed with the other's, and not */
};

/* Stacks are mapped on first use, by twin_start. */
int twin_init(twin *t);
void twin_destroy(twin *t);
/* A slot that is running nothing, or -1. */
int twin_idle_slot(const twin *t);
/* Readies slot `idx` to run fn(arg); it starts at the next twin_run.
 * 0, or -LADING_ENOMEM when its stack cannot be mapped. */
int twin_start(twin *t, int idx, void (*fn)(void *), void *arg);
/* Whether any slot has a walk started and not ended. */
bool twin_busy(const twin *t);
/* Runs the walks until one returns; gives its slot. */
int twin_run(twin *t);
/* Called from a walk running in slot `me`: hashes raw[0..rn) into raw_md and
 * tar[0..tn) into tar_md, paired with the other walk's update when it has
 * one. The bytes must stay put until this returns; both are then hashed. */
void twin_hash(twin_slot *me, lsha256 *raw_md, const unsigned char *raw, size_t rn, lsha256 *tar_md,
	       const unsigned char *tar, size_t tn);

#endif
