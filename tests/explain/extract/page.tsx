import { sql } from "@vercel/postgres";
import { createPool, sql as slonik } from "slonik";

export default async function Page({ params }: { params: { id: string } }) {
  const { rows } = await sql`SELECT title, body FROM posts WHERE slug = ${params.id}`;
  const pool = await createPool(process.env.DATABASE_URL!);
  const likes = await pool.oneFirst(sql.typeAlias("count")`SELECT count(*) FROM likes WHERE post_id = ${rows[0].id}`);
  const tag = await pool.query(sql.unsafe`SELECT name FROM tags WHERE post_id = ${rows[0].id}`);
  const ident = await pool.query(sql`SELECT * FROM ${sql.identifier(["public", params.id])}`);
  return (
    <main>
      <h1>{rows[0].title}</h1>
      <p>{likes} likes, tag {tag.rows[0].name}, {ident.rowCount}</p>
      <button onClick={() => fetch("/api/query", { method: "POST" })}>SELECT me</button>
    </main>
  );
}
