using System;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(options =>
{
    options.AddServerHeader = false;
    // bkgen: expect server-timeout
    options.Limits.KeepAliveTimeout = Timeout.InfiniteTimeSpan;
    // bkgen: expect server-timeout
    options.Limits.RequestHeadersTimeout = TimeSpan.MaxValue;
    // bkgen: ok server-timeout
    options.Limits.MaxRequestBodySize = 10 * 1024 * 1024;
});

builder.Services.Configure<KestrelServerOptions>(o =>
{
    // The value comes from configuration: not reported.
    var seconds = builder.Configuration.GetValue<int>("Kestrel:HeadersTimeoutSeconds", 30);
    // bkgen: ok server-timeout
    o.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(seconds);
    // bkgen: ok server-timeout
    o.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
});

var app = builder.Build();

// An HttpClient timeout is outbound; another rule covers it.
// bkgen: ok server-timeout
var http = new System.Net.Http.HttpClient { Timeout = Timeout.InfiniteTimeSpan };

app.MapGet("/healthz", () => Results.NoContent());
app.Run();

public static class KestrelDefaults
{
    public static KestrelServerLimits Relaxed() => new KestrelServerLimits
    {
        // bkgen: expect server-timeout
        KeepAliveTimeout = System.Threading.Timeout.InfiniteTimeSpan,
        MaxConcurrentConnections = 1000,
    };
}
