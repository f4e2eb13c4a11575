#include "base/syntax.h"

void bk_syntax_walk(TSNode root, void (*fn)(void *ctx, TSNode n), void *ctx)
{
	TSTreeCursor c = ts_tree_cursor_new(root);

	for (;;) {
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
