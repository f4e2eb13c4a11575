"""Orders API (FastAPI) plus a small Flask admin app."""
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Header, HTTPException, Request
from flask import Blueprint, Flask, jsonify, request
from sqlalchemy.orm import Session

from .db import get_db
from .idempotency import IdempotencyMiddleware, require_idempotency_key
from . import crud, schemas, stripe_events

app = FastAPI(title="orders")
router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("/{order_id}")
def read_order(order_id: int, db: Session = Depends(get_db)):
    return crud.get_order(db, order_id)


# bkgen: expect missing-idempotency
@router.post("", status_code=201)
def create_order(order: schemas.OrderIn, db: Session = Depends(get_db)):
    return crud.create_order(db, order)


# bkgen: ok missing-idempotency
@router.post("/{order_id}/payments", status_code=201)
def pay_order(
    order_id: int,
    payment: schemas.PaymentIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key")],
    db: Session = Depends(get_db),
):
    if (cached := crud.find_payment_by_key(db, idempotency_key)) is not None:
        return cached
    return crud.pay(db, order_id, payment, idempotency_key)


# A route-level dependency that enforces the key.
# bkgen: ok missing-idempotency
@router.post("/{order_id}/refunds", dependencies=[Depends(require_idempotency_key)])
def refund_order(order_id: int, db: Session = Depends(get_db)):
    return crud.refund(db, order_id)


# Stripe retries deliveries; the receiver dedupes on the event id.
# bkgen: ok missing-idempotency
@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    event = stripe_events.verify(await request.body(), request.headers["stripe-signature"])
    if stripe_events.already_processed(event["id"]):
        return {"ok": True}
    stripe_events.handle(event)
    return {"ok": True}


# bkgen: expect missing-idempotency
@app.api_route("/exports", methods=["GET", "POST"])
async def exports(request: Request):
    return {"job": crud.enqueue_export(await request.json())}


# ---- what a POST does decides -------------------------------------------


# Reads only: parses the text it is given.
# bkgen: ok missing-idempotency
@router.post("/parser/ingredients")
async def parse_ingredients(body: schemas.ParseIn):
    return [crud.parse(line) for line in body.lines]


# Authentication flows.
# bkgen: ok missing-idempotency
@router.post("/login/access-token")
def login_access_token(form: schemas.LoginIn, db: Session = Depends(get_db)):
    return crud.create_access_token(db, form)


# bkgen: ok missing-idempotency
@router.post("/password-recovery/{email}")
def recover_password(email: str, db: Session = Depends(get_db)):
    crud.send_reset_email(db, email)
    return {"ok": True}


# Set semantics by name, and upserts.
# bkgen: ok missing-idempotency
@router.post("/{order_id}/ratings/{user_id}")
def set_rating(order_id: int, user_id: int, rating: schemas.RatingIn, db: Session = Depends(get_db)):
    return crud.save_rating(db, order_id, user_id, rating)


# bkgen: ok missing-idempotency
@router.post("/{order_id}/tags", status_code=201)
def tag_order(order_id: int, tag: schemas.TagIn, db: Session = Depends(get_db)):
    obj, _ = crud.Tag.objects.get_or_create(order_id=order_id, name=tag.name)
    return obj


# ... unless the action changes a quantity.
# bkgen: expect missing-idempotency
@router.post("/{order_id}/lines/{line_id}/delete")
def remove_line(order_id: int, line_id: int, db: Session = Depends(get_db)):
    return crud.save_line(db, line_id, crud.decrement_quantity(db, line_id))


# A helper of this file does the write.
def _store_note(db: Session, order_id: int, text: str):
    db.add(schemas.Note(order_id=order_id, text=text))
    db.commit()


# bkgen: expect missing-idempotency
@router.post("/{order_id}/notes", status_code=201)
def note_order(order_id: int, note: schemas.NoteIn, db: Session = Depends(get_db)):
    _store_note(db, order_id, note.text)
    return {"ok": True}


# bkgen: expect missing-idempotency
@router.post("/{order_id}/reminders", status_code=202)
def remind(order_id: int, tasks: BackgroundTasks):
    tasks.add_task(crud.remind_customer, order_id)


app.include_router(router)


# ---- Flask admin -------------------------------------------------------
admin = Flask(__name__)
bp = Blueprint("credits", __name__, url_prefix="/credits")


# Banning twice leaves the user banned.
# bkgen: ok missing-idempotency
@admin.route("/users/<int:user_id>/ban", methods=["POST"])
def ban_user(user_id: int):
    crud.ban(user_id)
    return jsonify(status="banned"), 201


# bkgen: ok missing-idempotency
@admin.route("/users", methods=["GET"])
def list_users():
    return jsonify(crud.list_users())


@bp.before_request
def enforce_idempotency_key():
    if request.method == "POST" and not request.headers.get("Idempotency-Key"):
        return jsonify(error="Idempotency-Key required"), 400
    return None


# The blueprint's before_request hook checks the key.
# bkgen: ok missing-idempotency
@bp.post("/grant")
def grant_credit():
    return jsonify(crud.grant(request.json)), 201


# Also covered by the blueprint hook, whatever the decorator form.
# bkgen: ok missing-idempotency
@bp.route("/revoke", methods=("POST",))
def revoke_credit():
    return jsonify(crud.revoke(request.json)), 201


# bkgen: expect missing-idempotency
@admin.route("/users/<int:user_id>/notes", methods=("post",))
def add_note(user_id: int):
    crud.add_note(user_id, request.json["text"])
    return "", 204

admin.register_blueprint(bp)
