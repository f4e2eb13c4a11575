import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { Redis } from 'ioredis';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(private readonly prisma: PrismaService, private readonly redis: Redis) {}

  async cancel(orderId: string): Promise<void> {
    await this.prisma.order.update({ where: { id: orderId }, data: { status: 'CANCELLED' } });
    try {
      await this.redis.del(`order:${orderId}`);
      // bkgen: expect silent-catch
    } catch (e: unknown) {}
  }

  async optionalEnv(): Promise<void> {
    try {
      process.loadEnvFile('../server.env');
      // bkgen: expect silent-catch-strict
      // bkgen: ok silent-catch
    } catch {
      // file is optional
    }
  }

  async publish(orderId: string): Promise<void> {
    // bkgen: expect silent-catch
    void this.events.emit('order.created', { orderId }).catch(() => {});
  }

  async refund(orderId: string): Promise<void> {
    try {
      await this.payments.refund(orderId);
      // bkgen: expect silent-catch
    } catch (err) {
      // TODO: handle
    }
  }

  async ship(orderId: string): Promise<void> {
    try {
      await this.carrier.book(orderId);
      // bkgen: ok silent-catch
    } catch (err: unknown) {
      this.logger.error(`booking failed for ${orderId}`, err as Error);
      throw new ShipmentError(orderId, { cause: err });
    }
  }

  async stock(sku: string): Promise<number> {
    // bkgen: ok silent-catch
    const cached = await this.redis.get(`stock:${sku}`).catch(() => null);
    if (cached) return Number(cached);
    try {
      return await this.inventory.count(sku);
      // bkgen: ok silent-catch
    } catch (err) {
      if (err instanceof NotFoundError) return 0;
      throw err;
    }
  }
}
