-- The figures kept beside each stored document (table sales) against
-- the document's own record, read with the expressions the yearly
-- totals used before they were kept: one line per document whose
-- figures differ, or that lacks them although its record has a year
-- of supply and a treatment.  No line is a pass.
SELECT d.number FROM (SELECT id, number, doc_type,
    substr(json_extract(j, '$.supply_date'), 1, 4) AS year,
    json_extract(j, '$.treatment') AS treatment,
    json_extract(j, '$.currency') AS currency,
    json_extract(j, '$.totals.net') AS net,
    json_extract(j, '$.fx.vat') AS vat_eur,
    (SELECT group_concat(json_extract(v.value, '$.gross_eur'), ' ')
    FROM json_each(j, '$.vat') v) AS gross_eur
    FROM (SELECT id, number, doc_type, CAST(json AS TEXT) AS j
    FROM invoices)) d
    LEFT JOIN sales s ON s.invoice_id = d.id
    WHERE CASE WHEN s.invoice_id IS NULL
    THEN d.year IS NOT NULL AND d.treatment IS NOT NULL
    ELSE s.supply_year IS NOT d.year OR s.treatment IS NOT d.treatment
    OR s.doc_type IS NOT d.doc_type OR s.currency IS NOT d.currency
    OR s.net IS NOT d.net OR s.vat_eur IS NOT d.vat_eur
    OR s.gross_eur IS NOT d.gross_eur END
    ORDER BY d.id;
