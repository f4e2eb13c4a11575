using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Shop.Orders;

public sealed class OrderService
{
    private readonly ShopDbContext _db;
    private readonly IDistributedCache _cache;
    private readonly ILogger<OrderService> _log;

    public OrderService(ShopDbContext db, IDistributedCache cache, ILogger<OrderService> log)
    {
        _db = db;
        _cache = cache;
        _log = log;
    }

    public async Task CancelAsync(Guid id, CancellationToken ct)
    {
        var order = await _db.Orders.FindAsync(new object[] { id }, ct);
        order!.Status = OrderStatus.Cancelled;
        await _db.SaveChangesAsync(ct);
        try
        {
            await _cache.RemoveAsync($"order:{id}", ct);
        }
        // bkgen: expect silent-catch
        catch (Exception)
        {
        }
    }

    public void Publish(OrderEvent evt)
    {
        // bkgen: expect silent-catch-strict
        // bkgen: ok silent-catch
        try { _bus.Publish(evt); } catch { /* ignore */ }
    }

    public async Task<Order> SaveAsync(Order order, CancellationToken ct)
    {
        try
        {
            _db.Orders.Add(order);
            await _db.SaveChangesAsync(ct);
            return order;
        }
        // bkgen: ok silent-catch
        catch (DbUpdateException ex)
        {
            _log.LogError(ex, "saving order {OrderId} failed", order.Id);
            throw;
        }
    }

    public async Task PollAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
        }
        // bkgen: ok silent-catch
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task AnimateAsync(Animation animation)
    {
        try
        {
            await animation.RunAsync();
        }
        // one specific exception type is a narrow, deliberate catch
        // bkgen: expect silent-catch-strict
        // bkgen: ok silent-catch
        catch (TaskCanceledException)
        {
        }
        // bkgen: expect silent-catch
        catch (System.Exception)
        {
        }
    }

    public void Notify(Subscription s)
    {
        try
        {
            _ = s.NotifyAsync();
        }
        // bkgen: expect silent-catch-strict
        // bkgen: ok silent-catch
        catch (Exception)
        {
            // It's the subscriber's responsibility to report its errors
        }
    }

    public void Warm()
    {
        try
        {
            _cache.Refresh("catalog");
        }
        // bkgen: ok silent-catch
        catch (Exception ex)
        {
            // bkgen-ignore: silent-catch -- warming is opportunistic; misses are reloaded on demand
        }
    }
}
