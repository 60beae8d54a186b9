// The peer line of make bench: kontor's invoice records (docs/records.md)
// written as XRechnung 3.0 documents by the npm package @e-invoice-eu/core,
// all of them in this one process.
//
//	node bench/peer.mjs MODULES ubl|cii OUTDIR <invoices.jsonl
//
// MODULES is the folder the package was installed into (npm install
// --prefix MODULES); bench/run makes it under its own temporary folder and
// never in the project.  Records of other types are ignored, as
// kontor-xrechnung ignores them.  Every invoice and credit note becomes
// OUTDIR/NUMBER.xml, named as kontor-xrechnung names it.  The run fails
// with status 1 at the first record the library refuses or throws on, and
// when the files written are not as many as the invoice records read.
//
// Fairness.  The library's InvoiceService.generate() makes a new Ajv and
// compiles the invoice schema on every call, which would make this a bench
// of the schema compiler.  So the script takes generate()'s steps itself,
// with the classes the package exports: one format service and one
// compiled validator for the run, then per invoice the validation, the
// format's defaults and its generate().  Left out of generate() are only
// its structuredClone() of the input, which protects a caller that keeps
// its object (ours is made fresh for each invoice), and the coercion of a
// note given as a string (ours is an array).  Each document is written as
// kontor-xrechnung -o writes one: under a temporary name, synced, renamed,
// and the folder synced, so that both sides of the ratio pay the same I/O.
//
// Money.  No amount is computed here: every figure is kontor's decimal
// string, passed on as it is, with one exception the library's schema
// forces.  Its amounts have at most two decimals, kontor's net price
// (BT-146) has four.  A price whose last two decimals are zero loses them
// ("12.9000" gives "12.90"); any other is stated per 100 units, with
// BT-149 (base quantity) 100, by moving the decimal point ("7.9333" gives
// "793.33"), which EN 16931 defines as the same price.
//
// What the documents hold is what kontor-xrechnung writes (its manual,
// "What the documents hold"), term for term, with these differences:
//  - The net price, as said above.
//  - The library fills BT-24 and BT-23 from the format (XRECHNUNG-UBL,
//    XRECHNUNG-CII) and BT-13 "NA" beside BT-14, which kontor writes in
//    UBL only; in CII the library writes it as well.  Element order,
//    indentation and namespace declarations are the library's.
//  - Two terms come out wrong in the library's CII (version 2.3.4), and
//    the script cannot mend them with what the schema lets it give: a
//    credit note loses BT-25 and BT-26, as the CII mapping looks for the
//    preceding invoice's number where the library's own schema does not
//    allow it, and the amount of a line allowance carries a currencyID,
//    which the EN 16931 rule CII-DT-031 refuses.
//  - An invoice in another currency gets BT-6 and BT-111 (a second
//    TaxTotal with only its amount), as kontor writes them.  The generated
//    nights of the bench are all in EUR, so this path is not measured.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const FORMATS = { ubl: 'XRECHNUNG-UBL', cii: 'XRECHNUNG-CII' };

function die(msg) {
	process.stderr.write(`peer: ${msg}\n`);
	process.exit(1);
}

// The library and the Ajv it was built with, both from MODULES.
function loadLibrary(modules) {
	const req = createRequire(path.resolve(modules, 'node_modules') + '/');
	const core = req('@e-invoice-eu/core');
	const coreReq = createRequire(req.resolve('@e-invoice-eu/core'));
	const Ajv2019 = coreReq('ajv/dist/2019').default;

	return { core, Ajv2019 };
}

// One format service and one compiled validator, as generate() makes them
// for each call, made once here.
function makeWriter(lib, format, logger) {
	const { core, Ajv2019 } = lib;
	const factory = new core.FormatFactoryService();
	const formatter = factory.createFormatService(format, logger);
	const ajv = new Ajv2019({
		strict: true, allErrors: true, useDefaults: true,
	});
	const schema = structuredClone(core.invoiceSchema);
	const options = { format: factory.normalizeFormat(format),
	    lang: 'de-de' };

	formatter.patchSchema(schema);
	const validate = ajv.compile(schema);
	const validation = new core.ValidationService(logger);

	return async (invoice) => {
		validation.validate('invoice data', validate, invoice);
		formatter.fillInvoiceDefaults(invoice);
		return formatter.generate(invoice, options);
	};
}

