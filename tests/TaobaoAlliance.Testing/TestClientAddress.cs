using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace TaobaoAlliance.Testing;

/// <summary>
/// Lets a test choose the client's IP address, which the in-memory test server leaves empty and
/// HttpClient cannot set: the address in the <see cref="Header"/> request header becomes
/// <c>Connection.RemoteIpAddress</c> before anything else runs. Registered by the test host only.
/// </summary>
public sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Ip";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A different address on every call, from the documentation range 198.18.0.0/15 (benchmarking).</summary>
    public static string Fresh()
    {
        var n = Interlocked.Increment(ref counter);
        return $"198.{18 + ((n >> 16) & 1)}.{(n >> 8) & 255}.{n & 255}";
    }

    private static int counter;
}
