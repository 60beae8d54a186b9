#ifndef KONTOR_DATEV_H
#define KONTOR_DATEV_H

/*
 * The DATEV EXTF Buchungsstapel writer: header version 700, category 21,
 * format version 13 (125 columns), as ../shared/spec/datev.md describes
 * it.
 *
 * A file is line 1, the header (31 fields); line 2, the column names;
 * then one line per booking.  Lines end in CR LF, the last one too.
 * Text fields are quoted with inner quotes doubled, empty ones written
 * as ""; numbers, amounts and dates are never quoted and empty ones are
 * left empty.  Everything is Windows-1252 (cp1252.h); a character that
 * code page lacks is transliterated and counted, never dropped silently.
 * Amounts come from exact integers and are written "1190,00": decimal
 * comma, two decimals, no sign, no thousands separator.
 *
 * The writer keeps one batch per month of Belegdatum (a month never
 * spans two fiscal years, because kontor requires fiscal years that
 * start on the first of a month).  Each batch is a file opened through a
 * sink the moment its month is first seen; rows are streamed into it and
 * not kept in memory, and datev_writer_finish hands every file back to
 * the sink to be made durable.  The sink decides where files go: a
 * directory (temp name, fsync, rename), standard output, or a delivery
 * (deliver.h).
 *
 * An invoice is all or nothing: its rows are built and checked first,
 * and only when all of them pass are they written.  A refused invoice
 * leaves no trace in any file.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "cp1252.h"
#include "err.h"
#include "invoice.h"

#define DATEV_HEADER_FIELDS	31
#define DATEV_COLUMNS		125
#define DATEV_FORMAT_VERSION	13
#define DATEV_BELEGINFO		8	/* Beleginfo pairs, columns 21-36 */

/* Limits in characters (Windows-1252 bytes), datev.md §3 */
#define DATEV_DOCNO_MAX		36	/* Belegfeld 1 */
#define DATEV_DOCNO2_MAX	12	/* Belegfeld 2 */
#define DATEV_TEXT_MAX		60	/* Buchungstext */
#define DATEV_ORDER_MAX		30	/* Auftragsnummer */
/* A(10): ten integer digits and two decimals, in hundredths */
#define DATEV_AMOUNT_MAX	INT64_C(999999999999)
/* Kurs: at most four integer digits and six decimals, in millionths */
#define DATEV_RATE_MAX		INT64_C(9999999999)

#define DATEV_MONTH_MAX		8	/* "YYYY-MM" and NUL */
#define DATEV_NAME_MAX		64	/* "EXTF_Buchungsstapel_YYYY-MM.csv" */

/* One Beleginfo pair: both set or both NULL. */
struct datev_info {
	const char *kind;	/* Beleginfo - Art, up to 20 characters */
	const char *content;	/* Beleginfo - Inhalt, up to 210 */
};

/*
 * One booking.  Strings are UTF-8 and borrowed; NULL or "" leaves a
 * column empty.  Zero-initialise and fill what applies.
 */
struct datev_row {
	int64_t amount_minor;	/* 1: hundredths (two decimals), > 0 */
	char side;		/* 2: 'S' debit or 'H' credit, of account */
	const char *currency;	/* 3: ISO 4217 of amount_minor */
	int64_t rate_e6;	/* 4: Kurs, millionths; 0 for none */
	int64_t base_minor;	/* 5: Basis-Umsatz, hundredths; 0: none */
	const char *base_currency;	/* 6: WKZ Basis-Umsatz */
	const char *account;	/* 7: Konto, digits */
	const char *contra;	/* 8: Gegenkonto, digits */
	const char *tax_key;	/* 9: BU-Schlüssel, up to 4 digits */
	const char *doc_date;	/* 10: Belegdatum "YYYY-MM-DD", written TTMM */
	const char *doc_no;	/* 11: Belegfeld 1, DATEV's charset */
	const char *doc_no2;	/* 12: Belegfeld 2, DATEV's charset */
	const char *text;	/* 14: Buchungstext */
	struct datev_info info[DATEV_BELEGINFO];	/* 21-36 */
	const char *eu_dest;	/* 40: EU-Land u. UStID (Bestimmung) */
	int has_eu_rate;
	int64_t eu_rate_bp;	/* 41: EU-Steuersatz, with eu_dest */
	const char *order_no;	/* 95: Auftragsnummer */
	const char *supply_date;	/* 115: Leistungsdatum "YYYY-MM-DD" */
	const char *period_date;	/* 116: Datum Zuord. Steuerperiode */
	int reversal;		/* 118: Generalumkehr, 1 writes "1" */
	const char *eu_origin;	/* 123: EU-Land u. UStID (Ursprung) */
};

/* Where batch files go. */
struct datev_sink {
	void	*arg;
	/*
	 * Creates the file called name (a plain file name) for writing
	 * and hands out its stream.  KR_OK, or an error with e filled; a
	 * sink may refuse a second file (standard output takes one).
	 */
	int	(*open)(void *arg, const char *name, FILE **fp,
		    struct kerr *e);
	/* Makes the finished file durable and visible; closes fp. */
	int	(*close)(void *arg, FILE *fp, const char *name,
		    struct kerr *e);
	/* Closes fp and throws the file away. */
	void	(*discard)(void *arg, FILE *fp, const char *name);
};

