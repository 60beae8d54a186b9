#ifndef KONTOR_CURRENCY_H
#define KONTOR_CURRENCY_H

/*
 * ISO 4217 currencies in circulation and the number of minor-unit
 * digits of each (EUR 2, JPY 0, KWD 3).  Amounts are held in minor units
 * at that exponent (dec.h).
 */

/*
 * Returns the exponent of the three-letter code, or -1 when the code is
 * not an active ISO 4217 currency.
 */
int	currency_exponent(const char *code);

#endif
