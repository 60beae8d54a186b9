#ifndef KONTOR_SHA256_H
#define KONTOR_SHA256_H

/*
 * SHA-256 (FIPS 180-4), for the hashes of stored invoices and delivered
 * files.  No external library: the project's dependencies have none that
 * every stage links anyway.
 */

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX	65	/* 64 hex digits and NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t len_bytes;
	unsigned char block[64];
	size_t used;
};

void	sha256_init(struct sha256 *s);
void	sha256_update(struct sha256 *s, const void *p, size_t n);
/* Finishes and writes the digest as lower-case hex. */
void	sha256_hex(struct sha256 *s, char out[SHA256_HEX]);
/* One call for a whole buffer. */
void	sha256_buf_hex(const void *p, size_t n, char out[SHA256_HEX]);
/* The digest of a file's contents; KR_OK or KR_IO. */
int	sha256_file_hex(const char *path, char out[SHA256_HEX]);

/*
 * Where the CPU has the SHA extensions (x86-64), blocks are hashed with
 * them, else with portable code; the digest is the same.  With on set,
 * this process uses the portable code from now on, with on 0 whatever
 * suits the CPU: the tests compare the two.  Returns 1 when the CPU has
 * the extensions.
 */
int	sha256_portable(int on);

#endif
