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
    # a narrow catch of one expected error is a deliberate fallback
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
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
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
    except (ConnectionError, TimeoutError) as exc:
        # broker flaky, ignore
        ...


def drain(it):
    try:
        while True:
            handle(next(it))
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
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


def find_project(api_key):
    try:
        return Project.objects.get(api_key=api_key)
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
    except Project.DoesNotExist:
        pass
    return None


def project_id():
    try:
        return os.environ["GCP_PROJECT_ID"]
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
    except KeyError:
        # Environment variable not set
        pass


def flush_metrics(client):
    try:
        client.flush()
    # bkgen: expect silent-catch
    except BaseException:
        # TODO: log this
        pass


def close_quietly(conn):
    try:
        conn.close()
    # a comment that says why turns a broad catch into intent
    # bkgen: expect silent-catch-strict
    # bkgen: ok silent-catch
    except Exception:
        # the pool reopens it on the next checkout
        pass


def parse_or_zero(raw):
    try:
        return int(raw)
    # bkgen: expect silent-catch
    except (ValueError, Exception) as exc:
        pass
