using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace Orders.Integrations
{
    public sealed class PaymentsClient
    {
        // bkgen: expect http-client-timeout
        private static readonly HttpClient Shared = new HttpClient();

        // bkgen: ok http-client-timeout
        private static readonly HttpClient Bounded = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        private readonly HttpClient _http;
        private readonly HttpClient _fraud;

        public PaymentsClient(HttpMessageHandler handler, TimeSpan timeout)
        {
            // bkgen: ok http-client-timeout
            _http = new HttpClient(handler) { BaseAddress = new Uri("https://payments.internal/") };
            _http.Timeout = timeout;

            // bkgen: expect http-client-timeout
            _fraud = new System.Net.Http.HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = new Uri("https://fraud.internal/"),
            };
        }

        public async Task<string> GetBalanceAsync(string account)
        {
            // bkgen: expect http-client-timeout
            using var client = new HttpClient();
            return await client.GetStringAsync($"https://ledger.internal/accounts/{account}");
        }

        public async Task<string> StreamStatementAsync(string account)
        {
            // bkgen: expect http-client-timeout
            using var client = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            return await client.GetStringAsync($"https://ledger.internal/statements/{account}");
        }

        public async Task<string> GetLimitsAsync(string account)
        {
            // bkgen: expect http-client-timeout
            HttpClient client = new();
            return await client.GetStringAsync($"https://limits.internal/{account}");
        }

        public async Task<bool> PingAsync()
        {
            // bkgen: ok http-client-timeout
            var response = await _http.GetAsync("health");
            return response.IsSuccessStatusCode;
        }

        public static HttpClient Create(Uri baseAddress)
        {
            // bkgen: ok http-client-timeout
            var client = new HttpClient { BaseAddress = baseAddress };
            client.Timeout = TimeSpan.FromSeconds(5);
            return client;
        }

        public static HttpClient CreateRaw(HttpMessageHandler handler)
        {
            // bkgen: expect http-client-timeout
            return new HttpClient(handler);
        }

        public static Task<string> Probe(Func<HttpClient, Task<string>> run)
        {
            // bkgen: ok http-client-timeout
            return run(new HttpClient { Timeout = TimeSpan.FromMilliseconds(1500) });
        }

        public static HttpRequestMessage Request(string path)
        {
            // bkgen: ok http-client-timeout
            return new HttpRequestMessage(HttpMethod.Get, path);
        }
    }
}
