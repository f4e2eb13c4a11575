using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Reports;

public sealed class ReportService
{
    private readonly ShopDbContext _db;
    private readonly IDbConnection _connection;

    public ReportService(ShopDbContext db, IDbConnection connection)
    {
        _db = db;
        _connection = connection;
    }

    public async Task<List<OrderDto>> OrdersAsync(int shopId)
    {
        var orders = await _db.Orders.Where(o => o.ShopId == shopId).ToListAsync();
        var result = new List<OrderDto>();
        foreach (var order in orders)
        {
            // bkgen: expect n-plus-one
            var customer = await _db.Customers.FirstOrDefaultAsync(c => c.Id == order.CustomerId);
            result.Add(new OrderDto(order.Id, customer?.Name));
        }
        return result;
    }

    public async Task<int[]> CountsAsync(IEnumerable<int> userIds)
    {
        // bkgen: expect n-plus-one
        var tasks = userIds.Select(id => _connection.ExecuteScalarAsync<int>("select count(*) from orders where user_id = @id", new { id }));
        return await Task.WhenAll(tasks);
    }

    public void Import(IEnumerable<Product> products)
    {
        foreach (var p in products)
        {
            _db.Products.Add(p);
            // bkgen: expect n-plus-one
            _db.SaveChanges();
        }
    }

    public async Task LoadLinesAsync(List<Order> orders)
    {
        for (var i = 0; i < orders.Count; i++)
        {
            // bkgen: expect n-plus-one
            await _db.Entry(orders[i]).Collection(o => o.Lines).LoadAsync();
        }
    }

    public void Reprice(NpgsqlConnection conn, IEnumerable<(int Id, decimal Price)> prices)
    {
        using var cmd = new NpgsqlCommand("update products set price = @p where id = @id", conn);
        foreach (var (id, price) in prices)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", price);
            // bkgen: expect n-plus-one
            cmd.ExecuteNonQuery();
        }
    }

    public void Touch(List<int> ids)
    {
        // bkgen: expect n-plus-one
        ids.ForEach(id => _db.Sessions.Where(s => s.UserId == id).ExecuteUpdate(s => s.SetProperty(x => x.SeenAt, DateTime.UtcNow)));
    }

    // --- not N+1 -----------------------------------------------------------

    public async Task<List<Order>> OrdersWithCustomersAsync(int shopId)
    {
        // bkgen: ok n-plus-one
        return await _db.Orders.Include(o => o.Customer).Where(o => o.ShopId == shopId).ToListAsync();
    }

    public async Task<Dictionary<int, string>> NamesAsync(List<Order> orders)
    {
        var ids = orders.Select(o => o.CustomerId).Distinct().ToList();
        // bkgen: ok n-plus-one
        return await _db.Customers.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name);
    }

    public async Task<object> SummaryAsync()
    {
        // bkgen: ok n-plus-one
        return await _db.Users.Select(u => new { u.Id, Orders = _db.Orders.Count(o => o.UserId == u.Id) }).ToListAsync();
    }

    public async Task ArchiveAsync(IEnumerable<int[]> chunks)
    {
        foreach (var chunk in chunks)
        {
            // bkgen: ok n-plus-one
            await _connection.ExecuteAsync("update orders set archived = true where id = any(@chunk)", new { chunk });
        }
    }

    public async Task ImportBatchedAsync(IEnumerable<Product> products)
    {
        foreach (var p in products)
        {
            // bkgen: ok n-plus-one
            _db.Products.Add(p);
        }
        await _db.SaveChangesAsync();
    }

    public async Task ImportChunkedAsync(List<Product> products)
    {
        foreach (var chunk in products.Chunk(500))
        {
            _db.Products.AddRange(chunk);
            // bkgen: ok n-plus-one
            await _db.SaveChangesAsync();
        }
    }

    public async Task<int> StockAsync(IEnumerable<string> skus)
    {
        var total = 0;
        foreach (var sku in skus)
        {
            // bkgen: expect n-plus-one
            total += await _db.Items.Where(i => i.Sku == sku).SumAsync(i => i.Qty);
        }
        return total;
    }

    public bool HasAdminClaim(HttpContext context, string[] roles)
    {
        foreach (var role in roles)
        {
            // bkgen: ok n-plus-one
            if (context.User.Claims.Any(c => c.Type == "role" && c.Value == role)) return true;
        }
        return false;
    }

    public async Task WorkAsync(CancellationToken ct)
    {
        while (true)
        {
            // bkgen: ok n-plus-one
            var job = await _db.Jobs.Where(j => !j.Done).OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
            if (job is null) await Task.Delay(1000, ct); else await RunAsync(job, ct);
        }
    }
}

// A primary-constructor parameter names the DbContext without an underscore.
public class OrderPaidHandler(CatalogContext catalogContext, ILogger<OrderPaidHandler> logger)
{
    public async Task Handle(OrderPaidEvent @event)
    {
        foreach (var item in @event.Items)
        {
            // bkgen: expect n-plus-one
            var product = catalogContext.CatalogItems.Find(item.ProductId);
            product?.RemoveStock(item.Units);
        }
        await catalogContext.SaveChangesAsync();
    }

    public async Task HandleBatched(OrderPaidEvent @event)
    {
        var ids = @event.Items.Select(i => i.ProductId).ToList();
        // bkgen: ok n-plus-one
        var products = await catalogContext.CatalogItems.Where(p => ids.Contains(p.Id)).ToListAsync();
        foreach (var item in @event.Items)
        {
            // bkgen: ok n-plus-one
            products.First(p => p.Id == item.ProductId).RemoveStock(item.Units);
        }
    }

    public bool Authorized(ServerCallContext serverCallContext, string[] roles)
    {
        foreach (var role in roles)
        {
            // a framework context, not a DbContext
            // bkgen: ok n-plus-one
            if (serverCallContext.RequestHeaders.Any(h => h.Key == "role" && h.Value == role)) return true;
        }
        return false;
    }
}
