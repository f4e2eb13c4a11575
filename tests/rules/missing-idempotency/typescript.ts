import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import idempotencyPlugin from './plugins/idempotency';
import { AuthGuard } from './auth.guard';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { OrdersService, CreateOrderDto, TransferDto } from './orders.service';

@Controller('orders')
@UseGuards(AuthGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.orders.findOne(id);
  }

  // bkgen: expect missing-idempotency
  @Post()
  @HttpCode(201)
  create(@Body() dto: CreateOrderDto) {
    return this.orders.create(dto);
  }

  // bkgen: ok missing-idempotency
  @Post(':id/refunds')
  refund(@Param('id') id: string, @Headers('idempotency-key') key: string) {
    return this.orders.refundOnce(id, key);
  }

  // Cancelling twice leaves the order cancelled.
  // bkgen: ok missing-idempotency
  @Post(':id/cancel')
  cancel(@Param('id') id: string) {
    return this.orders.cancel(id);
  }

  // bkgen: expect missing-idempotency
  @Post(':id/comments')
  async comment(@Param('id') id: string, @Body() body: CreateOrderDto) {
    return this.orders.addComment(id, body);
  }

  // bkgen: ok missing-idempotency
  @Post('users/login')
  async login(@Body() body: CreateOrderDto) {
    return this.orders.createSession(body);
  }

  // bkgen: ok missing-idempotency
  @Post(':id/follow')
  async follow(@Param('id') id: string) {
    return this.orders.addFollower(id);
  }

  // The interceptor is listed before @Post: still the same method.
  @UseInterceptors(IdempotencyInterceptor)
  // bkgen: ok missing-idempotency
  @Post(':id/ship')
  ship(@Param('id') id: string) {
    return this.orders.ship(id);
  }
}

@UseInterceptors(IdempotencyInterceptor)
@Controller('transfers')
export class TransfersController {
  constructor(private readonly orders: OrdersService) {}

  // The controller-level interceptor covers every route.
  // bkgen: ok missing-idempotency
  @Post()
  transfer(@Body() dto: TransferDto) {
    return this.orders.transfer(dto);
  }
}

export async function buildServer(orders: OrdersService) {
  const app = Fastify({ logger: true });

  // bkgen: expect missing-idempotency
  app.post<{ Body: CreateOrderDto }>('/v2/orders', async (req, reply) => {
    const order = await orders.create(req.body);
    return reply.code(201).send(order);
  });

  // bkgen: expect missing-idempotency
  app.route({
    method: ['POST', 'PUT'],
    url: '/v2/orders/:id/lines',
    handler: async (req: FastifyRequest, reply: FastifyReply) => reply.code(201).send(await orders.addLine(req.body)),
  });

  // bkgen: ok missing-idempotency
  app.route({
    method: 'GET',
    url: '/v2/orders',
    handler: async () => orders.list(),
  });

  // A plugin scope that registers idempotency handling for its routes.
  await app.register(async (scoped) => {
    scoped.register(idempotencyPlugin, { ttl: '24h' });
    // bkgen: ok missing-idempotency
    scoped.post('/v2/payments', async (req, reply) => reply.code(201).send(await orders.pay(req.body)));
  });

  return app;
}

// A Next.js route handler (app/api/teams/route.ts): the file is the route.
// bkgen: expect missing-idempotency
export async function POST(request: Request) {
  const body = await request.json();
  const team = await createTeam({ id: crypto.randomUUID(), name: body.name });
  return Response.json(team);
}

declare function createTeam(t: { id: string; name: string }): Promise<unknown>;
