using System.Data;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Data;

public sealed class OrderRepository
{
    private const string ByCustomer = "SELECT * FROM orders WHERE customer_id = @CustomerId ORDER BY placed_at DESC";
    private readonly IDbConnection _conn;
    private readonly ShopContext _db;

    public OrderRepository(IDbConnection conn, ShopContext db) => (_conn, _db) = (conn, db);

    public IEnumerable<Order> ForCustomer(int customerId) =>
        _conn.Query<Order>(ByCustomer, new { CustomerId = customerId });

    public Task<Order?> Find(int id) =>
        _conn.QueryFirstOrDefaultAsync<Order>(@"SELECT *
  FROM orders
 WHERE id = @id AND note <> ""none""", new { id });

    public Task<int> Cancel(int id) =>
        _conn.ExecuteAsync("UPDATE orders SET status = 'cancelled' WHERE id = @id", new { id });

    public long Count() => _conn.ExecuteScalar<long>("""
        SELECT count(*)
          FROM orders
         WHERE status <> 'cancelled'
        """);

    public IQueryable<Order> Recent(int days) =>
        _db.Orders.FromSqlRaw("SELECT * FROM orders WHERE placed_at > now() - make_interval(days => {0})", days);

    public IQueryable<Order> ByStatus(string status) =>
        _db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE status = {status} AND total > {10}");

    public IQueryable<Order> Mine(int customerId) =>
        _db.Orders.FromSql($"SELECT * FROM orders WHERE customer_id = {customerId}");

    public Task<int> Purge(DateTime before) =>
        _db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM orders WHERE placed_at < {before}");

    public IQueryable<int> Ids(int min) =>
        _db.Database.SqlQuery<int>($"SELECT id AS \"Value\" FROM orders WHERE total >= {min}");

    public async Task<int> Raw(NpgsqlConnection conn, int id)
    {
        await using var cmd = new NpgsqlCommand("SELECT total FROM orders WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        await using var cmd2 = conn.CreateCommand();
        cmd2.CommandText = "UPDATE orders SET seen = true WHERE id = $1";
        await using var cmd3 = new NpgsqlCommand { CommandText = "SELECT 1 FROM orders LIMIT 1", Connection = conn };
        return (int)(await cmd.ExecuteScalarAsync())!;
    }

    public IEnumerable<Order> Dynamic(string column, string table, int id)
    {
        var a = _conn.Query<Order>($"SELECT * FROM orders ORDER BY {column}");
        var b = _conn.Query<Order>("SELECT * FROM " + table + " WHERE id = @id", new { id });
        var c = _conn.Query<Order>(string.Format("SELECT * FROM {0}", table));
        return a.Concat(b).Concat(c);
    }

    public void Traps(string sql, ILogger log, Job job)
    {
        _conn.Execute(sql);                  // a parameter: nothing to report
        job.Execute("send-invoices");        // not SQL
        log.Query("SELECTED items");         // not a statement
    }
}
