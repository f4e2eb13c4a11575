#ifndef SERVE_H
#define SERVE_H

#include "config.h"
#include "err.h"

/* Runs until SIGTERM or SIGINT; 0 after a clean shutdown. */
int serve_run(const struct config *cfg, struct err *err);

#endif
