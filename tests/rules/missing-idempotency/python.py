"""Orders API (FastAPI) plus a small Flask admin app."""
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request
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
    return {"job": "queued"}


app.include_router(router)


# ---- Flask admin -------------------------------------------------------
admin = Flask(__name__)
bp = Blueprint("credits", __name__, url_prefix="/credits")


# bkgen: expect missing-idempotency
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
