// A small Express service as it often looks before hardening.
import express from "express";
import pg from "pg";

const app = express();
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
app.use(express.json());

app.get("/v1/orders", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM orders ORDER BY created_at DESC");
  for (const order of rows) {
    const items = await pool.query(
      "SELECT id, sku, quantity FROM order_items WHERE order_id = $1",
      [order.id],
    );
    order.items = items.rows;
  }
  res.json(rows);
});

app.post("/v1/orders", async (req, res) => {
  const quote = await fetch(`${process.env.PRICING_URL}/quote`, {
    method: "POST",
    body: JSON.stringify(req.body),
  });
  try {
    await pool.query("INSERT INTO orders (customer_id, total) VALUES ($1, $2)", [
      req.body.customerId,
      (await quote.json()).total,
    ]);
  } catch (err) {}
  res.status(201).end();
});

app.listen(3000);
