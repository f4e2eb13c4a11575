import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { eq, inArray } from 'drizzle-orm';
import { db } from './db';
import { posts, users } from './schema';
import { PrismaService } from './prisma.service';
import { Invoice } from './invoice.entity';

@Injectable()
export class BillingService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectRepository(Invoice) private readonly invoiceRepository: Repository<Invoice>,
  ) {}

  async chargeAll(customerIds: string[]): Promise<void> {
    for (const id of customerIds) {
      // bkgen: expect n-plus-one
      const customer = await this.prisma.customer.findUniqueOrThrow({ where: { id } });
      await this.gateway.charge(customer.paymentMethodId, customer.balance);
      // bkgen: expect n-plus-one
      await this.prisma.customer.update({ where: { id }, data: { balance: 0 } });
    }
  }

  async invoicesFor(orderIds: number[]): Promise<Invoice[]> {
    const out: Invoice[] = [];
    for (const orderId of orderIds) {
      // bkgen: expect n-plus-one
      const inv = await this.invoiceRepository.findOneBy({ orderId });
      if (inv) out.push(inv);
    }
    return out;
  }

  async decrement(items: { sku: string; qty: number }[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const item of items) {
        // bkgen: expect n-plus-one
        await tx.stock.update({ where: { sku: item.sku }, data: { qty: { decrement: item.qty } } });
      }
    });
  }

  async customersById(ids: string[]) {
    // Prisma's dataloader batches findUnique calls issued in the same tick.
    // bkgen: ok n-plus-one
    return Promise.all(ids.map((id) => this.prisma.customer.findUnique({ where: { id } })));
  }

  // bkgen: ok n-plus-one
  async customers(ids: string[]) {
    return this.prisma.customer.findMany({ where: { id: { in: ids } }, include: { invoices: true } });
  }
}

export async function feed(limit: number) {
  const rows = await db.select().from(posts).limit(limit);
  return Promise.all(
    rows.map(async (p) => ({
      ...p,
      // bkgen: expect n-plus-one
      author: await db.query.users.findFirst({ where: eq(users.id, p.authorId) }),
    })),
  );
}

export async function touch(ids: number[]) {
  for (const id of ids) {
    // bkgen: expect n-plus-one
    await db.update(users).set({ seenAt: new Date() }).where(eq(users.id, id));
  }
}

export async function feedBatched(limit: number) {
  const rows = await db.select().from(posts).limit(limit);
  // bkgen: ok n-plus-one
  const authors = await db.select().from(users).where(inArray(users.id, rows.map((r) => r.authorId)));
  const byId = new Map(authors.map((a) => [a.id, a]));
  return rows.map((r) => ({ ...r, author: byId.get(r.authorId) }));
}

export async function touchChunks(ids: number[][]) {
  for (const chunk of ids) {
    // bkgen: ok n-plus-one
    await db.update(users).set({ seenAt: new Date() }).where(inArray(users.id, chunk));
  }
}

export async function paginate(cb: (rows: unknown[]) => Promise<void>) {
  let cursor = 0;
  for (;;) {
    // bkgen: ok n-plus-one
    const page = await db.select().from(posts).where(eq(posts.id, cursor)).limit(500);
    if (page.length === 0) return;
    await cb(page);
    cursor = (page[page.length - 1] as { id: number }).id;
  }
}