const isZero = (s) => /^[-+]?0*(\.0*)?$/.test(s);
const given = (s) => typeof s === 'string' && s.trim() !== '';

// Copies the fields of src that are given into dst under their new names.
function pick(dst, src, names) {
	for (const [to, from] of names)
		if (src !== undefined && given(src[from]))
			dst[to] = src[from];
	return dst;
}

function address(a) {
	const out = pick({}, a, [
		['cbc:StreetName', 'street'],
		['cbc:AdditionalStreetName', 'street2'],
		['cbc:CityName', 'city'],
		['cbc:PostalZone', 'postcode'],
		['cbc:CountrySubentity', 'region'],
	]);

	out['cac:Country'] = { 'cbc:IdentificationCode': a.country };
	return out;
}

function endpoint(party, p) {
	return pick(party, p, [
		['cbc:EndpointID', 'endpoint'],
		['cbc:EndpointID@schemeID', 'endpoint_scheme'],
	]);
}

const taxScheme = (id, scheme) => ({
	'cbc:CompanyID': id,
	'cac:TaxScheme': { 'cbc:ID': scheme },
});

const category = (cat, rate) => ({
	'cbc:ID': cat,
	'cbc:Percent': rate,
	'cac:TaxScheme': { 'cbc:ID': 'VAT' },
});

// Category O, not subject to VAT, names no VAT id of either party.
const outOfScope = (r) => r.vat.some((v) => v.category === 'O');

function seller(r) {
	const s = r.seller;
	const party = endpoint({}, s);
	const schemes = [];

	party['cac:PostalAddress'] = address(s);
	if (given(s.vat_id) && !outOfScope(r))
		schemes.push(taxScheme(s.vat_id, 'VAT'));
	if (given(s.tax_number))
		schemes.push(taxScheme(s.tax_number, 'FC'));
	if (schemes.length > 0)
		party['cac:PartyTaxScheme'] = schemes;
	party['cac:PartyLegalEntity'] = pick({
		'cbc:RegistrationName': s.name,
	}, s, [['cbc:CompanyID', 'register_id']]);
	const contact = pick({}, s, [
		['cbc:Name', 'contact_name'],
		['cbc:Telephone', 'contact_phone'],
		['cbc:ElectronicMail', 'contact_email'],
	]);
	if (Object.keys(contact).length > 0)
		party['cac:Contact'] = contact;
	return { 'cac:Party': party };
}

function buyer(r) {
	const b = r.buyer;
	const party = endpoint({}, b);

	party['cac:PostalAddress'] = address(b);
	if (given(b.vat_id) && !outOfScope(r))
		party['cac:PartyTaxScheme'] = taxScheme(b.vat_id, 'VAT');
	party['cac:PartyLegalEntity'] = {
		'cbc:RegistrationName': given(b.company) ? b.company : b.name,
	};
	if (given(b.company) && given(b.name) && b.company !== b.name)
		party['cac:Contact'] = { 'cbc:Name': b.name };
	return { 'cac:Party': party };
}

function delivery(r) {
	const d = r.delivery;
	const out = pick({}, r, [['cbc:ActualDeliveryDate', 'supply_date']]);

	if (d === undefined)
		return out;
	out['cac:DeliveryLocation'] = { 'cac:Address': address(d) };
	out['cac:DeliveryParty'] = { 'cac:PartyName': {
		'cbc:Name': given(d.company) ? d.company : d.name,
	} };
	return out;
}

function paymentMeans(r) {
	const p = r.payment;
	const transfer = p.means === '58' || p.means === '30';
	const means = pick({}, p, [
		['cbc:PaymentMeansCode', 'means'],
		['cbc:PaymentMeansCode@name', 'gateway'],
	]);
	const remit = transfer ? r.number : p.transaction_id;

	if (given(remit))
		means['cbc:PaymentID'] = remit;
	if (transfer && given(p.iban))
		means['cac:PayeeFinancialAccount'] = { 'cbc:ID': p.iban };
	return [means];
}

