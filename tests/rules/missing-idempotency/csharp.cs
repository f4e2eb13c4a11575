using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.Data;
using Shop.Idempotency;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
var app = builder.Build();

app.MapGet("/orders/{id:int}", async (int id, OrdersDb db) => await db.FindAsync(id));

// bkgen: expect missing-idempotency
app.MapPost("/orders", async (OrderDto dto, OrdersDb db) =>
{
    var order = await db.AddAsync(dto);
    return Results.Created($"/orders/{order.Id}", order);
});

// bkgen: ok missing-idempotency
app.MapPost("/payments", async ([FromHeader(Name = "Idempotency-Key")] string? key, PaymentDto dto, PaymentsDb db) =>
{
    if (string.IsNullOrEmpty(key)) return Results.BadRequest("Idempotency-Key header is required");
    return Results.Ok(await db.ChargeOnceAsync(key, dto));
});

// bkgen: expect missing-idempotency
app.MapPost("/orders/{id:int}/cancel", CancelOrder);

// The endpoint filter chained on the route handles the key.
// bkgen: ok missing-idempotency
app.MapPost("/refunds", async (RefundDto dto, PaymentsDb db) => Results.Ok(await db.RefundAsync(dto)))
   .AddEndpointFilter<IdempotencyFilter>();

// A route group whose filter covers all of its endpoints.
var transfers = app.MapGroup("/transfers").AddEndpointFilter<IdempotencyFilter>();
// bkgen: ok missing-idempotency
transfers.MapPost("/", async (TransferDto dto, PaymentsDb db) => Results.Ok(await db.TransferAsync(dto)));

app.MapControllers();
app.Run();

static async Task<IResult> CancelOrder(int id, OrdersDb db)
{
    await db.CancelAsync(id);
    return Results.NoContent();
}

[ApiController]
[Route("api/[controller]")]
public class InvoicesController : ControllerBase
{
    private readonly InvoicesDb _db;

    public InvoicesController(InvoicesDb db) => _db = db;

    [HttpGet("{id}")]
    public async Task<IActionResult> Get(int id) => Ok(await _db.FindAsync(id));

    // bkgen: expect missing-idempotency
    [HttpPost]
    public async Task<IActionResult> Create(InvoiceDto dto)
    {
        var invoice = await _db.AddAsync(dto);
        return CreatedAtAction(nameof(Get), new { id = invoice.Id }, invoice);
    }

    // bkgen: ok missing-idempotency
    [HttpPost("{id}/send")]
    public async Task<IActionResult> Send(int id, [FromHeader(Name = "Idempotency-Key")] Guid key)
    {
        await _db.SendOnceAsync(id, key);
        return Accepted();
    }

    // Stripe-style webhook: deduplicated on the event id.
    // bkgen: ok missing-idempotency
    [HttpPost("webhook")]
    public async Task<IActionResult> Webhook([FromBody] ProviderEvent providerEvent)
    {
        if (await _db.SeenEventAsync(providerEvent.Id)) return Ok();
        await _db.ApplyAsync(providerEvent);
        return Ok();
    }
}

[ApiController]
[Route("api/[controller]")]
[ServiceFilter(typeof(IdempotencyFilter))]
public class SubscriptionsController : ControllerBase
{
    // The controller-level filter covers this action.
    // bkgen: ok missing-idempotency
    [HttpPost]
    public IActionResult Create(SubscriptionDto dto) => Ok(dto);
}
