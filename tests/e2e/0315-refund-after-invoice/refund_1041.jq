# #1041 (de-shopify-1) as Shopify sends it again after a refund: one bag
# of coffee (12.90 at 7 %) back, all the shipping (4.12 + 0.78 tax =
# 4.90) and 2.00 more, 19.80 paid back on 2 December.
.order.financial_status = "partially_refunded" |
.order.refunds = [{
	"id": 9300194532099, "order_id": 5400810067362,
	"created_at": "2026-12-02T15:00:00+01:00",
	"note": "Kaffee zurück", "restock": true,
	"refund_line_items": [{"id": 8800007391499, "quantity": 1,
	    "line_item_id": 10002550297817, "subtotal": "12.90",
	    "total_tax": "0.84"}],
	"transactions": [{"id": 6600178439199, "amount": "19.80",
	    "kind": "refund", "status": "success", "currency": "EUR",
	    "gateway": "shopify_payments"}],
	"order_adjustments": [{"id": 1, "kind": "shipping_refund",
	    "amount": "-4.12", "tax_amount": "-0.78"}]}]