// An allowance without a reason code gets 95 (discount), as in kontor.
function allowanceCharge(a, cur) {
	const out = { 'cbc:ChargeIndicator': a.charge ? 'true' : 'false' };

	if (given(a.reason_code))
		out['cbc:AllowanceChargeReasonCode'] = a.reason_code;
	else if (!a.charge)
		out['cbc:AllowanceChargeReasonCode'] = '95';
	pick(out, a, [['cbc:AllowanceChargeReason', 'reason']]);
	out['cbc:Amount'] = a.net;
	out['cbc:Amount@currencyID'] = cur;
	if (a.category !== undefined)
		out['cac:TaxCategory'] = category(a.category, a.rate);
	return out;
}

function subtotal(v, cur) {
	const cat = category(v.category, v.rate);

	pick(cat, v, [
		['cbc:TaxExemptionReasonCode', 'exemption_code'],
		['cbc:TaxExemptionReason', 'exemption_reason'],
	]);
	return {
		'cbc:TaxableAmount': v.taxable,
		'cbc:TaxableAmount@currencyID': cur,
		'cbc:TaxAmount': v.vat,
		'cbc:TaxAmount@currencyID': cur,
		'cac:TaxCategory': cat,
	};
}

function taxTotals(r) {
	const cur = r.currency;
	const totals = [{
		'cbc:TaxAmount': r.totals.vat,
		'cbc:TaxAmount@currencyID': cur,
		'cac:TaxSubtotal': r.vat.map((v) => subtotal(v, cur)),
	}];

	if (r.fx !== undefined)
		totals.push({
			'cbc:TaxAmount': r.fx.vat,
			'cbc:TaxAmount@currencyID': r.fx.currency,
		});
	return totals;
}

function monetaryTotal(r) {
	const t = r.totals;
	const cur = r.currency;
	const out = {};
	const put = (name, value) => {
		out[name] = value;
		out[name + '@currencyID'] = cur;
	};
	const has = (charge) => r.allowances_charges.some(
	    (a) => a.charge === charge);

	put('cbc:LineExtensionAmount', t.line_net);
	put('cbc:TaxExclusiveAmount', t.net);
	put('cbc:TaxInclusiveAmount', t.gross);
	if (has(false))
		put('cbc:AllowanceTotalAmount', t.allowances);
	if (has(true))
		put('cbc:ChargeTotalAmount', t.charges);
	if (!isZero(t.paid))
		put('cbc:PrepaidAmount', t.paid);
	if (!isZero(t.rounding))
		put('cbc:PayableRoundingAmount', t.rounding);
	put('cbc:PayableAmount', t.due);
	return out;
}

// BT-146 with at most two decimals and BT-149, by moving digits only:
// "12.9000" -> ["12.90"], "7.9333" -> ["793.33", "100"].
function price(netPrice) {
	const m = /^(\d+)\.(\d\d)(\d\d)$/.exec(netPrice);

	if (m === null)
		return [netPrice];
	if (m[3] === '00')
		return [`${m[1]}.${m[2]}`];
	const whole = (m[1] + m[2]).replace(/^0+(?=\d)/, '');
	return [`${whole}.${m[3]}`, '100'];
}

function line(l, cur) {
	const [amount, base] = price(l.net_price);
	const out = {
		'cbc:ID': l.id,
		'cbc:InvoicedQuantity': l.quantity,
		'cbc:InvoicedQuantity@unitCode': l.unit,
		'cbc:LineExtensionAmount': l.net,
		'cbc:LineExtensionAmount@currencyID': cur,
	};
	const item = { 'cbc:Name': l.name };
	const p = {
		'cbc:PriceAmount': amount,
		'cbc:PriceAmount@currencyID': cur,
	};

	if (given(l.allowance) && !isZero(l.allowance))
		out['cac:AllowanceCharge'] = [allowanceCharge({
			charge: false, reason_code: '95',
			reason: l.allowance_reason, net: l.allowance,
		}, cur)];
	if (given(l.sku))
		item['cac:SellersItemIdentification'] = { 'cbc:ID': l.sku };
	item['cac:ClassifiedTaxCategory'] = category(l.category, l.rate);
	out['cac:Item'] = item;
	if (base !== undefined) {
		p['cbc:BaseQuantity'] = base;
		p['cbc:BaseQuantity@unitCode'] = l.unit;
	}
	out['cac:Price'] = p;
	return out;
}

