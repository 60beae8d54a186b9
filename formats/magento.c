#include "import.h"

int
magento_order_map(const struct jnode *obj, const char *ctx, struct order *o,
    struct kerr *e)
{
	(void)obj;
	(void)ctx;
	(void)o;
	return kerr_set(e, KR_BAD_INPUT, "", "not yet");
}
