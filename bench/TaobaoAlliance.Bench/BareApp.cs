using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace TaobaoAlliance.Bench;

/// <summary>
/// The reference the bench measures every scenario against, started in the same run: plain Kestrel on
/// 127.0.0.1, no database, no logging, answering what the real app answers with nothing behind it.
/// <list type="bullet">
/// <item><c>/c/{code}</c> and <c>/z/click/{token}</c>: 302 to an item with the visitor cookie, set as
/// the real click path sets it (alliance_vid, a new random id, HttpOnly, SameSite=Lax, one year).</item>
/// <item><c>/html/{bytes}</c>: a static HTML page of exactly that many bytes (the bench asks for the
/// size of the real page it compares with).</item>
/// <item><c>/health</c>: "Healthy", as the health checks' plain text.</item>
/// </list>
/// </summary>
internal static class BareApp
{
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();

        app.MapGet("/c/{code}", Redirect);
        app.MapGet("/z/click/{token}", Redirect);
        app.MapGet("/health", () => TypedResults.Text("Healthy"));
        var pages = new ConcurrentDictionary<int, byte[]>();
        app.MapGet("/html/{bytes:int:range(16,4000000)}", (int bytes) =>
            TypedResults.Bytes(pages.GetOrAdd(bytes, Page), "text/html; charset=utf-8"));

        await app.RunAsync();
        return 0;
    }

    private static RedirectHttpResult Redirect(HttpContext context)
    {
        context.Response.Cookies.Append("alliance_vid", Guid.NewGuid().ToString("N"), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
        });
        return TypedResults.Redirect("/item/38");
    }

    /// <summary>An HTML document padded with a comment to exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] Page(int bytes)
    {
        const string Head = "<!DOCTYPE html><html><head><title>bare</title></head><body><!--";
        const string Tail = "--></body></html>";
        var page = new StringBuilder(Head).Append('x', Math.Max(0, bytes - Head.Length - Tail.Length)).Append(Tail);
        return Encoding.UTF8.GetBytes(page.ToString());
    }
}
