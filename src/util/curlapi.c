/* See curlapi.h. The table is written once, under pthread_once, and only read
 * afterwards. */
#include "util/curlapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static curl_api api;
static const curl_api *loaded;
static const char *load_error = "libcurl was not loaded";

/* Looks up every symbol; false (and load_error set) if one is missing. */
static bool resolve(void *h)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define S(field, name) {name, offsetof(curl_api, field)}
	    S(easy_init, "curl_easy_init"),
	    S(easy_setopt, "curl_easy_setopt"),
	    S(easy_getinfo, "curl_easy_getinfo"),
	    S(easy_perform, "curl_easy_perform"),
	    S(easy_pause, "curl_easy_pause"),
	    S(easy_cleanup, "curl_easy_cleanup"),
	    S(easy_strerror, "curl_easy_strerror"),
	    S(easy_escape, "curl_easy_escape"),
	    S(free, "curl_free"),
	    S(multi_init, "curl_multi_init"),
	    S(multi_add_handle, "curl_multi_add_handle"),
	    S(multi_remove_handle, "curl_multi_remove_handle"),
	    S(multi_perform, "curl_multi_perform"),
	    S(multi_poll, "curl_multi_poll"),
	    S(multi_info_read, "curl_multi_info_read"),
	    S(multi_cleanup, "curl_multi_cleanup"),
	    S(slist_append, "curl_slist_append"),
	    S(slist_free_all, "curl_slist_free_all"),
#undef S
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f) {
			load_error = "libcurl.so.4 lacks a function lading needs (libcurl older than 7.66?)";
			return false;
		}
		/* POSIX: a dlsym result converts to the function pointer it names */
		memcpy((char *)&api + syms[i].off, &f, sizeof(f));
	}
	return true;
}

static void load(void)
{
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		load_error = "cannot load libcurl.so.4 (install Debian's libcurl4)";
		return;
	}
	if (!resolve(h))
		return;
	CURLcode (*global_init)(long) = (CURLcode(*)(long))dlsym(h, "curl_global_init");
	if (!global_init || global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		load_error = "libcurl's global initialisation failed";
		return;
	}
	loaded = &api; /* never unloaded: its handles may live as long as the process */
}

const curl_api *curl_api_load(const char **why)
{
	pthread_once(&once, load);
	if (!loaded && why)
		*why = load_error;
	return loaded;
}

const curl_api *lcurl(void) { return loaded; }
