import { db } from '@/server/db';
import { eq } from 'drizzle-orm';
import { comments, users } from '@/server/schema';

export default async function ThreadPage({ params }: { params: { id: string } }) {
  const thread = await db.query.comments.findMany({ where: eq(comments.threadId, params.id) });
  const withAuthors = await Promise.all(
    thread.map(async (c) => {
      // bkgen: expect n-plus-one
      const author = await db.query.users.findFirst({ where: eq(users.id, c.authorId) });
      return { ...c, author };
    }),
  );
  return (
    <ul>
      {withAuthors.map((c) => (
        <li key={c.id}>
          {c.author?.name}: {c.body}
        </li>
      ))}
    </ul>
  );
}

export async function markRead(ids: string[]) {
  'use server';
  for (const id of ids) {
    // bkgen: expect n-plus-one
    await db.update(comments).set({ read: true }).where(eq(comments.id, id));
  }
}

export async function ThreadList() {
  // bkgen: ok n-plus-one
  const threads = await db.query.threads.findMany({ with: { author: true, comments: { limit: 3 } } });
  return (
    <ul>
      {threads.map((t) => (
        <li key={t.id}>
          {t.title} by {t.author.name}
        </li>
      ))}
    </ul>
  );
}

export function Actions({ ids }: { ids: string[] }) {
  return (
    <div>
      {ids.map((id) => (
        // bkgen: ok n-plus-one
        <form key={id} action={async () => { 'use server'; await db.delete(comments).where(eq(comments.id, id)); }}>
          <button>Delete</button>
        </form>
      ))}
    </div>
  );
}
