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

// Cancelling twice leaves the order cancelled.
// bkgen: ok missing-idempotency
app.MapPost("/orders/{id:int}/cancel", CancelOrder);

// bkgen: expect missing-idempotency
app.MapPost("/items", CreateItem);

// The handler requires a request id and de-duplicates on it.
// bkgen: ok missing-idempotency
app.MapPost("/shipments", CreateShipmentAsync);

// bkgen: ok missing-idempotency
app.MapPost("/logout", async (HttpContext ctx) => await ctx.SignOutAsync());

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

static async Task<IResult> CreateItem(ItemDto dto, OrdersDb db)
{
    db.Items.Add(new Item(dto.Name));
    await db.SaveChangesAsync();
    return Results.Created();
}

static async Task<IResult> CreateShipmentAsync([FromHeader(Name = "x-requestid")] Guid requestId, ShipmentDto dto, IMediator mediator)
{
    if (requestId == Guid.Empty) return Results.BadRequest("RequestId is missing.");
    var command = new IdentifiedCommand<CreateShipmentCommand, bool>(new CreateShipmentCommand(dto), requestId);
    return await mediator.Send(command) ? Results.Ok() : Results.Problem();
}

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

[ApiController]
[Route("api/articles")]
public class ArticlesController : ControllerBase
{
    private readonly IMediator _mediator;

    public ArticlesController(IMediator mediator) => _mediator = mediator;

    // bkgen: expect missing-idempotency
    [HttpPost("{slug}/comments")]
    public Task<CommentEnvelope> Comment(string slug, [FromBody] CommentDto comment) =>
        _mediator.Send(new AddComment.Command(slug, comment));

    // Favoriting twice leaves the article favorited.
    // bkgen: ok missing-idempotency
    [HttpPost("{slug}/favorite")]
    public Task<ArticleEnvelope> FavoriteAdd(string slug) => _mediator.Send(new AddFavorite.Command(slug));
}

public class AccountController : Controller
{
    private readonly SignInManager<AppUser> _signIn;

    public AccountController(SignInManager<AppUser> signIn) => _signIn = signIn;

    // bkgen: ok missing-idempotency
    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Login(LoginInputModel model)
    {
        await _signIn.PasswordSignInAsync(model.Username, model.Password, model.RememberLogin, true);
        await _events.RaiseAsync(new UserLoginSuccessEvent(model.Username));
        return Redirect(model.ReturnUrl);
    }
}

// An OAuth consent page: the controller's route is /consent.
public class ConsentController : Controller
{
    // bkgen: ok missing-idempotency
    [HttpPost]
    public async Task<IActionResult> Index(ConsentInputModel model)
    {
        await _interaction.GrantConsentAsync(model.Request, model.Grant);
        await _store.AddAsync(model.Audit);
        return Redirect(model.ReturnUrl);
    }
}
