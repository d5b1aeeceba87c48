/* money: the per-city flow counters (money.h). */
#include "model/money.h"

#include <stdlib.h>

int money_init(struct money_book *b, size_t n_cities, int64_t sample)
{
    b->cities = calloc(n_cities ? n_cities : 1, sizeof *b->cities);
    b->sample = sample;
    b->overflow = 0;
    return b->cities ? 0 : -1;
}

void money_destroy(struct money_book *b)
{
    free(b->cities);
    b->cities = NULL;
}

/* The flows are kept per city so that each city's circulation is known. */
void money_issue(struct money_book *b, uint32_t city, int64_t fen)
{
    money_add(b, &b->cities[city].issued, fen);
}

void money_redeem(struct money_book *b, uint32_t city, int64_t fen)
{
    money_add(b, &b->cities[city].redeemed, fen);
}

void money_reclaim(struct money_book *b, uint32_t city, int64_t fen)
{
    money_add(b, &b->cities[city].reclaimed, fen);
}
