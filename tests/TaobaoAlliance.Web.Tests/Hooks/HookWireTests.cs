using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Attribution.Hooks;
using TaobaoAlliance.Data.Hooks;

namespace TaobaoAlliance.Web.Tests.Hooks;

/// <summary>
/// The bytes a postback puts on the wire, read by a bare TCP listener: a plain HTTP/1.1 POST any server can parse
/// (the host it was sent to, a Content-Length that matches the body, the signature and the ids in ordinary headers).
/// </summary>
public sealed class HookWireTests(OutboxOnlyApp app) : IClassFixture<OutboxOnlyApp>
{
    [Fact]
    public async Task A_postback_is_a_plain_http_1_1_post_with_the_signed_body_and_its_length()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var world = new MoneyWorld(app);
        var webmaster = await world.NewWebmasterAsync();
        string secret;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<HookSettings>().SaveAsync(HookKind.Postback, webmaster.SiteId, webmaster.UserId,
                $"http://127.0.0.1:{port}/pb?cid={{click_id}}&s1={{sub1}}", null, default);
            secret = saved.NewSecret!;
        }
        var (item, _, _) = await world.ItemsAsync();
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1));
        await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, MoneyWorld.Line(item.Id, 1, item.PriceFen)));
        HookMessage message;
        await using (var db = app.NewDb())
        {
            message = await db.HookMessages.AsNoTracking()
                .SingleAsync(m => db.HookEndpoints.Any(e => e.Id == m.EndpointId && e.SiteId == webmaster.SiteId));
        }

        var accepted = ReadOneRequestAsync(listener);
        var round = await app.Services.GetRequiredService<HookDelivery>().RunOnceAsync(default);
        var (head, body) = await accepted;

        round.Failed.Should().BeGreaterThanOrEqualTo(1, "the listener answered 500");
        var lines = head.Split("\r\n");
        lines[0].Should().Be($"POST /pb?cid={clickId}&s1= HTTP/1.1");
        var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        headers["Host"].Should().Be($"127.0.0.1:{port}");
        headers["Content-Type"].Should().Be("application/json; charset=utf-8");
        headers["Content-Length"].Should().Be(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Should().NotContainKey("Transfer-Encoding");
        headers[HookDelivery.EventHeader].Should().Be(HookEvents.CommissionCreated);
        headers[HookDelivery.DeliveryHeader].Should().Be(message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Encoding.UTF8.GetString(body).Should().Be(message.Body);
        headers[HookSignature.Header].Should().Be(HookSignature.Sign(body, secret, app.Clock.GetUtcNow()));
        headers[HookSignature.Header].Should().MatchRegex("^t=[0-9]+,sha256=[0-9a-f]{64}$", "a header value of plain ASCII");
    }

    /// <summary>Accepts one connection, reads the head and the Content-Length bytes of body, answers 500 and closes.</summary>
    private static async Task<(string Head, byte[] Body)> ReadOneRequestAsync(TcpListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = client.GetStream();
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            n.Should().BePositive("the sender sends a whole head");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        var head = Encoding.ASCII.GetString([.. received.Take(headEnd)]);
        var length = int.Parse(head.Split("\r\n").Single(l => l.StartsWith("Content-Length: ", StringComparison.OrdinalIgnoreCase))["Content-Length: ".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            n.Should().BePositive("the sender sends the whole body");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        received.Count.Should().Be(headEnd + 4 + length, "nothing follows the body");
        await stream.WriteAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
        return (head, [.. received.Skip(headEnd + 4)]);
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            if (data.Skip(i).Take(pattern.Length).SequenceEqual(pattern)) return i;
        }
        return -1;
    }
}