/* One month's file. */
struct datev_batch {
	char month[DATEV_MONTH_MAX];	/* "YYYY-MM" */
	char name[DATEV_NAME_MAX];	/* file name */
	FILE *fp;			/* NULL once finished or discarded */
	long n_rows;
	int done;			/* the sink accepted the file */
};

struct datev_writer {
	const struct config *cfg;	/* borrowed; outlives the writer */
	const struct datev_sink *sink;	/* borrowed */
	time_t created;			/* the run's time: Erzeugt am */
	struct datev_batch *batch;	/* in the order months were seen */
	size_t nbatch;
	struct cp1252 enc;
	struct buf rows;		/* one call's rows, until all pass */
	long n_invoices;		/* invoices written */
	long n_rows;			/* bookings written */
	long n_translit;		/* characters transliterated */
	long n_control;			/* control characters made spaces */
};

/* What the caller may want to report about one invoice. */
struct datev_note {
	char doc_no[DATEV_DOCNO_MAX + 1];	/* Belegfeld 1 as written */
	int doc_no_mapped;		/* 1: differs from the number */
	long n_rows;			/* bookings written for it */
	long n_translit;
	long n_control;
	const char *file;		/* the batch's file name, or NULL */
};

/* Life cycle */

/*
 * Starts a writer.  cfg gives the header values (consultant, client,
 * fiscal year, account length, chart, exported_by, dictation) and the
 * shop names; created is the run's time, written as Erzeugt am in the
 * current zone (ktime_set_zone).  Both cfg and sink stay the caller's
 * and must outlive the writer.  KR_CONFIG when a value from cfg cannot
 * go into a DATEV file (a fiscal year not starting on the first of a
 * month, exported_by with other characters than letters, digits and
 * '_', a dictation code that is not two capitals, a shop name longer
 * than CONFIG_SHOP_NAME_MAX in Windows-1252).  config_load refuses all
 * of these first; this is a second line of defence.
 */
int	datev_writer_init(struct datev_writer *w, const struct config *cfg,
	    const struct datev_sink *sink, time_t created, struct kerr *e);

/*
 * Discards every batch not yet finished and frees the writer's memory.
 * Safe after datev_writer_finish.
 */
void	datev_writer_release(struct datev_writer *w);

/* Writing */

/*
 * Books an invoice or credit note (datev.md §7): one row per VAT
 * breakdown over its gross amount, debitor against the breakdown's
 * revenue account, S for an invoice and H for a credit note, and a
 * rounding row when BT-114 is not zero.  An invoice in another currency
 * is booked in it (column 3) with its BMF rate as Kurs and its EUR
 * figures as Basis-Umsatz (columns 4 to 6, datev.md §4).  By treatment,
 * a distance sale under OSS carries the destination state, its rate and
 * the seller's VAT id (columns 40, 41, 123, datev.md §8), an intra-EU
 * supply the buyer's VAT id (column 40); every other treatment none of
 * them.  The invoice is refused, with e naming the field and the
 * message naming its number, when its treatment is not one of those,
 * an invoice in another currency lacks its EUR figures, a VAT id or
 * country those columns need is missing, it lacks an account or has one
 * that does not fit the account length, or when a text does not fit
 * its column.  note (may be NULL) says what the caller should report.
 * inv stays the caller's.
 */
int	datev_writer_add_invoice(struct datev_writer *w,
	    const struct invoice *inv, struct datev_note *note,
	    struct kerr *e);

/*
 * Writes n rows that belong together (all in one month of Belegdatum)
 * into their month's batch, opening it when the month is new.  Nothing
 * is written unless every row passes.  rows stay the caller's.
 */
int	datev_writer_add_rows(struct datev_writer *w,
	    const struct datev_row *rows, size_t n, struct datev_note *note,
	    struct kerr *e);

/*
 * Hands every batch to the sink's close, in the order the months were
 * first seen, and marks each that the sink accepted as done.  Goes on
 * after a failure; returns the first one, with e filled.
 */
int	datev_writer_finish(struct datev_writer *w, struct kerr *e);

/* Pieces, for tests and for writers of other DATEV files */

/*
 * Appends one booking line, Windows-1252 with CR LF, to out.  Accounts
 * may have up to account_length + 1 digits.  enc counts
 * transliterations.  On error (KR_BAD_INPUT, KR_OVERFLOW) e's field is
 * the DATEV column name and out is as it was.
 */
int	datev_row_format(const struct datev_row *r, int account_length,
	    struct cp1252 *enc, struct buf *out, struct kerr *e);

/*
 * Appends the header line of the batch for month ("YYYY-MM") to out.
 * KR_BAD_INPUT when the month is not one.
 */
int	datev_header_format(const struct config *cfg, const char *month,
	    time_t created, struct buf *out, struct kerr *e);

/* Appends line 2, the 125 column names, to out. */
int	datev_names_format(struct cp1252 *enc, struct buf *out,
	    struct kerr *e);

/*
 * Maps s to DATEV's Belegfeld characters (A-Z a-z 0-9 $ % - /): every
 * other character, multi-byte ones included, becomes one '-'
 * ("RE 2026.001" gives "RE-2026-001").  Writes at most size - 1 bytes
 * and a NUL into out; KR_TOO_BIG when the result is longer than max
 * characters (nothing is cut).  Returns KR_OK otherwise.
 */
int	datev_docno_map(const char *s, size_t max, char *out, size_t size);

/* The file name of a month's batch: "EXTF_Buchungsstapel_YYYY-MM.csv". */
void	datev_file_name(const char *month, char *out, size_t size);

#endif
