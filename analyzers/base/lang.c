#include "base/lang.h"

#include <string.h>

const struct TSLanguage *tree_sitter_c(void);
const struct TSLanguage *tree_sitter_javascript(void);
const struct TSLanguage *tree_sitter_typescript(void);
const struct TSLanguage *tree_sitter_tsx(void);
const struct TSLanguage *tree_sitter_python(void);
const struct TSLanguage *tree_sitter_go(void);
const struct TSLanguage *tree_sitter_rust(void);
const struct TSLanguage *tree_sitter_c_sharp(void);

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *const js_functions[] = {
	"function_declaration", "function_expression", "arrow_function",
	"method_definition", "generator_function_declaration",
	"generator_function", NULL
};
static const char *const js_noops[] = { ";", NULL };
static const char *const js_comments[] = { "comment", "html_comment", NULL };

const struct bk_lang bk_langs[] = {
	{ "c", tree_sitter_c, LIST(".c", ".h"), LIST("comment"),
	  LIST("function_definition"), LIST(";"), "c", NULL, NULL },
	{ "javascript", tree_sitter_javascript,
	  LIST(".js", ".mjs", ".cjs", ".jsx"), js_comments, js_functions,
	  js_noops, "js", NULL, NULL },
	{ "typescript", tree_sitter_typescript, LIST(".ts", ".mts", ".cts"),
	  js_comments, js_functions, js_noops, "ts", NULL, NULL },
	{ "tsx", tree_sitter_tsx, LIST(".tsx"), js_comments, js_functions,
	  js_noops, "tsx", NULL, NULL },
	{ "python", tree_sitter_python, LIST(".py", ".pyi"), LIST("comment"),
	  LIST("function_definition", "lambda"), LIST("pass", "..."), "py", NULL, NULL },
	{ "go", tree_sitter_go, LIST(".go"), LIST("comment"),
	  LIST("function_declaration", "method_declaration", "func_literal"),
	  LIST(";"), "go", NULL, NULL },
	{ "rust", tree_sitter_rust, LIST(".rs"),
	  LIST("line_comment", "block_comment"),
	  LIST("function_item", "closure_expression"), LIST(";", "()"), "rs",
	  "attribute_item", LIST("cfg(test)", "#[test]", "::test]", "::test(") },
	{ "csharp", tree_sitter_c_sharp, LIST(".cs"), LIST("comment"),
	  LIST("method_declaration", "constructor_declaration",
	       "local_function_statement", "lambda_expression",
	       "anonymous_method_expression", "accessor_declaration"),
	  LIST(";"), "cs", "attribute_list",
	  LIST("[Fact", "[Theory", "[Test", "[TestMethod", "[TestCase", "[SetUp") },
	{ "sql", NULL, LIST(".sql"), LIST("comment"), LIST("function"),
	  LIST(";"), "sql", NULL, NULL },
};

const size_t bk_langs_nr = sizeof(bk_langs) / sizeof(bk_langs[0]);

int bk_lang_by_name(const char *name)
{
	for (size_t i = 0; i < bk_langs_nr; i++)
		if (!strcmp(bk_langs[i].name, name))
			return (int)i;
	return -1;
}

int bk_lang_for_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return -1;
	for (size_t i = 0; i < bk_langs_nr; i++)
		for (const char *const *e = bk_langs[i].extensions; *e; e++)
			if (!strcmp(*e, dot))
				return (int)i;
	return -1;
}

int bk_lang_type_in(const char *const *list, const char *type)
{
	for (; list && *list; list++)
		if (!strcmp(*list, type))
			return 1;
	return 0;
}

/* Source code a backend repository may hold that no row above reads. */
static const char *const unsupported_exts[] = {
	".vue", ".svelte", ".astro", ".java", ".kt", ".kts", ".scala", ".groovy",
	".rb", ".php", ".swift", ".m", ".mm", ".cc", ".cpp", ".cxx", ".hpp", ".hh",
	".ex", ".exs", ".erl", ".clj", ".lua", ".dart", ".pl", ".pm", ".r", ".jl",
	".hs", ".ml", ".fs", ".vb", ".tmpl", ".gotmpl", ".ejs", ".hbs", ".cshtml",
	".razor", ".zig", ".nim", ".cr", ".sc", NULL
};

const char *bk_lang_unsupported(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return NULL;
	for (size_t i = 0; unsupported_exts[i]; i++)
		if (!strcmp(dot, unsupported_exts[i]))
			return unsupported_exts[i];
	return NULL;
}
