/* libcurl, loaded when first needed. Reading a local image never talks HTTP,
 * and linking libcurl would load 26 more libraries at every start and run
 * their constructors (GnuTLS's initialisation among them): about 4.5 ms and
 * 4.3 MiB of resident memory per process (`lading --version`: 9.6-10.6 ms and
 * 11.4 MiB linked, 4.8-6.4 ms and 7.2 MiB loaded on demand), before the first
 * byte of an image is read. So
 * the registry client and `db update` call libcurl through this table, filled
 * by dlopen("libcurl.so.4") on first use. The headers are libcurl's own: the
 * types and constants are the library's. */
#ifndef LADING_UTIL_CURLAPI_H
#define LADING_UTIL_CURLAPI_H

#include <curl/curl.h>

typedef struct curl_api {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_pause)(CURL *, int);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} curl_api;

/* Loads libcurl and runs curl_global_init, once per process (thread-safe).
 * Returns the table, or NULL with *why saying what failed (the library is
 * not installed, a symbol is missing, the initialisation failed). */
const curl_api *curl_api_load(const char **why);

/* The table, for code that runs only after curl_api_load() succeeded. */
const curl_api *lcurl(void);

#endif
