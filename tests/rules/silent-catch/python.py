import contextlib
import logging
import os

from sqlalchemy.exc import IntegrityError
from app.db import SessionLocal
from app.models import User

log = logging.getLogger(__name__)


def create_user(email: str) -> User | None:
    session = SessionLocal()
    user = User(email=email)
    session.add(user)
    try:
        session.commit()
    # bkgen: expect silent-catch
    except IntegrityError:
        pass
    return user


def invalidate(cache, key):
    try:
        cache.delete(key)
    # bkgen: expect silent-catch
    except Exception: pass


def publish(producer, event):
    try:
        producer.send("events", event)
    # bkgen: expect silent-catch
    except (ConnectionError, TimeoutError) as exc:
        # broker flaky, ignore
        ...


def drain(it):
    try:
        while True:
            handle(next(it))
    # bkgen: expect silent-catch
    except StopIteration:
        pass


def save(session, obj):
    try:
        session.add(obj)
        session.commit()
    # bkgen: ok silent-catch
    except IntegrityError as exc:
        session.rollback()
        log.exception("save failed for %r", obj)
        raise


def cleanup(tmp_path):
    try:
        os.remove(tmp_path)
    # bkgen: ok silent-catch
    except FileNotFoundError:
        # bkgen-ignore: silent-catch -- the worker may already have removed it
        pass


def cleanup_suppress(tmp_path):
    # bkgen: ok silent-catch
    with contextlib.suppress(FileNotFoundError):
        os.remove(tmp_path)


def load_limit(raw):
    try:
        return int(raw)
    # bkgen: ok silent-catch
    except ValueError:
        return 100
