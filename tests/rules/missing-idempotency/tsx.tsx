import { Hono } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import { idempotency } from './middleware/idempotency';
import { db } from './db';

type Comment = { id: string; postId: string; body: string };

const CommentList = ({ comments }: { comments: Comment[] }) => (
  <ul>
    {comments.map((c) => (
      <li key={c.id}>{c.body}</li>
    ))}
  </ul>
);

const app = new Hono();
app.use('*', jsxRenderer());

app.get('/posts/:id/comments', async (c) => {
  const comments = await db.comments.list(c.req.param('id'));
  return c.render(<CommentList comments={comments} />);
});

// bkgen: expect missing-idempotency
app.post('/posts/:id/comments', async (c) => {
  const form = await c.req.parseBody();
  await db.comments.insert({ postId: c.req.param('id'), body: String(form.body) });
  return c.redirect(`/posts/${c.req.param('id')}`);
});

// bkgen: ok missing-idempotency
app.post('/posts/:id/likes', async (c) => {
  const key = c.req.header('Idempotency-Key') ?? crypto.randomUUID();
  await db.likes.insertOnce(key, c.req.param('id'));
  return c.body(null, 204);
});

async function createPost(c: any) {
  const { title, body } = await c.req.json();
  const post = await db.posts.insert({ title, body });
  return c.json(post, 201);
}

// bkgen: expect missing-idempotency
app.post('/posts', createPost);

// The API sub-app registers the idempotency middleware for all its routes.
const api = new Hono();
api.use('/v1/*', idempotency({ ttlSeconds: 86_400 }));
// bkgen: ok missing-idempotency
api.post('/v1/posts', createPost);

app.route('/api', api);

export default app;

// A route handler that only computes a report from the request.
// bkgen: ok missing-idempotency
export const POST = async (request: Request) => {
  const filters = await request.json();
  return Response.json(await db.reports.run(filters));
};
