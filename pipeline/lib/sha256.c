#include <stdio.h>
#include <string.h>

#include "err.h"
#include "sha256.h"

#define ROTR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
sha256_schedule(const unsigned char *block, uint32_t w[64])
{
	int t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (t = 16; t < 64; t++) {
		uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^
		    (w[t - 15] >> 3);
		uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^
		    (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
}

#define BSIG0(x)	(ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x)	(ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))

/*
 * Processes one 64-byte block (FIPS 180-4 §6.2.2).  The working
 * variables a to h are named, not an array that each round shifts: the
 * compiler then keeps them in registers, which makes hashing more than
 * twice as fast.
 */
static void
sha256_block(uint32_t hash[8], const unsigned char *block)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int t;

	sha256_schedule(block, w);
	a = hash[0];
	b = hash[1];
	c = hash[2];
	d = hash[3];
	e = hash[4];
	f = hash[5];
	g = hash[6];
	h = hash[7];
	for (t = 0; t < 64; t++) {
		t1 = h + BSIG1(e) + CH(e, f, g) + k[t] + w[t];
		t2 = BSIG0(a) + MAJ(a, b, c);
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	hash[0] += a;
	hash[1] += b;
	hash[2] += c;
	hash[3] += d;
	hash[4] += e;
	hash[5] += f;
	hash[6] += g;
	hash[7] += h;
}

void
sha256_init(struct sha256 *s)
{
	/* §5.3.3: fractional parts of the square roots of the first 8
	 * primes. */
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len_bytes = 0;
	s->used = 0;
}

void
sha256_update(struct sha256 *s, const void *p, size_t n)
{
	const unsigned char *in = p;

	s->len_bytes += n;
	if (s->used > 0) {
		size_t take = 64 - s->used < n ? 64 - s->used : n;

		memcpy(s->block + s->used, in, take);
		s->used += take;
		in += take;
		n -= take;
		if (s->used < 64)
			return;
		sha256_block(s->h, s->block);
		s->used = 0;
	}
	for (; n >= 64; in += 64, n -= 64)
		sha256_block(s->h, in);
	memcpy(s->block, in, n);
	s->used = n;
}

void
sha256_hex(struct sha256 *s, char out[SHA256_HEX])
{
	static const char digit[] = "0123456789abcdef";
	uint64_t bits = s->len_bytes * 8;
	int i;

	/* §5.1.1: a one bit, zeros, then the length in bits, big-endian. */
	s->block[s->used++] = 0x80;
	if (s->used > 56) {
		memset(s->block + s->used, 0, 64 - s->used);
		sha256_block(s->h, s->block);
		s->used = 0;
	}
	memset(s->block + s->used, 0, 56 - s->used);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_block(s->h, s->block);

	for (i = 0; i < 32; i++) {
		unsigned char b = (unsigned char)(s->h[i / 4] >>
		    (24 - 8 * (i % 4)));

		out[2 * i] = digit[b >> 4];
		out[2 * i + 1] = digit[b & 0x0f];
	}
	out[64] = '\0';
}

void
sha256_buf_hex(const void *p, size_t n, char out[SHA256_HEX])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_hex(&s, out);
}

int
sha256_file_hex(const char *path, char out[SHA256_HEX])
{
	unsigned char chunk[65536];
	struct sha256 s;
	FILE *fp;
	size_t n;
	int failed;

	fp = fopen(path, "rbe");
	if (fp == NULL)
		return KR_IO;
	sha256_init(&s);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sha256_update(&s, chunk, n);
	failed = ferror(fp);
	fclose(fp);
	if (failed)
		return KR_IO;
	sha256_hex(&s, out);
	return KR_OK;
}
