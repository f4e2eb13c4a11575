using System.Collections.Generic;
using System.Threading.Tasks;
using Dapper;
using Npgsql;

namespace Shop.Data
{
    public sealed class OrderQueries
    {
        // bkgen: expect sql-select-star
        private const string ById = "SELECT * FROM Orders WHERE Id = @id";

        // bkgen: ok sql-select-star
        private const string Summary = "SELECT Id, CustomerId, Total FROM Orders WHERE Id = @id";

        private readonly NpgsqlConnection _conn;

        public OrderQueries(NpgsqlConnection conn) => _conn = conn;

        public Task<IEnumerable<dynamic>> ForCustomerAsync(int customerId)
        {
            // the finding points at the `o.*`, not at the opening quote
            const string sql = @"
                -- bkgen: expect sql-select-star
                SELECT o.*, c.Name
                FROM Orders o
                JOIN Customers c ON c.Id = o.CustomerId
                WHERE c.Id = @customerId";
            return _conn.QueryAsync(sql, new { customerId });
        }

        public Task<IEnumerable<dynamic>> FromTableAsync(string table)
        {
            // bkgen: expect sql-select-star
            return _conn.QueryAsync($"SELECT * FROM {table}");
        }

        public Task<IEnumerable<dynamic>> ArchivedAsync()
        {
            return _conn.QueryAsync("""
                -- bkgen: expect sql-select-star
                SELECT *
                FROM OrdersArchive
                """);
        }

        public Task<int> CountAsync()
        {
            // bkgen: ok sql-select-star
            return _conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Orders");
        }

        public Task<IEnumerable<int>> WithLinesAsync()
        {
            // bkgen: ok sql-select-star
            return _conn.QueryAsync<int>("SELECT Id FROM Orders o WHERE EXISTS (SELECT * FROM OrderLines l WHERE l.OrderId = o.Id)");
        }
    }
}
