#include "base/syntax.h"

#define NODES_PER_STOP_CHECK 4096

void bk_syntax_walk(TSNode root, void (*fn)(void *ctx, TSNode n), void *ctx)
{
	bk_syntax_walk_until(root, fn, ctx, NULL, NULL);
}

void bk_syntax_walk_until(TSNode root, void (*fn)(void *ctx, TSNode n), void *ctx,
			  int (*stop)(void *stop_ctx), void *stop_ctx)
{
	TSTreeCursor c = ts_tree_cursor_new(root);

	for (unsigned long nodes = 1;; nodes++) {
		if (stop && !(nodes % NODES_PER_STOP_CHECK) && stop(stop_ctx))
			break;
		fn(ctx, ts_tree_cursor_current_node(&c));
		if (ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto out;
	}
out:
	ts_tree_cursor_delete(&c);
}
