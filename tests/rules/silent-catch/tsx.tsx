import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';
import { orders } from '@/lib/schema';
import { eq } from 'drizzle-orm';

export async function archiveOrder(formData: FormData) {
  'use server';
  const id = String(formData.get('id'));
  await db.update(orders).set({ archived: true }).where(eq(orders.id, id));
  // bkgen: expect silent-catch
  try { revalidatePath('/orders'); } catch {}
}

export default async function OrdersPage() {
  // bkgen: expect silent-catch
  const stats = fetchStats().catch(() => {});
  let rows = [];
  try {
    rows = await db.select().from(orders);
    // bkgen: ok silent-catch
  } catch (err) {
    console.error('orders query failed', err);
    throw err;
  }
  return (
    <main>
      <h1>Orders</h1>
      <ul>{rows.map((o) => <li key={o.id}>{o.number}</li>)}</ul>
    </main>
  );
}

export async function pingAnalytics(id: string) {
  // bkgen: ok silent-catch
  await fetch(`/api/track/${id}`).catch((err) => console.warn('track failed', err));
}
