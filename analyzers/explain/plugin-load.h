/*
 * Loading a database plugin (bkgen-db-NAME.so, see dbplugin.h) with
 * dlopen. The core never links a database client library; it only sees
 * the vtable.
 *
 * Search order for the file: plugin_dir when given (only there), else
 * $BKGEN_PLUGIN_DIR when set (only there), else <dir of the executable>/
 * plugins, <dir of the executable>/../lib/bkgen/plugins and the installed
 * BK_PLUGINDIR. The first existing file wins.
 */
#ifndef BK_DBLOAD_H
#define BK_DBLOAD_H

#include "explain/dbplugin.h"
#include "base/err.h"

struct bk_db_plugin {
	void *handle;                   /* from dlopen */
	const struct bk_db_vtable *vt;  /* borrowed from the plugin */
	char *path;                     /* the file loaded, owned */
};

/*
 * Load plugin `name` ("postgres"). On failure out is zeroed and the error
 * is BK_EIO: not found (with the directories looked in), a broken shared
 * object (dlerror's text), a missing symbol or a different ABI version.
 */
int bk_db_plugin_load(struct bk_db_plugin *out, const char *name,
		      const char *plugin_dir, struct bk_err *err);
/* dlclose and free; safe on a zeroed or already unloaded struct. */
void bk_db_plugin_unload(struct bk_db_plugin *p);

#endif
