using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Tests.Clicks;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>A host behind a load balancer at 10.0.0.1 (as ./build.sh cluster runs the nodes behind HAProxy).</summary>
public sealed class BehindProxyApp : AllianceApp
{
    public const string Proxy = "10.0.0.1";

    public BehindProxyApp() => Settings = new Dictionary<string, string?> { ["Proxy:TrustedAddresses:0"] = Proxy };
}

/// <summary>The shopper's address comes from X-Forwarded-For only when the connection is from a trusted balancer.</summary>
public sealed class TrustedProxyTests(BehindProxyApp app) : IClassFixture<BehindProxyApp>
{
    [Fact]
    public async Task Behind_the_trusted_balancer_a_click_is_counted_for_the_forwarded_address()
    {
        var shopper = TestClientAddress.Fresh();

        var ipHash = await ClickIpHashAsync(app, connectionFrom: BehindProxyApp.Proxy, forwardedFor: shopper);

        ipHash.Should().Equal(app.ExpectedIpHash(shopper));
    }

    [Fact]
    public async Task A_client_that_is_not_the_balancer_cannot_claim_another_address()
    {
        var client = TestClientAddress.Fresh();

        var ipHash = await ClickIpHashAsync(app, connectionFrom: client, forwardedFor: "203.0.113.7");

        ipHash.Should().Equal(app.ExpectedIpHash(client));
    }

    /// <summary>The salted IP hash of a click made over a connection from <paramref name="connectionFrom"/>.</summary>
    internal static async Task<byte[]> ClickIpHashAsync(AllianceApp app, string connectionFrom, string forwardedFor)
    {
        var link = await app.NewLinkAsync();
        using var shopper = app.Shopper();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{link.Code}");
        request.Headers.Add(TestClientAddress.Header, connectionFrom);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        var clickId = (await shopper.SendAsync(request)).ClickId();
        await using var db = app.NewDb();
        return await db.Clicks.AsNoTracking().WithId(clickId).Select(c => c.IpHash).SingleAsync();
    }
}

/// <summary>Without Proxy:TrustedAddresses (the default) X-Forwarded-For is ignored, even from loopback.</summary>
public sealed class UntrustedProxyTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task By_default_no_address_is_trusted_to_forward_not_even_loopback()
    {
        var ipHash = await TrustedProxyTests.ClickIpHashAsync(app, connectionFrom: "127.0.0.1", forwardedFor: "203.0.113.7");

        ipHash.Should().Equal(app.ExpectedIpHash("127.0.0.1"));
    }
}
