/* The two-walk scheduler of twin.h. Walks are ucontext coroutines on stacks
 * of their own (8 MiB each, the size of a thread's: catalogers run inside the
 * walk; pages are only committed as touched). Under AddressSanitizer every
 * switch is announced to it, as its fiber interface asks, so that it tracks
 * which stack is current; ThreadSanitizer is told the same through its own. */
#include "image/twin.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lading/lading.h"

#if defined(__SANITIZE_ADDRESS__)
#define TWIN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWIN_ASAN 1
#endif
#endif
#ifdef TWIN_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_THREAD__)
#define TWIN_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TWIN_TSAN 1
#endif
#endif
#ifdef TWIN_TSAN
#include <sanitizer/tsan_interface.h>
#endif

enum { TWIN_STACK = 8 << 20 };

int twin_init(twin *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < 2; i++) {
		t->slot[i].owner = t;
		t->slot[i].idx = i;
	}
#ifdef TWIN_ASAN
	pthread_attr_t at;
	void *addr;
	if (pthread_getattr_np(pthread_self(), &at) == 0) {
		pthread_attr_getstack(&at, &addr, &t->sched_size);
		t->sched_bottom = addr;
		pthread_attr_destroy(&at);
	}
#endif
#ifdef TWIN_TSAN
	t->tsan_sched = __tsan_get_current_fiber();
#endif
	return 0;
}

void twin_destroy(twin *t)
{
	for (int i = 0; i < 2; i++) {
		if (t->slot[i].stack)
			munmap(t->slot[i].stack, t->slot[i].stack_size);
#ifdef TWIN_TSAN
		if (t->slot[i].tsan_fiber)
			__tsan_destroy_fiber(t->slot[i].tsan_fiber);
#endif
	}
	memset(t, 0, sizeof(*t));
}

int twin_idle_slot(const twin *t)
{
	for (int i = 0; i < 2; i++)
		if (!t->slot[i].alive && !t->slot[i].ended)
			return i;
	return -1;
}

bool twin_busy(const twin *t)
{
	return t->slot[0].alive || t->slot[1].alive;
}

/* The usable stack of a slot: above its guard page. */
static void *stack_base(const twin_slot *s, size_t *size)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	*size = s->stack_size - pg;
	return s->stack + pg;
}

/* Switches from the running context (saved in `from`) to `to`, whose stack
 * starts at `bottom`. `fake` keeps AddressSanitizer's fake stack of the
 * context left; NULL when that context is ending. */
static void switch_to(void **fake, ucontext_t *from, const ucontext_t *to, const void *bottom, size_t size,
		      void *tsan_to)
{
#ifdef TWIN_TSAN
	__tsan_switch_to_fiber(tsan_to, 0);
#else
	(void)tsan_to;
#endif
#ifdef TWIN_ASAN
	__sanitizer_start_switch_fiber(fake, bottom, size);
#else
	(void)fake;
	(void)bottom;
	(void)size;
#endif
	swapcontext(from, to);
#ifdef TWIN_ASAN
	__sanitizer_finish_switch_fiber(fake ? *fake : NULL, NULL, NULL);
#endif
}

/* A walk's first frame. makecontext passes int arguments only, so the slot
 * pointer comes in two halves. */
static void entry(unsigned hi, unsigned lo)
{
	twin_slot *s = (twin_slot *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
#ifdef TWIN_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	s->fresh = false;
	s->fn(s->arg);
	s->alive = false;
	s->ended = true;
	/* Back to the scheduler, without returning: a sanitizer told of the switch
	 * must not then see this frame exit on the scheduler's stack. */
#ifdef TWIN_ASAN
	__sanitizer_start_switch_fiber(NULL, s->owner->sched_bottom, s->owner->sched_size); /* fake frames go */
#endif
#ifdef TWIN_TSAN
	__tsan_switch_to_fiber(s->owner->tsan_sched, 0);
#endif
	setcontext(&s->owner->sched);
}

int twin_start(twin *t, int idx, void (*fn)(void *), void *arg)
{
	twin_slot *s = &t->slot[idx];
	if (!s->stack) {
		size_t pg = (size_t)sysconf(_SC_PAGESIZE), size = TWIN_STACK + pg;
		void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
			       -1, 0);
		if (m == MAP_FAILED)
			return -LADING_ENOMEM;
		if (mprotect(m, pg, PROT_NONE) != 0) { /* the guard page */
			munmap(m, size);
			return -LADING_ENOMEM;
		}
		s->stack = m;
		s->stack_size = size;
	}
	if (getcontext(&s->uc) != 0)
		return -LADING_ENOMEM;
	s->uc.uc_stack.ss_sp = stack_base(s, &s->uc.uc_stack.ss_size);
	s->uc.uc_link = NULL; /* entry() never returns */
	uintptr_t p = (uintptr_t)s;
	makecontext(&s->uc, (void (*)(void))entry, 2, (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
#ifdef TWIN_TSAN
	if (!s->tsan_fiber)
		s->tsan_fiber = __tsan_create_fiber(0);
#endif
	s->fn = fn;
	s->arg = arg;
	s->fresh = s->alive = true;
	s->ended = s->pending = false;
	return 0;
}

int twin_run(twin *t)
{
	int pick = -1;
	for (int i = 0; i < 2 && pick < 0; i++)
		if (t->slot[i].fresh)
			pick = i;
	for (int i = 0; i < 2 && pick < 0; i++)
		if (t->slot[i].alive)
			pick = i;
	if (pick < 0)
		return -1;
	size_t size;
	void *base = stack_base(&t->slot[pick], &size), *fake = NULL;
	switch_to(&fake, &t->sched, &t->slot[pick].uc, base, size, t->slot[pick].tsan_fiber);
	for (int i = 0; i < 2; i++)
		if (t->slot[i].ended) {
			t->slot[i].ended = false;
			return i;
		}
	return -1;
}

void twin_hash(twin_slot *me, lsha256 *raw_md, const unsigned char *raw, size_t rn, lsha256 *tar_md,
	       const unsigned char *tar, size_t tn)
{
	twin_slot *o = &me->owner->slot[1 - me->idx];
	if (o->pending) {
		lsha256_part parts[4] = {
		    {tar_md, tar, tn}, {raw_md, raw, rn}, {o->tar_md, o->tar, o->tn}, {o->raw_md, o->raw, o->rn}};
		lsha256_update_parts(parts, 4);
		o->pending = false;
		me->owner->paired += 2;
		return;
	}
	if (o->alive) {
		me->raw_md = raw_md;
		me->tar_md = tar_md;
		me->raw = raw;
		me->tar = tar;
		me->rn = rn;
		me->tn = tn;
		me->pending = true;
		size_t size;
		void *base = stack_base(o, &size);
		switch_to(&me->asan_fake, &me->uc, &o->uc, base, size, o->tsan_fiber);
		if (!me->pending)
			return; /* the other walk hashed it with its own */
		me->pending = false; /* it ended first */
	}
	me->owner->alone++;
	lsha256_update2(raw_md, raw, rn, tar_md, tar, tn);
}
