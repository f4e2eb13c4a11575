/*
 * Walking tree-sitter syntax trees, for the subsystems that read them
 * (lint's conditions, explain's SQL extraction).
 */
#ifndef BK_SYNTAX_H
#define BK_SYNTAX_H

#include <tree_sitter/api.h>

/*
 * Call fn(ctx, n) for root and every node below it, in document order
 * (pre-order), named or not.
 */
void bk_syntax_walk(TSNode root, void (*fn)(void *ctx, TSNode n), void *ctx);

/*
 * bk_syntax_walk that asks stop(stop_ctx) every few thousand nodes and
 * ends the walk early when it returns nonzero (a time budget ran out).
 */
void bk_syntax_walk_until(TSNode root, void (*fn)(void *ctx, TSNode n), void *ctx,
			  int (*stop)(void *stop_ctx), void *stop_ctx);

#endif