// The library's Invoice for one invoice record.
function toPeer(r) {
	const cur = r.currency;
	const inv = pick({}, r, [
		['cbc:ID', 'number'],
		['cbc:IssueDate', 'issue_date'],
		['cbc:InvoiceTypeCode', 'doc_type'],
	]);

	if (given(r.note))
		inv['cbc:Note'] = [r.note];
	inv['cbc:DocumentCurrencyCode'] = cur;
	if (r.fx !== undefined)
		inv['cbc:TaxCurrencyCode'] = r.fx.currency;
	pick(inv, r, [['cbc:BuyerReference', 'buyer_reference']]);
	if (given(r.order_number))
		inv['cac:OrderReference'] = {
			'cbc:SalesOrderID': r.order_number,
		};
	if (r.preceding !== undefined)
		inv['cac:BillingReference'] = [{
			'cac:InvoiceDocumentReference': pick({}, r.preceding, [
				['cbc:ID', 'number'],
				['cbc:IssueDate', 'issue_date'],
			]),
		}];
	inv['cac:AccountingSupplierParty'] = seller(r);
	inv['cac:AccountingCustomerParty'] = buyer(r);
	inv['cac:Delivery'] = delivery(r);
	inv['cac:PaymentMeans'] = paymentMeans(r);
	if (given(r.payment.terms))
		inv['cac:PaymentTerms'] = { 'cbc:Note': r.payment.terms };
	if (r.allowances_charges.length > 0)
		inv['cac:AllowanceCharge'] = r.allowances_charges.map(
		    (a) => allowanceCharge(a, cur));
	inv['cac:TaxTotal'] = taxTotals(r);
	inv['cac:LegalMonetaryTotal'] = monetaryTotal(r);
	inv['cac:InvoiceLine'] = r.lines.map((l) => line(l, cur));
	return { 'ubl:Invoice': inv };
}

// kontor-xrechnung's file name for an invoice number.
function fileName(number) {
	return number.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_') +
	    '.xml';
}

// Writes one document under a temporary name, syncs it, renames it and
// syncs the folder, the steps of kontor-xrechnung -o.
function writeDoc(dir, dirFd, name, xml) {
	const tmp = path.join(dir, `.${name}.${process.pid}`);
	const fd = fs.openSync(tmp, 'wx', 0o666);

	fs.writeSync(fd, xml);
	fs.fsyncSync(fd);
	fs.closeSync(fd);
	fs.renameSync(tmp, path.join(dir, name));
	fs.fsyncSync(dirFd);
}

async function main(argv) {
	if (argv.length !== 3 || FORMATS[argv[1]] === undefined)
		die('usage: node peer.mjs MODULES ubl|cii OUTDIR ' +
		    '<invoices.jsonl');
	const [modules, syntax, dir] = argv;
	const logger = {
		log() {},
		warn: (m) => process.stderr.write(`peer: ${m}\n`),
		error: (m) => process.stderr.write(`peer: ${m}\n`),
	};
	const write = makeWriter(loadLibrary(modules), FORMATS[syntax],
	    logger);
	const dirFd = fs.openSync(dir, 'r');
	const text = fs.readFileSync(0, 'utf8');
	let nread = 0, nwritten = 0, lineno = 0;

	for (const rec of text.split('\n')) {
		lineno++;
		if (rec === '')
			continue;
		const r = JSON.parse(rec);
		if (r.type !== 'invoice')
			continue;
		nread++;
		let xml;
		try {
			xml = await write(toPeer(r));
		} catch (err) {
			die(`-:${lineno}: invoice ${r.number}: ` +
			    err.message);
		}
		writeDoc(dir, dirFd, fileName(r.number), xml);
		nwritten++;
	}
	fs.closeSync(dirFd);
	if (nwritten !== nread)
		die(`${nread} invoices read, ${nwritten} written`);
}

await main(process.argv.slice(2));
