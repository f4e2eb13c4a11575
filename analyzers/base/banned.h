/*
 * Functions bkgen's own code does not call, and what it uses instead.
 * `make lint` (tools/lint.sh) reads this list and rejects every call to
 * one of them in analyzers/, cli/ and tests/unit/. One entry a line:
 * BK_BANNED(name, "use instead").
 */
#ifndef BK_BANNED_H
#define BK_BANNED_H

#define BK_BANNED_LIST \
BK_BANNED(strcpy, "bk_buf_puts, or memcpy with a known length") \
BK_BANNED(strcat, "bk_buf_puts") \
BK_BANNED(strncpy, "bk_buf_add, or memcpy with a known length") \
BK_BANNED(strncat, "bk_buf_add") \
BK_BANNED(sprintf, "bk_buf_printf, or snprintf into a sized array") \
BK_BANNED(vsprintf, "bk_buf_vprintf, or vsnprintf") \
BK_BANNED(strtok, "strtok_r, or a loop over memchr/strcspn") \
BK_BANNED(gets, "fgets or getline") \
BK_BANNED(atoi, "strtol with an end pointer and a range check") \
BK_BANNED(atol, "strtol with an end pointer and a range check") \
BK_BANNED(mktemp, "mkstemp or mkdtemp") \
BK_BANNED(tmpnam, "mkstemp or mkdtemp") \
BK_BANNED(asctime, "strftime") \
BK_BANNED(ctime, "strftime") \
BK_BANNED(gmtime, "gmtime_r") \
BK_BANNED(localtime, "localtime_r")

#endif
