/*
 * Finding and opening database plugins. A plugin is trusted code (it runs
 * in our process), so it is looked for only in directories the user or the
 * installation chose, never in the current directory.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "explain/plugin-load.h"
#include "base/util.h"

#ifndef BK_PLUGINDIR
#define BK_PLUGINDIR "/usr/local/lib/bkgen/plugins"
#endif

#define MAX_DIRS 4

struct search {
	char *dirs[MAX_DIRS];
	int nr;
};

static void search_add(struct search *s, char *dir)
{
	if (s->nr < MAX_DIRS)
		s->dirs[s->nr++] = dir;
	else
		free(dir);
}

/* Directory of /proc/self/exe, or NULL. */
static char *exe_dir(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	return bk_xstrndup(path, (size_t)(slash - path));
}

static void search_init(struct search *s, const char *plugin_dir)
{
	const char *env = getenv("BKGEN_PLUGIN_DIR");
	char *exe;
	struct bk_buf b = BK_BUF_INIT;

	memset(s, 0, sizeof(*s));
	if (plugin_dir && *plugin_dir) {
		search_add(s, bk_xstrdup(plugin_dir));
		return;
	}
	if (env && *env) {
		search_add(s, bk_xstrdup(env));
		return;
	}
	exe = exe_dir();
	if (exe) {
		bk_buf_printf(&b, "%s/plugins", exe);
		search_add(s, bk_buf_detach(&b));
		bk_buf_printf(&b, "%s/../lib/bkgen/plugins", exe);
		search_add(s, bk_buf_detach(&b));
		free(exe);
	}
	search_add(s, bk_xstrdup(BK_PLUGINDIR));
}

static void search_release(struct search *s)
{
	for (int i = 0; i < s->nr; i++)
		free(s->dirs[i]);
	s->nr = 0;
}

static int valid_name(const char *name)
{
	if (!name || !*name)
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') &&
		    *p != '_' && *p != '-')
			return 0;
	return 1;
}

/* The first existing bkgen-db-NAME.so along the search path, or NULL. */
static char *find_plugin(const char *name, const char *plugin_dir, struct bk_err *err)
{
	struct search s;
	struct bk_buf looked = BK_BUF_INIT, path = BK_BUF_INIT;
	char *found = NULL;

	search_init(&s, plugin_dir);
	for (int i = 0; i < s.nr && !found; i++) {
		bk_buf_reset(&path);
		bk_buf_printf(&path, "%s/bkgen-db-%s.so", s.dirs[i], name);
		if (access(path.ptr, F_OK) == 0)
			found = bk_buf_detach(&path);
		bk_buf_printf(&looked, "%s%s", i ? ", " : "", s.dirs[i]);
	}
	if (!found)
		bk_err_set(err, BK_EIO, "database plugin '%s' not found (looked in: %s); "
			   "build it with 'make' or pass --plugin-dir", name, looked.ptr);
	bk_buf_release(&path);
	bk_buf_release(&looked);
	search_release(&s);
	return found;
}

static int vtable_complete(const struct bk_db_vtable *vt)
{
	return vt->connect && vt->server_version && vt->prepare && vt->explain &&
	       vt->query_json && vt->exec_script && vt->close && vt->free_strings &&
	       vt->free_mem;
}

/* Resolve the entry point and check what it returns. */
static int plugin_check(struct bk_db_plugin *p, const char *name, struct bk_err *err)
{
	bk_db_plugin_fn entry;
	void *sym;

	dlerror();
	sym = dlsym(p->handle, BK_DB_PLUGIN_SYMBOL);
	if (!sym)
		return bk_err_set(err, BK_EIO, "plugin '%s' (%s) does not export '%s'; "
				  "it is not a bkgen database plugin", name, p->path,
				  BK_DB_PLUGIN_SYMBOL);
	/* POSIX guarantees this conversion for dlsym results */
	memcpy(&entry, &sym, sizeof(entry));
	p->vt = entry();
	if (!p->vt)
		return bk_err_set(err, BK_EIO, "plugin '%s' (%s) returned no vtable",
				  name, p->path);
	if (p->vt->abi != BK_DB_ABI_VERSION)
		return bk_err_set(err, BK_EIO, "plugin '%s' (%s) was built for ABI %u, "
				  "this bkgen speaks ABI %d; rebuild it", name, p->path,
				  p->vt->abi, BK_DB_ABI_VERSION);
	if (!vtable_complete(p->vt))
		return bk_err_set(err, BK_EIO, "plugin '%s' (%s) has an incomplete vtable; "
				  "rebuild it", name, p->path);
	return 0;
}

int bk_db_plugin_load(struct bk_db_plugin *out, const char *name,
		      const char *plugin_dir, struct bk_err *err)
{
	const char *why;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!valid_name(name))
		return bk_err_set(err, BK_EIO, "invalid database plugin name '%s'",
				  name ? name : "");
	out->path = find_plugin(name, plugin_dir, err);
	if (!out->path)
		return BK_EIO;
	out->handle = dlopen(out->path, RTLD_NOW | RTLD_LOCAL);
	if (!out->handle) {
		why = dlerror();
		rc = bk_err_set(err, BK_EIO, "cannot load database plugin '%s': %s",
				name, why ? why : out->path);
		bk_db_plugin_unload(out);
		return rc;
	}
	rc = plugin_check(out, name, err);
	if (rc)
		bk_db_plugin_unload(out);
	return rc;
}

void bk_db_plugin_unload(struct bk_db_plugin *p)
{
	if (!p)
		return;
	if (p->handle)
		dlclose(p->handle);
	free(p->path);
	memset(p, 0, sizeof(*p));
}
