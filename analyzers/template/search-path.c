/*
 * Where templates live. The search path is built once, in order, and the
 * first directory holding <lang>/template.yml wins: --template-dir,
 * $BKGEN_TEMPLATE_PATH, the source tree the binary runs from, then the
 * installed data directory.
 */
#include "template/template.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BK_DATADIR
#define BK_DATADIR "/usr/local/share/bkgen"
#endif

static void add_dir(struct bk_tpath *p, const char *dir, size_t len)
{
	if (!len)
		return;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (size_t i = 0; i < p->nr; i++)
		if (strlen(p->dirs[i]) == len && !strncmp(p->dirs[i], dir, len))
			return;
	p->dirs = bk_xrealloc(p->dirs, (p->nr + 1) * sizeof(char *));
	p->dirs[p->nr++] = bk_xstrndup(dir, len);
}

static int is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * A binary built in the source tree (./bkgen or build/bkgen) finds the
 * tree's templates/ next to it or one level up; the Makefile and this
 * module's source mark the directory as bkgen's tree.
 */
static void add_source_tree(struct bk_tpath *p)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct bk_buf d = BK_BUF_INIT, probe = BK_BUF_INIT;

	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return;
	bk_buf_add(&d, exe, (size_t)(slash - exe));
	for (int up = 0; up < 3; up++) {
		bk_buf_reset(&probe);
		bk_buf_printf(&probe, "%s/analyzers/template/template.h", d.len ? d.ptr : "/");
		if (!access(probe.ptr, F_OK)) {
			bk_buf_reset(&probe);
			bk_buf_printf(&probe, "%s/templates", d.ptr);
			if (is_dir(probe.ptr))
				add_dir(p, probe.ptr, probe.len);
			break;
		}
		char *s = strrchr(d.ptr, '/');
		if (!s || s == d.ptr)
			break;
		d.len = (size_t)(s - d.ptr);
		d.ptr[d.len] = '\0';
	}
	bk_buf_release(&d);
	bk_buf_release(&probe);
}

void bk_tpath_init(struct bk_tpath *p, const char *template_dir)
{
	const char *env = getenv("BKGEN_TEMPLATE_PATH");

	memset(p, 0, sizeof(*p));
	if (template_dir)
		add_dir(p, template_dir, strlen(template_dir));
	while (env && *env) {
		const char *colon = strchr(env, ':');
		size_t len = colon ? (size_t)(colon - env) : strlen(env);
		add_dir(p, env, len);
		env = colon ? colon + 1 : NULL;
	}
	add_source_tree(p);
	add_dir(p, BK_DATADIR "/templates", strlen(BK_DATADIR "/templates"));
}

void bk_tpath_release(struct bk_tpath *p)
{
	for (size_t i = 0; i < p->nr; i++)
		free(p->dirs[i]);
	free(p->dirs);
	memset(p, 0, sizeof(*p));
}

static int lang_is_word(const char *lang)
{
	if (!*lang || lang[0] == '.' || lang[0] == '-')
		return 0;
	return strspn(lang, "abcdefghijklmnopqrstuvwxyz0123456789_.+-") == strlen(lang);
}

static int has_manifest(const char *dir, const char *lang)
{
	struct bk_buf path = BK_BUF_INIT;
	bk_buf_printf(&path, "%s/%s/%s", dir, lang, BK_TEMPLATE_MANIFEST);
	int yes = !access(path.ptr, F_OK);
	bk_buf_release(&path);
	return yes;
}

int bk_tpath_find(char **out, const struct bk_tpath *p, const char *lang,
		  struct bk_err *err)
{
	*out = NULL;
	if (!lang_is_word(lang) || strstr(lang, ".."))
		return bk_err_set(err, BK_EUSAGE,
				  "bad language '%s': a template name is a lowercase word such as c or python (see 'bkgen new --list')",
				  lang);
	for (size_t i = 0; i < p->nr; i++)
		if (has_manifest(p->dirs[i], lang)) {
			struct bk_buf dir = BK_BUF_INIT;
			bk_buf_printf(&dir, "%s/%s", p->dirs[i], lang);
			*out = bk_buf_detach(&dir);
			return 0;
		}
	return 0;
}

static void list_add(struct bk_tlist *l, const char *lang, const char *dir)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->langs[i], lang))
			return;
	struct bk_buf d = BK_BUF_INIT;
	bk_buf_printf(&d, "%s/%s", dir, lang);
	l->langs = bk_xrealloc(l->langs, (l->nr + 1) * sizeof(char *));
	l->dirs = bk_xrealloc(l->dirs, (l->nr + 1) * sizeof(char *));
	l->langs[l->nr] = bk_xstrdup(lang);
	l->dirs[l->nr++] = bk_buf_detach(&d);
}

void bk_tpath_list(struct bk_tlist *out, const struct bk_tpath *p)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->nr; i++) {
		DIR *dir = opendir(p->dirs[i]);
		struct dirent *e;
		if (!dir)
			continue;
		while ((e = readdir(dir)))
			if (lang_is_word(e->d_name) && has_manifest(p->dirs[i], e->d_name))
				list_add(out, e->d_name, p->dirs[i]);
		closedir(dir);
	}
	/* Insertion sort by language: a handful of entries. */
	for (size_t i = 1; i < out->nr; i++)
		for (size_t j = i; j > 0 && strcmp(out->langs[j - 1], out->langs[j]) > 0; j--) {
			char *l = out->langs[j], *d = out->dirs[j];
			out->langs[j] = out->langs[j - 1];
			out->dirs[j] = out->dirs[j - 1];
			out->langs[j - 1] = l;
			out->dirs[j - 1] = d;
		}
}

void bk_tlist_release(struct bk_tlist *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->langs[i]);
		free(l->dirs[i]);
	}
	free(l->langs);
	free(l->dirs);
	memset(l, 0, sizeof(*l));
}
