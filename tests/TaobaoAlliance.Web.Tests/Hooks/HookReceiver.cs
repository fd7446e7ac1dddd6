using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaobaoAlliance.Web.Tests.Hooks;

/// <summary>What a receiver got: the path and query, the headers the alliance signs with, and the exact body.</summary>
public sealed record ReceivedHook(string PathAndQuery, string? Signature, string? Event, string? Delivery, byte[] Body);

/// <summary>
/// A webmaster's (or seller's) postback receiver: a real Kestrel listener on a loopback port, answering each POST with
/// the status <see cref="Answer"/> picks for the n-th request (1-based).
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private HookReceiver(WebApplication app, Func<int, int> answer)
    {
        this.app = app;
        Answer = answer;
    }

    public Func<int, int> Answer { get; set; }

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<HookReceiver> StartAsync(Func<int, int> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // A receiver is somebody else's server: it must not read the alliance's appsettings.json, which the test's
        // content root (the test bin folder) holds. Its "AllowedHosts": "localhost" made the host filtering answer
        // every postback to 127.0.0.1 with 400 before the handler ran (the cause of issue 13's "delivery is broken").
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = "*" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HookReceiver(app, answer);
        var count = 0;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            receiver.Received.Enqueue(new(context.Request.Path + context.Request.QueryString, context.Request.Headers["X-Alliance-Signature"],
                context.Request.Headers["X-Alliance-Event"], context.Request.Headers["X-Alliance-Delivery"], buffer.ToArray()));
            return Results.StatusCode(receiver.Answer(Interlocked.Increment(ref count)));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests came (the sender runs in the background on a wall clock).</summary>
    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < 600 && Received.Count < count; i++) await Task.Delay(50);
        Received.Count.Should().BeGreaterThanOrEqualTo(count, "the sender posts to the receiver");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
