#!/bin/sh
# Starts acme-payments.
exec ./acme-payments "$@"
