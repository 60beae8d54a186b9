#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "order.h"
#include "sha256.h"
#include "testdir.h"

/*
 * The digests below are the examples of FIPS 180-2 appendix B (empty
 * string, "abc", the 448-bit message, one million 'a'), and for the
 * padding boundaries values checked with coreutils sha256sum.
 */
#define EMPTY_HEX \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_HEX \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MSG448_HEX \
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define MILLION_A_HEX \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static void
check_buf(const char *msg, size_t n, const char *want)
{
	char hex[SHA256_HEX];

	sha256_buf_hex(msg, n, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(sha256_matches_the_standard_short_vectors)
{
	check_buf("", 0, EMPTY_HEX);
	check_buf("abc", 3, ABC_HEX);
	check_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, MSG448_HEX);
}
END_TEST

START_TEST(sha256_matches_one_million_a_fed_in_odd_pieces)
{
	static const size_t piece[] = {1, 63, 64, 65, 127, 1000, 4096};
	char block[4096], hex[SHA256_HEX];
	struct sha256 s;
	size_t left = 1000000, i = 0;

	memset(block, 'a', sizeof(block));
	sha256_init(&s);
	while (left > 0) {
		size_t n = piece[i++ % 7];

		if (n > left)
			n = left;
		sha256_update(&s, block, n);
		left -= n;
	}
	sha256_hex(&s, hex);
	ck_assert_str_eq(hex, MILLION_A_HEX);
}
END_TEST

START_TEST(sha256_pads_correctly_at_block_boundaries)
{
	char a[64];

	memset(a, 'a', sizeof(a));
	check_buf(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
	    "e9b0a925a5258e241c9f1e910f734318");
	check_buf(a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
	    "590ce20f1bde7090ef7970686ec6738a");
	check_buf(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
	    "f439851db43d0ba5997337df154668eb");
}
END_TEST

START_TEST(sha256_file_hex_hashes_contents_and_reports_missing_files)
{
	char dir[4096], path[4200], hex[SHA256_HEX];

	testdir_make(dir, sizeof(dir), "sha256");
	testdir_write(dir, "abc", "abc");
	snprintf(path, sizeof(path), "%s/abc", dir);

	ck_assert_int_eq(sha256_file_hex(path, hex), KR_OK);
	ck_assert_str_eq(hex, ABC_HEX);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(sha256_file_hex(path, hex), KR_IO);
	testdir_remove(dir);
}
END_TEST

/*
 * Blocks go through the CPU's SHA instructions where it has them: the
 * portable code must give the same digests, for the standard vectors
 * and for pseudo-random texts of every length over a few blocks.
 */
START_TEST(sha256_portable_and_cpu_code_agree)
{
	unsigned char text[4200];
	char want[SHA256_HEX], got[SHA256_HEX];
	uint32_t x = 4711;
	size_t n;
	int on;

	for (on = 1; on >= 0; on--) {
		sha256_portable(on);
		check_buf("abc", 3, ABC_HEX);
		check_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomno"
		    "pnopq", 56, MSG448_HEX);
	}
	for (n = 0; n < sizeof(text); n++) {
		x = x * 1103515245 + 12345;
		text[n] = (unsigned char)(x >> 16);
	}
	for (n = 0; n <= sizeof(text); n += n < 300 ? 1 : 131) {
		sha256_portable(1);
		sha256_buf_hex(text, n, want);
		sha256_portable(0);
		sha256_buf_hex(text, n, got);
		ck_assert_msg(strcmp(want, got) == 0, "%zu bytes", n);
	}
}
END_TEST

/*
 * The hash of an order's amounts is the hash of the text it always
 * was, fields and "|" one after another, however long that text grows.
 */
START_TEST(order_amounts_hash_hashes_the_fields_as_text)
{
	struct order o;
	struct buf want;
	char got[65], hex[SHA256_HEX];
	size_t i;

	order_init(&o);
	buf_init(&want, 0);
	memcpy(o.currency, "EUR", 4);
	o.prices = PRICES_NET;
	buf_printf(&want, "EUR|1|");
	for (i = 0; i < 40; i++) {
		struct order_line *l = order_add_line(&o);
		char id[32];

		snprintf(id, sizeof(id), "line-%zu", i);
		l->id = order_strdup(&o, id);
		l->qty_e4 = 10000 * (int64_t)i;
		l->amount_minor = -1999 * (int64_t)i;
		l->discount_minor = 5;
		l->rate_bp = 1900;
		buf_printf(&want, "L|%s|%lld|%lld|5|1900|", id,
		    (long long)l->qty_e4, (long long)l->amount_minor);
	}
	order_add_shipping(&o)->amount_minor = 490;
	buf_printf(&want, "S|490|0|");
	order_add_discount(&o)->rate_bp = -1;
	o.discounts[0].amount_minor = 300;
	order_add_discount(&o)->rate_bp = 700;
	o.discounts[1].allocated = 1;
	buf_printf(&want, "D|300|0|D|0|1|R|700|");
	o.total_minor = INT64_MIN;
	memcpy(o.shipping_addr.country, "AT", 3);
	memcpy(o.billing.country, "DE", 3);
	buf_printf(&want, "T|-9223372036854775808|AT|DE|");
	o.deemed_supplier = 1;
	o.marketplace_vat_minor = 42;
	memcpy(o.ship_from, "PL", 3);
	buf_printf(&want, "M|42|F|PL|");
	ck_assert_uint_gt(want.len, 1024);

	order_amounts_hash(&o, got);
	sha256_buf_hex(want.data, want.len, hex);
	ck_assert_str_eq(got, hex);
	buf_release(&want);
	order_release(&o);
}
END_TEST

static Suite *
sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sha256_matches_the_standard_short_vectors);
	tcase_add_test(tc, sha256_matches_one_million_a_fed_in_odd_pieces);
	tcase_add_test(tc, sha256_pads_correctly_at_block_boundaries);
	tcase_add_test(tc,
	    sha256_file_hex_hashes_contents_and_reports_missing_files);
	tcase_add_test(tc, sha256_portable_and_cpu_code_agree);
	tcase_add_test(tc, order_amounts_hash_hashes_the_fields_as_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sha256_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
