/* FIPS 180-4 SHA-256, written for mibc (no crypto library needed just to
 * fingerprint source files; OpenSSL's EVP costs ~0.8 ms of start-up per
 * process).  On x86-64 CPUs with the SHA extensions the blocks go through
 * them: the portable code was ~10 % of a one-module compile. */
#include "sha256.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

static const uint32_t round_constants[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t state[8], const unsigned char block[64])
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
		       (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
			      ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

static void compress_portable(uint32_t state[8], const unsigned char *p,
			      size_t blocks)
{
	for (; blocks; blocks--, p += 64)
		compress(state, p);
}

#ifdef HAVE_SHA_NI
/* Four rounds: st1 and st0 hold the working variables as (CDGH, ABEF),
 * in that order again after the four (two rounds per instruction). */
#define FOUR_ROUNDS(w, k)                                                     \
	do {                                                                  \
		__m128i wk = _mm_add_epi32(w, _mm_loadu_si128(                \
			(const __m128i *)&round_constants[k]));               \
		st1 = _mm_sha256rnds2_epu32(st1, st0, wk);                    \
		st0 = _mm_sha256rnds2_epu32(st0, st1,                         \
					    _mm_shuffle_epi32(wk, 0x0e));     \
	} while (0)

/* The next four schedule words from the last sixteen (w0 oldest). */
#define NEXT_WORDS(w0, w1, w2, w3)                                            \
	_mm_sha256msg2_epu32(                                                 \
		_mm_add_epi32(_mm_sha256msg1_epu32(w0, w1),                   \
			      _mm_alignr_epi8(w3, w2, 4)),                    \
		w3)

__attribute__((target("sha,sse4.1,ssse3")))
static void compress_sha_ni(uint32_t state[8], const unsigned char *p,
			    size_t blocks)
{
	/* big-endian words out of each 16-byte lane */
	const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
						 0x0405060700010203LL);
	/* lanes (low first): ABCD, EFGH -> FEBA and HGDC, as the
	 * instructions want them */
	__m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
	__m128i st0 = _mm_alignr_epi8(badc, hgfe, 8);
	__m128i st1 = _mm_blend_epi16(hgfe, badc, 0xf0);

	for (; blocks; blocks--, p += 64) {
		__m128i save0 = st0, save1 = st1;
		__m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), byte_swap);
		__m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), byte_swap);
		__m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), byte_swap);
		__m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), byte_swap);
		FOUR_ROUNDS(w0, 0);
		FOUR_ROUNDS(w1, 4);
		FOUR_ROUNDS(w2, 8);
		FOUR_ROUNDS(w3, 12);
		for (int k = 16; k < 64; k += 16) {
			w0 = NEXT_WORDS(w0, w1, w2, w3);
			FOUR_ROUNDS(w0, k);
			w1 = NEXT_WORDS(w1, w2, w3, w0);
			FOUR_ROUNDS(w1, k + 4);
			w2 = NEXT_WORDS(w2, w3, w0, w1);
			FOUR_ROUNDS(w2, k + 8);
			w3 = NEXT_WORDS(w3, w0, w1, w2);
			FOUR_ROUNDS(w3, k + 12);
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}

	/* FEBA, HGDC -> ABCD, EFGH */
	__m128i abef = _mm_shuffle_epi32(st0, 0x1b);
	__m128i ghcd = _mm_shuffle_epi32(st1, 0xb1);
	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abef, ghcd, 0xf0));
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abef, 8));
}

static bool cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

typedef void compress_fn(uint32_t state[8], const unsigned char *p, size_t blocks);

static bool force_portable;

void sha256_force_portable(bool on)
{
	force_portable = on;
}

static compress_fn *compressor(void)
{
#ifdef HAVE_SHA_NI
	static int sha_ni = -1;
	if (sha_ni < 0)
		sha_ni = cpu_has_sha_ni();
	if (sha_ni && !force_portable)
		return compress_sha_ni;
#endif
	return compress_portable;
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
	uint32_t state[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	compress_fn *blocks = compressor();
	const unsigned char *p = data;
	size_t left = len % 64;
	blocks(state, p, len / 64);
	p += len - left;

	/* The tail, the 0x80 marker and the bit length, in one or two blocks. */
	unsigned char tail[128] = { 0 };
	memcpy(tail, p, left);
	tail[left] = 0x80;
	size_t tail_len = left + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
	blocks(state, tail, tail_len / 64);

	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++) {
			unsigned char byte = (unsigned char)(state[i] >> (24 - 8 * j));
			hex[8 * i + 2 * j] = digits[byte >> 4];
			hex[8 * i + 2 * j + 1] = digits[byte & 15];
		}
	hex[64] = '\0';
}
