import logging
import os
from uuid import UUID

log = logging.getLogger(__name__)


def get_by_slug_or_id(repo, slug_or_id):
    if isinstance(slug_or_id, str):
        try:
            slug_or_id = UUID(slug_or_id)
        # bkgen: expect silent-catch-strict
        except ValueError:
            pass
    return repo.get_one(slug_or_id)


def remove_dir(path):
    try:
        os.rmdir(path)
    # bkgen: expect silent-catch-strict
    except FileNotFoundError:
        # a concurrent delete already did the job
        pass


def webhook(chat, invite):
    try:
        send(chat, invite)
    # bkgen: expect silent-catch-strict
    except Exception:
        # Swallow the error and return 200, or the sender retries forever.
        pass
    return 200


def commit(conn):
    try:
        conn.commit()
    # broad and empty: silent-catch reports it, not this rule
    # bkgen: ok silent-catch-strict
    except Exception:
        pass


def close(conn):
    try:
        conn.close()
    # bkgen: ok silent-catch-strict
    except OSError:
        # bkgen-ignore: silent-catch-strict -- closing at exit
        pass


def parse(raw):
    try:
        return int(raw)
    # bkgen: ok silent-catch-strict
    except ValueError:
        log.warning("not a number: %r", raw)
        return 0
